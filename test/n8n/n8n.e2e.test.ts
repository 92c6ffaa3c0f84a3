// End to end in a real n8n: the packed n8n-nodes-hookpack installed as a community package,
// the hookpack sandbox playing every vendor on loopback, one workflow per vendor.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSubscriptionClient,
  handshakeAnswerProblem,
  handshakeCall,
  newChallenge,
  oneEventPerSubscription,
  subscriptionGroups,
  usesAppSecret,
  type HandshakeCall,
  type VendorDefinition,
} from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { DEDUPE_CREDENTIAL, namesFor } from 'n8n-nodes-hookpack';
import { startSandbox, deliveryBody, deliveryHeaders, type Sandbox } from '@hookpack/sandbox';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { wrongSecret } from '../support/wrong-secret.js';
import { acmeVerified } from '../fixtures/acme-verified.js';
import { packVerifiedPackage, VERIFIED_PACKAGE } from '../support/verified-package.js';
import { packFixturePackage } from '../support/fixture-package.js';
import { parleyAppOnly } from '../fixtures/parley-app-only.js';
import {
  createTriggerWorkflow,
  DEFAULT_N8N_VERSION,
  ensureN8n,
  freePort,
  installCommunityPackage,
  installInfo,
  N8nRest,
  packNodesPackage,
  startN8n,
  // @ts-expect-error plain ESM harness, shared with the playground (npm start) and the n8n bench
} from '@hookpack/playground/n8n';

const INSTALL_TIMEOUT = 25 * 60_000;
const restVendors = vendors.filter((v) => v.api);
/** The package of test/fixtures/parley-app-only.ts: an API that takes client-credential tokens. */
const APP_ONLY_PACKAGE = 'n8n-nodes-parley-app-only';
const manualVendors = vendors.filter((v) => !v.api);

interface VendorSetup {
  vendor: VendorDefinition;
  workflowId: string;
  webhookId: string;
  productionUrl: string;
  events: string[];
  credential: { id: string; name: string; type: string; data: Record<string, unknown> };
}

let installError: Error | undefined;
let n8nDir = '';
let workDir = '';
let userFolder = '';
let port = 0;
let n8n: { url: string; stop(): Promise<void>; log(): string } | undefined;
let rest: N8nRest;
let sandbox: Sandbox;
const setups = new Map<string, VendorSetup>();
const timings: Record<string, number> = {};
const started = Date.now();

function chosenEvents(vendor: VendorDefinition): string[] {
  return vendor.events
    .filter((e) => !e.paid)
    .slice(0, 2)
    .map((e) => e.type);
}

/** How many subscriptions a trigger on `events` owns at the vendor: one, or one per event. */
function expectedSubscriptions(vendor: VendorDefinition, events = setups.get(vendor.id)!.events): number {
  return subscriptionGroups(vendor, events).length;
}

/** The secret the vendor signs this trigger's deliveries with: the subscription's, or the app's (Shopify). */
function signingSecretOf(vendor: VendorDefinition): string {
  return usesAppSecret(vendor) ? sandbox.appSecret(vendor.id) : sandbox.subscriptions(vendor.id)[0]!.secret!;
}

async function bootN8n() {
  const t = Date.now();
  n8n = await startN8n({ dir: n8nDir, userFolder, port });
  rest = new N8nRest(n8n.url);
  await rest.login();
  timings[`n8n start #${Object.keys(timings).length}`] = Date.now() - t;
}

/** A new workflow with the vendor's trigger on its chosen events (not yet active); `options`: the node's Options. */
async function triggerWorkflow(
  vendor: VendorDefinition,
  name: string,
  options?: Record<string, unknown>,
): Promise<VendorSetup> {
  const events = chosenEvents(vendor);
  const created = await createTriggerWorkflow(rest, {
    n8nUrl: n8n!.url,
    sandbox,
    vendor,
    events,
    name,
    signingSecret: `e2e-${vendor.id}-secret`,
    ...(options && { options }),
  });
  return { vendor, events, ...created };
}

/** Polls n8n until the workflow has `count` finished executions (bounded), then returns them. */
async function executionsOf(workflowId: string, count: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = await rest.executions(workflowId);
    const finished = list.filter((e: { status: string }) => e.status !== 'running' && e.status !== 'new');
    if (finished.length >= count || Date.now() > deadline) return finished;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function post(url: string, body: Buffer, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  try {
    const t = Date.now();
    n8nDir = await ensureN8n(process.env.HOOKPACK_N8N_VERSION);
    timings.install = Date.now() - t;
  } catch (e) {
    // CI machines are like the development machines: there, a failed install is a failure.
    if (process.env.CI) throw e;
    installError = e as Error;
    console.warn(`\n[n8n e2e] SKIPPED: n8n could not be installed on this machine:\n${installError.message}\n`);
    return;
  }
  workDir = mkdtempSync(join(tmpdir(), 'hookpack-n8n-e2e-'));
  userFolder = join(workDir, 'user');
  const tarball = packNodesPackage(join(workDir, 'pack'));
  // Beside it, a package built from the fixture vendor whose URL is verified while create waits
  // (Graph-style): the real node answering a handshake during activation.
  installCommunityPackage(
    userFolder,
    tarball,
    await packVerifiedPackage(workDir),
    await packFixturePackage(workDir, 'parley-app-only.ts', APP_ONLY_PACKAGE),
  );
  sandbox = await startSandbox({ timeScale: 0.001, vendors: [...vendors, acmeVerified, parleyAppOnly] });
  port = await freePort();
  await bootN8n();

  for (const vendor of vendors) {
    const setup = await triggerWorkflow(vendor, `hookpack e2e: ${vendor.displayName}`);
    setups.set(vendor.id, setup);
    await rest.activate(setup.workflowId);
  }
  // n8n 2.x registers webhooks after answering the activate call: wait (bounded) until every
  // REST vendor has seen its create before the tests look at the vendor side.
  await until(() => restVendors.every((v) => sandbox.subscriptions(v.id).length >= expectedSubscriptions(v)));
}, INSTALL_TIMEOUT);

/**
 * True when a vendor's deliveries carry nothing that tells two events apart — no event id in
 * the envelope, no stable delivery id — so only their bytes do (the dedupe key is the body's
 * digest). Read from the vendor's own envelope builder, no vendor named.
 */
function identifiedByBodyOnly(vendor: VendorDefinition): boolean {
  const probe = 'evt_identity_probe';
  const event = vendor.events[0]!;
  const body = JSON.stringify(
    vendor.envelope.build({
      id: probe,
      type: event.type,
      createdAt: new Date().toISOString(),
      data: event.sample,
      livemode: false,
    }),
  );
  return !body.includes(probe) && !(vendor.delivery.deliveryIdHeader && vendor.delivery.deliveryIdIsStable);
}

const FIRE_MARK = 'hookpack_e2e_event';
let fireCount = 0;
/**
 * sandbox.fire; for vendors identified by body only, each event gets its own data (the sample
 * plus a counter) — a real vendor's events differ, but the same sample fired twice would be one
 * redelivery.
 */
