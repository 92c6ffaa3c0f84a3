import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HookpackApiError,
  resourceCodec,
  validationStatusOf,
  verificationKeyOf,
  type SubscriptionInput,
  type VendorDefinition,
} from '@hookpack/core';
import { getVendor, vendors } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { clientFor, raw } from './helpers.js';

// Every documented operation of every REST vendor, through @hookpack/core's client, against
// the running sandbox over real loopback HTTP.

let sandbox: Sandbox;
const target = 'http://127.0.0.1:9/hook'; // nothing is fired in this file
beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.001 });
});
afterAll(async () => {
  await sandbox.stop();
});

const restVendors = vendors.filter((v) => v.api).map((v) => v.id);

/** The prefix every secret of the vendor starts with: its own, or the client-chosen rule's. */
function secretPrefixOf(vendor: VendorDefinition): string {
  return vendor.signature.secretSource === 'client'
    ? (vendor.signature.clientSecret?.prefix ?? '')
    : vendor.api!.resource.secretPrefix;
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function expectApiError(p: Promise<unknown>, code: string, status?: number): Promise<HookpackApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HookpackApiError);
  const err = e as HookpackApiError;
  expect(err.code).toBe(code);
  if (status !== undefined) expect(err.status).toBe(status);
  return err;
}

