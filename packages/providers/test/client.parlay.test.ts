import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createSubscriptionClient, RateLimitError } from '@hookpack/core';
import { parlay } from '@hookpack/providers';
import { failure, nockedClient } from './nocked-client.js';

// Parlay (seed 001): Bearer key, Idempotency-Key on every mutation (so retried creates are
// safe without a lookup), enabled_events, signing_secret, /test, /rotate, PATCH paused.

const BASE = 'https://parlay-api-dev-o7nogixtqq-uc.a.run.app';
const KEY = 'pk_sandbox_3c9f0a2b';
const TARGET = 'https://your-app.com/parlay-webhook';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVENTS = ['analysis.completed', 'analysis.failed', 'playbook.draft.completed'];

/** The create response exactly as the docs show it. */
const createdWebhook = {
  id: 'wh_2k4xJzaB',
  url: TARGET,
  enabled_events: EVENTS,
  signing_secret: 'whsec_longstring_0123456789',
  created_at: '2026-04-24T18:53:17.867123+00:00',
};
const { signing_secret: _s, ...storedWebhook } = createdWebhook;

const keys: string[] = [];
const { client, delays } = nockedClient(parlay, KEY, () => (keys.length = 0));
// A missing header (null) does not match, so such a request fails the test.
const recordKey = (v: string | null) => v != null && keys.push(v) > 0;
/** Mutations: Bearer auth and an Idempotency-Key (recorded). */
const mutation = () =>
  nock(BASE).matchHeader('Authorization', `Bearer ${KEY}`).matchHeader('Idempotency-Key', recordKey);
/** Reads: Bearer auth and no Idempotency-Key. */
const read = () =>
  nock(BASE)
    .matchHeader('Authorization', `Bearer ${KEY}`)
    .matchHeader('Idempotency-Key', (v) => v == null);
/** The list a create looks at first (what already points at its URL): empty. */
const noneAtUrl = () => read().get('/v1/webhooks').reply(200, { object: 'list', data: [] });

