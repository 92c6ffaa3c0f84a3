import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '@hookpack/core';
import { getVendor, vendors } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { clientFor, raw } from './helpers.js';
import { startReceiver, type Receiver } from './receiver.js';

// The /_sandbox HTTP API (for tools that are not in-process), state persistence, and hostile input.

let sandbox: Sandbox;
let receiver: Receiver;
beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.001 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await sandbox.stop();
  await receiver.close();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('inspection API', () => {
  it('describes the vendors it serves', async () => {
    const { status, json } = await call('GET', '');
    expect(status).toBe(200);
    expect(json.timeScale).toBe(0.001);
    expect(json.vendors.map((v: { id: string }) => v.id)).toEqual(vendors.map((v) => v.id));
    const recipes = json.vendors.find((v: { id: string }) => v.id === 'parsleyRecipes');
    expect(recipes).toMatchObject({ baseUrl: null, apiKey: null });
    expect(json.vendors.find((v: { id: string }) => v.id === 'parley').apiKey).toBe(sandbox.apiKey('parley'));
  });

  it('adds a hand-configured hook, fires, settles and lists attempts', async () => {
    const hook = await call('POST', '/hooks', {
      vendor: 'parsleyRecipes',
      url: receiver.url,
      events: ['RecipeModified'],
      secret: 'rs',
    });
    expect(hook.status).toBe(201);
    expect(hook.json).toMatchObject({ vendor: 'parsleyRecipes', manual: true, secret: 'rs', active: true });
    const fired = await call('POST', '/events', {
      vendor: 'parsleyRecipes',
      type: 'RecipeModified',
      data: { recipeId: 7, timestamp: '2026-01-01T00:00:00Z' },
    });
    expect(fired.status).toBe(202);
    expect(fired.json.deliveries).toHaveLength(1);
    expect((await call('POST', '/settle', { timeoutMs: 5000 })).json).toEqual({ settled: true });
    const deliveries = await call('GET', `/deliveries?subscription=${hook.json.id}`);
    expect(deliveries.json).toEqual([
      expect.objectContaining({
        eventId: fired.json.eventId,
        state: 'delivered',
        attempts: [expect.objectContaining({ statusCode: 200 })],
      }),
    ]);
    const got = receiver.received.at(-1)!;
    const v = verifyDelivery(getVendor('parsleyRecipes')!, { body: got.body, headers: got.headers, secret: 'rs' });
    expect(v.ok && v.event.data).toEqual({ recipeId: 7, timestamp: '2026-01-01T00:00:00Z' });
    expect((await call('GET', '/subscriptions?vendor=parsleyRecipes')).json.map((s: { id: string }) => s.id)).toContain(
      hook.json.id,
    );
    expect((await call('DELETE', `/hooks/${hook.json.id}`)).status).toBe(204);
    expect((await call('DELETE', `/hooks/${hook.json.id}`)).status).toBe(404);
  });

  it('switches an account’s credits', async () => {
    const off = await call('PATCH', '/accounts/parsley', { credits: false });
    expect(off.json.credits).toBe(false);
    const res = await raw(sandbox, 'parsley', 'POST', '/webhooks', {
      body: { url: receiver.url, events: ['signal.detected'] },
    });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatch(/paid plan or credit balance/);
    expect((await call('PATCH', '/accounts/parsley', { credits: true })).json.credits).toBe(true);
  });

  it('answers bad input with 400/404 and a message', async () => {
    expect(await call('POST', '/events', { vendor: 'parley', type: 'nope' })).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/no event "nope"/) },
    });
    expect(await call('POST', '/events', { vendor: 'stripe', type: 'x' })).toMatchObject({
      status: 404,
      json: { error: expect.stringMatching(/unknown vendor/) },
    });
    expect(await call('POST', '/events', '{broken')).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/not valid JSON/) },
    });
    expect(await call('POST', '/events', [])).toMatchObject({ status: 400 });
    expect(
      await call('POST', '/hooks', { vendor: 'parsleyRecipes', url: receiver.url, events: 'RecipeCreated' }),
    ).toMatchObject({ status: 400 });
    expect(await call('PATCH', '/accounts/parsley', { credits: 'yes' })).toMatchObject({ status: 400 });
    expect(await call('POST', '/settle', { timeoutMs: -1 })).toMatchObject({ status: 400 });
    expect(await call('GET', '/nothing')).toMatchObject({
      status: 404,
      json: { error: expect.stringMatching(/no inspection route/) },
    });
    expect((await fetch(`${sandbox.url}/nowhere`)).status).toBe(404);
  });

  it('logs every call to a vendor API with its status (not the inspection calls), per vendor', async () => {
    sandbox.reset();
    const vendorIds = sandbox
      .vendors()
      .filter((v) => v.baseUrl)
      .map((v) => v.id);
    for (const id of vendorIds) {
      const client = clientFor(sandbox, id);
      const sub = await client.create({ url: 'https://example.test/hook', events: [getVendor(id)!.events[0]!.type] });
      await client.delete(sub.id);
      await client.delete(sub.id); // already gone
    }
    await call('GET', '/subscriptions');
    for (const id of vendorIds) {
      const log = sandbox.requests(id);
      // A vendor that signs only once told to (the signing toggle) gets that call after create.
      const signing = getVendor(id)!.api!.endpoints.signing;
      const mutations = log.filter((r) => r.method !== 'GET');
      expect(mutations.map((r) => [r.method, r.status])).toEqual([
        ['POST', 201],
        ...(signing ? [[signing.method, 200]] : []),
        ['DELETE', expect.any(Number)],
        ['DELETE', 404],
      ]);
      expect(mutations.at(-2)!.status).toBeLessThan(300);
      expect(log.every((r) => r.vendor === id && !r.path.startsWith('/_sandbox'))).toBe(true);
    }
    const { json } = await call('GET', `/requests?vendor=${vendorIds[0]}`);
    expect(json).toEqual(sandbox.requests(vendorIds[0]));
    expect(() => sandbox.requests('nope')).toThrow(/unknown vendor/);
    sandbox.reset();
    expect(sandbox.requests()).toEqual([]);
  });

  it('reset forgets subscriptions and deliveries, keeps API keys', async () => {
    const key = sandbox.apiKey('parlay');
    await clientFor(sandbox, 'parlay').create({ url: receiver.url, events: ['analysis.completed'] });
    expect((await call('POST', '/reset')).json).toEqual({ reset: true });
    expect((await call('GET', '/subscriptions')).json).toEqual([]);
    expect((await call('GET', '/deliveries')).json).toEqual([]);
    expect(sandbox.apiKey('parlay')).toBe(key);
  });
});