describe.each(restVendors)('%s', (vendorId) => {
  const vendor = getVendor(vendorId)!;
  const firstEvent = vendor.events[0]!.type;

  it('creates a subscription with a fresh secret (none where the app signs), then lists it without the secret', async () => {
    const client = clientFor(sandbox, vendorId);
    const a = await client.create({ url: `${target}/a`, events: [firstEvent] });
    const b = await client.create({ url: `${target}/b`, events: [firstEvent] });
    if (vendor.signature.secretSource === 'app') {
      expect([a.secret, b.secret, sandbox.subscription(a.id)?.secret]).toEqual([undefined, undefined, null]);
      const listed = await client.list();
      expect(JSON.stringify(listed.map((s) => s.raw))).not.toContain(sandbox.appSecret(vendorId));
      return;
    }
    // Public-key vendors hand out a public key; the private key that signs stays with the vendor.
    const keyFromApi = vendor.signature.publicKey?.source === 'api';
    const verifier = (s: typeof a) => (keyFromApi ? s.publicKey : s.secret);
    if (keyFromApi) expect(a.secret).toBeUndefined();
    else expect(a.secret).toMatch(new RegExp(`^${escapeRegExp(secretPrefixOf(vendor))}.{20,}`));
    expect(verifier(a)!.length).toBeGreaterThan(20);
    expect(verifier(b)).not.toBe(verifier(a));
    expect(a.active).toBe(true);
    expect(a.events).toEqual([firstEvent]);
    const listed = await client.list();
    const found = listed.find((s) => s.id === a.id);
    expect(found?.url).toBe(`${target}/a`);
    expect(found?.secret).toBeUndefined();
    const signingSecret = sandbox.subscription(a.id)!.secret!;
    expect(JSON.stringify(found?.raw)).not.toContain(signingSecret);
    // The sandbox itself keeps the real secret (or private key), for deliveries.
    expect(verificationKeyOf(vendor.signature.scheme, signingSecret)).toBe(verifier(a));
  });

  it('finds by id, and says not_found / deleted:false for unknown ids', async () => {
    const client = clientFor(sandbox, vendorId);
    const created = await client.create({ url: `${target}/find`, events: [firstEvent] });
    expect((await client.findById(created.id))?.id).toBe(created.id);
    expect(await client.findById('wh_does_not_exist')).toBeUndefined();
    if (client.supports('get')) await expectApiError(client.get('wh_does_not_exist'), 'not_found', 404);
    expect(await client.delete('wh_does_not_exist')).toEqual({ deleted: false });
  });

  it('deletes', async () => {
    const client = clientFor(sandbox, vendorId);
    const created = await client.create({ url: `${target}/del`, events: [firstEvent] });
    expect(await client.delete(created.id)).toEqual({ deleted: true });
    expect(await client.findById(created.id)).toBeUndefined();
    expect(sandbox.subscription(created.id)).toBeUndefined();
    expect(await client.delete(created.id)).toEqual({ deleted: false });
  });

  it('refuses a wrong API key with 401 in the vendor error shape', async () => {
    const bad = clientFor(sandbox, vendorId, { apiKey: 'wrong_key_123' });
    const err = await expectApiError(bad.list(), 'unauthorized', 401);
    expect(err.vendorMessage).toMatch(/invalid|revoked/i);
    const missing = await raw(sandbox, vendorId, 'GET', vendor.api!.endpoints.list!.path, { auth: false });
    expect(missing.status).toBe(401);
    expect(resourceCodec(vendor).errorInfo(missing.json).message).toMatch(/missing api key/i);
  });

  it('rejects unknown event types and missing fields with the validation status and field details', async () => {
    const client = clientFor(sandbox, vendorId);
    if (vendor.api!.resource.fields.eventFlags) {
      // Events are boolean fields: an unknown one cannot be written; the client names it first.
      await expect(client.create({ url: target, events: ['no.such.event'] })).rejects.toThrow(/no\.such\.event/);
    } else {
      const err = await expectApiError(
        client.create({ url: target, events: ['no.such.event'] }),
        'validation',
        validationStatusOf(vendor.api!.errors),
      );
      expect(JSON.stringify(err.details)).toContain('no.such.event');
    }
    const path = vendor.api!.endpoints.create!.path;
    const noUrl = await raw(sandbox, vendorId, 'POST', path, {
      body: resourceCodec(vendor).createBody({ events: [firstEvent] } as unknown as SubscriptionInput),
    });
    expect(noUrl.status).toBe(validationStatusOf(vendor.api!.errors));
    expect(resourceCodec(vendor).errorInfo(noUrl.json).details).toHaveProperty(vendor.api!.resource.fields.url);
    const notJson = await raw(sandbox, vendorId, 'POST', path, { body: '{"url": ' });
    expect(notJson.status).toBe(400);
    // In the vendor's error shape (a JSON:API error's detail names the field and the problem).
    // (A format whose message and details share one path, Shopify's `errors`, carries the details.)
    const notJsonInfo = resourceCodec(vendor).errorInfo(notJson.json);
    expect(notJsonInfo.message ?? JSON.stringify(notJsonInfo.details)).toMatch(/(not valid|invalid) JSON/);
    const notObject = await raw(sandbox, vendorId, 'POST', path, { body: [1, 2] });
    expect(notObject.status).toBe(validationStatusOf(vendor.api!.errors)); // JSON, but not a document
  });

  it('answers unknown routes with 404 and wrong methods with 405, never crashing', async () => {
    expect((await raw(sandbox, vendorId, 'GET', '/no/such/route')).status).toBe(404);
    const listPath = vendor.api!.endpoints.list!.path;
    expect((await raw(sandbox, vendorId, 'PUT', listPath, { body: {} })).status).toBe(405);
    // Still serving afterwards.
    expect((await raw(sandbox, vendorId, 'GET', listPath)).status).toBe(200);
  });

  it(
    vendor.api!.requiresHttpsTarget
      ? 'enforces HTTPS targets except on loopback'
      : 'accepts plain-http targets (no HTTPS rule)',
    async () => {
      const client = clientFor(sandbox, vendorId);
      if (vendor.api!.requiresHttpsTarget) {
        const err = await expectApiError(
          client.create({ url: 'http://example.test/hook', events: [firstEvent] }),
          'validation',
          validationStatusOf(vendor.api!.errors),
        );
        expect(err.vendorMessage ?? JSON.stringify(err.details)).toMatch(/https/i);
        expect((await client.create({ url: 'http://127.0.0.1:9/loopback', events: [firstEvent] })).id).toBeTruthy();
      } else {
        const created = await client.create({ url: 'http://example.test/hook', events: [firstEvent] });
        expect(sandbox.subscription(created.id)).toMatchObject({ url: 'http://example.test/hook' });
      }
    },
  );
});

