import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { RateLimitError } from '@hookpack/core';
import { parseFlow } from '@hookpack/providers';
import { failure, nockedClient } from './nocked-client.js';

// ParseFlow (seed 004): X-API-Key, POST/GET /api/webhooks/notifications, DELETE ?id=,
// nothing else. No idempotency keys → creates are guarded by a list lookup.

const BASE = 'https://parseflow.dev';
const PATH = '/api/webhooks/notifications';
const KEY = 'dm_live_your_api_key_01';
const TARGET = 'https://your-app.com/webhooks/parseflow';

/** The create response exactly as the docs show it. */
const createdHook = {
  id: 'wh_a1b2c3d4e5f6g7h8',
  url: TARGET,
  events: ['extraction.completed', 'extraction.failed'],
  secret: 'whsec_AbCdEfGhIjKlMnOpQrStUvWxYz123456',
  isActive: true,
  createdAt: '2026-04-14T10:00:00Z',
};
const listed = (over: Record<string, unknown> = {}) => {
  const { secret: _s, ...rest } = createdHook;
  return { ...rest, ...over };
};

const { client, delays } = nockedClient(parseFlow, KEY);
const api = () =>
  nock(BASE)
    .matchHeader('X-API-Key', KEY)
    .matchHeader('Idempotency-Key', (v) => v == null);

describe('ParseFlow requests and mappings', () => {
  it('supports create, list, delete only', async () => {
    const c = client();
    expect(['create', 'list', 'delete'].every((op) => c.supports(op as never))).toBe(true);
    for (const op of ['get', 'update', 'test', 'rotate', 'me'] as const) expect(c.supports(op)).toBe(false);
    await expect(c.update('wh_1', { active: false })).rejects.toThrow('ParseFlow does not support update');
    await expect(c.test('wh_1')).rejects.toThrow('ParseFlow does not support test');
    await expect(c.me()).rejects.toThrow('ParseFlow does not support me');
  });

  it('create: lists first, then POST {url, events}; maps isActive and the secret', async () => {
    api().get(PATH).reply(200, []);
    api()
      .post(
        PATH,
        (b) =>
          JSON.stringify(b) === JSON.stringify({ url: TARGET, events: ['extraction.completed', 'extraction.failed'] }),
      )
      .matchHeader('Content-Type', 'application/json')
      .reply(200, createdHook);
    expect(await client().create({ url: TARGET, events: ['extraction.completed', 'extraction.failed'] })).toEqual({
      id: 'wh_a1b2c3d4e5f6g7h8',
      url: TARGET,
      events: ['extraction.completed', 'extraction.failed'],
      active: true,
      secret: 'whsec_AbCdEfGhIjKlMnOpQrStUvWxYz123456',
      createdAt: '2026-04-14T10:00:00Z',
      options: {},
      raw: createdHook,
    });
  });

  it('list accepts a bare array or a {webhooks} wrapper', async () => {
    api()
      .get(PATH)
      .reply(200, [listed(), listed({ id: 'wh_2', isActive: false })]);
    api()
      .get(PATH)
      .reply(200, { webhooks: [listed()] });
    const c = client();
    expect((await c.list()).map((s) => [s.id, s.active, s.secret])).toEqual([
      ['wh_a1b2c3d4e5f6g7h8', true, undefined],
      ['wh_2', false, undefined],
    ]);
    expect(await c.list()).toHaveLength(1);
  });

  it('delete: DELETE /api/webhooks/notifications?id=<id>; 404 means already gone', async () => {
    api().delete(PATH).query({ id: 'wh_a1b2c3d4e5f6g7h8' }).reply(200, { success: true });
    api().delete(PATH).query({ id: 'wh_gone' }).reply(404, { error: 'Webhook not found' });
    const c = client();
    expect(await c.delete('wh_a1b2c3d4e5f6g7h8')).toEqual({ deleted: true });
    expect(await c.delete('wh_gone')).toEqual({ deleted: false });
  });

  it('findById goes through the list', async () => {
    api().get(PATH).times(2).reply(200, [listed()]);
    const c = client();
    expect((await c.findById('wh_a1b2c3d4e5f6g7h8'))?.events).toEqual(['extraction.completed', 'extraction.failed']);
    expect(await c.findById('wh_nope')).toBeUndefined();
  });

  it('http targets are allowed: ParseFlow states no HTTPS rule', async () => {
    api().get(PATH).reply(200, []);
    api()
      .post(PATH)
      .reply(200, { ...createdHook, url: 'http://127.0.0.1:5678/webhook/x' });
    expect((await client().create({ url: 'http://127.0.0.1:5678/webhook/x', events: ['batch.completed'] })).url).toBe(
      'http://127.0.0.1:5678/webhook/x',
    );
  });
});

describe('ParseFlow error behaviour', () => {
  it('401', async () => {
    api().get(PATH).reply(401, { error: 'Invalid API key' });
    await expect(client().list()).rejects.toThrow(
      'ParseFlow rejected the API key: invalid or revoked (401). ParseFlow said: "Invalid API key".',
    );
  });

  it('403 (webhooks need Pro or Enterprise)', async () => {
    api().get(PATH).reply(200, []);
    api().post(PATH).reply(403, { error: 'Webhooks are available on Pro and Enterprise plans' });
    const e = await failure(client().create({ url: TARGET, events: ['quota.warning'] }));
    expect(e).toMatchObject({
      code: 'forbidden',
      status: 403,
      vendorMessage: 'Webhooks are available on Pro and Enterprise plans',
    });
    expect(e!.message).toMatch(/^ParseFlow refused create \(403\): the API key's account is not allowed/);
  });

  it('429 and 5xx on list are retried', async () => {
    api().get(PATH).reply(429, {}, { 'Retry-After': '2' });
    api().get(PATH).reply(500, {});
    api().get(PATH).reply(200, []);
    await client().list();
    expect(delays).toEqual([2000, 500]); // Retry-After, then random 0.5 × ceiling (500 ms · 2)
  });

  it('429 past the cap is a RateLimitError', async () => {
    api().delete(PATH).query({ id: 'wh_1' }).reply(429, {}, { 'Retry-After': 'Wed, 01 Jan 2100 00:00:00 GMT' });
    await expect(client().delete('wh_1')).rejects.toBeInstanceOf(RateLimitError);
  });

  it('503 on create, nothing created: retried after the lookup — one subscription in the end', async () => {
    api().get(PATH).reply(200, []);
    api().post(PATH).reply(503, { error: 'Service unavailable' });
    api().get(PATH).reply(200, []);
    api().post(PATH).reply(200, createdHook);
    expect((await client().create({ url: TARGET, events: ['extraction.completed'] })).secret).toBe(createdHook.secret);
  });

  it('a reset connection on create, created anyway: deleted by ?id=, then created again', async () => {
    api().get(PATH).reply(200, []);
    api()
      .post(PATH)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    api()
      .get(PATH)
      .reply(200, [listed({ id: 'wh_lost' })]);
    api().delete(PATH).query({ id: 'wh_lost' }).reply(200, {});
    api()
      .post(PATH)
      .reply(200, { ...createdHook, id: 'wh_new' });
    expect((await client().create({ url: TARGET, events: ['extraction.completed'] })).id).toBe('wh_new');
  });
});
