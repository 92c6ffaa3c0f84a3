// Vendors that sign with their own private key and hand out the public key through their API:
// the trigger verifies with the key stored at create, fetches it once more when a signature
// fails (the vendor replaced it), refuses forgeries, and never writes to the workflow. Also:
// the redelivery check says what identifies a redelivery, and events nothing identifies run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryDocument,
  envelopeCarriesId,
  generateSigningKeyPair,
  getPath,
  redeliveryIdentity,
  setPath,
  type VendorDefinition,
} from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { webhookHandler } from '../src/webhook.js';
import { namesFor } from '../src/names.js';
import { nodeProperties, PARAM, redeliveryHint } from '../src/parameters.js';
import { webhookContext } from './contexts.js';

const keyVendors = vendors.filter((v) => v.signature.publicKey?.source === 'api');

/** The vendor's key endpoint on loopback, answering with whatever key is current. */
async function keyServer(vendor: VendorDefinition) {
  const endpoint = vendor.api!.endpoints.publicKey ?? vendor.api!.endpoints.signing!;
  const keyPath = (vendor.signature.publicKey as { keyPath: string }).keyPath;
  const state = { key: '', calls: 0 };
  const server: Server = createServer((req, res) => {
    state.calls++;
    const body: Record<string, unknown> = {};
    setPath(body, keyPath, state.key);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = new URL(vendor.api!.baseUrl).pathname.replace(/\/$/, '');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${base}`;
  return { state, url, endpoint, close: () => new Promise((r) => server.close(r)) };
}

describe.each(keyVendors.map((v) => [v.id, v] as const))('%s: public key from the API', (_, vendor) => {
  const algorithm = vendor.signature.scheme.publicKeyAlgorithm!;
  const first = generateSigningKeyPair(algorithm);
  const second = generateSigningKeyPair(algorithm);
  const type = vendor.events[0]!.type;
  let server: Awaited<ReturnType<typeof keyServer>>;
  beforeAll(async () => {
    server = await keyServer(vendor);
  });
  afterAll(() => server.close());

  const delivery = (ids: string[], privateKey: string) => {
    const envelopes = ids.map((id) =>
      vendor.envelope.build({
        id,
        type,
        createdAt: new Date().toISOString(),
        data: vendor.events[0]!.sample,
        livemode: false,
      }),
    );
    const body = Buffer.from(JSON.stringify(deliveryDocument(vendor, envelopes)));
    return {
      body,
      headers: { 'content-type': 'application/json', ...vendor.signature.scheme.sign({ body, secret: privateKey }) },
    };
  };
  const nodeId = `pk-${Date.now()}`;
  const staticData = {
    subscriptions: { production: { id: 'sub_1', url: 'u', events: [type], publicKey: first.publicKey } },
  };
  const deliver = async (d: ReturnType<typeof delivery>) => {
    const before = JSON.stringify(staticData);
    const w = webhookContext({
      params: { events: [type], options: {} },
      credentialsByName: { [namesFor(vendor).credentialName]: { apiKey: 'k', baseUrl: server.url } },
      staticData,
      ...d,
      nodeId,
    });
    const result = await webhookHandler(vendor).call(w.ctx);
    expect(JSON.stringify(staticData)).toBe(before); // nothing is written to the workflow
    const ids = ((result.workflowData?.[0] ?? []) as { json: { id: string } }[]).map((i) => i.json.id);
    return { result, ids, sent: w.sent, logged: w.logged };
  };

  it('verifies with the stored key, splits the batch; a partly overlapping redelivery runs only the new events', async () => {
    const a = await deliver(delivery(['e1', 'e2', 'e3'], first.privateKey));
    expect(a.ids).toEqual(['e1', 'e2', 'e3']);
    const b = await deliver(delivery(['e3', 'e4'], first.privateKey));
    expect(b.ids).toEqual(['e4']);
    expect(server.state.calls).toBe(0); // the stored key needed no fetch
  });

  it('a forged delivery gets 401 and runs nothing', async () => {
    const forged = await deliver(delivery(['f1'], generateSigningKeyPair(algorithm).privateKey));
    expect(forged.result).toEqual({ noWebhookResponse: true });
    expect(forged.sent.status).toBe(401);
  });

  it('after the vendor replaces its key, the first failing delivery fetches it once and runs', async () => {
    server.state.key = second.publicKey;
    const calls = server.state.calls;
    const rotated = await deliver(delivery(['r1'], second.privateKey));
    expect(rotated.ids).toEqual(['r1']);
    expect(server.state.calls).toBe(calls + 1);
    expect(rotated.logged.join('\n')).toMatch(/fetched again/);
    const next = await deliver(delivery(['r2'], second.privateKey));
    expect(next.ids).toEqual(['r2']);
    expect(server.state.calls).toBe(calls + 1); // cached in this process from now on
    expect(getPath(staticData, 'subscriptions.production.publicKey')).toBe(first.publicKey);
  });
});

describe.each(vendors.map((v) => [v.id, v] as const))('%s: the redelivery check says what it compares', (_, vendor) => {
  it('in the option text, from the description', () => {
    const option = nodeProperties(vendor, { sharedDedupe: true }).find((p) => p.name === PARAM.dedupeStore)!;
    expect(option.description).toContain(redeliveryHint(vendor));
    const identity = redeliveryIdentity(vendor);
    if (identity === 'eventId') expect(envelopeCarriesId(vendor)).toBe(true);
    if (identity === 'bodyHash') expect(option.description).toMatch(/no event id.*digest of its body/);
  });
});

describe('a vendor whose deliveries nothing identifies (delivery.dedupe: [])', () => {
  // Any shipped vendor whose envelope carries no id, declared as having nothing that identifies a redelivery.
  const base = vendors.find((v) => !envelopeCarriesId(v) && !v.signature.publicKey)!;
  const vendor: VendorDefinition = { ...base, delivery: { ...base.delivery, dedupe: [], deliveryIdIsStable: false } };
  const type = vendor.events[0]!.type;
  const SECRET = 'nothing-identifies-secret';

  it('the option says every delivery runs, and the same bytes twice run twice', async () => {
    expect(redeliveryHint(vendor)).toMatch(/carry nothing that identifies a redelivery.*every delivery runs/);
    const envelope = vendor.envelope.build({
      id: 'x',
      type,
      createdAt: new Date().toISOString(),
      data: vendor.events[0]!.sample,
      livemode: false,
    });
    const body = Buffer.from(JSON.stringify(deliveryDocument(vendor, [envelope])));
    const headers = vendor.signature.scheme.sign({ body, secret: SECRET });
    const run = async () => {
      const w = webhookContext({
        params: { events: [type], options: {} },
        credentials: { signingSecret: SECRET, apiKey: 'k', baseUrl: 'http://127.0.0.1:9' },
        staticData: { subscriptions: { production: { id: 's', url: 'u', events: [type], secret: SECRET } } },
        body,
        headers,
        nodeId: 'nothing-identifies',
      });
      return (await webhookHandler(vendor).call(w.ctx)).workflowData?.[0]?.length ?? 0;
    };
    expect(await run()).toBe(1);
    expect(await run()).toBe(1);
  });
});
