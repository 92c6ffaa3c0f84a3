import {
  usesAppSecret,
  verifyDelivery,
  verifyDeliveryWithKeySets,
  type VerifyDeliveryResult,
  type DedupeStore,
  type DeliveredEvent,
  type VendorDefinition,
  type WebhookEvent,
} from '@hookpack/core';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { CREDENTIAL_FIELDS } from './credential.js';
import { namesFor } from './names.js';
import { DEDUPE_DEFAULTS, PARAM, type DedupeStoreChoice, type LivemodeFilter } from './parameters.js';
import { storedSecrets } from './stored-secrets.js';
import { answeredHandshake } from './handshake.js';
import { rememberInMemory } from './dedupe.js';
import { ownerOf, type Owner } from './ownership.js';
import type { SharedDedupe } from './shared-dedupe.js';
import { publicKeySets } from './public-keys.js';
import { keepTestRunData } from './test-run-data.js';

/**
 * Handles one delivery: verify the signature on the exact raw bytes, parse the envelope,
 * drop unselected event types and redeliveries, and emit the normalized event. `sharedDedupe`:
 * the store behind the "In Redis" redelivery check, when the build has one.
 */
export function webhookHandler(vendor: VendorDefinition, sharedDedupe?: SharedDedupe) {
  const names = namesFor(vendor);
  return async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const req = this.getRequestObject();
    if (req.rawBody === undefined && typeof req.readRawBody === 'function') {
      // n8n keeps rawBody only for some content types; read it ourselves otherwise.
      await req.readRawBody();
    }
    const body: Buffer | undefined = req.rawBody;
    const headers = this.getHeaderData() as Record<string, string | string[] | undefined>;
    const staticData = this.getWorkflowStaticData('node');

    const owner = ownerOf(this);
    // The vendor's URL verification: answered here, before anything else, and never run as a workflow.
    if (vendor.handshake) {
      const handshake = await answeredHandshake(this, vendor, body, headers, owner, staticData);
      if (handshake) return handshake;
    }
    // Vendors that sign with their own key pair: verified with the subscriptions' public keys,
    // cached in this process and fetched once more when a signature fails (public-keys.ts).
    let keyResult: VerifyDeliveryResult | undefined;
    if (vendor.signature.publicKey?.source === 'api') {
      const keySets = publicKeySets(this, vendor, owner, staticData);
      if (keySets.length === 0) {
        return reject(
          this,
          401,
          'no_secret',
          'This trigger holds no subscription; deactivate and reactivate the workflow.',
        );
      }
      const refetched = () => keySets.reduce((n, k) => n + k.refetches, 0);
      const before = refetched();
      keyResult = await verifyDeliveryWithKeySets(vendor, { body: body ?? Buffer.alloc(0), headers, keySets });
      if (refetched() > before) {
        this.logger.info(
          `${vendor.displayName} trigger: a signature did not verify with the cached public key, so the key was fetched again from ${vendor.displayName}: ${keyResult.ok ? 'the new key verified it (the key had been replaced)' : 'the delivery still did not verify'}.`,
        );
      }
    }
    let secret: string[] = [];
    if (keyResult) {
      // verified above
    } else if (vendor.signature.publicKey?.source === 'user') {
      // The public key the user copied from the vendor's UI into the credential.
      const credentials = await this.getCredentials(names.credentialName);
      const configured = String(credentials[CREDENTIAL_FIELDS.publicKey] ?? '').trim();
      secret = configured ? [configured] : [];
    } else if (usesAppSecret(vendor)) {
      // The app's secret signs every delivery (Shopify's client secret): it is in the credential.
      const credentials = await this.getCredentials(names.credentialName);
      const configured = String(credentials[CREDENTIAL_FIELDS.appSecret] ?? '');
      secret = configured.trim() ? [configured] : [];
      if (secret.length === 0) {
        const label = vendor.signature.appSecret?.label ?? 'app secret';
        return reject(this, 401, 'no_secret', `Enter the ${label} in this trigger's ${vendor.displayName} credential.`);
      }
    } else if (vendor.api) {
      const opened = await storedSecrets(this, vendor, owner, staticData);
      secret = opened.secrets;
      const unreadable = opened.unreadable;
      if (secret.length === 0 && unreadable > 0) {
        const message = `This trigger's signing secret was sealed with another ${vendor.displayName} API key than its credential holds now. Unpublish and publish the workflow (n8n 1.x: deactivate and activate) to register a fresh subscription.`;
        this.logger.error(`${vendor.displayName} trigger: ${message}`);
        return reject(this, 401, 'secret_unreadable', message);
      }
      if (secret.length === 0) {
        return reject(
          this,
          401,
          'no_secret',
          'This trigger holds no signing secret; deactivate and reactivate the workflow.',
        );
      }
    } else {
      const credentials = await this.getCredentials(names.credentialName);
      const configured = String(credentials[CREDENTIAL_FIELDS.signingSecret] ?? '');
      secret = configured.trim() ? [configured] : [];
    }

    const result = keyResult ?? verifyDelivery(vendor, { body: body ?? Buffer.alloc(0), headers, secret });
    if (!result.ok) return reject(this, result.status, result.reason, result.message);

    // One event, or every event of a verified batch: each is filtered and deduped on its own.
    const selected = this.getNodeParameter(PARAM.events, []) as string[];
    const options = this.getNodeParameter(PARAM.options, {}) as IDataObject;
    const livemode = (options[PARAM.livemode] as LivemodeFilter | undefined) ?? 'any';
    const ofSelectedType = result.events.filter((e) => selected.includes(e.event.type));
    if (ofSelectedType.length === 0) {
      // Unknown or unselected types are acknowledged: a 4xx would make the vendor retry.
      return { webhookResponse: { received: true, ignored: 'event type not selected' } };
    }
    const wanted = ofSelectedType.filter((e) => livemodeMatches(e.event, livemode));
    if (wanted.length === 0) return { webhookResponse: { received: true, ignored: 'livemode filtered out' } };
    // Events nothing identifies (the description says so: delivery.dedupe []) always run.
    const identified = wanted.filter((e) => !e.unidentified);
    let fresh: DeliveredEvent[];
    const shared = (this.getNodeParameter(PARAM.dedupeStore, 'memory') as DedupeStoreChoice) === 'redis';
    if (shared && !sharedDedupe) warnNoSharedDedupe(this, vendor);
    if (shared && sharedDedupe) {
      const claimed =
        identified.length > 0 ? await claimInShared(this, sharedDedupe, vendor, owner, options, identified) : [];
      if (!Array.isArray(claimed)) return claimed;
      fresh = claimed;
    } else {
      fresh = identified.filter((e) => rememberInMemory(`${owner.workflowId}:${owner.nodeId}`, e.dedupeKey));
    }
    fresh = wanted.filter((e) => e.unidentified || fresh.includes(e));
    if (fresh.length === 0) return { webhookResponse: { received: true, duplicate: true } };
    const items = fresh.map((e) => {
      const item: IDataObject = { ...(e.event as unknown as IDataObject) };
      if (options[PARAM.includeHeaders] === true) item.headers = headers as IDataObject;
      return item;
    });
    const workflowData = [this.helpers.returnJsonArray(items)];
    // A test delivery's execution runs the node's trigger(), which hands this back (test-run-data.ts).
    if (vendor.api && this.getMode() === 'manual') keepTestRunData(`${owner.workflowId}/${owner.nodeId}`, workflowData);
    return { workflowData };
  };
}