describe('strictHttps', () => {
  it('applies the HTTPS-only rule to loopback targets too, for vendors that have it', async () => {
    const strict = await startSandbox({ strictHttps: true, vendors: ['parley', 'parseFlow'] });
    try {
      const err = await expectApiError(
        clientFor(strict, 'parley').create({ url: 'http://127.0.0.1:9/h', events: ['violation.new'] }),
        'validation',
        400,
      );
      expect(err.details).toHaveProperty('url');
      expect(
        (await clientFor(strict, 'parley').create({ url: 'https://127.0.0.1:9/h', events: ['violation.new'] })).id,
      ).toMatch(/^wh_/);
      // ParseFlow states no HTTPS rule.
      expect(
        (await clientFor(strict, 'parseFlow').create({ url: 'http://127.0.0.1:9/h', events: ['batch.failed'] })).id,
      ).toMatch(/^wh_/);
    } finally {
      await strict.stop();
    }
  });
});

describe('Parley', () => {
  it('wraps every answer in {data}, redacts the secret on reads and stores facility_ids', async () => {
    const client = clientFor(sandbox, 'parley');
    const created = await client.create({
      url: target,
      events: ['violation.new', 'case.new'],
      options: { facility_ids: ['fac-1'] },
    });
    expect(created.options).toEqual({ facility_ids: ['fac-1'] });
    const got = await raw(sandbox, 'parley', 'GET', `/v1/webhooks/${created.id}`);
    expect(got.json.data.id).toBe(created.id);
    expect(got.json.data.secret).toBe(`${created.secret!.slice(0, 10)}…`);
    expect(got.json.data.facility_ids).toEqual(['fac-1']);
    const list = await raw(sandbox, 'parley', 'GET', '/v1/webhooks');
    expect(Array.isArray(list.json.data)).toBe(true);
  });

  it('updates url, events, facility list and active status', async () => {
    const client = clientFor(sandbox, 'parley');
    const created = await client.create({ url: target, events: ['violation.new'] });
    const updated = await client.update(created.id, {
      url: `${target}/v2`,
      events: ['case.updated'],
      active: false,
      options: { facility_ids: ['fac-9'] },
    });
    expect(updated).toMatchObject({
      url: `${target}/v2`,
      events: ['case.updated'],
      active: false,
      options: { facility_ids: ['fac-9'] },
    });
    expect((await client.update(created.id, { active: true })).active).toBe(true);
    await expectApiError(client.update('wh_missing', { active: true }), 'not_found', 404);
  });
});

describe('Parlay', () => {
  it('pauses and resumes through `paused`, tests and rotates', async () => {
    const client = clientFor(sandbox, 'parlay');
    const created = await client.create({
      url: target,
      events: ['analysis.completed'],
      options: { name: 'production' },
    });
    expect(created.options).toEqual({ name: 'production' });
    expect(created.raw).toMatchObject({ enabled_events: ['analysis.completed'], signing_secret: created.secret });
    const paused = await client.update(created.id, { active: false });
    expect(paused.active).toBe(false);
    expect((paused.raw as { paused: boolean }).paused).toBe(true);
    expect((await client.update(created.id, { active: true })).active).toBe(true);
    const test = await client.test(created.id);
    expect(test.raw).toMatchObject({ event_type: 'webhook.test' });
    const rotated = await client.rotate(created.id);
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(created.secret);
    expect(sandbox.subscription(created.id)?.secret).toBe(rotated);
    await expectApiError(client.rotate('wh_missing'), 'not_found', 404);
    await expectApiError(client.test('wh_missing'), 'not_found', 404);
  });

  it('replays the first answer for a repeated Idempotency-Key, and refuses the key for another request', async () => {
    const key = 'idem-key-1';
    const body = { url: target, enabled_events: ['analysis.failed'] };
    const first = await raw(sandbox, 'parlay', 'POST', '/v1/webhooks', { body, headers: { 'Idempotency-Key': key } });
    const second = await raw(sandbox, 'parlay', 'POST', '/v1/webhooks', { body, headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(sandbox.subscriptions('parlay').filter((s) => s.id === first.json.id)).toHaveLength(1);
    const other = await raw(sandbox, 'parlay', 'POST', '/v1/webhooks', {
      body: { ...body, url: `${target}/other` },
      headers: { 'Idempotency-Key': key },
    });
    expect(other.status).toBe(400);
    expect(other.json.error.type).toBe('invalid_request_error');
    // Without a key, the same request creates another subscription.
    const third = await raw(sandbox, 'parlay', 'POST', '/v1/webhooks', { body });
    expect(third.json.id).not.toBe(first.json.id);
  });

  it('answers errors in Stripe style', async () => {
    const res = await raw(sandbox, 'parlay', 'GET', '/v1/webhooks/wh_nope');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { type: 'invalid_request_error', message: expect.stringContaining('wh_nope') } });
  });
});