function fireEvent(vendorId: string, type: string, options: Parameters<Sandbox['fire']>[2] = {}) {
  const vendor = vendors.find((v) => v.id === vendorId)!;
  if (!identifiedByBodyOnly(vendor)) return sandbox.fire(vendorId, type, options);
  const sample = vendor.events.find((e) => e.type === type)!.sample;
  return sandbox.fire(vendorId, type, { ...options, data: { ...sample, [FIRE_MARK]: ++fireCount } });
}

/** Fires one event at the vendor and expects it delivered and run exactly once more. */
async function expectDeliveryRuns(vendor: VendorDefinition) {
  const { workflowId, events } = setups.get(vendor.id)!;
  const count = (await rest.executions(workflowId)).length;
  const fired = fireEvent(vendor.id, events[0]!);
  expect(await sandbox.settle()).toBe(true);
  const records = sandbox.deliveries({ eventId: fired.eventId });
  expect(
    records.map((d) => d.state),
    `${vendor.id}: ${JSON.stringify(records)}`,
  ).toEqual(['delivered']);
  expect(await executionsOf(workflowId, count + 1)).toHaveLength(count + 1);
}

function n8nMajor(): number {
  return Number((process.env.HOOKPACK_N8N_VERSION ?? DEFAULT_N8N_VERSION).split('.')[0]);
}

/** Waits (at most one window) until the vendor's rate-limit window has room for `calls` more API calls. */
async function roomInRateLimit(vendor: VendorDefinition, calls: number) {
  const limit = vendor.api?.rateLimit;
  if (!limit) return;
  const windowMs = limit.perSeconds * 1000;
  const inWindow = () => sandbox.requests(vendor.id).filter((r) => Date.parse(r.at) > Date.now() - windowMs).length;
  await until(() => inWindow() + calls <= limit.requests, windowMs + 1000);
}

async function until(done: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
}