function reject(
  fns: IWebhookFunctions,
  status: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): IWebhookResponseData {
  const res = fns.getResponseObject();
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).json({ error: reason, message }).end();
  return { noWebhookResponse: true };
}

/**
 * A workflow saved where the Redis check exists (self-hosted), run by a build without it (n8n
 * Cloud): the in-process check applies instead, and the log says so once per process and node.
 */
const warnedNoSharedDedupe = new Set<string>();
function warnNoSharedDedupe(fns: IWebhookFunctions, vendor: VendorDefinition): void {
  const key = `${fns.getWorkflow().id}:${fns.getNode().id}`;
  if (warnedNoSharedDedupe.has(key) || warnedNoSharedDedupe.size > 1000) return;
  warnedNoSharedDedupe.add(key);
  fns.logger.warn(
    `${vendor.displayName} trigger "${fns.getNode().name}": its Redelivery Check is "In Redis", which this build of the node does not have (n8n Cloud builds leave it out); redeliveries are checked in this n8n process instead`,
  );
}

/**
 * Claims the events' keys in the shared (Redis) store and returns the events to run (those not
 * seen before), or the answer to send instead: the store unreachable, or a copy of one of these
 * events still in flight (then every claim made here is released, and the vendor retries the
 * whole delivery). Claims are confirmed once n8n has answered the vendor with success — n8n 2.x
 * answers only after the execution is handed on — and released otherwise, so a failure never
 * swallows an event.
 */
