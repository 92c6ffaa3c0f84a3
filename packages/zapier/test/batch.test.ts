// A batched delivery through a REST-hook trigger's perform: verified once, one Zapier item per
// event of the trigger's type (Zapier dedupes items by id), nothing for a forged batch.
import { describe, expect, it } from 'vitest';
import type { VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { createZapierApp, triggerKey } from '../src/index.js';
import { zapier, zapierHeaders } from './apps.js';

const SECRET = 'whsec_zapier_batch';
const vendor = vendors.find((v) => v.api && v.events.length >= 2)!;
const batchVendor: VendorDefinition = { ...vendor, envelope: { ...vendor.envelope, batch: { kind: 'array' } } };
const app = createZapierApp(batchVendor, { version: '0.0.0', platformVersion: '19.1.0' });
const appTester = zapier.createAppTester(app);
const [first, second] = [vendor.events[0]!, vendor.events[1]!];
const op = app.triggers[triggerKey(first.type)]!.operation as any;

function rawRequest(elements: unknown[], secret = SECRET) {
  const content = JSON.stringify(elements);
  const headers = { 'Content-Type': 'application/json', ...vendor.signature.scheme.sign({ body: content, secret }) };
  return { method: 'POST', querystring: '', headers: zapierHeaders(headers), content };
}
const envelope = (type: string, id: string) =>
  vendor.envelope.build({
    id,
    type,
    createdAt: new Date().toISOString(),
    data: { ...first.sample, ref: id },
    livemode: false,
  });

describe(`${vendor.displayName} as a batch sender, through Zapier's perform`, () => {
  it('one item per event of the trigger type, each with its own id; a forged batch yields none', async () => {
    const elements = [envelope(first.type, 'b1'), envelope(second.type, 'b2'), envelope(first.type, 'b3')];
    const subscribeData = { id: 'wh_1', secret: SECRET, events: [first.type], url: 'https://hooks.zapier.com/x' };
    const items = (await appTester(op.perform, { subscribeData, rawRequest: rawRequest(elements) } as never)) as any[];
    expect(items.map((i) => i.data.ref)).toEqual(['b1', 'b3']);
    expect(new Set(items.map((i) => i.id)).size).toBe(2);
    const forged = await appTester(op.perform, { subscribeData, rawRequest: rawRequest(elements, 'guess') } as never);
    expect(forged).toEqual([]);
  });
});