describe('hostile input to the vendor APIs', () => {
  it('refuses bodies over 1 MiB with 413 and keeps serving', async () => {
    const res = await raw(sandbox, 'parley', 'POST', '/v1/webhooks', {
      body: { url: 'x'.repeat(1024 * 1024 + 10), events: [] },
    });
    expect(res.status).toBe(413);
    expect((await raw(sandbox, 'parley', 'GET', '/v1/webhooks')).status).toBe(200);
  });

  it('handles broken percent-encoding, wrong types and odd values without crashing', async () => {
    expect((await raw(sandbox, 'parley', 'GET', '/v1/webhooks/%E0%A4%A')).status).toBe(404);
    const types = await raw(sandbox, 'parlay', 'POST', '/v1/webhooks', {
      body: { url: { $gt: 1 }, enabled_events: 'analysis.completed', name: 5 },
    });
    expect(types.status).toBe(400);
    expect(Object.keys(types.json.error.details).sort()).toEqual(['enabled_events', 'name', 'url']);
    const scheme = await raw(sandbox, 'parsley', 'POST', '/webhooks', {
      body: { url: 'javascript:alert(1)', events: ['profile.viewed'] },
    });
    expect(scheme.status).toBe(400);
    const patch = await clientFor(sandbox, 'parley').create({ url: receiver.url, events: ['violation.new'] });
    const bad = await raw(sandbox, 'parley', 'PATCH', `/v1/webhooks/${patch.id}`, {
      body: { is_active: 'yes', facility_ids: [1] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.details).toMatchObject({ is_active: expect.any(String), facility_ids: expect.any(String) });
    expect((await clientFor(sandbox, 'parley').get(patch.id)).active).toBe(true);
  });

  it('never accepts a key by prefix or with other auth placements', async () => {
    const key = sandbox.apiKey('parlay');
    const shorter = await fetch(`${sandbox.baseUrl('parlay')}/v1/webhooks`, {
      headers: { Authorization: `Bearer ${key.slice(0, -1)}` },
    });
    expect(shorter.status).toBe(401);
    const asHeader = await fetch(`${sandbox.baseUrl('parlay')}/v1/webhooks`, { headers: { 'X-API-Key': key } });
    expect(asHeader.status).toBe(401); // Parlay takes Bearer only
    const parleyBearer = await fetch(`${sandbox.baseUrl('parley')}/v1/webhooks`, {
      headers: { Authorization: `Bearer ${sandbox.apiKey('parley')}` },
    });
    expect(parleyBearer.status).toBe(401); // Parley takes X-API-Key only
  });
});

describe('persistence', () => {
  it('a restarted sandbox with the same state file keeps keys, subscriptions and secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookpack-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startSandbox({ stateFile, vendors: ['parley', 'parsleyRecipes'] });
      const created = await clientFor(first, 'parley').create({ url: receiver.url, events: ['case.new'] });
      first.addHook({ vendor: 'parsleyRecipes', url: receiver.url, events: ['EventCreated'] });
      first.setCredits('parley', false);
      const key = first.apiKey('parley');
      await first.stop();
      expect(JSON.parse(readFileSync(stateFile, 'utf8')).subscriptions).toHaveLength(2);

      const second = await startSandbox({ stateFile, vendors: ['parley', 'parsleyRecipes'] });
      try {
        expect(second.apiKey('parley')).toBe(key);
        expect(second.vendor('parley').credits).toBe(false);
        const again = await clientFor(second, 'parley').get(created.id);
        expect(again).toMatchObject({ id: created.id, url: receiver.url, events: ['case.new'] });
        expect(second.subscriptions('parsleyRecipes')).toHaveLength(1);
        const before = receiver.received.length;
        second.fire('parley', 'case.new');
        expect(await second.settle()).toBe(true);
        const got = receiver.received[before]!;
        expect(
          verifyDelivery(getVendor('parley')!, { body: got.body, headers: got.headers, secret: created.secret! }).ok,
        ).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a broken state file with a message, and a busy port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookpack-state-'));
    try {
      const file = join(dir, 'bad.json');
      (await import('node:fs')).writeFileSync(file, '{"version": 9}');
      await expect(startSandbox({ stateFile: file })).rejects.toThrow(/unknown format; delete it/);
      await expect(startSandbox({ port: sandbox.port })).rejects.toThrow(/already in use/);
      await expect(startSandbox({ timeScale: 0 })).rejects.toThrow(/timeScale must be a positive number/);
      await expect(startSandbox({ vendors: ['nope'] })).rejects.toThrow(/unknown vendor "nope"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