async function claimInShared(
  fns: IWebhookFunctions,
  sharedDedupe: SharedDedupe,
  vendor: VendorDefinition,
  owner: Owner,
  options: IDataObject,
  events: DeliveredEvent[],
): Promise<DeliveredEvent[] | IWebhookResponseData> {
  const hours = Number(options[PARAM.dedupeWindowHours] ?? DEDUPE_DEFAULTS.windowHours);
  const seconds = Number(options[PARAM.dedupeClaimSeconds] ?? DEDUPE_DEFAULTS.claimSeconds);
  const windowMs = Math.round((hours > 0 ? hours : DEDUPE_DEFAULTS.windowHours) * 3_600_000);
  const claimMs = Math.round((seconds > 0 ? seconds : DEDUPE_DEFAULTS.claimSeconds) * 1000);
  let store: DedupeStore;
  const fresh: DeliveredEvent[] = [];
  let inFlight = false;
  try {
    const credentials = await fns.getCredentials(sharedDedupe.credential.name);
    store = sharedDedupe.open(credentials, owner, windowMs, claimMs);
    for (const e of events) {
      const claim = await store.claim(e.dedupeKey);
      if (claim === 'new') fresh.push(e);
      else if (claim === 'in_progress') inFlight = true;
    }
  } catch (error) {
    const why = (error as Error).message;
    fns.logger.error(
      `${vendor.displayName} trigger: the redelivery check could not reach its store (${why}); answered 503 so ${vendor.displayName} delivers again later`,
    );
    return reject(
      fns,
      503,
      'dedupe_store_unavailable',
      `The redelivery check is unavailable (${why}); deliver again later.`,
      { 'Retry-After': '30' },
    );
  }
  const settle = (ok: boolean, keys: DeliveredEvent[]) => {
    for (const e of keys) {
      (ok ? store.confirm(e.dedupeKey) : store.release(e.dedupeKey)).catch((error: unknown) =>
        fns.logger.warn(
          `${vendor.displayName} trigger: could not ${ok ? 'confirm' : 'release'} a delivery in the redelivery check: ${(error as Error).message}`,
        ),
      );
    }
  };
  if (inFlight) {
    settle(false, fresh);
    return reject(
      fns,
      503,
      'delivery_in_progress',
      'Another copy of this delivery is being handed to n8n right now; deliver again later.',
      { 'Retry-After': String(Math.ceil(claimMs / 1000)) },
    );
  }
  if (fresh.length === 0) return fresh;
  const res = fns.getResponseObject();
  if (typeof res.once === 'function') {
    res.once('finish', () => settle(typeof res.statusCode === 'number' && res.statusCode < 300, fresh));
  } else settle(true, fresh);
  return fresh;
}

function livemodeMatches(event: WebhookEvent, filter: LivemodeFilter): boolean {
  if (filter === 'any' || event.livemode === undefined) return true;
  return filter === 'live' ? event.livemode : !event.livemode;
}
