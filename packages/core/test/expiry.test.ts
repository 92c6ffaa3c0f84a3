// Expiring subscriptions in core: the description check, reading the expiry from answers, and
// the client's renew for each documented way (endpoint, update, recreate).
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkVendorDescription,
  createSubscriptionClient,
  formatProblem,
  renewalDueAt,
  type ExpiryDefinition,
  type VendorDefinition,
} from '../src/index.js';
import { acmeVendor, BASE, fakeSleep, hook, KEY, withEvents } from './client-fixtures.js';
import { assertAllCalled, setupNock } from './client-nock.js';

const DAY = 86_400_000;
const EXPIRES = '2030-01-08T00:00:00.000Z';
const URL_ = 'https://example.com/hook';

function expiring(
  expiry: Partial<ExpiryDefinition> | Record<string, unknown>,
  extra: Partial<VendorDefinition['api']> = {},
) {
  const base = withEvents(acmeVendor());
  return {
    ...base,
    api: {
      ...base.api!,
      endpoints: { ...base.api!.endpoints, renew: { method: 'POST' as const, path: '/hooks/{id}/refresh' } },
      expiry: {
        maxLifetimeMs: 7 * DAY,
        field: { path: 'expires_at', unit: 'iso' as const },
        renew: { kind: 'endpoint' as const },
        afterExpiry: 'delete' as const,
        ...expiry,
      } as ExpiryDefinition,
      ...extra,
    },
  };
}

const client = (vendor: VendorDefinition, now = () => Date.parse('2030-01-01T00:00:00Z')) =>
  createSubscriptionClient(vendor, { apiKey: KEY, sleep: fakeSleep().sleep, now });

beforeEach(setupNock);
afterEach(assertAllCalled);

