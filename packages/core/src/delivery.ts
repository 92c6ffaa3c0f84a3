import { createHash, randomUUID } from 'node:crypto';
import { bodyBuffer, notABodyMessage, type RawBody } from './bytes.js';
import { headerValue, type HeaderInput } from './headers.js';
import { MAX_SECRETS } from './signature/shared.js';
import type { VerifyFailureReason, VerifyInput } from './signature/types.js';
import type { RefreshingKeySet } from './signature/key-set.js';
import type { DedupeSource, VendorDefinition } from './vendor.js';
import type { WebhookEvent } from './event.js';

type DeliveryVendor = Pick<VendorDefinition, 'id' | 'envelope' | 'delivery'>;

export type ParseFailureReason = 'invalid_body' | 'invalid_json' | 'invalid_envelope';

/** One event of a delivery, with what identifies a redelivery of it. */
export interface DeliveredEvent {
  event: WebhookEvent;
  dedupeKey: string;
  /**
   * True when nothing identifies a redelivery of this event (`delivery.dedupe: []`): its
   * `dedupeKey` is then unique to this delivery, and a redelivery check has nothing to compare.
   */
  unidentified?: true;
}

/** What a delivery carried, once read. */
export interface ParsedDelivery {
  /** The first (for single-event vendors: the only) event. */
  event: WebhookEvent;
  dedupeKey: string;
  /** Every event of the delivery, in order: one, or a batch's elements that are envelopes. */
  events: DeliveredEvent[];
  /** Batch elements that are not envelopes (skipped, not fatal: the rest are authentic). */
  skipped?: { index: number; issues: string[] }[];
}

export type ParseDeliveryResult =
  ({ ok: true } & ParsedDelivery) | { ok: false; reason: ParseFailureReason; message: string; issues?: string[] };

/**
 * The JSON document a vendor sends for these envelopes: the envelope itself, or for a batch
 * vendor the envelopes as its batch (a bare array, or under its key). Sandboxes and samples.
 */
export function deliveryDocument(vendor: Pick<VendorDefinition, 'envelope'>, envelopes: unknown[]): unknown {
  const batch = vendor.envelope.batch;
  if (!batch) {
    if (envelopes.length !== 1) throw new TypeError('a vendor without batches sends exactly one envelope per delivery');
    return envelopes[0];
  }
  return batch.kind === 'array' ? envelopes : { [batch.key]: envelopes };
}

/** Most events one batch may carry; beyond it the delivery is refused (bounded work per request). */
export const MAX_BATCH_EVENTS = 1000;

/** What identifies a redelivery of this vendor's events, most specific first. */
export function dedupeSources(delivery: VendorDefinition['delivery']): DedupeSource[] {
  return (
    delivery.dedupe ?? (delivery.deliveryIdIsStable ? ['eventId', 'deliveryId', 'bodyHash'] : ['eventId', 'bodyHash'])
  );
}

