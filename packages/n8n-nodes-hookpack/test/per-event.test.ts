// Vendors whose subscriptions carry one event each (Shopify's topic) and whose deliveries are
// signed with the app's secret from the credential: a trigger on k events owns k subscriptions,
// created all or none, reconciled one by one, all deleted on deactivation. The vendors here are
// the shipped REST vendors re-declared with those shapes, played by the sandbox from the
// description alone (vendors that already have them stay as they are).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createSubscriptionClient,
  oneEventPerSubscription,
  usesAppSecret,
  type VendorDefinition,
} from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { webhookLifecycle } from '../src/lifecycle.js';
import { webhookHandler } from '../src/webhook.js';
import { CREDENTIAL_FIELDS } from '../src/credential.js';
import { hookContext, PRODUCTION_URL, webhookContext } from './contexts.js';

// "whsec_" + base64: a secret every scheme signs with (Standard Webhooks decodes it).
const APP_SECRET = `whsec_${Buffer.from('per-event app secret').toString('base64')}`;

function perEventAppSigned(vendor: VendorDefinition): VendorDefinition {
  if (oneEventPerSubscription(vendor) && usesAppSecret(vendor)) return vendor;
  const api = vendor.api!;
  const fields = { ...api.resource.fields };
  delete fields.secret;
  const endpoints = { ...api.endpoints };
  delete endpoints.rotate;
  const signature: VendorDefinition['signature'] = {
    scheme: vendor.signature.scheme,
    secretRequired: true,
    secretSource: 'app',
    appSecret: { label: 'Client Secret', help: 'In the app settings.' },
  };
  return {
    ...vendor,
    signature,
    api: {
      ...api,
      endpoints,
      resource: { ...api.resource, fields, eventsPerSubscription: 'one', secretOnReads: { kind: 'omit' } },
    },
  };
}

// Public-key vendors sign with their own keys and flag-selected events have no single-event field:
// neither can be re-declared as app-signed with one event per subscription.
const shaped = vendors
  .filter((v) => v.api && !v.signature.publicKey && !v.api.resource.fields.eventFlags)
  .map(perEventAppSigned);
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    vendors: shaped,
    rateLimits: false,
    appSecrets: Object.fromEntries(shaped.map((v) => [v.id, APP_SECRET])),
  });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.setFaults(null));

