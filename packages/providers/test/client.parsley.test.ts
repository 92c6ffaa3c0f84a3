import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { RateLimitError } from '@hookpack/core';
import { parsley } from '@hookpack/providers';
import { failure, nockedClient } from './nocked-client.js';

// Parsley (seed 002): base URL with a path (/api/v1), X-API-Key, GET /me, webhooks CRUD
// without GET-by-id, /test, 100 req/min (429 + Retry-After: 60), 403 for paid events,
// errors {error, details}. No idempotency keys → creates are guarded by a list lookup.

const BASE = 'https://www.parsley.id';
const KEY = 'pk_live_yourkeyhere0001';
const TARGET = 'https://hooks.example.com/parsley';

/** The create response exactly as the docs show it (201). */
const createdSub = {
  id: 'sub_abc123',
  url: TARGET,
  events: ['lead.scored', 'signal.detected'],
  secret: 'whsec_a1b2c3d4e5',
  active: true,
  createdAt: '2026-05-07T14:30:00Z',
};
const listed = (over: Record<string, unknown> = {}) => {
  const { secret: _s, ...rest } = createdSub;
  return { ...rest, secretPrefix: 'whsec_a1', ...over };
};
const meBody = {
  userId: 'user_abc123',
  email: 'you@yourcompany.com',
  name: 'Your Name',
  organisation: 'Your Company',
  tier: 'business',
  availableEvents: [
    'profile.viewed',
    'chatbot.conversation.completed',
    'lead.captured',
    'lead.scored',
    'signal.detected',
  ],
};

const { client, delays } = nockedClient(parsley, KEY);
const api = () =>
  nock(BASE)
    .matchHeader('X-API-Key', KEY)
    .matchHeader('Authorization', (v) => v == null)
    .matchHeader('Idempotency-Key', (v) => v == null);

describe('Parsley requests and mappings', () => {
  it('supports me, create, list, update, delete, test — not get or rotate', async () => {
    const c = client();
    expect(['me', 'create', 'list', 'update', 'delete', 'test'].every((op) => c.supports(op as never))).toBe(true);
    expect(c.supports('get')).toBe(false);
    expect(c.supports('rotate')).toBe(false);
    await expect(c.get('sub_abc123')).rejects.toThrow('Parsley does not support get');
    await expect(c.rotate('sub_abc123')).rejects.toThrow('Parsley does not support rotate');
  });

  it('me: GET /api/v1/me returns the identity object', async () => {
    api().get('/api/v1/me').matchHeader('Accept', 'application/json').reply(200, meBody);
    expect(await client().me()).toEqual(meBody);
  });

  it('create: lists first, then POST /api/v1/webhooks {url, events}; maps the 201 answer', async () => {
    api().get('/api/v1/webhooks').reply(200, []);
    api()
      .post(
        '/api/v1/webhooks',
        (b) => JSON.stringify(b) === JSON.stringify({ url: TARGET, events: ['lead.scored', 'signal.detected'] }),
      )
      .matchHeader('Content-Type', 'application/json')
      .reply(201, createdSub);
    expect(await client().create({ url: TARGET, events: ['lead.scored', 'signal.detected'] })).toEqual({
      id: 'sub_abc123',
      url: TARGET,
      events: ['lead.scored', 'signal.detected'],
      active: true,
      secret: 'whsec_a1b2c3d4e5',
      createdAt: '2026-05-07T14:30:00Z',
      options: {},
      raw: createdSub,
    });
  });

  it('list: only a secret prefix comes back, which is not a secret', async () => {
    api()
      .get('/api/v1/webhooks')
      .reply(200, { data: [listed(), listed({ id: 'sub_2', active: false })] });
    const subs = await client().list();
    expect(subs.map((s) => [s.id, s.active, s.secret])).toEqual([
      ['sub_abc123', true, undefined],
      ['sub_2', false, undefined],
    ]);
  });

  it('findById and findByUrl work through the list (no GET by id)', async () => {
    api().get('/api/v1/webhooks').times(3).reply(200, [listed()]);
    const c = client();
    expect((await c.findById('sub_abc123'))?.url).toBe(TARGET);
    expect(await c.findById('sub_gone')).toBeUndefined();
    expect((await c.findByUrl(TARGET))?.id).toBe('sub_abc123');
  });

  it('update: PATCH /api/v1/webhooks/{id} {active:false}, and url/events', async () => {
    api()
      .patch('/api/v1/webhooks/sub_abc123', { active: false })
      .reply(200, listed({ active: false }));
    api()
      .patch('/api/v1/webhooks/sub_abc123', { url: 'https://hooks.example.com/v2', events: ['profile.viewed'] })
      .reply(200, listed({ url: 'https://hooks.example.com/v2', events: ['profile.viewed'] }));
    const c = client();
    expect((await c.update('sub_abc123', { active: false })).active).toBe(false);
    expect(
      (await c.update('sub_abc123', { url: 'https://hooks.example.com/v2', events: ['profile.viewed'] })).events,
    ).toEqual(['profile.viewed']);
  });

  it('delete and test', async () => {
    api().delete('/api/v1/webhooks/sub_abc123').reply(200, { deleted: true });
    api().delete('/api/v1/webhooks/sub_gone').reply(404, { error: 'Subscription not found' });
    api().post('/api/v1/webhooks/sub_abc123/test').reply(200, { sent: true, type: 'lead.scored' });
    const c = client();
    expect(await c.delete('sub_abc123')).toEqual({ deleted: true });
    expect(await c.delete('sub_gone')).toEqual({ deleted: false });
    expect(await c.test('sub_abc123')).toEqual({ raw: { sent: true, type: 'lead.scored' } });
  });

  it('a sandbox base URL keeps its path', async () => {
    nock('http://127.0.0.1:4100').get('/parsley/api/v1/me').matchHeader('X-API-Key', KEY).reply(200, meBody);
    await client({ baseUrl: 'http://127.0.0.1:4100/parsley/api/v1/' }).me();
  });
});

