// The shared redelivery check: dedupe keys in a real redis-server, claimed atomically, confirmed
// only once n8n answered the vendor, never written to workflow static data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryDocument, generateSigningKeyPair, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { webhookHandler } from '../src/webhook.js';
import { DEDUPE_CREDENTIAL } from '../src/dedupe-credential.js';
import { redisSharedDedupe } from '../src/redis-dedupe.js';
import { triggerNodeFor } from '../src/index.js';
import { webhookContext } from './contexts.js';
import { namesFor } from '../src/names.js';
import { CREDENTIAL_FIELDS } from '../src/credential.js';
import { freeLoopbackPort, startRedisServer, type RedisServer } from '../../../test/support/redis-server.js';

// Base64 after whsec_, so that it is a valid secret for every scheme (Standard Webhooks decodes it).
const SECRET = `whsec_${Buffer.from('redis_dedupe_secret').toString('base64')}`;
// Public-key vendors sign with a private key; the trigger holds the public key the API gave it.
const pairs = new Map(
  vendors
    .filter((v) => v.signature.scheme.publicKeyAlgorithm)
    .map((v) => [v.id, generateSigningKeyPair(v.signature.scheme.publicKeyAlgorithm!)]),
);
const signingSecretOf = (vendor: VendorDefinition) => pairs.get(vendor.id)?.privateKey ?? SECRET;
const storedKeyOf = (vendor: VendorDefinition) => {
  const pair = pairs.get(vendor.id);
  return pair ? { publicKey: pair.publicKey } : { secret: SECRET };
};
const restVendors = vendors.filter((v) => v.api);
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

function signed(vendor: VendorDefinition, id: string) {
  const event = vendor.events.find((e) => !e.paid)!;
  const built = vendor.envelope.build({
    id,
    type: event.type,
    createdAt: new Date().toISOString(),
    data: event.sample,
    livemode: false,
  });
  // An envelope that does not carry the id (its dedupe key is the body digest) gets it as an
  // extra top-level field, so that different deliveries are different bytes.
  const envelope = JSON.stringify(built).includes(id) ? built : { ...built, delivery: id };
  const body = Buffer.from(JSON.stringify(deliveryDocument(vendor, [envelope])));
  // The dedupe key of envelopes without an id is the stable delivery id or the body's hash:
  // the same body and delivery id make the same key.
  const headers = vendor.signature.scheme.sign({ body, secret: signingSecretOf(vendor) });
  const extra: Record<string, string> = vendor.delivery.deliveryIdHeader
    ? { [vendor.delivery.deliveryIdHeader]: `dlv_${id}` }
    : {};
  // Where the type travels in a header (Shopify's body is the bare resource), it is sent too.
  if (vendor.delivery.eventHeader) extra[vendor.delivery.eventHeader] = event.type;
  return { body, headers: { 'content-type': 'application/json', ...headers, ...extra }, type: event.type };
}

describe.each(restVendors.map((v) => [v.id, v] as const))('%s with the Redis redelivery check', (_, vendor) => {
  const handler = webhookHandler(vendor, redisSharedDedupe);
  const deliver = (id: string, opts: { port?: number; nodeId?: string; workflowId?: string } = {}) => {
    const d = signed(vendor, id);
    const staticData = {
      subscriptions: { production: { id: 'wh_1', url: 'u', events: [d.type], ...storedKeyOf(vendor) } },
    };
    const w = webhookContext({
      params: { events: [d.type], dedupeStore: 'redis', options: {} },
      credentialsByName: {
        [DEDUPE_CREDENTIAL.name]: { host: '127.0.0.1', port: opts.port ?? redis.port, database: 0 },
        // Vendors signing with the app's secret (Shopify) read it from their credential.
        [namesFor(vendor).credentialName]: { [CREDENTIAL_FIELDS.appSecret]: SECRET },
      },
      staticData,
      body: d.body,
      headers: d.headers,
      workflowId: opts.workflowId ?? `wf-${vendor.id}`,
      nodeId: opts.nodeId ?? 'node-1',
    });
    const before = JSON.stringify(staticData);
    return handler
      .call(w.ctx)
      .then((result) => ({ ...w, result, staticUnchanged: JSON.stringify(staticData) === before }));
  };

  it('runs a delivery once; a redelivery after n8n answered is a duplicate — seen from any process; static data untouched', async () => {
    const id = `evt_${Date.now()}_a`;
    const first = await deliver(id);
    expect(first.result.workflowData).toBeDefined();
    expect(first.staticUnchanged).toBe(true);
    first.sent.finish(200); // n8n answered the vendor: the claim is confirmed
    await new Promise((r) => setTimeout(r, 50));
    // In-memory state plays no part: the copy comes from "another process" (a new node context).
    const copy = await deliver(id);
    expect(copy.result).toEqual({ webhookResponse: { received: true, duplicate: true } });
    expect(copy.staticUnchanged).toBe(true);
    // Another trigger (workflow) with the same event is not affected.
    const elsewhere = await deliver(id, { workflowId: 'wf-other' });
    expect(elsewhere.result.workflowData).toBeDefined();
  });

  it('a copy arriving while the first is still being handed to n8n gets 503 + Retry-After, and runs nothing', async () => {
    const id = `evt_${Date.now()}_b`;
    const first = await deliver(id);
    expect(first.result.workflowData).toBeDefined();
    const copy = await deliver(id);
    expect(copy.result).toEqual({ noWebhookResponse: true });
    expect(copy.sent.status).toBe(503);
    expect(copy.sent.headers['retry-after']).toBe('30');
    expect(copy.sent.body).toMatchObject({ error: 'delivery_in_progress' });
  });

  it('when n8n fails to take the event (answers 500), the claim is released and the retry runs', async () => {
    const id = `evt_${Date.now()}_c`;
    const first = await deliver(id);
    first.sent.finish(500);
    await new Promise((r) => setTimeout(r, 50));
    const retry = await deliver(id);
    expect(retry.result.workflowData).toBeDefined();
  });

  it('Redis unreachable: 503 so the vendor retries, the reason logged with host and port, nothing run', async () => {
    const port = await freeLoopbackPort();
    const d = await deliver(`evt_${Date.now()}_d`, { port });
    expect(d.result).toEqual({ noWebhookResponse: true });
    expect(d.sent.status).toBe(503);
    expect(d.sent.body).toMatchObject({ error: 'dedupe_store_unavailable' });
    expect(d.logged.join('\n')).toContain(`Redis at 127.0.0.1:${port}: ECONNREFUSED`);
  });
});

describe('the dedupe store credential test', () => {
  const node = new (triggerNodeFor(restVendors[0]!.id))();
  const test = (node as any).methods.credentialTest[DEDUPE_CREDENTIAL.testMethod];
  const run = (data: Record<string, unknown>) =>
    test.call({}, { id: 'c', name: 'r', type: DEDUPE_CREDENTIAL.name, data });

  it('passes against a running Redis and names host, port and error when it cannot connect', async () => {
    expect(await run({ host: '127.0.0.1', port: redis.port })).toMatchObject({ status: 'OK' });
    const port = await freeLoopbackPort();
    const failed = await run({ host: '127.0.0.1', port });
    expect(failed.status).toBe('Error');
    expect(failed.message).toContain(`127.0.0.1:${port}`);
    expect(failed.message).toContain('ECONNREFUSED');
    expect(await run({ host: '' })).toMatchObject({ status: 'Error', message: expect.stringMatching(/host/) });
  });
});