/** `sha256:<hex>` of the exact body: the dedupe key of last resort (Parsley Recipes has no id). */
export function bodyHash(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Parses a (verified) delivery body into a WebhookEvent. Never throws: invalid JSON or a
 * body that is not the vendor's envelope comes back as `{ ok: false, reason, message }`.
 * Unknown event types pass through — vendors add types, and a 4xx would make them retry.
 */
export function parseDelivery(vendor: DeliveryVendor, body: RawBody, headers?: HeaderInput): ParseDeliveryResult {
  const bytes = bodyBuffer(body);
  if (typeof bytes === 'string') return { ok: false, reason: 'invalid_body', message: notABodyMessage(bytes) };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'invalid_json', message: `body is not valid JSON: ${(err as Error).message}` };
  }
  const { eventHeader, deliveryIdHeader } = vendor.delivery;
  const deliveryId = deliveryIdHeader ? headerValue(headers, deliveryIdHeader) : undefined;
  const headerType = eventHeader ? headerValue(headers, eventHeader) : undefined;
  const batch = vendor.envelope.batch;
  if (!batch) {
    const one = readEnvelope(vendor, json, headerType, deliveryId, () => bodyHash(bytes));
    if (!one.ok) return one;
    return {
      ok: true,
      event: one.event,
      dedupeKey: one.dedupeKey,
      events: [{ event: one.event, dedupeKey: one.dedupeKey, ...(one.unidentified ? { unidentified: true } : {}) }],
    };
  }
  const list = batch.kind === 'array' ? json : isObject(json) ? json[batch.key] : undefined;
  if (!Array.isArray(list)) {
    const where = batch.kind === 'array' ? 'a JSON array' : `an object with the events under "${batch.key}"`;
    return { ok: false, reason: 'invalid_envelope', message: `body is not a ${vendor.id} batch (expected ${where})` };
  }
  if (list.length > MAX_BATCH_EVENTS) {
    return {
      ok: false,
      reason: 'invalid_envelope',
      message: `a ${vendor.id} batch of ${list.length} events is more than the ${MAX_BATCH_EVENTS} one delivery may carry`,
    };
  }
  const events: DeliveredEvent[] = [];
  const skipped: { index: number; issues: string[] }[] = [];
  list.forEach((element, index) => {
    // The delivery id and the body digest name the whole request, not one of its events: each
    // element is identified by its own id, else by the digest of its own JSON.
    const one = readEnvelope(vendor, element, headerType, undefined, () => jsonHash(element));
    if (one.ok)
      events.push({
        event: deliveryId !== undefined ? { ...one.event, deliveryId } : one.event,
        dedupeKey: one.dedupeKey,
        ...(one.unidentified ? { unidentified: true as const } : {}),
      });
    else skipped.push({ index, issues: one.issues ?? [one.message] });
  });
  if (events.length === 0) {
    return {
      ok: false,
      reason: 'invalid_envelope',
      message:
        list.length === 0
          ? `the ${vendor.id} batch holds no events`
          : `no element of the ${vendor.id} batch is an envelope (${skipped[0]!.issues.slice(0, 3).join('; ')})`,
    };
  }
  return {
    ok: true,
    event: events[0]!.event,
    dedupeKey: events[0]!.dedupeKey,
    events,
    ...(skipped.length ? { skipped } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `sha256:<hex>` of an element's JSON: a batch element's dedupe key of last resort. */
function jsonHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex')}`;
}

type ReadEnvelope =
  ({ ok: true } & DeliveredEvent) | { ok: false; reason: ParseFailureReason; message: string; issues?: string[] };

function readEnvelope(
  vendor: DeliveryVendor,
  json: unknown,
  headerType: string | undefined,
  deliveryId: string | undefined,
  digest: () => string,
): ReadEnvelope {
  const parsed = vendor.envelope.schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    return {
      ok: false,
      reason: 'invalid_envelope',
      message: `body is not a ${vendor.id} webhook envelope (${issues.slice(0, 3).join('; ')})`,
      issues,
    };
  }
  let fields: ReturnType<DeliveryVendor['envelope']['read']>;
  try {
    fields = vendor.envelope.read(parsed.data);
  } catch {
    // a vendor module's reader that trips on a body its schema let through: not an event we can read
    return {
      ok: false,
      reason: 'invalid_envelope',
      message: `body is not a ${vendor.id} webhook envelope it can read`,
    };
  }
  const type = fields.type || headerType || 'unknown';
  let dedupeKey: string | undefined;
  const sources = dedupeSources(vendor.delivery);
  if (sources.length === 0) {
    // Nothing identifies a redelivery: a key of its own, so no check ever takes it for another.
    const name = fields.id || deliveryId || digest();
    const event: WebhookEvent = {
      id: name,
      type,
      createdAt: fields.createdAt,
      data: fields.data,
      provider: vendor.id,
      ...(fields.livemode !== undefined ? { livemode: fields.livemode } : {}),
      ...(deliveryId !== undefined ? { deliveryId } : {}),
    };
    return { ok: true, event, dedupeKey: `unidentified:${randomUUID()}`, unidentified: true };
  }
  for (const source of sources) {
    // Empty values are skipped: an empty id or delivery header must not become one key shared by every delivery.
    const key = source === 'eventId' ? fields.id : source === 'deliveryId' ? deliveryId : digest();
    if (key) {
      dedupeKey = key;
      break;
    }
  }
  dedupeKey ??= digest();
  const event: WebhookEvent = {
    id: dedupeKey,
    type,
    createdAt: fields.createdAt,
    data: fields.data,
    provider: vendor.id,
    ...(fields.livemode !== undefined ? { livemode: fields.livemode } : {}),
    ...(deliveryId !== undefined ? { deliveryId } : {}),
  };
  return { ok: true, event, dedupeKey };
}