afterAll(async () => {
  await n8n?.stop();
  await sandbox?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  const info = n8nDir ? installInfo(n8nDir) : undefined;
  console.log(
    `[n8n e2e] n8n ${info ? `installed in ${info.totalSeconds}s (first run)` : 'install info missing'}; this run: ` +
      `${Object.entries(timings)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
        .join(', ')}; wall ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
}, 60_000);

const e2e = (name: string, fn: () => Promise<void>, timeoutMs = 120_000) =>
  it(
    name,
    async (ctx) => {
      if (installError) ctx.skip();
      await fn();
    },
    timeoutMs,
  );

describe('n8n type names', () => {
  // Credential type names are global in n8n; a package whose credential shares a name with one of
  // n8n's own (openAiApi, slackApi, …) replaces it, and n8n's built-in nodes then get hookpack's.
  e2e("every credential type is known once: hookpack's never replace n8n's own", async () => {
    const res = await fetch(`${rest.url}/types/credentials.json`, { headers: { cookie: rest.cookie } });
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { name: string }[]).map((c) => c.name);
    const ours = vendors.map((v) => namesFor(v).credentialName);
    for (const name of ours)
      expect(
        names.filter((n) => n === name),
        name,
      ).toHaveLength(1);
    // Several hookpack-built packages are installed here (n8n-nodes-hookpack and the fixtures'): each
    // ships the same Redis dedupe credential, by design one type that every package's triggers use.
    expect([...new Set(names.filter((n, i) => names.indexOf(n) !== i))]).toEqual([DEDUPE_CREDENTIAL.name]);
  });
});

describe.each(restVendors.map((v) => [v.id]))('%s in a real n8n', (vendorId) => {
  const setup = () => setups.get(vendorId)!;

  e2e(
    'activation registered one subscription (one per event where the vendor wants that) with the production URL and chosen events',
    async () => {
      const { vendor, productionUrl, events, workflowId } = setup();
      const subs = sandbox.subscriptions(vendorId);
      expect(subs).toHaveLength(expectedSubscriptions(vendor));
      for (const sub of subs) {
        expect(sub.url).toBe(productionUrl);
        expect(sub.active).toBe(true);
      }
      const carried = subs.map((s) => [...s.events].sort());
      if (oneEventPerSubscription(vendor)) {
        // A trigger on k events owns k subscriptions, one event each, and its state says which is which.
        expect(events.length).toBeGreaterThan(1);
        expect(carried.sort()).toEqual(events.map((e) => [e]).sort());
        const stored = (await rest.getWorkflow(workflowId)).staticData;
        const entries = Object.values(stored ?? {}).flatMap((node: any) => {
          const production = node?.subscriptions?.production;
          return production === undefined ? [] : Array.isArray(production) ? production : [production];
        });
        expect(entries.map((e: any) => [e.id, e.events]).sort()).toEqual(subs.map((s) => [s.id, s.events]).sort());
      } else expect(carried).toEqual([[...events].sort()]);
    },
  );

  e2e(
    'the workflow as n8n exports it holds no signing secret (sealed with the credential, or the app secret only in the credential)',
    async () => {
      const { workflowId, vendor } = setup();
      const secret = signingSecretOf(vendor);
      expect(secret.length).toBeGreaterThan(8);
      const exported = JSON.stringify(await rest.getWorkflow(workflowId));
      expect(exported).toContain(sandbox.subscriptions(vendorId)[0]!.id);
      expect(exported).not.toContain(secret);
      // Not even a recognisable part of it.
      expect(exported).not.toContain(secret.slice(-12));
    },
  );

  e2e("n8n's credential test passes with the sandbox key and fails with a wrong one", async () => {
    const { credential } = setup();
    const ok = await rest.request('POST', '/credentials/test', { credentials: credential });
    expect(ok).toMatchObject({ status: 'OK' });
    const wrong = await rest.request('POST', '/credentials/test', {
      credentials: { ...credential, data: { ...credential.data, apiKey: 'wrong-key' } },
    });
    expect(wrong.status).toBe('Error');
  });

  e2e('a fired event runs the workflow exactly once, with the event in its output', async () => {
    const { vendor, workflowId, events } = setup();
    const fired = fireEvent(vendorId, events[0]!);
    expect(await sandbox.settle()).toBe(true);
    const deliveries = sandbox.deliveries({ eventId: fired.eventId });
    expect(deliveries.map((d) => d.state)).toEqual(['delivered']);
    const executions = await executionsOf(workflowId, 1);
    expect(executions).toHaveLength(1);
    expect(executions[0].status).toBe('success');
    const detail = await rest.executionData(executions[0].id);
    // The event's id: the envelope id, or the delivery id for vendors whose envelope has none.
    // (Vendors identified by body only: the event's own data.)
    const ids = [fired.eventId, ...deliveries[0]!.attempts.map((a) => a.deliveryId)];
    if (identifiedByBodyOnly(vendor)) expect(detail.data).toContain(FIRE_MARK);
    else expect(ids.some((id) => detail.data.includes(`"${id}"`))).toBe(true);
    expect(detail.data).toContain(events[0]);
  });

  e2e('a forged delivery gets 401 and no execution', async () => {
    const { vendor, workflowId, productionUrl, events } = setup();
    const before = (await rest.executions(workflowId)).length;
    const body = deliveryBody(vendor, {
      id: `evt_forged_${Date.now()}`,
      type: events[0]!,
      createdAt: new Date().toISOString(),
      data: vendor.events.find((e) => e.type === events[0])!.sample,
      livemode: false,
    });
    const headers = deliveryHeaders(vendor, {
      body,
      type: events[0]!,
      secret: wrongSecret(vendor),
      deliveryId: randomUUID(),
    });
    const res = await post(productionUrl, body, headers);
    expect(res.status).toBe(401);
    expect((await rest.executions(workflowId)).length).toBe(before);
  });

  e2e('a redelivery of the same event adds no execution', async () => {
    const { vendor, workflowId, productionUrl, events } = setup();
    const secret = signingSecretOf(vendor);
    const before = (await executionsOf(workflowId, 1)).length;
    const body = deliveryBody(vendor, {
      id: `evt_redeliver_${Date.now()}`,
      type: events[0]!,
      createdAt: new Date().toISOString(),
      data: vendor.events.find((e) => e.type === events[0])!.sample,
      livemode: false,
    });
    const headers = deliveryHeaders(vendor, { body, type: events[0]!, secret, deliveryId: randomUUID() });
    expect((await post(productionUrl, body, headers)).status).toBe(200);
    expect(await executionsOf(workflowId, before + 1)).toHaveLength(before + 1);
    expect((await post(productionUrl, body, headers)).status).toBe(200);
    // The duplicate was answered without starting a run, so none can still be on its way.
    expect((await rest.executions(workflowId)).length).toBe(before + 1);
  });
});

/** The newest execution's data (n8n's serialized run data), for what its items carried. */
async function newestExecutionData(workflowId: string): Promise<string> {
  const list = await rest.executions(workflowId);
  const newest = [...list].sort((a: { id: string }, b: { id: string }) => Number(b.id) - Number(a.id))[0];
  return (await rest.executionData(newest.id)).data as string;
}

const batchVendors = restVendors.filter((v) => v.envelope.batch);
describe.each(batchVendors.map((v) => [v.id]))('%s: batched deliveries in a real n8n', (vendorId) => {
  e2e(
    'a batch runs once with one item per event; a partly overlapping redelivery runs only the new events',
    async () => {
      const { vendor, workflowId, productionUrl, events } = setups.get(vendorId)!;
      const sub = sandbox.subscriptions(vendorId).find((s) => s.url === productionUrl)!;
      const tag = `batch${Date.now()}`;
      const sample = vendor.events.find((e) => e.type === events[0])!.sample;
      const event = (n: number) => ({
        id: `evt_${tag}_${n}`,
        type: events[0]!,
        createdAt: new Date().toISOString(),
        data: { ...sample, [FIRE_MARK]: `${tag}_${n}` },
        livemode: false,
      });
      // Signed as the vendor signs a batch: one signature over the whole array.
      const send = (list: ReturnType<typeof event>[]) => {
        const body = deliveryBody(vendor, list);
        return post(
          productionUrl,
          body,
          deliveryHeaders(vendor, { body, type: events[0]!, secret: sub.secret!, deliveryId: randomUUID() }),
        );
      };
      const before = (await rest.executions(workflowId)).length;
      expect((await send([event(1), event(2), event(3)])).status).toBe(200);
      expect(await executionsOf(workflowId, before + 1)).toHaveLength(before + 1);
      const first = await newestExecutionData(workflowId);
      for (const n of [1, 2, 3]) expect(first).toContain(`${tag}_${n}`);

      expect((await send([event(2), event(3), event(4)])).status).toBe(200);
      expect(await executionsOf(workflowId, before + 2)).toHaveLength(before + 2);
      const second = await newestExecutionData(workflowId);
      expect(second).toContain(`${tag}_4`);
      for (const n of [2, 3]) expect(second).not.toContain(`${tag}_${n}`);

      // Only old events: answered as a duplicate, no execution.
      expect((await send([event(4), event(1)])).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect((await rest.executions(workflowId)).length).toBe(before + 2);
    },
  );
});

const keyVendors = restVendors.filter((v) => v.signature.publicKey?.source === 'api');
describe.each(keyVendors.map((v) => [v.id]))('%s: public-key signatures in a real n8n', (vendorId) => {
  e2e('after the vendor replaces its key, the first failing delivery fetches the key once and runs', async () => {
    const { vendor, workflowId, productionUrl, events } = setups.get(vendorId)!;
    const sub = sandbox.subscriptions(vendorId).find((s) => s.url === productionUrl)!;
    const endpoint = vendor.api!.endpoints.publicKey!;
    const keyPath = endpoint.path.replace('{id}', encodeURIComponent(sub.id));
    const keyReads = () =>
      sandbox.requests(vendorId).filter((r) => r.method === endpoint.method && r.path.endsWith(keyPath)).length;
    const oldSigningKey = sub.secret!;
    const readsBefore = keyReads();
    const count = (await rest.executions(workflowId)).length;

    sandbox.rotateSigningKey(sub.id);
    const fired = fireEvent(vendorId, events[0]!);
    expect(await sandbox.settle()).toBe(true);
    const records = sandbox.deliveries({ eventId: fired.eventId });
    // Delivered at the first attempt: the trigger fetched the new key instead of refusing.
    expect(
      records.map((d) => [d.state, d.attempts.length]),
      JSON.stringify(records),
    ).toEqual([['delivered', 1]]);
    expect(await executionsOf(workflowId, count + 1)).toHaveLength(count + 1);
    expect(keyReads()).toBe(readsBefore + 1);

    // Cached from now on: the next delivery needs no fetch.
    await expectDeliveryRuns(vendor);
    expect(keyReads()).toBe(readsBefore + 1);

    // Signed with the replaced key: refused, nothing runs.
    const body = deliveryBody(vendor, {
      id: `evt_oldkey_${Date.now()}`,
      type: events[0]!,
      createdAt: new Date().toISOString(),
      data: vendor.events.find((e) => e.type === events[0])!.sample,
      livemode: false,
    });
    const headers = deliveryHeaders(vendor, {
      body,
      type: events[0]!,
      secret: oldSigningKey,
      deliveryId: randomUUID(),
    });
    expect((await post(productionUrl, body, headers)).status).toBe(401);
    expect((await rest.executions(workflowId)).length).toBe(count + 2);
  });
});

describe.each(manualVendors.map((v) => [v.id]))('%s (hand-configured URL + secret) in a real n8n', (vendorId) => {
  const setup = () => setups.get(vendorId)!;

  e2e('a delivery signed with the configured secret runs the workflow once; a forged one gets 401', async () => {
    const { vendor, workflowId, productionUrl, events } = setup();
    await sandbox.saveHook({ vendor: vendorId, url: productionUrl, events, secret: `e2e-${vendorId}-secret` });
    const fired = fireEvent(vendorId, events[0]!);
    expect(await sandbox.settle()).toBe(true);
    expect(sandbox.deliveries({ eventId: fired.eventId }).map((d) => d.state)).toEqual(['delivered']);
    const executions = await executionsOf(workflowId, 1);
    expect(executions).toHaveLength(1);
    expect(executions[0].status).toBe('success');

    const body = deliveryBody(vendor, {
      id: 'x',
      type: events[0]!,
      createdAt: new Date().toISOString(),
      data: vendor.events[0]!.sample,
      livemode: false,
    });
    const forged = await post(
      productionUrl,
      body,
      deliveryHeaders(vendor, { body, type: events[0]!, secret: wrongSecret(vendor), deliveryId: randomUUID() }),
    );
    expect(forged.status).toBe(401);
    expect((await rest.executions(workflowId)).length).toBe(1);
  });
});

/** Sends a vendor's verification request (core's handshakeCall) to `url`; the answer as the vendor reads it. */
async function sendHandshake(url: string, call: HandshakeCall) {
  const target = new URL(url);
  for (const [k, v] of Object.entries(call.query)) target.searchParams.set(k, v);
  const res = await fetch(target, {
    method: call.method,
    headers: call.headers,
    ...(call.method === 'GET' ? {} : { body: call.body }),
  });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

/** The vendor's verification request with its marker but without the challenge, signed as declared. */
function withoutChallenge(vendor: VendorDefinition, secret: string): HandshakeCall {
  const handshake = vendor.handshake!;
  const call = handshakeCall(vendor, { challenge: 'unused', secret });
  if (handshake.challenge.in === 'query') {
    const query = { ...call.query };
    delete query[handshake.challenge.name];
    return { ...call, query };
  }
  const doc = JSON.parse(call.body) as Record<string, unknown>;
  delete doc[handshake.challenge.name];
  const body = JSON.stringify(doc);
  const signature = handshake.signed ? vendor.signature.scheme.sign({ body, secret }) : {};
  return { ...call, body, headers: { ...call.headers, ...signature } };
}

/**
 * Vendors without an API that verify the URL when the user saves it (Slack's Request URL): the
 * vendor's signed verification request gets the challenge back and runs nothing; one signed with
 * another secret gets 401, one without its challenge 400, and neither runs anything either.
 */
const verifyingManualVendors = manualVendors.filter((v) => v.handshake);
describe.each(verifyingManualVendors.map((v) => [v.id]))('%s: URL verification in a real n8n', (vendorId) => {
  e2e(
    'saving the URL: the signed handshake is answered, a forged one gets 401 and a malformed one 400, none runs; then an event runs once',
    async () => {
      const { vendor, workflowId, productionUrl, events } = setups.get(vendorId)!;
      const handshake = vendor.handshake!;
      const secret = `e2e-${vendorId}-secret`;
      const before = (await rest.executions(workflowId)).length;
      // The sandbox saves the hook only once n8n answered its verification request as the vendor expects.
      const hook = await sandbox.saveHook({ vendor: vendorId, url: productionUrl, events, secret });
      expect(hook.handshake?.ok).toBe(true);

      const challenge = newChallenge();
      const answered = await sendHandshake(productionUrl, handshakeCall(vendor, { challenge, secret }));
      expect(handshakeAnswerProblem(vendor, challenge, answered)).toBeUndefined();
      expect(answered.contentType).toMatch(handshake.answer.format === 'json' ? /^application\/json/ : /^text\/plain/);
      const forged = handshakeCall(vendor, { challenge: newChallenge(), secret: wrongSecret(vendor) });
      expect((await sendHandshake(productionUrl, forged)).status).toBe(401);
      expect((await sendHandshake(productionUrl, withoutChallenge(vendor, secret))).status).toBe(400);
      // Every answer above came back without starting a run, so none can still be on its way.
      expect((await rest.executions(workflowId)).length).toBe(before);

      const fired = sandbox.fire(vendorId, events[0]!, { subscriptionId: hook.id });
      expect(await sandbox.settle()).toBe(true);
      expect(sandbox.deliveries({ eventId: fired.eventId }).map((d) => d.state)).toEqual(['delivered']);
      expect(await executionsOf(workflowId, before + 1)).toHaveLength(before + 1);
      sandbox.removeHook(hook.id);
    },
  );
});

/**
 * "A handshake answered during activation": the fixture vendor (Graph-style validationToken, see
 * test/fixtures/acme-verified.ts) calls the production URL while its create request waits, and
 * answers create only once the URL echoed the token. n8n stores the webhook before it runs the
 * trigger's create, so the real node answers the request from inside activation.
 */
describe('a handshake answered during activation (test/fixtures/acme-verified.ts) in a real n8n', () => {
  e2e(
    'activation: n8n answers the verification while create waits, create succeeds after it, nothing runs; then an event runs once',
    async () => {
      const vendor = acmeVerified;
      const created = await fixtureWorkflow(vendor, VERIFIED_PACKAGE, 'handshake during create');
      await rest.activate(created.workflowId);
      await until(() => sandbox.subscriptions(vendor.id).length === 1);
      const subs = sandbox.subscriptions(vendor.id);
      expect(subs, `n8n log:\n${n8n!.log().slice(-3000)}`).toHaveLength(1);
      const sub = subs[0]!;
      expect(sub).toMatchObject({ url: created.productionUrl, active: true, handshake: { ok: true } });
      // The one create call answered after the handshake's outcome was in (the log entry is written
      // when the answer is finished): the sandbox, as the vendor, held create until n8n answered.
      const createPath = vendor.api!.endpoints.create!.path;
      const creates = sandbox.requests(vendor.id).filter((r) => r.method === 'POST' && r.path === createPath);
      expect(creates.map((r) => r.status)).toEqual([201]);
      expect(Date.parse(sub.handshake!.at)).toBeLessThanOrEqual(Date.parse(creates[0]!.at));
      expect(n8n!.log()).toContain(`answered ${vendor.displayName}'s URL verification (no execution)`);
      expect(await rest.executions(created.workflowId)).toHaveLength(0);

      console.log(
        `[n8n e2e] ${vendor.id} on n8n ${n8nMajor()}.x: handshake answered during activation ` +
          `(${sub.handshake!.at}), create answered ${creates[0]!.at}`,
      );
      await deliverOnceThenUnpublish(vendor, created.workflowId);
    },
  );
});

