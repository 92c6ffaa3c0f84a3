import { isDeepStrictEqual } from 'node:util';
import {
  canPause,
  checkVendorDescription,
  createSubscriptionClient,
  formatProblem,
  generateSecret,
  generateSigningKeyPair,
  HookpackInputError,
  publicKeyOf,
  refreshingKeySet,
  verifyDeliveryWithKeySets,
  HookpackApiError,
  leftBehindOf,
  oneEventPerSubscription,
  parseDelivery,
  usesAppSecret,
  RateLimitError,
  UnsupportedOperationError,
  validationStatusOf,
  verifyDelivery,
  type SubscriptionClient,
  type VendorDefinition,
} from '@hookpack/core';
import { sandboxAuth } from './sandbox-auth.js';
import { startSandbox, type Sandbox } from '../sandbox.js';
import { deliveryBody, deliveryHeaders, newEventId } from '../send.js';
import { secretBody } from '../rest.js';
import { startReceiver, type ReceivedDelivery } from './receiver.js';
import { handshakeChecks, manualHandshakeChecks } from './conformance-handshake.js';
import { expiryChecks } from './conformance-expiry.js';

export interface ConformanceCheck {
  name: string;
  ok: boolean;
  /** What went wrong (failures only). */
  message?: string;
}

export interface ConformanceReport {
  vendor: string;
  ok: boolean;
  checks: ConformanceCheck[];
  failures: ConformanceCheck[];
}

export interface ConformanceOptions {
  /** Most subscriptions created to walk the pages (default 250). */
  maxSubscriptionsForPaging?: number;
  /** How long to wait for the sandbox's deliveries each time (default 10 s). */
  settleMs?: number;
}

class CheckFailed extends Error {}

function must(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

/**
 * Everything a vendor description promises, exercised against the sandbox playing that vendor
 * from the description alone: the description checks; every event's sample signed, verified
 * (and a forged copy refused) and round-tripped through the envelope; and, for vendors with an
 * API, every declared operation through core's client, every page of the list, and every error
 * shape (bad key, validation, unknown id, rate limit). Never throws for a failing vendor: the
 * report lists each check and why it failed.
 */
export async function vendorConformance(
  vendor: VendorDefinition,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const checks: ConformanceCheck[] = [];
  const check = async (name: string, run: () => unknown): Promise<boolean> => {
    try {
      await run();
      checks.push({ name, ok: true });
      return true;
    } catch (e) {
      checks.push({ name, ok: false, message: e instanceof Error ? e.message : String(e) });
      return false;
    }
  };
  const report = (): ConformanceReport => {
    const failures = checks.filter((c) => !c.ok);
    return { vendor: vendor.id, ok: failures.length === 0, checks, failures };
  };

  const consistent = await check('description is consistent', () => {
    const problems = checkVendorDescription(vendor);
    must(problems.length === 0, problems.map(formatProblem).join('\n'));
  });
  if (!consistent) return report(); // the sandbox refuses an inconsistent description anyway

  for (const event of vendor.events) {
    await check(`envelope round trip: ${event.type}`, () => envelopeRoundTrip(vendor, event.type));
    await check(`sign and verify: ${event.type}`, () => signAndVerify(vendor, event.type));
  }
  if (vendor.envelope.batch)
    await check('a batch verifies once and splits into events; a partly overlapping redelivery shares keys', () =>
      batchCheck(vendor),
    );

  const settleMs = options.settleMs ?? 10_000;
  const receiver = await startReceiver(vendor);
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await startSandbox({ vendors: [vendor], rateLimits: false, timeScale: 0.001 });
    if (vendor.api) {
      await apiChecks(vendor, sandbox, receiver, check, settleMs, options.maxSubscriptionsForPaging ?? 250);
      await handshakeChecks(vendor, sandbox, receiver, check, settleMs);
    } else await manualHookChecks(vendor, sandbox, receiver, check, settleMs);
  } finally {
    await sandbox?.stop();
    await receiver.close();
  }
  await expiryChecks(vendor, check);
  if (vendor.api?.rateLimit) await check('429 carries Retry-After', () => rateLimitCheck(vendor));
  return report();
}