describe('Parlay requests and mappings', () => {
  it('supports the documented create, test, rotate, update and the assumed list/get/delete; not me', async () => {
    const c = client();
    for (const op of ['create', 'test', 'rotate', 'update', 'list', 'get', 'delete'] as const)
      expect(c.supports(op)).toBe(true);
    expect(c.supports('me')).toBe(false);
    await expect(c.me()).rejects.toThrow('Parlay does not support me');
  });

  it('create: a lookup, then one POST with Bearer, a UUID Idempotency-Key and {url, name, enabled_events}', async () => {
    noneAtUrl();
    mutation()
      .post('/v1/webhooks', { url: TARGET, name: 'production', enabled_events: EVENTS })
      .matchHeader('Content-Type', 'application/json')
      .reply(201, createdWebhook);
    const sub = await client().create({ url: TARGET, events: EVENTS, options: { name: 'production' } });
    expect(sub).toEqual({
      id: 'wh_2k4xJzaB',
      url: TARGET,
      events: EVENTS,
      active: true,
      secret: 'whsec_longstring_0123456789',
      createdAt: '2026-04-24T18:53:17.867123+00:00',
      options: {},
      raw: createdWebhook,
    });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(UUID);
  });

  it('create without a name leaves name out of the body', async () => {
    noneAtUrl();
    mutation()
      .post(
        '/v1/webhooks',
        (b) => JSON.stringify(b) === JSON.stringify({ url: TARGET, enabled_events: ['analysis.completed'] }),
      )
      .reply(201, { ...createdWebhook, enabled_events: ['analysis.completed'] });
    await client().create({ url: TARGET, events: ['analysis.completed'] });
  });

  it('test: POST /v1/webhooks/{id}/test with an Idempotency-Key and no body', async () => {
    mutation()
      .post(
        '/v1/webhooks/wh_2k4xJzaB/test',
        (b) => b === '' || b === undefined || (typeof b === 'object' && Object.keys(b).length === 0),
      )
      .matchHeader('Content-Type', (v) => v == null)
      .reply(200, { ok: true });
    expect(await client().test('wh_2k4xJzaB')).toEqual({ raw: { ok: true } });
    expect(keys[0]).toMatch(UUID);
  });

  it('rotate returns the new signing_secret, with or without the whole webhook around it', async () => {
    mutation().post('/v1/webhooks/wh_2k4xJzaB/rotate').reply(200, { signing_secret: 'whsec_rotated_1' });
    mutation()
      .post('/v1/webhooks/wh_2k4xJzaB/rotate')
      .reply(200, { ...createdWebhook, signing_secret: 'whsec_rotated_2' });
    expect(await client().rotate('wh_2k4xJzaB')).toBe('whsec_rotated_1');
    expect(await client().rotate('wh_2k4xJzaB')).toBe('whsec_rotated_2');
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('update: pause is PATCH {paused: true}, resume is {paused: false}', async () => {
    mutation()
      .patch('/v1/webhooks/wh_2k4xJzaB', { paused: true })
      .reply(200, { ...storedWebhook, paused: true });
    mutation()
      .patch('/v1/webhooks/wh_2k4xJzaB', { paused: false })
      .reply(200, { ...storedWebhook, paused: false });
    const c = client();
    expect((await c.update('wh_2k4xJzaB', { active: false })).active).toBe(false);
    expect((await c.update('wh_2k4xJzaB', { active: true })).active).toBe(true);
  });

  it('list reads a Stripe-style {data: [...]} list; get and delete use /v1/webhooks/{id}', async () => {
    read()
      .get('/v1/webhooks')
      .reply(200, { object: 'list', data: [storedWebhook, { ...storedWebhook, id: 'wh_p', paused: true }] });
    read()
      .get('/v1/webhooks/wh_p')
      .reply(200, { ...storedWebhook, id: 'wh_p', paused: true });
    mutation().delete('/v1/webhooks/wh_p').reply(200, { id: 'wh_p', deleted: true });
    mutation()
      .delete('/v1/webhooks/wh_gone')
      .reply(404, { error: { message: 'No such webhook' } });
    const c = client();
    expect((await c.list()).map((s) => [s.id, s.active, s.secret])).toEqual([
      ['wh_2k4xJzaB', true, undefined],
      ['wh_p', false, undefined],
    ]);
    expect((await c.get('wh_p')).active).toBe(false);
    expect(await c.delete('wh_p')).toEqual({ deleted: true });
    expect(await c.delete('wh_gone')).toEqual({ deleted: false });
  });
});

describe('Parlay error behaviour', () => {
  it('401 reads a Stripe-style error body', async () => {
    noneAtUrl();
    mutation()
      .post('/v1/webhooks')
      .reply(401, { error: { type: 'authentication_error', message: 'Invalid API key provided' } });
    const e = await failure(client().create({ url: TARGET, events: EVENTS }));
    expect(e).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(e!.message).toBe(
      'Parlay rejected the API key: invalid or revoked (401). Parlay said: "Invalid API key provided".',
    );
  });

  it('401 with a key of another vendor hints at the prefix', async () => {
    nock(BASE).get('/v1/webhooks').matchHeader('Authorization', 'Bearer prl_wrong').reply(401, {});
    const e = await failure(createSubscriptionClient(parlay, { apiKey: 'prl_wrong', baseUrl: BASE }).list());
    expect(e!.message).toContain('The key does not start with "pk_sandbox_" or "pk_live_" as Parlay keys do.');
  });

  it('403 and 404', async () => {
    mutation()
      .post('/v1/webhooks/wh_1/rotate')
      .reply(403, { error: { message: 'Key lacks webhooks:write' } });
    mutation()
      .patch('/v1/webhooks/wh_x')
      .reply(404, { error: { message: 'No such webhook: wh_x' } });
    await expect(client().rotate('wh_1')).rejects.toMatchObject({
      code: 'forbidden',
      vendorMessage: 'Key lacks webhooks:write',
    });
    await expect(client().update('wh_x', { active: false })).rejects.toThrow(
      'Parlay has no subscription "wh_x" (404).',
    );
  });

  it('400 validation details from a Stripe-style param error', async () => {
    noneAtUrl();
    mutation()
      .post('/v1/webhooks')
      .reply(400, { error: { message: 'Invalid URL', param: 'url' } });
    const e = await failure(client().create({ url: TARGET, events: EVENTS }));
    expect(e).toMatchObject({ code: 'validation', details: { url: 'Invalid URL' } });
    expect(e!.message).toContain('Details: url: Invalid URL.');
  });

  it('429 then success: waits Retry-After and keeps the same Idempotency-Key', async () => {
    noneAtUrl();
    mutation().post('/v1/webhooks').reply(429, {}, { 'Retry-After': '3' });
    mutation().post('/v1/webhooks').reply(201, createdWebhook);
    await client().create({ url: TARGET, events: EVENTS });
    expect(delays).toEqual([3000]);
    expect(keys[0]).toBe(keys[1]);
  });

  it('429 beyond the cap → RateLimitError', async () => {
    mutation().post('/v1/webhooks/wh_1/test').reply(429, {}, { 'Retry-After': '900' });
    await expect(client().test('wh_1')).rejects.toBeInstanceOf(RateLimitError);
  });

  it('5xx on create: retried with the same Idempotency-Key (Parlay dedupes), listed only before', async () => {
    noneAtUrl();
    mutation().post('/v1/webhooks').reply(502);
    mutation()
      .post('/v1/webhooks')
      .reply(500, { error: { message: 'oops' } });
    mutation().post('/v1/webhooks').reply(201, createdWebhook);
    expect((await client().create({ url: TARGET, events: EVENTS })).secret).toBe('whsec_longstring_0123456789');
    expect(new Set(keys).size).toBe(1);
    expect(keys).toHaveLength(3);
  });

  it('5xx that persists: server error after 3 attempts, then a look for what Parlay stored anyway', async () => {
    noneAtUrl();
    noneAtUrl();
    mutation()
      .post('/v1/webhooks')
      .times(3)
      .reply(503, { error: { message: 'maintenance' } });
    await expect(client().create({ url: TARGET, events: EVENTS })).rejects.toMatchObject({
      code: 'server',
      attempts: 3,
    });
  });
});