/** A workflow (not yet active) with the trigger of a fixture vendor from its own package, on its first event. */
function fixtureWorkflow(vendor: VendorDefinition, packageName: string, purpose: string) {
  return createTriggerWorkflow(rest, {
    n8nUrl: n8n!.url,
    sandbox,
    vendor,
    events: [vendor.events[0]!.type],
    name: `hookpack e2e: ${vendor.displayName} (${purpose})`,
    packageName,
  });
}

/** One event through the fixture's subscription runs once; then unpublishing deletes the subscription. */
async function deliverOnceThenUnpublish(vendor: VendorDefinition, workflowId: string) {
  const fired = sandbox.fire(vendor.id, vendor.events[0]!.type);
  expect(await sandbox.settle()).toBe(true);
  expect(sandbox.deliveries({ eventId: fired.eventId }).map((d) => d.state)).toEqual(['delivered']);
  expect(await executionsOf(workflowId, 1)).toHaveLength(1);
  await rest.deactivate(workflowId);
  await until(() => sandbox.subscriptions(vendor.id).length === 0, 10_000);
  expect(sandbox.subscriptions(vendor.id)).toEqual([]);
}

/**
 * A vendor whose API takes OAuth 2.0 client-credential tokens (test/fixtures/parley-app-only.ts,
 * Graph app-only style), built into its own package: the node gets a token from the sandbox's
 * token endpoint with the credential's client id and secret, and uses it for every call.
 */