type Check = (name: string, run: () => unknown) => Promise<boolean>;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function sampleOf(vendor: VendorDefinition, type: string): unknown {
  return structuredClone(vendor.events.find((e) => e.type === type)!.sample);
}

function envelopeRoundTrip(vendor: VendorDefinition, type: string): void {
  const event = {
    id: newEventId(),
    type,
    createdAt: '2026-05-07T14:30:00.000Z',
    data: sampleOf(vendor, type),
    livemode: false,
  };
  const body = deliveryBody(vendor, event);
  const headers = deliveryHeaders(vendor, { body, type, secret: null, deliveryId: 'dlv_conformance' });
  const parsed = parseDelivery(vendor, body, headers);
  must(parsed.ok, `the envelope the vendor builds does not parse: ${parsed.ok ? '' : parsed.message}`);
  must(parsed.event.type === type, `type read back as "${parsed.event.type}"`);
  must(isDeepStrictEqual(parsed.event.data, event.data), 'data read back differs from the sample');
  must(typeof parsed.dedupeKey === 'string' && parsed.dedupeKey !== '', 'no dedupe key');
}

/** A signing secret and what verifies it: the same string, or a private key and its public key. */
function signingPair(vendor: VendorDefinition): { signWith: string; verifyWith: string } {
  const algorithm = vendor.signature.scheme.publicKeyAlgorithm;
  if (algorithm) {
    const pair = generateSigningKeyPair(algorithm);
    return { signWith: pair.privateKey, verifyWith: pair.publicKey };
  }
  const secret = `whsec_${secretBody(vendor)}`;
  return { signWith: secret, verifyWith: secret };
}

function signAndVerify(vendor: VendorDefinition, type: string): void {
  const { signWith, verifyWith: secret } = signingPair(vendor);
  const event = {
    id: newEventId(),
    type,
    createdAt: new Date().toISOString(),
    data: sampleOf(vendor, type),
    livemode: false,
  };
  const body = deliveryBody(vendor, event);
  const headers = deliveryHeaders(vendor, { body, type, secret: signWith, deliveryId: 'dlv_conformance' });
  const good = verifyDelivery(vendor, { body, headers, secret });
  must(good.ok, `a correctly signed delivery was refused: ${good.ok ? '' : good.message}`);
  must(good.event.type === type, `verified as "${good.event.type}"`);
  const forged = Buffer.from(body);
  forged[forged.length - 2] = forged[forged.length - 2]! ^ 1;
  must(!verifyDelivery(vendor, { body: forged, headers, secret }).ok, 'a changed body was accepted');
  must(!verifyDelivery(vendor, { body, headers, secret: `${secret}x` }).ok, 'a wrong secret was accepted');
  must(
    !verifyDelivery(vendor, { body, headers, secret: signingPair(vendor).verifyWith }).ok,
    'another key verified it',
  );
}

/**
 * Batch vendors: three events in one signed body verify once and come out as three events with
 * three keys; a redelivered batch that repeats one of them gives that one the same key.
 */
function batchCheck(vendor: VendorDefinition): void {
  const type = vendor.events[0]!.type;
  const { signWith, verifyWith } = signingPair(vendor);
  const events = [1, 2, 3].map((n) => ({
    id: newEventId(),
    type,
    createdAt: new Date().toISOString(),
    data: { ...(sampleOf(vendor, type) as Record<string, unknown>), conformance_n: n },
    livemode: false,
  }));
  const deliver = (list: typeof events) => {
    const body = deliveryBody(vendor, list);
    const headers = deliveryHeaders(vendor, { body, type, secret: signWith, deliveryId: 'dlv_batch' });
    const result = verifyDelivery(vendor, { body, headers, secret: verifyWith });
    must(result.ok, `a signed batch was refused: ${result.ok ? '' : result.message}`);
    return result.events.map((e) => e.dedupeKey);
  };
  const first = deliver(events);
  must(first.length === 3 && new Set(first).size === 3, `expected 3 events with 3 keys, got ${first.length}`);
  const again = deliver([
    events[2]!,
    { ...events[0]!, id: newEventId(), data: { ...events[0]!.data, conformance_n: 4 } },
  ]);
  if (vendor.delivery.dedupe?.length !== 0)
    must(again[0] === first[2] && !first.includes(again[1]!), 'the repeated event did not keep its key');
}

