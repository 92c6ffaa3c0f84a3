// Create asks for its expiry (api.expiry.requestedOnCreate, Microsoft Graph's
// expirationDateTime, renewed by PATCH of the same field): core's client asks for a little less
// than the longest lifetime, the sandbox refuses a create without one or beyond the maximum (as
// Graph does), and vendorConformance passes, its expiry checks included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriptionClient, requestedExpiryPath, resourceCodec, type VendorDefinition } from '@hookpack/core';
import { parley } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '../src/index.js';
import { vendorConformance } from '../src/testing/index.js';

const api = parley.api!;
const LIFETIME = 3 * 86_400_000;
/** Parley whose subscriptions expire, asked for at create and renewed by PATCH: not a real vendor. */
const asked: VendorDefinition = {
  ...parley,
  id: 'parleyAsked',
  displayName: 'Parley Asked',
  api: {
    ...api,
    expiry: {
      maxLifetimeMs: LIFETIME,
      field: { path: 'expiration_date_time', unit: 'iso' },
      renew: { kind: 'patch', field: 'expiration_date_time' },
      afterExpiry: 'delete',
      requestedOnCreate: true,
    },
  },
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ vendors: [asked], rateLimits: false });
});
afterAll(async () => sandbox?.stop());

async function post(body: Record<string, unknown>) {
  const res = await fetch(`${sandbox.baseUrl(asked.id)}${api.endpoints.create!.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': sandbox.apiKey(asked.id) },
    body: JSON.stringify(resourceCodec(asked).wrap(body)),
  });
  return { status: res.status, body: await res.text() };
}

describe('an expiry asked for at create', () => {
  it("the client asks for just under the longest lifetime, and the vendor's answer is what it keeps", async () => {
    const client = createSubscriptionClient(asked, {
      apiKey: sandbox.apiKey(asked.id),
      baseUrl: sandbox.baseUrl(asked.id),
      allowInsecureTargetUrl: true,
    });
    const before = Date.now();
    const sub = await client.create({ url: 'http://127.0.0.1:9/h', events: [asked.events[0]!.type] });
    const expiresAt = Date.parse(sub.expiresAt!);
    expect(expiresAt).toBeGreaterThan(before + LIFETIME - 61_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + LIFETIME);
    expect(sandbox.subscription(sub.id)!.expiresAt).toBe(sub.expiresAt);
    await client.delete(sub.id);
  });

  it('a create without it, in the past or beyond the longest lifetime is refused, naming the field', async () => {
    const field = requestedExpiryPath(asked.api!.expiry!);
    const base = { url: 'http://127.0.0.1:9/h', events: [asked.events[0]!.type] };
    const without = await post(base);
    expect(without.status).toBe(400);
    expect(without.body).toContain(field);
    for (const at of [Date.now() - 60_000, Date.now() + LIFETIME + 3_600_000]) {
      const refused = await post({ ...base, [field]: new Date(at).toISOString() });
      expect(refused.status).toBe(400);
      expect(refused.body).toContain(field);
    }
    expect(sandbox.subscriptions(asked.id)).toEqual([]);
  });

  it('vendorConformance passes for it, expiry checks included', async () => {
    const report = await vendorConformance(asked);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.some((c) => /expir|renew/i.test(c.name))).toBe(true);
  }, 60_000);
});