describe.each(shaped.map((v) => [v.id, v] as const))('%s with one subscription per event', (_id, vendor) => {
  const lifecycle = webhookLifecycle(vendor);
  const events = vendor.events
    .slice(0, 3)
    .map((e) => e.type)
    .sort();
  const subscriptionOptions = Object.fromEntries(
    vendor.subscriptionOptions
      .filter((o) => o.required)
      .map((o) => [o.name, o.type === 'boolean' ? true : 'opt-1'] as const),
  );
  const credentials = () => ({
    apiKey: sandbox.apiKey(vendor.id),
    baseUrl: sandbox.baseUrl(vendor.id),
    allowHttpWebhookUrl: true,
    [CREDENTIAL_FIELDS.appSecret]: APP_SECRET,
  });
  const setup = (staticData: Record<string, unknown>, selected = events) =>
    hookContext({ credentials: credentials(), params: { events: selected, subscriptionOptions }, staticData });
  const activate = async (ctx: ReturnType<typeof setup>) => {
    const exists = await lifecycle.checkExists.call(ctx);
    if (!exists) await lifecycle.create.call(ctx);
    return exists;
  };
  const atVendor = () => sandbox.subscriptions(vendor.id).filter((s) => s.url === PRODUCTION_URL);
  const stored = (staticData: Record<string, unknown>) => {
    const entry = (staticData as any).subscriptions?.production;
    return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
  };
  /** The vendor's side: deletes as the vendor (or its user) would, outside the trigger. */
  const vendorDeletes = async (id: string) => {
    const client = createSubscriptionClient(vendor, {
      apiKey: sandbox.apiKey(vendor.id),
      baseUrl: sandbox.baseUrl(vendor.id),
    });
    await client.delete(id);
  };
  beforeEach(async () => {
    for (const s of sandbox.subscriptions(vendor.id)) await vendorDeletes(s.id);
  });

  it('activation creates one per event, the state says which is which, and holds no secret', async () => {
    const staticData = {};
    expect(await activate(setup(staticData))).toBe(false);
    const subs = atVendor();
    expect(subs.map((s) => s.events).sort()).toEqual(events.map((e) => [e]));
    expect(
      stored(staticData)
        .map((s: any) => [s.id, s.events])
        .sort(),
    ).toEqual(subs.map((s) => [s.id, s.events]).sort());
    expect(stored(staticData).every((s: any) => s.sealedSecret === undefined && s.secret === undefined)).toBe(true);
    // A restart: every one is checked and kept, nothing new.
    expect(await activate(setup(staticData))).toBe(true);
    expect(
      atVendor()
        .map((s) => s.id)
        .sort(),
    ).toEqual(subs.map((s) => s.id).sort());
  });

  it('reconcile recreates only the one the vendor lost, and deletes the one for an unselected event', async () => {
    const staticData = {};
    await activate(setup(staticData));
    const [lost, ...others] = atVendor();
    await vendorDeletes(lost!.id);
    expect(await activate(setup(staticData))).toBe(false);
    const now = atVendor();
    expect(now).toHaveLength(events.length);
    expect(now.map((s) => s.id)).toEqual(expect.arrayContaining(others.map((s) => s.id)));
    expect(now.find((s) => s.events[0] === lost!.events[0])!.id).not.toBe(lost!.id);
    const fewer = events.slice(1);
    await activate(setup(staticData, fewer));
    expect(
      atVendor()
        .map((s) => s.events[0])
        .sort(),
    ).toEqual(fewer);
    expect(
      stored(staticData)
        .map((s: any) => s.events[0])
        .sort(),
    ).toEqual(fewer);
  });

  it('deactivation deletes every one; a delete that fails stays stored and goes next time', async () => {
    const staticData = {};
    await activate(setup(staticData));
    sandbox.setFaults({
      // The first delete fails on each of its attempts (core's client tries 3 times); the others go through.
      rules: [{ vendor: vendor.id, operation: 'delete', fault: 'server-error', nth: 1, times: 3 }],
    });
    await expect(lifecycle.delete.call(setup(staticData))).rejects.toThrow(/could not be deleted/);
    expect(atVendor()).toHaveLength(1);
    expect(stored(staticData).map((s: any) => s.id)).toEqual(atVendor().map((s) => s.id));
    sandbox.setFaults(null);
    await lifecycle.delete.call(setup(staticData));
    expect(atVendor()).toEqual([]);
    expect(stored(staticData)).toEqual([]);
  });

  it('a create failing part-way leaves nothing at the vendor and nothing stored', async () => {
    const staticData = {};
    sandbox.setFaults({
      rules: [{ vendor: vendor.id, operation: 'create', fault: 'server-error', nth: 2, times: 50 }],
    });
    await expect(activate(setup(staticData))).rejects.toThrow(/create/i);
    expect(atVendor()).toEqual([]);
    expect(stored(staticData)).toEqual([]);
  });

  it('deliveries verify with the app secret from the credential, and a forged one is refused', async () => {
    const type = events[0]!;
    const sample = vendor.events.find((e) => e.type === type)!.sample;
    const body = Buffer.from(
      JSON.stringify(
        vendor.envelope.build({
          id: 'evt_app_1',
          type,
          createdAt: new Date().toISOString(),
          data: sample,
          livemode: false,
        }),
      ),
    );
    const headers = (secret: string) => ({
      'content-type': 'application/json',
      ...vendor.signature.scheme.sign({ body, secret }),
      ...(vendor.delivery.eventHeader ? { [vendor.delivery.eventHeader]: type } : {}),
      ...(vendor.delivery.deliveryIdHeader ? { [vendor.delivery.deliveryIdHeader]: 'dlv_app_1' } : {}),
    });
    const deliver = (secret: string) =>
      webhookHandler(vendor).call(
        webhookContext({
          credentials: credentials(),
          params: { events: [type], options: {} },
          staticData: {},
          body,
          headers: headers(secret),
          workflowId: `wf-app-${vendor.id}`,
        }).ctx,
      );
    expect((await deliver(APP_SECRET)).workflowData).toBeDefined();
    const forged = await deliver(`whsec_${Buffer.from('not the app secret').toString('base64')}`);
    expect(forged).toEqual({ noWebhookResponse: true });
  });
});