export type VerifyDeliveryResult =
  | ({ ok: true; secretIndex: number | null } & ParsedDelivery)
  | {
      ok: false;
      /**
       * HTTP status a receiver should answer: 401 for signature problems, 400 for bad bodies,
       * 500 for `invalid_input` — the receiver's own input is broken, not the delivery, so the
       * vendor should retry it once that is fixed.
       */
      status: 400 | 401 | 500;
      reason: VerifyFailureReason | ParseFailureReason;
      message: string;
    };

export interface VerifyDeliveryInput {
  body: RawBody;
  headers: HeaderInput;
  /** Secret(s). Required unless the vendor makes secrets optional and none was configured. */
  secret?: string | readonly string[] | null;
  now?: Date | number;
  toleranceSeconds?: number;
}

/**
 * Whether the user configured a secret: anything but nothing (`undefined`, `null`, blank
 * strings, an empty list). A value of the wrong type (a number, an object, a list holding
 * one) or a list that cannot be read (a hostile proxy) counts as configured, so the scheme
 * runs and fails closed instead of the delivery being accepted unsigned.
 */
function isSecretConfigured(secret: unknown): boolean {
  if (secret === undefined || secret === null) return false;
  if (typeof secret === 'string') return secret.trim() !== '';
  try {
    if (!Array.isArray(secret)) return true;
    const list = secret as unknown[];
    const n = list.length;
    if (!(n <= MAX_SECRETS)) return true; // the scheme refuses it
    for (let i = 0; i < n; i++) {
      const s = list[i];
      if (s !== undefined && s !== null && (typeof s !== 'string' || s.trim() !== '')) return true;
    }
    return false;
  } catch {
    return true;
  }
}

function failed(
  reason: VerifyFailureReason | ParseFailureReason,
  message: string,
  status?: 400 | 401,
): VerifyDeliveryResult {
  return { ok: false, status: reason === 'invalid_input' ? 500 : (status ?? 401), reason, message };
}

/**
 * Signature check, then envelope parse: what every receiver (n8n, Zapier, CLI) does with a
 * delivery. Fails closed, except for vendors whose secret is optional (Parsley Recipes)
 * when the user configured none — then the delivery is accepted unsigned, as the vendor
 * documents.
 */
export function verifyDelivery(
  vendor: Pick<VendorDefinition, 'id' | 'envelope' | 'delivery' | 'signature'>,
  input: VerifyDeliveryInput,
): VerifyDeliveryResult {
  if (input === null || typeof input !== 'object') {
    return failed('invalid_input', 'no delivery given (expected { body, headers, secret })');
  }
  // Each field read once, so the bytes verified are the bytes parsed (a getter may answer differently twice).
  let body: unknown, headers: unknown, secret: unknown, now: unknown, toleranceSeconds: unknown;
  try {
    ({ body, headers, secret, now, toleranceSeconds } = input as unknown as Record<string, unknown>);
  } catch {
    return failed('invalid_input', 'the delivery input could not be read (a getter or Proxy trap threw)');
  }
  let secretIndex: number | null = null;
  if (vendor.signature.secretRequired || isSecretConfigured(secret)) {
    const v = vendor.signature.scheme.verify({ body, headers, secret, now, toleranceSeconds } as VerifyInput);
    if (!v.ok) return failed(v.reason, v.message);
    secretIndex = v.secretIndex;
  }
  const parsed = parseDelivery(vendor, body as RawBody, headers as HeaderInput);
  if (!parsed.ok) return failed(parsed.reason, parsed.message, 400);
  return {
    ok: true,
    event: parsed.event,
    dedupeKey: parsed.dedupeKey,
    events: parsed.events,
    ...(parsed.skipped ? { skipped: parsed.skipped } : {}),
    secretIndex,
  };
}

