// Expiring subscriptions on Zapier: Zapier "will automatically attempt to resubscribe after the
// expiration date" a subscribe answer carries (docs.zapier.com, REST hook triggers). The app
// says when a renewal is due (60% of the lifetime), against the sandbox playing shipped vendors
// with the expiry shapes public vendors use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVendorDescription, renewalDueAt } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { expiryShapes, withExpiry } from '@hookpack/sandbox/testing';
import { createZapierApp, triggerKey } from '../src/index.js';
import { LOOPBACK_HTTP_ENV } from '../src/api.js';
import { zapier } from './apps.js';

const APP_OPTIONS = { version: '1.0.0', platformVersion: '19.1.0' };

const cases = Object.entries(expiryShapes).map(([shape, def]) => {
  const vendor = vendors
    .filter((v) => v.api && !v.signature.publicKey && v.signature.secretSource === 'subscription')
    .map((v) => withExpiry(v, def))
    .find((v) => checkVendorDescription(v).length === 0)!;
  return { shape, vendor };
});

const sandboxes = new Map<string, Sandbox>();
beforeAll(async () => {
  process.env[LOOPBACK_HTTP_ENV] = '1';
  for (const c of cases) sandboxes.set(c.shape, await startSandbox({ vendors: [c.vendor], rateLimits: false }));
});
afterAll(async () => {
  delete process.env[LOOPBACK_HTTP_ENV];
  for (const s of sandboxes.values()) await s.stop();
});

describe.each(cases.map((c) => [c.shape, c] as const))('Zapier, expiring subscriptions: %s', (shape, { vendor }) => {
  it(`${vendor.id}: the subscribe answer carries expiration_date at the renewal time, before the vendor's expiry`, async () => {
    const sandbox = sandboxes.get(shape)!;
    const app = createZapierApp(vendor, APP_OPTIONS);
    const event = vendor.events[0]!;
    const op = app.triggers[triggerKey(event.type)]!.operation as any;
    const authData = { apiKey: sandbox.apiKey(vendor.id), baseUrl: sandbox.baseUrl(vendor.id) };
    const before = Date.now();
    const data = (await zapier.createAppTester(app)(op.performSubscribe, {
      authData,
      targetUrl: 'http://127.0.0.1:9/hooks/catch/1/a/',
      inputData: {},
    })) as { id: string; expiration_date: string; expiresAt: string };
    // Within a second: a vendor writing Unix seconds drops the milliseconds.
    expect(Math.abs(Date.parse(data.expiresAt) - Date.parse(sandbox.subscription(data.id)!.expiresAt!))).toBeLessThan(
      1000,
    );
    const due = renewalDueAt(vendor.api!.expiry!, data.expiresAt, before);
    expect(Math.abs(Date.parse(data.expiration_date) - due)).toBeLessThan(5_000);
    expect(Date.parse(data.expiration_date)).toBeLessThan(Date.parse(data.expiresAt));
    expect(Date.parse(data.expiration_date)).toBeGreaterThan(before);
  });
});

describe('Zapier, subscriptions that do not expire', () => {
  it('carry no expiration_date', async () => {
    const vendor = vendors.find((v) => v.api && v.signature.secretSource === 'subscription')!;
    const plain = await startSandbox({ vendors: [vendor], rateLimits: false });
    try {
      const app = createZapierApp(vendor, APP_OPTIONS);
      const op = app.triggers[triggerKey(vendor.events[0]!.type)]!.operation as any;
      const data = (await zapier.createAppTester(app)(op.performSubscribe, {
        authData: { apiKey: plain.apiKey(vendor.id), baseUrl: plain.baseUrl(vendor.id) },
        targetUrl: 'http://127.0.0.1:9/hooks/catch/1/b/',
        inputData: {},
      })) as Record<string, unknown>;
      expect(data).not.toHaveProperty('expiration_date');
    } finally {
      await plain.stop();
    }
  });
});