describe('Parsley error behaviour', () => {
  it("401: invalid or revoked key, with Parsley's own words", async () => {
    api().get('/api/v1/me').reply(401, { error: 'Invalid or revoked API key.' });
    const e = await failure(client().me());
    expect(e).toMatchObject({ code: 'unauthorized', status: 401, operation: 'me', vendor: 'Parsley' });
    expect(e!.message).toBe(
      'Parsley rejected the API key: invalid or revoked (401). Parsley said: "Invalid or revoked API key".',
    );
  });

  it('403 names the paid events of the request', async () => {
    api().get('/api/v1/webhooks').reply(200, []);
    api().post('/api/v1/webhooks').reply(403, { error: 'Event requires a paid plan or credit balance' });
    const e = await failure(client().create({ url: TARGET, events: ['profile.viewed', 'lead.scored'] }));
    expect(e).toMatchObject({ code: 'forbidden', status: 403 });
    expect(e!.message).toBe(
      'Parsley refused create (403): lead.scored needs a paid plan or credits. Parsley said: "Event requires a paid plan or credit balance".',
    );
  });

  it('403 on update names the paid events of the patch', async () => {
    api().patch('/api/v1/webhooks/sub_1').reply(403, { error: 'Payment required' });
    const e = await failure(client().update('sub_1', { events: ['signal.detected', 'lead.captured'] }));
    expect(e!.message).toMatch(
      /^Parsley refused update \(403\): signal\.detected and lead\.captured need a paid plan or credits\./,
    );
  });

  it('400 carries the details object keyed by field', async () => {
    api().get('/api/v1/webhooks').reply(200, []);
    api()
      .post('/api/v1/webhooks')
      .reply(400, {
        error: 'Validation failed',
        details: { url: 'Must be an HTTPS URL', events: 'Unknown event: lead.won' },
      });
    const e = await failure(client().create({ url: TARGET, events: ['lead.won'] }));
    expect(e).toMatchObject({
      code: 'validation',
      details: { url: 'Must be an HTTPS URL', events: 'Unknown event: lead.won' },
    });
    expect(e!.message).toBe(
      'Parsley rejected the create request as invalid (400). Parsley said: "Validation failed". Details: url: Must be an HTTPS URL; events: Unknown event: lead.won.',
    );
  });

  it('404 on update names the subscription', async () => {
    api().patch('/api/v1/webhooks/sub_x').reply(404, { error: 'Subscription not found' });
    await expect(client().update('sub_x', { active: true })).rejects.toThrow(
      'Parsley has no subscription "sub_x" (404).',
    );
  });

  it('429 with the documented Retry-After: 60 is waited out (default cap 60 s)', async () => {
    const limited = { 'Retry-After': '60', 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0' };
    api().get('/api/v1/webhooks').reply(429, { error: 'Rate limit exceeded' }, limited);
    api().get('/api/v1/webhooks').reply(200, []);
    await client().list();
    expect(delays).toEqual([60_000]);
  });

  it('429 with a lower cap fails fast with RateLimitError carrying retryAfterMs', async () => {
    api().get('/api/v1/webhooks').reply(429, { error: 'Rate limit exceeded' }, { 'Retry-After': '60' });
    const e = await failure(client({ retry: { maxRetryAfterMs: 10_000 } }).list());
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e).toMatchObject({ retryAfterMs: 60_000, attempts: 1 });
    expect(delays).toEqual([]);
  });

  it('500 on create ("safe to retry"): looks up first, so a created-anyway subscription is replaced, not duplicated', async () => {
    api()
      .get('/api/v1/webhooks')
      .reply(200, [listed({ id: 'sub_existing', url: 'https://elsewhere.example/' })]);
    api().post('/api/v1/webhooks').reply(500, { error: 'Server error' });
    api()
      .get('/api/v1/webhooks')
      .reply(200, [listed({ id: 'sub_existing', url: 'https://elsewhere.example/' }), listed({ id: 'sub_lost' })]);
    api().delete('/api/v1/webhooks/sub_lost').reply(200, {});
    api()
      .post('/api/v1/webhooks')
      .reply(201, { ...createdSub, id: 'sub_new' });
    expect((await client().create({ url: TARGET, events: ['lead.scored'] })).id).toBe('sub_new');
  });

  it('500 on test is not repeated (it would send a second test event)', async () => {
    api().post('/api/v1/webhooks/sub_1/test').reply(500, { error: 'Server error' });
    await expect(client().test('sub_1')).rejects.toMatchObject({ code: 'server', attempts: 1 });
  });
});
