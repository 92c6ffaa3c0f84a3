import { describe, expect, it } from 'vitest';
import { checkVendorDescription, createSubscriptionClient, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { startSandbox } from '@hookpack/sandbox';
import { expiryShapes, vendorConformance, withExpiry, type ExpiryShape } from '@hookpack/sandbox/testing';

// The sandbox plays expiring subscriptions from the description alone, on a clock the test
// moves: shipped vendors (none of which expires) with the shapes public vendors use added.

/** Shipped REST vendors whose description accepts the shape (patch renewals need an update endpoint). */
function vendorsWith(shape: ExpiryShape): VendorDefinition[] {
  return vendors
    .filter((v) => v.api)
    .map((v) => withExpiry(v, shape))
    .filter((v) => checkVendorDescription(v).length === 0);
}

describe.each(Object.entries(expiryShapes))('sandbox expiry: %s', (_name, shape) => {
  const candidates = vendorsWith(shape);

  it('fits shipped vendors', () => {
    expect(candidates.length).toBeGreaterThan(1);
  });

  it.each(candidates.map((v) => [v.id, v] as const))(
    '%s passes vendorConformance, expiry checks included',
    { timeout: 60_000 },
    async (_id, vendor) => {
      const report = await vendorConformance(vendor);
      expect(report.failures).toEqual([]);
      expect(report.checks.filter((c) => c.name.startsWith('expiry:'))).toHaveLength(3);
    },
  );
});

describe('sandbox expiry: the clock and the inspection', () => {
  const vendor = vendorsWith(expiryShapes['refresh endpoint, switched off at expiry']!)[0]!;

  it('expire() lets a subscription lapse now; a renewal switches it back on', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const sandbox = await startSandbox({ vendors: [vendor], expiryTimeScale: 1, now: () => now });
    try {
      const client = createSubscriptionClient(vendor, {
        apiKey: sandbox.apiKey(vendor.id),
        baseUrl: sandbox.baseUrl(vendor.id),
        allowInsecureTargetUrl: true,
        now: () => now,
      });
      const input = { url: 'http://127.0.0.1:9/x', events: [vendor.events[0]!.type] };
      const [sub] = await client.subscribe(input);
      expect(sandbox.expire(sub!.id)).toBe(true);
      expect(sandbox.subscription(sub!.id)).toMatchObject({ active: false, deactivatedReason: 'expired' });
      now += 1000;
      const renewed = await client.renew(sub!.id, input);
      expect(renewed).toEqual({ kind: 'extended', expiresAt: new Date(now + 7 * 86_400_000).toISOString() });
      expect((await client.get(sub!.id)).active).toBe(true);
    } finally {
      await sandbox.stop();
    }
  });

  it('expiryTimeScale shortens lifetimes; subscriptions of other vendors carry no expiry', async () => {
    const plain = vendors.find((v) => v.api && v.id !== vendor.id)!;
    const sandbox = await startSandbox({ vendors: [vendor, plain], expiryTimeScale: 0.00001 });
    try {
      const input = (v: VendorDefinition) => ({ url: 'http://127.0.0.1:9/x', events: [v.events[0]!.type] });
      const client = (v: VendorDefinition) =>
        createSubscriptionClient(v, {
          apiKey: sandbox.apiKey(v.id),
          baseUrl: sandbox.baseUrl(v.id),
          allowInsecureTargetUrl: true,
        });
      const before = Date.now();
      const [sub] = await client(vendor).subscribe(input(vendor));
      const lifetime = Date.parse(sub!.expiresAt!) - before;
      expect(lifetime).toBeGreaterThan(5_000);
      expect(lifetime).toBeLessThan(8_000);
      const [other] = await client(plain).subscribe(input(plain));
      expect(other!.expiresAt).toBeUndefined();
      expect(sandbox.expire(other!.id)).toBe(false);
    } finally {
      await sandbox.stop();
    }
  });

  it('refuses a bad expiryTimeScale or clock with the option named', async () => {
    await expect(startSandbox({ vendors: [vendor], expiryTimeScale: 0 })).rejects.toThrow(/expiryTimeScale/);
    await expect(startSandbox({ vendors: [vendor], now: 5 as unknown as () => number })).rejects.toThrow(/now must/);
  });
});