describe('Parsley', () => {
  it('answers GET /me with the documented identity (X-API-Key or Bearer)', async () => {
    const me = (await clientFor(sandbox, 'parsley').me()) as Record<string, unknown>;
    expect(me).toMatchObject({
      userId: expect.any(String),
      availableEvents: expect.arrayContaining(['profile.viewed']),
    });
    const bearer = await fetch(`${sandbox.baseUrl('parsley')}/me`, {
      headers: { Authorization: `Bearer ${sandbox.apiKey('parsley')}` },
    });
    expect(bearer.status).toBe(200);
    await bearer.text();
  });

  it('lists only the secret prefix, updates active, and sends a test event', async () => {
    const client = clientFor(sandbox, 'parsley');
    const created = await client.create({ url: target, events: ['profile.viewed'] });
    const list = await raw(sandbox, 'parsley', 'GET', '/webhooks');
    const item = list.json.data.find((w: { id: string }) => w.id === created.id);
    expect(item.secret).toBeUndefined();
    expect(created.secret!.startsWith(item.secretPrefix)).toBe(true);
    expect(item.secretPrefix.length).toBeLessThan(created.secret!.length);
    expect((await client.update(created.id, { active: false })).active).toBe(false);
    expect((await client.test(created.id)).raw).toMatchObject({ event_type: 'profile.viewed' });
  });

  it('refuses paid events without credits (403), accepts them with credits', async () => {
    const client = clientFor(sandbox, 'parsley');
    sandbox.setCredits('parsley', false);
    try {
      const err = await expectApiError(
        client.create({ url: target, events: ['profile.viewed', 'lead.scored'] }),
        'forbidden',
        403,
      );
      expect(err.message).toContain('lead.scored');
      expect((await client.create({ url: target, events: ['profile.viewed'] })).id).toMatch(/^sub_/);
    } finally {
      sandbox.setCredits('parsley', true);
    }
    expect((await client.create({ url: target, events: ['lead.scored'] })).events).toEqual(['lead.scored']);
  });

  it('limits to 100 requests per minute with 429, X-RateLimit-* and Retry-After', async () => {
    const own = await startSandbox({ vendors: ['parsley'] });
    try {
      const first = await raw(own, 'parsley', 'GET', '/me');
      expect(first.headers.get('x-ratelimit-limit')).toBe('100');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('99');
      for (let i = 1; i < 100; i++) expect((await raw(own, 'parsley', 'GET', '/webhooks')).status).toBe(200);
      const limited = await raw(own, 'parsley', 'GET', '/me');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(limited.json.error).toMatch(/rate limit/i);
      const err = await expectApiError(
        clientFor(own, 'parsley', { retry: { maxAttempts: 1, maxRetryAfterMs: 0 } }).list(),
        'rate_limited',
        429,
      );
      expect(err.retryAfterMs).toBeGreaterThan(0);
    } finally {
      await own.stop();
    }
  });
});

describe('ParseFlow', () => {
  it('deletes with ?id= and has no update endpoint', async () => {
    const client = clientFor(sandbox, 'parseFlow');
    const created = await client.create({ url: target, events: ['extraction.completed'] });
    const noId = await raw(sandbox, 'parseFlow', 'DELETE', '/api/webhooks/notifications');
    expect(noId.status).toBe(400);
    expect(noId.json.error).toMatch(/\?id=/);
    const del = await raw(sandbox, 'parseFlow', 'DELETE', `/api/webhooks/notifications?id=${created.id}`);
    expect(del.status).toBe(204);
    expect(client.supports('update')).toBe(false);
    expect((await raw(sandbox, 'parseFlow', 'PATCH', `/api/webhooks/notifications`, { body: {} })).status).toBe(405);
  });
});
