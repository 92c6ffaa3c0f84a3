// Batched deliveries in the trigger: one verified request → one item per new event of a selected
// type; a redelivered batch that partly overlaps runs only the new events (memory and Redis).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { webhookHandler } from '../src/webhook.js';
import { DEDUPE_CREDENTIAL } from '../src/dedupe-credential.js';
import { webhookContext } from './contexts.js';
import { startRedisServer, type RedisServer } from '../../../test/support/redis-server.js';

const SECRET = 'whsec_batch_trigger';
const vendor = vendors.find((v) => v.api && v.events.length >= 2)!;
const batchVendor: VendorDefinition = { ...vendor, envelope: { ...vendor.envelope, batch: { kind: 'array' } } };
const [typeA, typeB] = [vendor.events[0]!.type, vendor.events[1]!.type];
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

function batch(ids: string[], type = typeA, secret = SECRET) {
  const elements = ids.map((id) =>
    vendor.envelope.build({
      id,
      type,
      createdAt: new Date().toISOString(),
      data: { ...vendor.events[0]!.sample, ref: id },
      livemode: false,
    }),
  );
  const body = Buffer.from(JSON.stringify(elements));
  return { body, headers: { 'content-type': 'application/json', ...vendor.signature.scheme.sign({ body, secret }) } };
}

describe.each(['memory', 'redis'] as const)('a %s redelivery check with batched deliveries', (store) => {
  const handler = webhookHandler(batchVendor);
  const nodeId = `batch-${store}-${Date.now()}`;
  const deliver = async (d: { body: Buffer; headers: Record<string, string> }, events = [typeA]) => {
    const w = webhookContext({
      params: { events, dedupeStore: store, options: {} },
      credentialsByName: { [DEDUPE_CREDENTIAL.name]: { host: '127.0.0.1', port: redis.port } },
      staticData: { subscriptions: { production: { id: 'wh', url: 'u', events, secret: SECRET } } },
      ...d,
      nodeId,
    });
    const result = await handler.call(w.ctx);
    w.sent.finish(200); // n8n answers the vendor
    await new Promise((r) => setTimeout(r, 30));
    const items = ((result.workflowData?.[0] ?? []) as { json: { data: { ref: string } } }[]).map(
      (i) => i.json.data.ref,
    );
    return { result, items, sent: w.sent };
  };
  const tag = (id: string) => `${store}_${id}_${nodeId}`;

  it('runs one item per event; an overlapping redelivery runs only the new ones; a full repeat runs none', async () => {
    expect((await deliver(batch([tag('a'), tag('b'), tag('c')]))).items).toEqual([tag('a'), tag('b'), tag('c')]);
    expect((await deliver(batch([tag('c'), tag('d')]))).items).toEqual([tag('d')]);
    const repeat = await deliver(batch([tag('a'), tag('d')]));
    expect(repeat.items).toEqual([]);
    expect(repeat.result).toEqual({ webhookResponse: { received: true, duplicate: true } });
  });

  it('drops unselected types inside a batch; a forged batch runs nothing', async () => {
    const mixed = [
      ...JSON.parse(batch([tag('x')]).body.toString()),
      ...JSON.parse(batch([tag('y')], typeB).body.toString()),
    ];
    const body = Buffer.from(JSON.stringify(mixed));
    const d = {
      body,
      headers: { 'content-type': 'application/json', ...vendor.signature.scheme.sign({ body, secret: SECRET }) },
    };
    expect((await deliver(d)).items).toEqual([tag('x')]);
    const forged = await deliver(batch([tag('z')], typeA, 'not-the-secret'));
    expect(forged.sent.status).toBe(401);
    expect(forged.items).toEqual([]);
  });
});
