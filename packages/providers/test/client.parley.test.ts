import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { RateLimitError } from '@hookpack/core';
import { parley } from '@hookpack/providers';
import { failure, nockedClient } from './nocked-client.js';

// Parley (seed 000): X-API-Key, every response wrapped in {data}, facility_ids filter,
// PATCH is_active to reactivate, no idempotency keys → creates are guarded by a list lookup.

const BASE = 'https://api.parley.dev';
const KEY = 'prl_live_5f2c9a7e1b3d';
const TARGET = 'https://myapp.com/webhooks/parley';
const FACILITY = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

/** The create response exactly as the docs show it (ids completed). */
const createdWebhook = {
  id: 'wh_a1b2c3d4-0001',
  url: TARGET,
  events: ['violation.new', 'case.new'],
  facility_ids: [FACILITY],
  secret: 'whsec_9f8e7d6c5b4a3210',
  is_active: true,
  created_at: '2026-03-20T12:00:00Z',
};
const stored = (over: Record<string, unknown> = {}) => {
  const { secret: _secret, ...rest } = createdWebhook;
  return { ...rest, ...over };
};

const { client, delays } = nockedClient(parley, KEY);
const api = () =>
  nock(BASE)
    .matchHeader('X-API-Key', KEY)
    .matchHeader('Idempotency-Key', (v) => v == null);

describe('Parley requests and mappings', () => {
  it('documents create, list, get, update, delete — not test, rotate or me', async () => {
    const c = client();
    expect(
      ['create', 'list', 'get', 'update', 'delete', 'test', 'rotate', 'me'].map((op) => c.supports(op as never)),
    ).toEqual([true, true, true, true, true, false, false, false]);
    await expect(c.rotate('wh_1')).rejects.toThrow('Parley does not support rotate');
    await expect(c.me()).rejects.toThrow('Parley does not support me');
  });

  it('create: lists first (duplicate guard), then POST /v1/webhooks with the documented body', async () => {
    api().get('/v1/webhooks').reply(200, { data: [] });
    api()
      .post('/v1/webhooks', { url: TARGET, events: ['violation.new', 'case.new'], facility_ids: [FACILITY] })
      .matchHeader('Content-Type', 'application/json')
      .reply(201, { data: createdWebhook });
    const sub = await client().create({
      url: TARGET,
      events: ['violation.new', 'case.new'],
      options: { facility_ids: [FACILITY] },
    });
    expect(sub).toEqual({
      id: 'wh_a1b2c3d4-0001',
      url: TARGET,
      events: ['violation.new', 'case.new'],
      active: true,
      secret: 'whsec_9f8e7d6c5b4a3210',
      createdAt: '2026-03-20T12:00:00Z',
      options: { facility_ids: [FACILITY] },
      raw: createdWebhook,
    });
  });

  it('create without facilities omits facility_ids (= watch all)', async () => {
    api().get('/v1/webhooks').reply(200, { data: [] });
    api()
      .post(
        '/v1/webhooks',
        (body) => JSON.stringify(body) === JSON.stringify({ url: TARGET, events: ['violation.new'] }),
      )
      .reply(201, { data: { ...createdWebhook, events: ['violation.new'], facility_ids: null } });
    const sub = await client().create({ url: TARGET, events: ['violation.new'] });
    expect(sub.options).toEqual({});
  });

  it('list and get unwrap {data}; a redacted secret is not reported as a secret', async () => {
    api()
      .get('/v1/webhooks')
      .reply(200, { data: [stored({ secret: 'whsec_****' }), stored({ id: 'wh_2', is_active: false })] });
    api()
      .get('/v1/webhooks/wh_2')
      .reply(200, { data: stored({ id: 'wh_2', is_active: false, secret: 'whsec_9f8e…' }) });
    const c = client();
    const list = await c.list();
    expect(list.map((s) => [s.id, s.active, s.secret])).toEqual([
      ['wh_a1b2c3d4-0001', true, undefined],
      ['wh_2', false, undefined],
    ]);
    const one = await c.get('wh_2');
    expect(one).toMatchObject({ id: 'wh_2', active: false, options: { facility_ids: [FACILITY] } });
    expect(one.secret).toBeUndefined();
  });

  it('update: PATCH is_active reactivates an auto-deactivated webhook; other fields map too', async () => {
    api()
      .patch('/v1/webhooks/wh_1', { is_active: true })
      .reply(200, { data: stored({ id: 'wh_1' }) });
    api()
      .patch('/v1/webhooks/wh_1', { url: 'https://myapp.com/v2', events: ['case.updated'], facility_ids: ['f-2'] })
      .reply(200, {
        data: stored({ id: 'wh_1', url: 'https://myapp.com/v2', events: ['case.updated'], facility_ids: ['f-2'] }),
      });
    const c = client();
    expect((await c.update('wh_1', { active: true })).active).toBe(true);
    const changed = await c.update('wh_1', {
      url: 'https://myapp.com/v2',
      events: ['case.updated'],
      options: { facility_ids: ['f-2'] },
    });
    expect(changed).toMatchObject({
      url: 'https://myapp.com/v2',
      events: ['case.updated'],
      options: { facility_ids: ['f-2'] },
    });
  });

  it('delete: DELETE /v1/webhooks/{id}; 404 means already gone', async () => {
    api().delete('/v1/webhooks/wh_1').reply(204);
    api().delete('/v1/webhooks/wh_gone').reply(404, { error: 'Webhook not found' });
    expect(await client().delete('wh_1')).toEqual({ deleted: true });
    expect(await client().delete('wh_gone')).toEqual({ deleted: false });
  });

  it('findById uses GET and maps 404 to undefined', async () => {
    api().get('/v1/webhooks/wh_gone').reply(404, { error: 'Webhook not found' });
    expect(await client().findById('wh_gone')).toBeUndefined();
  });

  it('refuses http:// targets: Parley requires HTTPS', async () => {
    await expect(client().create({ url: 'http://myapp.com/h', events: ['violation.new'] })).rejects.toThrow(
      'Parley only delivers to HTTPS URLs, and "http://myapp.com/h" is not one.',
    );
  });
});