/**
 * What tells a redelivery of this vendor's events apart, as integrations explain it to users:
 * the first dedupe source its envelope actually carries (probed with the vendor's own envelope
 * builder, so no vendor is named), or `none` when the description says nothing does.
 */
export function redeliveryIdentity(
  vendor: Pick<VendorDefinition, 'envelope' | 'delivery' | 'events'>,
): DedupeSource | 'none' {
  const sources = dedupeSources(vendor.delivery);
  for (const source of sources) {
    if (source === 'bodyHash') return 'bodyHash';
    if (source === 'deliveryId') {
      if (vendor.delivery.deliveryIdHeader && vendor.delivery.deliveryIdIsStable) return 'deliveryId';
    } else if (envelopeCarriesId(vendor)) return 'eventId';
  }
  return sources.length === 0 ? 'none' : 'bodyHash';
}

/** Whether the vendor's envelope carries the event id it was built with (read back by its own reader). */
export function envelopeCarriesId(vendor: Pick<VendorDefinition, 'envelope' | 'events'>): boolean {
  const sample = vendor.events[0];
  if (!sample) return false;
  const probe = 'evt_identity_probe';
  try {
    const body = vendor.envelope.build({
      id: probe,
      type: sample.type,
      createdAt: '2020-01-01T00:00:00.000Z',
      data: sample.sample,
      livemode: false,
    });
    const parsed = vendor.envelope.schema.safeParse(body);
    return parsed.success && vendor.envelope.read(parsed.data).id === probe;
  } catch {
    return false;
  }
}

export interface KeySetDeliveryInput {
  body: RawBody;
  headers: HeaderInput;
  /** One key set per subscription the delivery may be for (a trigger's test and production URL). */
  keySets: readonly RefreshingKeySet[];
  now?: Date | number;
  toleranceSeconds?: number;
}

/**
 * `verifyDelivery` for vendors whose public key comes from their API: the signature is checked
 * with each subscription's cached key set (which fetches the key once more when a signature
 * fails, to survive a key rotation), then the envelope is parsed. Never throws; no key set
 * fails closed.
 */
export async function verifyDeliveryWithKeySets(
  vendor: Pick<VendorDefinition, 'id' | 'envelope' | 'delivery' | 'signature'>,
  input: KeySetDeliveryInput,
): Promise<VerifyDeliveryResult> {
  if (input === null || typeof input !== 'object') {
    return failed('invalid_input', 'no delivery given (expected { body, headers, keySets })');
  }
  let body: unknown, headers: unknown, keySets: unknown, now: unknown, toleranceSeconds: unknown;
  try {
    ({ body, headers, keySets, now, toleranceSeconds } = input as unknown as Record<string, unknown>);
  } catch {
    return failed('invalid_input', 'the delivery input could not be read (a getter or Proxy trap threw)');
  }
  if (!Array.isArray(keySets) || keySets.length === 0) return failed('no_secret', 'no public key source is configured');
  let firstFailure: VerifyDeliveryResult | undefined;
  for (const set of keySets as RefreshingKeySet[]) {
    let v;
    try {
      v = await set.verify(vendor.signature.scheme, { body, headers, now, toleranceSeconds } as Omit<
        VerifyInput,
        'secret'
      >);
    } catch (error) {
      v = { ok: false as const, reason: 'invalid_input' as const, message: `the key set failed: ${String(error)}` };
    }
    if (!v.ok) {
      firstFailure ??= failed(v.reason, v.message);
      continue;
    }
    const parsed = parseDelivery(vendor, body as RawBody, headers as HeaderInput);
    if (!parsed.ok) return failed(parsed.reason, parsed.message, 400);
    return {
      ok: true,
      event: parsed.event,
      dedupeKey: parsed.dedupeKey,
      events: parsed.events,
      ...(parsed.skipped ? { skipped: parsed.skipped } : {}),
      secretIndex: v.secretIndex,
    };
  }
  return firstFailure!;
}