/** Every delivery the receiver got at `path`, verified with `secret`. */
function verifiedAt(vendor: VendorDefinition, received: ReceivedDelivery[], path: string, secret: string | string[]) {
  return received
    .filter((r) => r.path === path)
    .map((r) => verifyDelivery(vendor, { body: r.body, headers: r.headers as Record<string, string>, secret }));
}

function optionValues(vendor: VendorDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of vendor.subscriptionOptions.filter((o) => o.required))
    out[o.name] = o.type === 'string[]' ? ['conformance'] : o.type === 'boolean' ? true : 'conformance';
  return out;
}

async function expectApiError(promise: Promise<unknown>, code: string, status?: number): Promise<HookpackApiError> {
  try {
    await promise;
  } catch (e) {
    must(e instanceof HookpackApiError, `expected a HookpackApiError ${code}, got ${String(e)}`);
    must(e.code === code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (status !== undefined) must(e.status === status, `expected status ${status}, got ${e.status}`);
    return e;
  }
  throw new CheckFailed(`expected a ${code} error, the call succeeded`);
}

async function apiChecks(
  vendor: VendorDefinition,
  sandbox: Sandbox,
  receiver: Receiver,
  check: Check,
  settleMs: number,
  maxForPaging: number,
): Promise<void> {
  const api = vendor.api!;
  const clientWith = (spoiled: boolean): SubscriptionClient =>
    createSubscriptionClient(vendor, {
      ...sandboxAuth(sandbox, vendor, spoiled),
      baseUrl: sandbox.baseUrl(vendor.id),
      allowInsecureTargetUrl: true,
      retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    });
  const client = clientWith(false);
  const allEvents = vendor.events.map((e) => e.type);
  // A vendor whose subscriptions carry one event each: the main subscription is for the first.
  const perEvent = oneEventPerSubscription(vendor);
  const events = perEvent ? allEvents.slice(0, 1) : allEvents;
  const appSigned = usesAppSecret(vendor);
  const options = optionValues(vendor);
  const url = `${receiver.url}/main`;
  let id: string | undefined;
  /** What verifies the deliveries: the shared secret, or the public key. */
  let secret: string | undefined;
  /** For public-key vendors: the private key the vendor signs with (never to appear in an answer). */
  let privateKey: string | undefined;

  const created = await check(
    appSigned
      ? 'create returns the subscription, and no secret (the app signs)'
      : 'create returns the subscription and its secret',
    async () => {
      const sub = await client.create({ url, events, options });
      must(sub.id.startsWith(api.resource.idPrefix), `id "${sub.id}" lacks the prefix "${api.resource.idPrefix}"`);
      must(sub.url === url, `url read back as ${sub.url}`);
      must(isDeepStrictEqual([...sub.events].sort(), [...events].sort()), 'events read back differ');
      must(sub.active, 'a new subscription reads as inactive');
      for (const [k, v] of Object.entries(options))
        must(isDeepStrictEqual(sub.options[k], v), `option ${k} read back differs`);
      id = sub.id;
      const stored = sandbox.subscription(sub.id);
      if (appSigned) {
        const appSecret = sandbox.appSecret(vendor.id);
        must(sub.secret === undefined, "create carried a secret, but the app secret signs this vendor's deliveries");
        must(!JSON.stringify(sub.raw).includes(appSecret), 'the create answer shows the app secret');
        secret = appSecret;
      } else if (vendor.signature.publicKey?.source === 'api') {
        must(sub.publicKey, 'no public key after create');
        must(stored?.secret, 'the vendor does not sign the new subscription');
        must(publicKeyOf(stored.secret) === sub.publicKey, "the public key the client holds is not the signing key's");
        privateKey = stored.secret;
        secret = sub.publicKey;
      } else {
        if (vendor.signature.secretSource !== 'user') must(sub.secret, 'no signing secret after create');
        must(
          stored && stored.secret === sub.secret,
          'the secret the client holds is not the one the vendor signs with',
        );
        secret = sub.secret;
      }
    },
  );
  if (!created || !id) return;
  const subId = id;

  if (client.supports('list'))
    await check('list and findByUrl find it; reads never show the secret', async () => {
      const all = await client.list();
      must(
        all.some((s) => s.id === subId),
        'list does not contain the new subscription',
      );
      must(
        all.every((s) => s.secret === undefined),
        'a list item carries a secret',
      );
      must(
        !JSON.stringify(all.map((s) => s.raw)).includes(privateKey ?? secret!),
        'a list answer shows the full secret',
      );
      if (perEvent)
        must(
          all.every((s) => s.events.length === 1),
          'a list item of a one-event vendor reads with several events',
        );
      must((await client.findByUrl(url))?.id === subId, 'findByUrl missed it');
    });
  const filters = Object.keys(api.list?.filters ?? {});
  if (client.supports('list') && filters.length > 0)
    await check('list filters narrow the list to the matching subscription', async () => {
      const other = { ...options, ...Object.fromEntries(filters.map((f) => [f, 'conformance-other'])) };
      const second = await client.create({ url, events, options: other });
      try {
        const narrowed = await client.list(other);
        must(narrowed.length > 0 && narrowed.every((s) => s.id === second.id), 'the filtered list shows others');
        must((await client.findByUrl(url, options))?.id === subId, 'findByUrl with the first options missed it');
        must((await client.findByUrl(url, other))?.id === second.id, 'findByUrl with the other options missed it');
      } finally {
        await client.delete(second.id);
      }
    });
  await check('findById finds it', async () => must((await client.findById(subId))?.id === subId, 'not found by id'));
  if (client.supports('get'))
    await check('get reads it', async () => {
      const sub = await client.get(subId);
      must(sub.id === subId && sub.url === url, 'get read back something else');
      must(sub.secret === undefined, 'get carries a secret');
    });

  for (const type of events)
    await check(
      `delivers ${type}, signed with ${appSigned ? 'the app secret' : "the subscription's secret"}`,
      async () => {
        const before = receiver.received.length;
        sandbox.fire(vendor.id, type, { subscriptionId: subId });
        must(await sandbox.settle(settleMs), 'the sandbox did not finish delivering');
        const got = receiver.received.slice(before);
        must(got.length === 1, `expected 1 delivery, got ${got.length}`);
        const result = verifiedAt(vendor, got, '/main', secret!)[0]!;
        must(result.ok, `the delivery did not verify: ${result.ok ? '' : result.message}`);
        must(result.event.type === type, `delivered as ${result.event.type}`);
        if (appSigned) {
          const wrong = verifiedAt(vendor, got, '/main', `${secret!}x`)[0]!;
          must(!wrong.ok, 'a delivery verified with a wrong app secret');
        }
      },
    );

  await check(
    perEvent
      ? 'subscribe: one subscription per event, each delivering only its event; deleteEach removes all'
      : 'subscribe: one subscription carrying every event',
    () => subscribeChecks(vendor, sandbox, client, receiver, allEvents, options, secret, settleMs),
  );
  if (perEvent && allEvents.length >= 2)
    await check(
      'subscribe is all or nothing: a failure part-way deletes what it created, or names what it could not',
      () => subscribeRollbackChecks(vendor, sandbox, client, receiver, allEvents, options),
    );

  if (client.supports('update')) {
    await check('update changes the target URL', async () => {
      const moved = await client.update(subId, { url: `${url}?moved=1` });
      must(moved.url === `${url}?moved=1`, 'the new URL did not read back');
      await client.update(subId, { url });
    });
    if (canPause(vendor))
      await check('update pauses and resumes', async () => {
        must((await client.update(subId, { active: false })).active === false, 'still active after pausing');
        must((await client.findById(subId))?.active === false, 'reads back active after pausing');
        must((await client.update(subId, { active: true })).active === true, 'still paused after resuming');
      });
    else
      await check('pausing is refused before any request (the vendor cannot pause)', async () => {
        const error = await client.update(subId, { active: false }).catch((e: unknown) => e);
        must(error instanceof UnsupportedOperationError, `expected UnsupportedOperationError, got ${String(error)}`);
      });
  }

  if (client.supports('test'))
    await check('test sends a verifiable event', async () => {
      const before = receiver.received.length;
      await client.test(subId);
      must(await sandbox.settle(settleMs), 'the sandbox did not finish delivering');
      const results = verifiedAt(vendor, receiver.received.slice(before), '/main', secret!);
      must(results.length === 1 && results[0]!.ok, 'the test event did not arrive verified');
    });

  if (client.supports('rotate'))
    await check('rotate: the new secret signs, the old one no longer does', async () => {
      const rotated = await client.rotate(subId);
      must(rotated && rotated !== secret, 'rotate gave no new secret');
      const before = receiver.received.length;
      sandbox.fire(vendor.id, events[0]!, { subscriptionId: subId });
      must(await sandbox.settle(settleMs), 'the sandbox did not finish delivering');
      const got = receiver.received.slice(before);
      must(verifiedAt(vendor, got, '/main', rotated)[0]?.ok, 'the new secret does not verify');
      must(!verifiedAt(vendor, got, '/main', secret!)[0]?.ok, 'the old secret still verifies');
      secret = rotated;
    });

  if (vendor.signature.publicKey?.source === 'api')
    await check('the public key is read from the API; after the vendor replaces it, one refetch verifies', async () => {
      must((await client.publicKey(subId)) === secret, 'publicKey read back another key');
      let fetches = 0;
      const keySet = refreshingKeySet({
        initialKeys: [secret!],
        fetchKeys: async () => (fetches++, [await client.publicKey(subId)]),
      });
      const deliverOne = async () => {
        const before = receiver.received.length;
        sandbox.fire(vendor.id, events[0]!, { subscriptionId: subId });
        must(await sandbox.settle(settleMs), 'the sandbox did not finish delivering');
        const got = receiver.received.slice(before).filter((r) => r.path === '/main');
        must(got.length >= 1, 'nothing was delivered');
        const r = got[got.length - 1]!;
        return verifyDeliveryWithKeySets(vendor, {
          body: r.body,
          headers: r.headers as Record<string, string>,
          keySets: [keySet],
        });
      };
      must((await deliverOne()).ok && fetches === 0, 'the stored key did not verify without a fetch');
      const rotated = sandbox.rotateSigningKey(subId);
      must(rotated !== secret, 'the sandbox kept the key');
      must((await deliverOne()).ok, 'a delivery signed with the new key did not verify after a refetch');
      must(Number(fetches) === 1, `expected exactly one refetch, got ${fetches}`);
      must(!verifiedAt(vendor, receiver.received.slice(-1), '/main', secret!)[0]?.ok, 'the old key still verifies');
      secret = rotated;
      privateKey = sandbox.subscription(subId)!.secret!;
    });

  if (client.supports('me'))
    await check('me answers with an identity', async () => {
      const me = await client.me();
      must(me !== null && typeof me === 'object', 'me answered with no object');
    });

  await check('errors: bad key, invalid input, unknown id', async () => {
    const bad = await expectApiError(clientWith(true).findById(subId), 'unauthorized', 401);
    must(bad.vendorMessage, 'the 401 error document carried no message the client could read');
    const unknownEvent = client.create({ url: `${receiver.url}/invalid`, events: ['no.such.event'], options });
    if (api.resource.fields.eventFlags) {
      // Events are fields: an unknown one cannot even be written, so the client refuses it first.
      const error = await unknownEvent.catch((e: unknown) => e);
      must(error instanceof HookpackInputError, `expected HookpackInputError, got ${String(error)}`);
      must(error.message.includes('no.such.event'), 'the refusal does not name the unknown event');
    } else {
      const invalid = await expectApiError(unknownEvent, 'validation', validationStatusOf(api.errors));
      must(
        JSON.stringify(invalid.details ?? {}).includes('no.such.event'),
        'the validation error names no field detail',
      );
    }
    must((await client.findById(`${api.resource.idPrefix}missing`)) === undefined, 'an unknown id was found');
    if (client.supports('get')) await expectApiError(client.get(`${api.resource.idPrefix}missing`), 'not_found', 404);
  });

  const pagination = api.list?.pagination;
  if (pagination && client.supports('list'))
    await check(`list reads every page (${pagination.kind}, ${pagination.pageSize} per page)`, async () => {
      const extra = Math.min(pagination.pageSize * 2 + 1, maxForPaging);
      for (let i = 0; i < extra; i++)
        await client.create({ url: `${receiver.url}/page-${i}`, events: [events[0]!], options });
      const all = await client.list();
      must(all.length === extra + 1, `list returned ${all.length} of ${extra + 1} subscriptions`);
      must(new Set(all.map((s) => s.id)).size === all.length, 'a subscription was listed twice');
      must(
        (await client.findByUrl(`${receiver.url}/page-${extra - 1}`)) !== undefined,
        'findByUrl missed one on the last page',
      );
    });

  await check('delete removes it; deleting again is not an error', async () => {
    must((await client.delete(subId)).deleted, 'delete said nothing was deleted');
    must((await client.findById(subId)) === undefined, 'still found after delete');
    must(!(await client.delete(subId)).deleted, 'a second delete claimed to delete');
  });
}

/** The subscriptions a trigger on up to three events owns, their deliveries, and deleting them all. */
async function subscribeChecks(
  vendor: VendorDefinition,
  sandbox: Sandbox,
  client: SubscriptionClient,
  receiver: Receiver,
  allEvents: string[],
  options: Record<string, unknown>,
  appSecret: string | undefined,
  settleMs: number,
): Promise<void> {
  const perEvent = oneEventPerSubscription(vendor);
  const wanted = allEvents.slice(0, 3);
  const url = `${receiver.url}/each`;
  const subs = await client.subscribe({ url, events: wanted, options });
  const ids = subs.map((s) => s.id);
  must(subs.length === (perEvent ? wanted.length : 1), `subscribe created ${subs.length} subscription(s)`);
  if (perEvent)
    must(
      isDeepStrictEqual(
        subs.map((s) => s.events),
        wanted.map((e) => [e]),
      ),
      `the subscriptions carry ${JSON.stringify(subs.map((s) => s.events))}, not one event each`,
    );
  else must(isDeepStrictEqual([...subs[0]!.events].sort(), [...wanted].sort()), 'the subscription lacks some events');
  for (const [i, type] of wanted.entries()) {
    const before = receiver.received.length;
    sandbox.fire(vendor.id, type, { subscriptionId: perEvent ? ids[i]! : ids[0]! });
    must(await sandbox.settle(settleMs), 'the sandbox did not finish delivering');
    const got = receiver.received.slice(before).filter((r) => r.path === '/each');
    must(got.length === 1, `${type}: expected 1 delivery, got ${got.length}`);
    const secret = appSecret !== undefined && usesAppSecret(vendor) ? appSecret : subs[perEvent ? i : 0]!.secret;
    if (secret !== undefined) {
      const result = verifiedAt(vendor, got, '/each', secret)[0]!;
      must(result.ok && result.event.type === type, `${type} did not arrive verified with its subscription's secret`);
    }
  }
  if (perEvent && wanted.length >= 2 && !usesAppSecret(vendor)) {
    // Each subscription has its own secret: one's secret does not verify another's delivery.
    must(subs[0]!.secret !== subs[1]!.secret, 'two subscriptions share a secret');
  }
  const { deleted, failed } = await client.deleteEach(ids);
  must(
    failed.length === 0 && deleted.length === ids.length,
    `deleteEach failed for ${failed.map((f) => f.id).join(', ')}`,
  );
  for (const id of ids) must((await client.findById(id)) === undefined, `${id} still exists after deleteEach`);
}

/** A create failing part-way through subscribe: what was created is deleted, or named when that fails too. */
async function subscribeRollbackChecks(
  vendor: VendorDefinition,
  sandbox: Sandbox,
  client: SubscriptionClient,
  receiver: Receiver,
  allEvents: string[],
  options: Record<string, unknown>,
): Promise<void> {
  const wanted = allEvents.slice(0, 2);
  const remaining = async (path: string) =>
    sandbox.subscriptions().filter((s) => s.vendor === vendor.id && s.url === `${receiver.url}${path}`);
  try {
    // The second create fails for good: the first one is taken back.
    sandbox.setFaults({
      rules: [{ vendor: vendor.id, operation: 'create', fault: 'server-error', nth: 2, times: 20 }],
    });
    const error = await client
      .subscribe({ url: `${receiver.url}/atomic`, events: wanted, options })
      .catch((e: unknown) => e);
    must(error instanceof HookpackApiError, `expected the create failure, got ${String(error)}`);
    must(leftBehindOf(error).length === 0, `reported ${leftBehindOf(error).join(', ')} left behind, none should be`);
    const left = await remaining('/atomic');
    must(
      left.length === 0,
      `${left.length} subscription(s) left after a failed subscribe: ${left.map((s) => s.id).join(', ')}`,
    );

    // ...and when deleting fails too, the one left is named, never silently kept.
    sandbox.setFaults({
      rules: [
        { vendor: vendor.id, operation: 'create', fault: 'server-error', nth: 2, times: 20 },
        { vendor: vendor.id, operation: 'delete', fault: 'server-error', times: 20 },
      ],
    });
    const stuck = await client
      .subscribe({ url: `${receiver.url}/stuck`, events: wanted, options })
      .catch((e: unknown) => e);
    const named = leftBehindOf(stuck);
    const kept = (await remaining('/stuck')).map((s) => s.id);
    must(kept.length === 1, `expected the first subscription to be left behind, found ${kept.length}`);
    must(
      isDeepStrictEqual(named, kept),
      `the error names ${JSON.stringify(named)}, but ${JSON.stringify(kept)} were left`,
    );
    must((stuck as Error).message.includes(kept[0]!), 'the error message does not name the subscription left behind');
  } finally {
    sandbox.setFaults(null);
  }
  for (const sub of await remaining('/stuck')) await client.delete(sub.id);
}

async function manualHookChecks(
  vendor: VendorDefinition,
  sandbox: Sandbox,
  receiver: Receiver,
  check: Check,
  settleMs: number,
): Promise<void> {
  const events = vendor.events.map((e) => e.type);
  const pair = vendor.signature.scheme.publicKeyAlgorithm ? signingPair(vendor) : undefined;
  const shared = generateSecret({ length: 32, alphabet: 'alphanumeric' });
  await manualHandshakeChecks(vendor, sandbox, receiver, check, settleMs);
  const hook = await sandbox.saveHook({
    vendor: vendor.id,
    url: `${receiver.url}/manual`,
    events,
    secret: pair?.signWith ?? shared,
  });
  // A public-key vendor shows the public key for the user to paste; a shared secret is the same both ways.
  const secret = pair ? hook.publicKey! : shared;
  if (pair) must(hook.publicKey === pair.verifyWith, 'the hook shows another public key than its signing key has');
  for (const type of events)
    await check(`delivers ${type} to a hand-configured hook, signed with its secret`, async () => {
      const before = receiver.received.length;
      sandbox.fire(vendor.id, type, { subscriptionId: hook.id });
      must(await sandbox.settle(settleMs), 'the sandbox did not finish delivering');
      const results = verifiedAt(vendor, receiver.received.slice(before), '/manual', secret);
      must(results.length === 1 && results[0]!.ok, 'the delivery did not arrive verified');
    });
}

async function rateLimitCheck(vendor: VendorDefinition): Promise<void> {
  const sandbox = await startSandbox({ vendors: [vendor], rateLimits: true });
  try {
    const client = createSubscriptionClient(vendor, {
      ...sandboxAuth(sandbox, vendor),
      baseUrl: sandbox.baseUrl(vendor.id),
      retry: { maxAttempts: 1 },
    });
    const probe = () => (client.supports('me') ? client.me() : client.list());
    const limit = vendor.api!.rateLimit!.requests;
    for (let i = 0; i < limit; i++) await probe();
    const error = await probe().catch((e: unknown) => e);
    must(error instanceof RateLimitError, `request ${limit + 1} was not refused with 429`);
    must(error.retryAfterMs !== undefined && error.retryAfterMs > 0, 'the 429 carried no Retry-After');
  } finally {
    await sandbox.stop();
  }
}