describe('Parley error behaviour', () => {
  it('401', async () => {
    api().get('/v1/webhooks').reply(401, { error: 'Invalid API key' });
    const e = await failure(client().list());
    expect(e).toMatchObject({ code: 'unauthorized', status: 401, vendor: 'Parley', operation: 'list' });
    expect(e!.message).toBe('Parley rejected the API key: invalid or revoked (401). Parley said: "Invalid API key".');
  });

  it('403 (webhooks need the Pro tier) is a plan/permission message, not a paid-event one', async () => {
    api().get('/v1/webhooks').reply(200, { data: [] });
    api().post('/v1/webhooks').reply(403, { error: 'Webhooks require the Pro tier' });
    const e = await failure(client().create({ url: TARGET, events: ['violation.new'] }));
    expect(e!.message).toBe(
      'Parley refused create (403): the API key\'s account is not allowed to do this (plan or permissions). Parley said: "Webhooks require the Pro tier".',
    );
  });

  it('404 on get names the id', async () => {
    api().get('/v1/webhooks/wh_x').reply(404, { error: 'Webhook not found' });
    await expect(client().get('wh_x')).rejects.toThrow('Parley has no subscription "wh_x" (404).');
  });

  it('429 honours Retry-After, or fails with RateLimitError past the cap', async () => {
    api().get('/v1/webhooks').reply(429, {}, { 'Retry-After': '5' });
    api().get('/v1/webhooks').reply(200, { data: [] });
    await client().list();
    expect(delays).toEqual([5000]);

    api().get('/v1/webhooks').reply(429, {}, { 'Retry-After': '120' });
    const e = await failure(client().list());
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e!.retryAfterMs).toBe(120_000);
  });

  it('5xx on create: no duplicate — the one Parley created anyway is deleted, then created again', async () => {
    api()
      .get('/v1/webhooks')
      .reply(200, { data: [stored({ id: 'wh_other', url: 'https://other.example/h' })] });
    api().post('/v1/webhooks').reply(500, { error: 'Internal error' });
    api()
      .get('/v1/webhooks')
      .reply(200, { data: [stored({ id: 'wh_other', url: 'https://other.example/h' }), stored({ id: 'wh_lost' })] });
    api().delete('/v1/webhooks/wh_lost').reply(204);
    api()
      .post('/v1/webhooks')
      .reply(201, { data: { ...createdWebhook, id: 'wh_new' } });
    const sub = await client().create({
      url: TARGET,
      events: ['violation.new', 'case.new'],
      options: { facility_ids: [FACILITY] },
    });
    expect(sub).toMatchObject({ id: 'wh_new', secret: 'whsec_9f8e7d6c5b4a3210' });
  });

  it('5xx on list is retried with backoff', async () => {
    api().get('/v1/webhooks').reply(503);
    api().get('/v1/webhooks').reply(200, { data: [] });
    expect(await client().list()).toEqual([]);
    expect(delays).toHaveLength(1);
  });
});