describe('the description check', () => {
  it('accepts each way to renew', () => {
    expect(checkVendorDescription(expiring({}))).toEqual([]);
    expect(checkVendorDescription(expiring({ renew: { kind: 'patch', field: 'expires_at' } }))).toEqual([]);
    expect(checkVendorDescription(expiring({ renew: { kind: 'recreate' } }))).toEqual([]);
  });

  it('refuses an expiry without a renewal method, naming the vendor and the field', () => {
    const vendor = expiring({});
    delete (vendor.api.expiry as Partial<ExpiryDefinition>).renew;
    const problems = checkVendorDescription(vendor);
    expect(problems.map((p) => p.field)).toEqual(['api.expiry.renew']);
    expect(formatProblem(problems[0]!)).toMatch(/^vendor "acme", api\.expiry\.renew: Acme's subscriptions expire/);
  });

  it('refuses renewal ways the endpoints cannot carry out', () => {
    const noRenew = expiring({});
    delete noRenew.api.endpoints.renew;
    expect(checkVendorDescription(noRenew).map((p) => p.field)).toEqual(['api.endpoints.renew']);
    const noUpdate = expiring({ renew: { kind: 'patch', field: 'expires_at' } });
    delete noUpdate.api.endpoints.update;
    expect(checkVendorDescription(noUpdate).map((p) => p.field)).toContain('api.endpoints.update');
    expect(checkVendorDescription(expiring({ renew: { kind: 'patch' } })).map((p) => p.field)).toEqual([
      'api.expiry.renew.field',
    ]);
    expect(checkVendorDescription(expiring({ renew: { kind: 'soon' } })).map((p) => p.field)).toEqual([
      'api.expiry.renew.kind',
    ]);
  });

  it('refuses a missing lifetime, expiry field or expiry behaviour', () => {
    const fields = checkVendorDescription(
      expiring({ maxLifetimeMs: 0, field: { path: 'expires at', unit: 'iso' }, afterExpiry: 'maybe' }),
    ).map((p) => p.field);
    expect(fields).toEqual(['api.expiry.maxLifetimeMs', 'api.expiry.field', 'api.expiry.afterExpiry']);
  });

  it('refuses a renew endpoint without an expiry', () => {
    const vendor = expiring({});
    delete (vendor.api as { expiry?: unknown }).expiry;
    expect(checkVendorDescription(vendor).map((p) => p.field)).toEqual(['api.endpoints.renew']);
  });
});

describe('renew', () => {
  it('reads the expiry from create and get answers, in the declared unit', async () => {
    const seconds = expiring({ field: { path: 'expires_at', unit: 'unix-seconds' } });
    nock(BASE)
      .get('/v2/hooks/hk_1')
      .reply(200, { data: hook('hk_1', URL_, { expires_at: Date.parse(EXPIRES) / 1000 }) });
    expect((await client(seconds).get('hk_1')).expiresAt).toBe(EXPIRES);
    expect(client(seconds).supports('renew')).toBe(true);
    expect(client(withEvents(acmeVendor())).supports('renew')).toBe(false);
  });

  it('endpoint: calls the renew endpoint and takes the new expiry from its answer', async () => {
    nock(BASE).post('/v2/hooks/hk_1/refresh').reply(200, { expires_at: EXPIRES });
    expect(await client(expiring({})).renew('hk_1', { url: URL_, events: ['order.paid'] })).toEqual({
      kind: 'extended',
      expiresAt: EXPIRES,
    });
  });

  it('endpoint: a 5xx is retried (extending twice is harmless), a 404 says the subscription is gone', async () => {
    nock(BASE).post('/v2/hooks/hk_1/refresh').reply(503, { error: 'busy' });
    nock(BASE).post('/v2/hooks/hk_1/refresh').reply(200, { expires_at: EXPIRES });
    expect((await client(expiring({})).renew('hk_1', { url: URL_, events: ['order.paid'] })).kind).toBe('extended');
    nock(BASE).post('/v2/hooks/hk_2/refresh').reply(404, { error: 'No such hook' });
    await expect(client(expiring({})).renew('hk_2', { url: URL_, events: ['order.paid'] })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('patch: sends a new expiry just short of the longest lifetime', async () => {
    let sent: unknown;
    nock(BASE)
      .patch('/v2/hooks/hk_1', (body: unknown) => {
        sent = body;
        return true;
      })
      .reply(200, { data: hook('hk_1', URL_, { expires_at: '2030-01-07T23:59:00.000Z' }) });
    const result = await client(expiring({ renew: { kind: 'patch', field: 'expires_at' } })).renew('hk_1', {
      url: URL_,
      events: ['order.paid'],
    });
    expect(sent).toEqual({ expires_at: '2030-01-07T23:59:00.000Z' });
    expect(result).toEqual({ kind: 'extended', expiresAt: '2030-01-07T23:59:00.000Z' });
  });

  it('recreate: creates a new subscription, then deletes the old one', async () => {
    const vendor = expiring({ renew: { kind: 'recreate' } });
    delete vendor.api.endpoints.renew;
    nock(BASE)
      .get('/v2/hooks')
      .reply(200, { data: { hooks: [hook('hk_1', URL_)] } });
    nock(BASE)
      .post('/v2/hooks')
      .reply(201, { data: hook('hk_2', URL_, { signing_key: 'sk_new', expires_at: EXPIRES }) });
    nock(BASE).delete('/v2/hooks/hk_1').reply(204);
    const result = await client(vendor).renew('hk_1', { url: URL_, events: ['order.paid'] });
    expect(result.kind).toBe('replaced');
    if (result.kind !== 'replaced') return;
    expect(result.subscription).toMatchObject({ id: 'hk_2', secret: 'sk_new', expiresAt: EXPIRES });
    expect(result.oldDeleted).toBe(true);
  });

  it('refuses a vendor whose subscriptions do not expire, before any request', async () => {
    await expect(client(withEvents(acmeVendor())).renew('hk_1', { url: URL_, events: [] })).rejects.toThrow(
      /Acme.*renew.*do not expire/,
    );
  });
});

describe('renewalDueAt', () => {
  it('is at 60% of the lifetime as granted', () => {
    const expiry = expiring({}).api.expiry;
    const granted = Date.parse('2030-01-01T00:00:00Z');
    expect(new Date(renewalDueAt(expiry, EXPIRES, granted)).toISOString()).toBe('2030-01-05T04:48:00.000Z');
    // Without the grant time: the longest lifetime before expiry.
    expect(renewalDueAt(expiry, EXPIRES)).toBe(renewalDueAt(expiry, EXPIRES, granted));
  });
});