describe('client credentials (test/fixtures/parley-app-only.ts) in a real n8n', () => {
  e2e(
    "n8n's credential test goes through the node; activation, an event and deactivation work on app tokens",
    async () => {
      const vendor = parleyAppOnly;
      const created = await fixtureWorkflow(vendor, APP_ONLY_PACKAGE, 'client credentials');
      const { credential } = created;
      const ok = await rest.request('POST', '/credentials/test', { credentials: credential });
      expect(ok).toMatchObject({ status: 'OK' });
      const wrong = await rest.request('POST', '/credentials/test', {
        credentials: { ...credential, data: { ...credential.data, clientSecret: 'not-the-secret' } },
      });
      expect(wrong.status).toBe('Error');
      expect(wrong.message).toContain("refused the app's client credentials (401: invalid_client");
      expect(wrong.message).not.toContain('not-the-secret');

      await rest.activate(created.workflowId);
      await until(() => sandbox.subscriptions(vendor.id).length === 1);
      expect(sandbox.subscriptions(vendor.id)).toMatchObject([{ url: created.productionUrl, active: true }]);
      const tokenPath = (p: string) => p.endsWith('/oauth2/v2.0/token');
      const calls = sandbox.requests(vendor.id);
      expect(calls.filter((r) => tokenPath(r.path) && r.status === 200).length).toBeGreaterThanOrEqual(1);
      // Every API call carried a token the sandbox had issued: none was refused.
      expect(calls.filter((r) => !tokenPath(r.path) && r.status === 401)).toEqual([]);

      await deliverOnceThenUnpublish(vendor, created.workflowId);
    },
  );
});

describe('"Listen for test event" in a real n8n', () => {
  e2e('registers the /webhook-test/ URL, delivers one event, then n8n removes the test subscription', async () => {
    const vendor = restVendors[0]!;
    const events = chosenEvents(vendor);
    // A workflow of its own, never activated, so the per-vendor workflows above keep their counts.
    const created = await createTriggerWorkflow(rest, {
      n8nUrl: n8n!.url,
      sandbox,
      vendor,
      events,
      name: `hookpack e2e: ${vendor.displayName} (test webhook)`,
      signingSecret: `e2e-${vendor.id}-secret`,
    });
    const testUrl = `${n8n!.url}/webhook-test/${created.webhookId}/webhook`;
    const productionBefore = restVendors.map((v) => sandbox.subscriptions(v.id).filter((s) => s.url !== testUrl));
    const withTestUrl = () => sandbox.subscriptions(vendor.id).filter((s) => s.url === testUrl);

    const trigger = (await rest.getWorkflow(created.workflowId)).nodes[0].name as string;
    try {
      expect(await rest.runManually(created.workflowId, trigger)).toEqual({ waitingForWebhook: true });
      const subs = withTestUrl();
      expect(subs, `n8n log:\n${n8n!.log().slice(-3000)}`).toHaveLength(1);
      expect([...subs[0]!.events].sort()).toEqual([...events].sort());
      expect(subs[0]!.active).toBe(true);

      const fired = fireEvent(vendor.id, events[0]!, { subscriptionId: subs[0]!.id });
      expect(await sandbox.settle()).toBe(true);
      const records = sandbox.deliveries({ eventId: fired.eventId });
      expect(records.map((d) => [d.url, d.state])).toEqual([[testUrl, 'delivered']]);
      const executions = await executionsOf(created.workflowId, 1);
      expect(executions.map((e: { mode: string }) => e.mode)).toEqual(['manual']);

      // One test delivery ends the listening: n8n calls the node's delete for the test webhook.
      await until(() => withTestUrl().length === 0, 15_000);
      expect(withTestUrl(), `n8n log:\n${n8n!.log().slice(-3000)}`).toEqual([]);
    } finally {
      // Leaves nothing listening if an assertion above failed before n8n cleaned up.
      await rest.stopTestWebhook(created.workflowId).catch(() => undefined);
    }
    expect(restVendors.map((v) => sandbox.subscriptions(v.id).filter((s) => s.url !== testUrl))).toEqual(
      productionBefore,
    );
  });
});

/**
 * Copies of an active workflow: an import of its JSON (same webhook id, and through the REST API
 * the same static data: the original's subscription id and secret) and a paste of its trigger
 * (same webhook id, no static data). n8n refuses to activate either while the original holds
 * the path (1.x after calling the copy's delete, 2.x before any vendor call); whatever it does,
 * the original's subscription must survive and keep delivering.
 */
describe.each(restVendors.map((v) => [v.id]))('%s: copies of an active workflow', (vendorId) => {
  e2e(
    "activating, archiving and deleting an imported or pasted copy leaves the original's subscription alone",
    async () => {
      const { vendor, workflowId } = setups.get(vendorId)!;
      const original = await rest.getWorkflow(workflowId);
      const before = sandbox.subscriptions(vendorId).map((s) => s.id);
      const own = expectedSubscriptions(vendor);
      expect(before).toHaveLength(own);
      const [node] = original.nodes;
      const copies = {
        imported: await rest.createWorkflow({
          name: `${original.name} (imported copy)`,
          active: false,
          nodes: original.nodes,
          connections: original.connections,
          settings: original.settings,
          staticData: original.staticData,
        }),
        pasted: await rest.createWorkflow({
          name: `${original.name} (pasted copy)`,
          active: false,
          nodes: [{ ...node, id: randomUUID(), position: [200, 0] }],
          connections: {},
          settings: original.settings,
        }),
      };
      if (n8nMajor() === 1) expect(JSON.stringify(copies.imported.staticData ?? {})).toContain(before[0]);
      const logStart = sandbox.requests(vendorId).length;
      const outcome: Record<string, string> = {};
      for (const [kind, copy] of Object.entries(copies)) {
        try {
          await rest.activate(copy.id);
          outcome[kind] = 'activated';
        } catch (e) {
          outcome[kind] = `refused: ${(e as Error).message.slice(0, 160)}`;
        }
      }
      // n8n 2.x may go on after answering: give it the time a vendor call would take.
      await new Promise((r) => setTimeout(r, 1500));
      const during = sandbox.requests(vendorId).slice(logStart);
      console.log(
        `[n8n e2e] ${vendorId} on n8n ${n8nMajor()}.x, copies: ${JSON.stringify(outcome)}; vendor requests meanwhile: ` +
          (during.map((r) => `${r.method} ${r.path} → ${r.status}`).join(', ') || 'none'),
      );
      expect(during.filter((r) => r.method === 'DELETE')).toEqual([]);
      expect(sandbox.subscriptions(vendorId).map((s) => s.id)).toEqual(expect.arrayContaining(before));
      // A copy that did activate has a subscription of its own (never the original's).
      const activated = Object.values(outcome).filter((o) => o === 'activated').length;
      expect(sandbox.subscriptions(vendorId)).toHaveLength(own * (1 + activated));

      // The original keeps delivering: one execution per event there, none in the copies.
      await expectDeliveryRuns(vendor);
      for (const copy of Object.values(copies)) expect(await rest.executions(copy.id)).toHaveLength(0);

      // Deactivating, archiving and deleting the copies leaves the original's subscription alone.
      for (const copy of Object.values(copies)) {
        await rest.deactivate(copy.id).catch(() => undefined);
        await rest.request('POST', `/workflows/${copy.id}/archive`, {}).catch(() => undefined);
        await rest.request('DELETE', `/workflows/${copy.id}`);
      }
      await new Promise((r) => setTimeout(r, 1000));
      expect(
        sandbox
          .subscriptions(vendorId)
          .map((s) => s.id)
          .sort(),
      ).toEqual([...before].sort());
      const originalDeletes = sandbox
        .requests(vendorId)
        .slice(logStart)
        .filter((r) => r.method === 'DELETE' && before.some((id) => r.path.includes(encodeURIComponent(id))));
      expect(originalDeletes).toEqual([]);
      await expectDeliveryRuns(vendor);
    },
  );
});

/** Create calls the vendor received (method and path of its create endpoint). */
function createCalls(vendor: VendorDefinition): number {
  const create = vendor.api!.endpoints.create!;
  return sandbox
    .requests(vendor.id)
    .filter((r) => r.method === create.method && r.path.split('?')[0]!.endsWith(create.path)).length;
}

/**
 * Measured on 2.41 before the budget: about 15 creates in 30 s against a vendor that keeps
 * answering 429 (n8n's 5 activation attempts × the client's own retries).
 */
describe.each(restVendors.map((v) => [v.id]))('%s: a vendor that keeps answering 429 during activation', (vendorId) => {
  e2e("activation spends at most 6 refused creates over n8n's attempts and says how long to wait", async () => {
    const vendor = setups.get(vendorId)!.vendor;
    const setup = await triggerWorkflow(vendor, `hookpack e2e: ${vendor.displayName} (429)`);
    sandbox.setFaults({
      rules: [{ vendor: vendorId, operation: 'create', fault: 'rate-limit', retryAfterSeconds: 0, probability: 1 }],
    });
    try {
      const before = createCalls(vendor);
      const t = Date.now();
      let message = '';
      await rest.activate(setup.workflowId).catch((e: Error) => (message = e.message));
      if (n8nMajor() >= 2) {
        // 2.x publishes in the background: wait (bounded) for the trigger's final error.
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          const status = await rest.request('GET', `/workflows/${setup.workflowId}/publication-status`);
          const error = status.triggers?.map((x: { errorMessage: string | null }) => x.errorMessage).find(Boolean);
          if (status.status !== 'in_progress' && error) {
            message = error;
            break;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      const creates = createCalls(vendor) - before;
      console.log(
        `[n8n e2e] ${vendorId} on n8n ${n8nMajor()}.x, vendor always 429 (Retry-After 0): ${creates} creates in ` +
          `${((Date.now() - t) / 1000).toFixed(1)} s; error: ${message}`,
      );
      expect(creates).toBeGreaterThan(0);
      expect(creates).toBeLessThanOrEqual(6);
      expect(message).toContain(`${vendor.displayName}`);
      expect(message).toContain('(429)');
      expect(message).toMatch(/[Tt]ry again/);
      expect(sandbox.subscriptions(vendorId).filter((s) => s.url === setup.productionUrl)).toEqual([]);
    } finally {
      sandbox.setFaults(null);
      await rest.deactivate(setup.workflowId).catch(() => undefined);
      await rest.request('POST', `/workflows/${setup.workflowId}/archive`, {}).catch(() => undefined);
      await rest.request('DELETE', `/workflows/${setup.workflowId}`).catch(() => undefined);
    }
  });
});

/**
 * The shared redelivery check in Redis (issue: "Remember Deliveries Across Restarts" did nothing
 * on n8n 2.x): E1, E1 redelivered, restart, E1 again, E2 → exactly 2 executions, on both lines,
 * with the subscription's stored id and secret never rewritten.
 */
describe('redelivery check in Redis, across an n8n restart', () => {
  let redis: RedisServer | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  e2e('E1, E1 again, restart, E1 again, E2: two executions; static data never rewritten', async () => {
    const vendor = restVendors[0]!;
    const events = chosenEvents(vendor);
    redis = await startRedisServer();
    const credential = await rest.createCredential('Redelivery check (e2e)', 'hookpackRedis', {
      host: '127.0.0.1',
      port: redis.port,
      database: 0,
    });
    // n8n's own credential test runs the node's Redis check: OK, and on a wrong port the server and the error.
    const tested = (data: Record<string, unknown>) =>
      rest.request('POST', '/credentials/test', {
        credentials: { id: credential.id, name: credential.name, type: 'hookpackRedis', data },
      });
    expect(await tested({ host: '127.0.0.1', port: redis.port, database: 0 })).toMatchObject({ status: 'OK' });
    const closedPort = await freePort();
    const failed = await tested({ host: '127.0.0.1', port: closedPort, database: 0 });
    expect(failed.status).toBe('Error');
    expect(failed.message).toContain(`127.0.0.1:${closedPort}`);
    expect(failed.message).toContain('ECONNREFUSED');
    const created = await createTriggerWorkflow(rest, {
      n8nUrl: n8n!.url,
      sandbox,
      vendor,
      events,
      name: `hookpack e2e: ${vendor.displayName} (Redis redelivery check)`,
      signingSecret: 'unused',
      dedupe: { credential },
    });
    const others = sandbox.subscriptions(vendor.id).map((s) => s.id);
    await rest.activate(created.workflowId);
    await until(() => sandbox.subscriptions(vendor.id).some((s) => !others.includes(s.id)));
    const sub = sandbox.subscriptions(vendor.id).find((s) => !others.includes(s.id))!;
    const staticBefore = JSON.stringify((await rest.getWorkflow(created.workflowId)).staticData);
    expect(staticBefore).toContain(sub.id);

    const body = (id: string) =>
      deliveryBody(vendor, {
        id,
        type: events[0]!,
        createdAt: new Date().toISOString(),
        data: vendor.events.find((e) => e.type === events[0])!.sample,
        livemode: false,
      });
    const e1 = body(`evt_redis_${Date.now()}_1`);
    const e2 = body(`evt_redis_${Date.now()}_2`);
    // A redelivery: the same body, signed again, with the delivery id the vendor would send.
    const send = (b: Buffer, deliveryId: string) =>
      post(
        created.productionUrl,
        b,
        deliveryHeaders(vendor, { body: b, type: events[0]!, secret: sub.secret!, deliveryId }),
      );
    const stableId = `dlv_${randomUUID()}`;
    const redeliveryId = () => (vendor.delivery.deliveryIdIsStable ? stableId : randomUUID());
    const counts: number[] = [];
    const step = async (b: Buffer, expected: number) => {
      expect((await send(b, redeliveryId())).status).toBe(200);
      const runs = await executionsOf(created.workflowId, expected);
      // Duplicates are answered without starting a run: none can still be on its way.
      counts.push(runs.length);
      expect(runs).toHaveLength(expected);
    };
    await step(e1, 1);
    await step(e1, 1);
    await n8n!.stop();
    await bootN8n();
    await step(e1, 1);
    await step(e2, 2);
    console.log(
      `[n8n e2e] Redis redelivery check on n8n ${n8nMajor()}.x: executions after E1, E1 again, restart + E1, E2 = ${counts.join(', ')}`,
    );
    expect(JSON.stringify((await rest.getWorkflow(created.workflowId)).staticData)).toBe(staticBefore);
    await rest.deactivate(created.workflowId);
    await until(() => !sandbox.subscriptions(vendor.id).some((s) => s.id === sub.id), 10_000);
  });
});

/**
 * While a workflow is active, its trigger checks its subscriptions at the vendor (every minute
 * here: the node's "Check Subscription Every (Minutes)"): one deleted in the vendor's dashboard
 * is recreated without the user doing anything — on 2.x nothing else would ever register it
 * again — and deliveries to the new one verify, so its secret reached the database.
 */
describe('the health check recreates a subscription deleted at the vendor', () => {
  e2e(
    'every REST vendor at once: deleted while active → recreated within the check interval, and deliveries verify',
    async () => {
      const checked = new Map<string, VendorSetup>();
      for (const vendor of restVendors) {
        await roomInRateLimit(vendor, 8);
        const setup = await triggerWorkflow(vendor, `e2e health check: ${vendor.displayName}`, {
          healthCheckMinutes: 1,
        });
        await rest.activate(setup.workflowId);
        checked.set(vendor.id, setup);
      }
      const at = (s: VendorSetup) => sandbox.subscriptions(s.vendor.id).filter((x) => x.url === s.productionUrl);
      try {
        await until(() =>
          [...checked.values()].every((s) => at(s).length === expectedSubscriptions(s.vendor, s.events)),
        );
        const deleted = new Map<string, string[]>();
        for (const s of checked.values()) {
          const ids = at(s).map((x) => x.id);
          expect(ids, s.vendor.id).toHaveLength(expectedSubscriptions(s.vendor, s.events));
          // Deleted in the vendor's dashboard (its API, with the account's key), n8n not told.
          const client = createSubscriptionClient(s.vendor, {
            apiKey: sandbox.apiKey(s.vendor.id),
            baseUrl: sandbox.baseUrl(s.vendor.id),
            allowInsecureTargetUrl: true,
          });
          for (const id of ids) await client.delete(id);
          deleted.set(s.vendor.id, ids);
        }
        const t = Date.now();
        const recreated = (s: VendorSetup) => {
          const now = at(s);
          return (
            now.length === expectedSubscriptions(s.vendor, s.events) &&
            now.every((x) => x.active && !deleted.get(s.vendor.id)!.includes(x.id))
          );
        };
        // A check a minute: the first one after the delete finds it gone.
        await until(() => [...checked.values()].every(recreated), 150_000);
        timings['health check: deleted → recreated (all vendors)'] = Date.now() - t;
        for (const s of checked.values()) {
          expect(recreated(s), `${s.vendor.id}: ${JSON.stringify(at(s))}\n${n8n!.log().slice(-3000)}`).toBe(true);
          const gone = deleted
            .get(s.vendor.id)!
            .map((id) => `${s.vendor.displayName} trigger: subscription ${id} is gone at`);
          expect(
            gone.some((line) => n8n!.log().includes(line)),
            gone[0],
          ).toBe(true);
        }
        for (const s of checked.values()) {
          const count = (await rest.executions(s.workflowId)).length;
          // To this trigger's new subscription only: the vendor's other triggers (above) are active too.
          const target = at(s).find((x) => x.events.includes(s.events[0]!))!;
          const fired = fireEvent(s.vendor.id, s.events[0]!, { subscriptionId: target.id });
          expect(await sandbox.settle()).toBe(true);
          expect(
            sandbox.deliveries({ eventId: fired.eventId }).map((d) => d.state),
            s.vendor.id,
          ).toEqual(['delivered']);
          expect(await executionsOf(s.workflowId, count + 1)).toHaveLength(count + 1);
        }
      } finally {
        // Unpublished even when a check above failed: later tests count each vendor's subscriptions.
        for (const s of checked.values()) await rest.deactivate(s.workflowId);
      }
      await until(() => [...checked.values()].every((s) => at(s).length === 0));
      for (const s of checked.values()) expect(at(s), s.vendor.id).toEqual([]);
    },
    300_000,
  );
});

describe('n8n restart and deactivation', () => {
  e2e('restarting n8n adds no subscription, and deliveries still verify with the stored secrets', async () => {
    const before = new Map(restVendors.map((v) => [v.id, sandbox.subscriptions(v.id).map((s) => s.id)]));
    await n8n!.stop();
    await bootN8n();
    for (const vendor of restVendors) {
      await expectDeliveryRuns(vendor);
      expect(sandbox.subscriptions(vendor.id).map((s) => s.id)).toEqual(before.get(vendor.id));
    }
  });

  e2e(
    'vendor-side changes are reconciled on the next activation: paused → reactivated, deleted → recreated',
    async () => {
      const clientFor = (v: VendorDefinition) =>
        createSubscriptionClient(v, {
          apiKey: sandbox.apiKey(v.id),
          baseUrl: sandbox.baseUrl(v.id),
          allowInsecureTargetUrl: true,
        });
      // One subscription is switched off (as Parley does after failed deliveries), another is
      // deleted in the vendor's dashboard.
      const paused = restVendors.find((v) => v.api!.endpoints.update)!;
      const deleted = restVendors.filter((v) => v !== paused).at(-1)!;
      const pausedId = sandbox.subscriptions(paused.id)[0]!.id;
      await clientFor(paused).update(pausedId, { active: false });
      expect(sandbox.subscriptions(paused.id)[0]!.active).toBe(false);
      const deletedId = sandbox.subscriptions(deleted.id)[0]!.id;
      await clientFor(deleted).delete(deletedId);

      if (n8nMajor() === 1) {
        // n8n 1.x runs checkExists for every active workflow at startup.
        await n8n!.stop();
        await bootN8n();
      } else {
        // n8n 2.x keeps its webhook rows across restarts and skips checkExists at startup, so
        // the next activation is where reconciliation happens.
        for (const v of [paused, deleted]) {
          await rest.deactivate(setups.get(v.id)!.workflowId);
          await rest.activate(setups.get(v.id)!.workflowId);
        }
      }
      await until(() => sandbox.subscriptions(paused.id).some((s) => s.active));
      await until(() => sandbox.subscriptions(deleted.id).length >= expectedSubscriptions(deleted));
      for (const vendor of [paused, deleted]) {
        await expectDeliveryRuns(vendor);
        const subs = sandbox.subscriptions(vendor.id);
        expect(subs).toHaveLength(expectedSubscriptions(vendor));
        for (const sub of subs) {
          expect(sub).toMatchObject({ url: setups.get(vendor.id)!.productionUrl, active: true });
          expect(sub.id === deletedId).toBe(false);
        }
      }
    },
  );

  e2e('deactivating a workflow deletes its subscriptions at the vendor (every one of a k-event trigger)', async () => {
    for (const vendor of restVendors) {
      expect(sandbox.subscriptions(vendor.id)).toHaveLength(expectedSubscriptions(vendor));
      await rest.deactivate(setups.get(vendor.id)!.workflowId);
      // n8n 2.x may finish removing webhooks after answering; wait (bounded) for the vendor side.
      await until(() => sandbox.subscriptions(vendor.id).length === 0, 10_000);
      expect(sandbox.subscriptions(vendor.id), `n8n log:\n${n8n!.log().slice(-3000)}`).toEqual([]);
    }
  });
});

/** Saves a new version of a workflow (what the editor's Save sends); returns the saved workflow. */
async function saveWorkflow(id: string, change: (nodes: { position: number[] }[]) => unknown[]) {
  const wf = await rest.getWorkflow(id);
  return rest.request('PATCH', `/workflows/${id}`, {
    name: wf.name,
    nodes: change(wf.nodes),
    connections: wf.connections,
    settings: wf.settings,
    versionId: wf.versionId,
  });
}

/** Waits (bounded) until n8n says the workflow is published / no longer published (2.x only). */
async function publication(id: string, want: 'published' | 'not_published') {
  if (n8nMajor() === 1) return;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const status = await rest.request('GET', `/workflows/${id}/publication-status`).catch(() => undefined);
    if (status?.status === want) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Registrations users see pile up elsewhere (a new webhook on every save, publish or restart),
 * and ones left behind after the trigger is gone: for every REST vendor, a workflow of its own.
 */
describe('save, publish and restart never add a registration; nothing is left behind', () => {
  const CYCLES = 20;
  const RESTART_EVERY = 5;
  const own = new Map<string, VendorSetup>();
  const subsAt = (s: VendorSetup) => sandbox.subscriptions(s.vendor.id).filter((x) => x.url === s.productionUrl);

  e2e(
    `${CYCLES} save + publish cycles, n8n restarted every ${RESTART_EVERY}th: one subscription per trigger (or per event)`,
    async () => {
      for (const vendor of restVendors) {
        const setup = await triggerWorkflow(vendor, `hookpack e2e cycles: ${vendor.displayName}`);
        own.set(vendor.id, setup);
        await rest.activate(setup.workflowId);
      }
      const wanted = (s: VendorSetup) => expectedSubscriptions(s.vendor, s.events);
      await until(() => [...own.values()].every((s) => subsAt(s).length === wanted(s)));
      const creates = () => restVendors.map((v) => sandbox.requests(v.id).filter((r) => r.method === 'POST').length);
      const createsBefore = creates();
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        for (const s of own.values()) {
          // A person saving again and again stays within the vendor's documented rate limit; a
          // script does not (n8n 1.x calls the vendor on every save: Shopify allows 40 per 20 s).
          // What this test counts is registrations, so a save waits for room in the vendor's window.
          // A save costs up to 4 + 4k calls (measured: 9 for a 2-topic Shopify trigger): list, delete,
          // list before create, create, and reads of each.
          if (n8nMajor() === 1) await roomInRateLimit(s.vendor, 4 + 4 * expectedSubscriptions(s.vendor, s.events));
          // Moving the node is a real change: n8n stores a new version, and publishing it is a new publication.
          await saveWorkflow(s.workflowId, (nodes) => nodes.map((n) => ({ ...n, position: [cycle * 10, 0] })));
          if (n8nMajor() >= 2) {
            await rest.activate(s.workflowId);
            await publication(s.workflowId, 'published');
          }
        }
        if (cycle % RESTART_EVERY === 0) {
          await n8n!.stop();
          await bootN8n();
        }
      }
      await new Promise((r) => setTimeout(r, 1500)); // n8n 2.x may still be publishing
      const counts = [...own.values()].map((s) => `${s.vendor.id} ${subsAt(s).length}`);
      const creates20 = creates().map((n, i) => n - createsBefore[i]!);
      console.log(
        `[n8n e2e] after ${CYCLES} save+publish cycles on n8n ${n8nMajor()}.x: subscriptions ${counts.join(', ')}; ` +
          `creates during the cycles ${restVendors.map((v, i) => `${v.id} ${creates20[i]}`).join(', ')}`,
      );
      for (const s of own.values()) {
        // One per trigger, or one per chosen event where the vendor wants that (Shopify's topics).
        expect(subsAt(s), s.vendor.id).toHaveLength(wanted(s));
        expect(subsAt(s).every((x) => x.active)).toBe(true);
      }
      // And the one that is left works: an event runs its workflow once.
      for (const s of own.values()) {
        const count = (await rest.executions(s.workflowId)).length;
        const first = subsAt(s).find((x) => x.events.includes(s.events[0]!))!;
        fireEvent(s.vendor.id, s.events[0]!, { subscriptionId: first.id });
        expect(await sandbox.settle()).toBe(true);
        expect(await executionsOf(s.workflowId, count + 1)).toHaveLength(count + 1);
      }
    },
    // 20 cycles over every REST vendor and 4 restarts: about 2 minutes on a busy 2-CPU machine.
    300_000,
  );

  e2e('replacing the trigger node and publishing deletes its subscription at the vendor', async () => {
    if (own.size === 0) throw new Error('the cycles test did not set up its workflows');
    for (const s of [...own.values()].slice(0, Math.ceil(own.size / 2))) {
      // A workflow needs a trigger to be published: the hookpack trigger gives way to n8n's own Webhook node.
      const webhookId = randomUUID();
      const webhookNode = {
        id: randomUUID(),
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId,
        parameters: { httpMethod: 'POST', path: webhookId },
      };
      await saveWorkflow(s.workflowId, () => [webhookNode]);
      if (n8nMajor() >= 2) {
        await rest.activate(s.workflowId);
        await publication(s.workflowId, 'published');
      }
      await until(() => subsAt(s).length === 0, 10_000);
      expect(subsAt(s), `${s.vendor.id}: n8n log:\n${n8n!.log().slice(-2000)}`).toEqual([]);
      own.delete(s.vendor.id);
    }
  });

  e2e('deleting an active workflow deletes its subscription at the vendor', async () => {
    for (const s of own.values()) {
      // n8n (1.123 and 2.x) archives before it deletes; archiving an active workflow deactivates it.
      await rest.request('POST', `/workflows/${s.workflowId}/archive`, {});
      await publication(s.workflowId, 'not_published');
      await rest.request('DELETE', `/workflows/${s.workflowId}`);
      await until(() => subsAt(s).length === 0, 10_000);
      expect(subsAt(s), `${s.vendor.id}: n8n log:\n${n8n!.log().slice(-2000)}`).toEqual([]);
    }
  });
});
