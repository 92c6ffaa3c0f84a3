import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '@hookpack/core';
import { getVendor, vendors } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { clientFor, until } from './helpers.js';
import { startReceiver, type Receiver } from './receiver.js';
import { retryHeaders } from '../src/delivery.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A receiver that waits `delayMs(n)` before answering 200. */
async function startSlowReceiver(delayMs: () => number): Promise<{ url: string; close(): Promise<void> }> {
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    req.resume();
    const t = setTimeout(() => {
      pending.delete(t);
      res.end('ok');
    }, delayMs());
    pending.add(t);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of pending) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// The delivery engine: signed exactly like each vendor (checked with @hookpack/core), retry
// schedules run at timeScale 0.001 (minutes → milliseconds), deactivation, pause queues.

let sandbox: Sandbox;
const receivers: Receiver[] = [];
async function receiver(respond?: (n: number) => number): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}
beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.001 });
});
afterEach(async () => {
  sandbox.reset();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await sandbox.stop();
});

async function withSandbox(
  options: Parameters<typeof startSandbox>[0],
  fn: (own: Sandbox) => Promise<void>,
): Promise<void> {
  const own = await startSandbox(options);
  try {
    await fn(own);
  } finally {
    await own.stop();
  }
}

describe.each(vendors.filter((v) => v.api).map((v) => v.id))('%s deliveries', (vendorId) => {
  const vendor = getVendor(vendorId)!;

  it('are signed as the vendor signs and verify with @hookpack/core', async () => {
    const r = await receiver();
    const event = vendor.events[0]!;
    const sub = await clientFor(sandbox, vendorId).create({ url: r.url, events: [event.type] });
    const fired = sandbox.fire(vendorId, event.type);
    expect(fired.deliveries).toHaveLength(1);
    expect(await sandbox.settle()).toBe(true);
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    // What the client got: the secret, or for public-key vendors the public key; an app-signed
    // vendor (Shopify) signs with the app's secret, which no subscription carries.
    const appSigned = vendor.signature.secretSource === 'app';
    if (appSigned) expect(sub.secret).toBeUndefined();
    const secret = appSigned ? sandbox.appSecret(vendorId) : (sub.publicKey ?? sub.secret!);
    const verdict = verifyDelivery(vendor, { body: got.body, headers: got.headers, secret });
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.event.type).toBe(event.type);
    expect(verdict.event.data).toEqual(event.sample);
    for (const [name, value] of Object.entries(vendor.delivery.staticHeaders))
      expect(got.headers[name.toLowerCase()]).toBe(value);
    if (vendor.delivery.eventHeader) expect(got.headers[vendor.delivery.eventHeader.toLowerCase()]).toBe(event.type);
    if (vendor.delivery.deliveryIdHeader)
      expect(got.headers[vendor.delivery.deliveryIdHeader.toLowerCase()]).toBeTruthy();
    // A wrong secret does not verify: the signature really depends on the subscription's secret.
    expect(verifyDelivery(vendor, { body: got.body, headers: got.headers, secret: 'whsec_wrong' }).ok).toBe(false);
    const [record] = sandbox.deliveries({ eventId: fired.eventId });
    expect(record).toMatchObject({
      state: 'delivered',
      subscriptionId: sub.id,
      attempts: [{ number: 1, statusCode: 200, ok: true }],
    });
  });

  it('follow the retry schedule: N failures then one success', async () => {
    const failures = Math.min(3, vendor.delivery.retryDelaysMs.length);
    const r = await receiver((n) => (n < failures ? 503 : 200));
    const sub = await clientFor(sandbox, vendorId).create({ url: r.url, events: [vendor.events[0]!.type] });
    const fired = sandbox.fire(vendorId, vendor.events[0]!.type);
    expect(await sandbox.settle()).toBe(true);
    const [record] = sandbox.deliveries({ eventId: fired.eventId });
    expect(record!.state).toBe('delivered');
    expect(record!.attempts.map((a) => a.statusCode)).toEqual([...Array(failures).fill(503), 200]);
    expect(r.received).toHaveLength(failures + 1);
    // Gaps follow the vendor's schedule × 0.001 (lower bounds only: timers never fire early).
    for (let i = 1; i <= failures; i++) {
      const gap = r.received[i]!.at - r.received[i - 1]!.at;
      expect(gap).toBeGreaterThanOrEqual(Math.floor(vendor.delivery.retryDelaysMs[i - 1]! * 0.001) - 1);
    }
    const ids = record!.attempts.map((a) => a.deliveryId);
    if (vendor.delivery.deliveryIdIsStable) expect(new Set(ids).size).toBe(1);
    else expect(new Set(ids).size).toBe(ids.length);
    expect(sandbox.subscription(sub.id)!.active).toBe(true);
  });
});

describe('after the last retry', () => {
  it('Parley deactivates the subscription; PATCH is_active: true reactivates it', async () => {
    // 1 min … 12 h × 0.00001: the whole schedule in about half a second.
    await withSandbox({ vendors: ['parley'], timeScale: 0.00001 }, async (own) => {
      const r = await receiver(() => 500);
      const client = clientFor(own, 'parley');
      const sub = await client.create({ url: r.url, events: ['violation.new'] });
      const fired = own.fire('parley', 'violation.new');
      expect(await own.settle()).toBe(true);
      const [record] = own.deliveries({ eventId: fired.eventId });
      expect(record!.state).toBe('failed');
      expect(record!.attempts).toHaveLength(6); // first attempt + 1m/5m/30m/2h/12h
      expect(r.received).toHaveLength(6);
      expect((await client.get(sub.id)).active).toBe(false);
      expect(own.subscription(sub.id)).toMatchObject({ active: false, deactivatedReason: 'failures' });
      // Deactivated: the next event does not go out.
      const next = own.fire('parley', 'violation.new');
      expect(next.deliveries).toEqual([expect.objectContaining({ state: 'dropped' })]);
      r.respond = () => 200;
      expect((await client.update(sub.id, { active: true })).active).toBe(true);
      const again = own.fire('parley', 'violation.new');
      expect(await own.settle()).toBe(true);
      expect(own.deliveries({ eventId: again.eventId })[0]!.state).toBe('delivered');
    });
  });

  it('Parsley drops the event after 1s/5s/30s and keeps the subscription', async () => {
    const r = await receiver(() => 500);
    const sub = await clientFor(sandbox, 'parsley').create({ url: r.url, events: ['profile.viewed'] });
    const fired = sandbox.fire('parsley', 'profile.viewed');
    expect(await sandbox.settle()).toBe(true);
    const [record] = sandbox.deliveries({ eventId: fired.eventId });
    expect(record).toMatchObject({ state: 'failed' });
    expect(record!.attempts).toHaveLength(4);
    expect(sandbox.subscription(sub.id)!.active).toBe(true);
  });

  it('ParseFlow marks the subscription failing, disables it after 3 days of failures, and a success clears it', async () => {
    // 30 s … 4 h and 3 days × 0.00001: schedule ≈ 190 ms, failing window ≈ 2.6 s.
    await withSandbox({ vendors: ['parseFlow'], timeScale: 0.00001 }, async (own) => {
      const r = await receiver(() => 500);
      const sub = await clientFor(own, 'parseFlow').create({ url: r.url, events: ['quota.warning'] });
      own.fire('parseFlow', 'quota.warning');
      expect(await own.settle()).toBe(true);
      expect(r.received).toHaveLength(6);
      expect(own.subscription(sub.id)).toMatchObject({ failing: true, active: true, consecutiveFailures: 1 });
      r.respond = () => 200;
      own.fire('parseFlow', 'quota.warning');
      expect(await own.settle()).toBe(true);
      expect(own.subscription(sub.id)).toMatchObject({ failing: false, consecutiveFailures: 0, active: true });
      // Failing for longer than 3 days (scaled): disabled.
      r.respond = () => 500;
      own.fire('parseFlow', 'quota.warning');
      expect(await own.settle()).toBe(true);
      const since = own.subscription(sub.id)!.failingSince!;
      await until(() => Date.now() - since > 3 * 24 * 3600 * 1000 * 0.00001, 10_000);
      own.fire('parseFlow', 'quota.warning');
      expect(await own.settle()).toBe(true);
      expect(own.subscription(sub.id)).toMatchObject({ active: false, deactivatedReason: 'failures' });
    });
  });

  it('records timeouts and connection errors as failed attempts', async () => {
    const own = await startSandbox({ vendors: ['parsley'], timeScale: 0.0001, minDeliveryTimeoutMs: 50 });
    try {
      const sub = await clientFor(own, 'parsley').create({
        url: 'http://127.0.0.1:1/closed',
        events: ['profile.viewed'],
      });
      own.fire('parsley', 'profile.viewed');
      expect(await own.settle()).toBe(true);
      const [record] = own.deliveries({ subscriptionId: sub.id });
      expect(record!.state).toBe('failed');
      expect(record!.attempts.every((a) => a.statusCode === undefined && /ECONNREFUSED/.test(a.error ?? ''))).toBe(
        true,
      );
    } finally {
      await own.stop();
    }
  });
});

describe('timeouts and stopping', () => {
  it('an attempt that outlasts the vendor timeout is a failure and is retried', async () => {
    // Parsley: 10 s timeout × 0.0001 = 1 ms, floored at 100 ms; the receiver takes 400 ms the first time.
    await withSandbox({ vendors: ['parsley'], timeScale: 0.0001, minDeliveryTimeoutMs: 100 }, async (own) => {
      const r = await receiver();
      let calls = 0;
      const slow = await startSlowReceiver(() => (calls++ === 0 ? 400 : 0));
      try {
        const sub = await clientFor(own, 'parsley').create({ url: slow.url, events: ['profile.viewed'] });
        own.fire('parsley', 'profile.viewed');
        expect(await own.settle()).toBe(true);
        const [record] = own.deliveries({ subscriptionId: sub.id });
        expect(record!.state).toBe('delivered');
        expect(record!.attempts[0]).toMatchObject({ ok: false, error: 'timed out after 100 ms' });
        expect(record!.attempts[1]).toMatchObject({ ok: true, statusCode: 200 });
        expect(r.received).toHaveLength(0);
      } finally {
        await slow.close();
      }
    });
  });

  it('stop() cancels pending retries: nothing is sent afterwards and no timer is left', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length;
    const before = timers();
    const r = await receiver(() => 500);
    const own = await startSandbox({ vendors: ['parley'] }); // real schedule: next retry in 1 minute
    await clientFor(own, 'parley').create({ url: r.url, events: ['violation.new'] });
    const fired = own.fire('parley', 'violation.new');
    await until(() => own.deliveries({ eventId: fired.eventId })[0]!.state === 'scheduled' && r.received.length === 1);
    expect(own.deliveries({ eventId: fired.eventId })[0]!.nextAttemptAt).toBeTruthy();
    await own.stop();
    expect(timers()).toBeLessThanOrEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.received).toHaveLength(1);
  });
});

describe('Parlay pause, rotate, test', () => {
  it('queues events while paused and delivers them on resume, in order', async () => {
    const r = await receiver();
    const client = clientFor(sandbox, 'parlay');
    const sub = await client.create({ url: r.url, events: ['analysis.completed', 'analysis.failed'] });
    await client.update(sub.id, { active: false });
    const a = sandbox.fire('parlay', 'analysis.completed');
    const b = sandbox.fire('parlay', 'analysis.failed');
    expect(await sandbox.settle()).toBe(true);
    expect(r.received).toHaveLength(0);
    expect(sandbox.subscription(sub.id)!.queued).toBe(2);
    expect(sandbox.deliveries({ subscriptionId: sub.id }).map((d) => d.state)).toEqual(['queued', 'queued']);
    await client.update(sub.id, { active: true });
    await until(() => r.received.length === 2);
    expect(await sandbox.settle()).toBe(true);
    const types = r.received.map((x) => JSON.parse(x.body.toString()).event);
    expect(types.sort()).toEqual(['analysis.completed', 'analysis.failed']);
    expect(sandbox.deliveries({ eventId: a.eventId })[0]!.state).toBe('delivered');
    expect(sandbox.deliveries({ eventId: b.eventId })[0]!.state).toBe('delivered');
  });

  it('drops queued events after 24 h × timeScale', async () => {
    const own = await startSandbox({ vendors: ['parlay'], timeScale: 0.000001 }); // 24 h → ~86 ms
    try {
      const r = await receiver();
      const client = clientFor(own, 'parlay');
      const sub = await client.create({ url: r.url, events: ['analysis.completed'] });
      await client.update(sub.id, { active: false });
      const fired = own.fire('parlay', 'analysis.completed');
      await until(() => own.deliveries({ eventId: fired.eventId })[0]!.state === 'dropped');
      await client.update(sub.id, { active: true });
      expect(await own.settle()).toBe(true);
      expect(r.received).toHaveLength(0);
    } finally {
      await own.stop();
    }
  });

  it('signs with the rotated secret at once; the old secret no longer verifies', async () => {
    const r = await receiver();
    const client = clientFor(sandbox, 'parlay');
    const sub = await client.create({ url: r.url, events: ['analysis.completed'] });
    const newSecret = await client.rotate(sub.id);
    sandbox.fire('parlay', 'analysis.completed');
    expect(await sandbox.settle()).toBe(true);
    const got = r.received[0]!;
    const parlay = getVendor('parlay')!;
    expect(verifyDelivery(parlay, { body: got.body, headers: got.headers, secret: newSecret }).ok).toBe(true);
    expect(verifyDelivery(parlay, { body: got.body, headers: got.headers, secret: sub.secret! })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('POST /test delivers webhook.test to that subscription only', async () => {
    const r = await receiver();
    const other = await receiver();
    const client = clientFor(sandbox, 'parlay');
    const sub = await client.create({ url: r.url, events: ['analysis.completed'] });
    await client.create({ url: other.url, events: ['analysis.completed'] });
    await client.test(sub.id);
    expect(await sandbox.settle()).toBe(true);
    expect(other.received).toHaveLength(0);
    const v = verifyDelivery(getVendor('parlay')!, {
      body: r.received[0]!.body,
      headers: r.received[0]!.headers,
      secret: sub.secret!,
    });
    expect(v.ok && v.event.type).toBe('webhook.test');
  });
});

describe('matching', () => {
  it('sends only to subscriptions of that event type', async () => {
    const r1 = await receiver();
    const r2 = await receiver();
    const client = clientFor(sandbox, 'parsley');
    await client.create({ url: r1.url, events: ['profile.viewed'] });
    await client.create({ url: r2.url, events: ['lead.scored'] });
    const fired = sandbox.fire('parsley', 'lead.scored', { data: { custom: true } });
    expect(await sandbox.settle()).toBe(true);
    expect(fired.deliveries).toHaveLength(1);
    expect(r1.received).toHaveLength(0);
    expect(JSON.parse(r2.received[0]!.body.toString())).toMatchObject({ type: 'lead.scored', data: { custom: true } });
  });

  it('Parley facility_ids filters deliveries by the facility in the payload', async () => {
    const watched = await receiver();
    const other = await receiver();
    const all = await receiver();
    const client = clientFor(sandbox, 'parley');
    const sample = getVendor('parley')!.events[0]!.sample as { violation: { facility_id: string } };
    await client.create({
      url: watched.url,
      events: ['violation.new'],
      options: { facility_ids: [sample.violation.facility_id] },
    });
    await client.create({
      url: other.url,
      events: ['violation.new'],
      options: { facility_ids: ['some-other-facility'] },
    });
    await client.create({ url: all.url, events: ['violation.new'] });
    sandbox.fire('parley', 'violation.new');
    expect(await sandbox.settle()).toBe(true);
    expect([watched.received.length, other.received.length, all.received.length]).toEqual([1, 0, 1]);
  });

  it('Parsley paid events fired without credits are dropped, not queued', async () => {
    const r = await receiver();
    await clientFor(sandbox, 'parsley').create({ url: r.url, events: ['lead.captured'] });
    sandbox.setCredits('parsley', false);
    try {
      const fired = sandbox.fire('parsley', 'lead.captured');
      expect(fired.deliveries).toEqual([
        expect.objectContaining({ state: 'dropped', reason: 'paid event without credits' }),
      ]);
      expect(await sandbox.settle()).toBe(true);
      expect(r.received).toHaveLength(0);
    } finally {
      sandbox.setCredits('parsley', true);
    }
  });

  it('a deleted subscription gets nothing more, even pending retries', async () => {
    const r = await receiver(() => 500);
    const own = await startSandbox({ vendors: ['parley'], timeScale: 0.01 }); // first retry after 600 ms
    try {
      const client = clientFor(own, 'parley');
      const sub = await client.create({ url: r.url, events: ['violation.new'] });
      const fired = own.fire('parley', 'violation.new');
      await until(() => r.received.length === 1);
      await client.delete(sub.id);
      expect(await own.settle()).toBe(true);
      expect(own.deliveries({ eventId: fired.eventId })[0]).toMatchObject({
        state: 'dropped',
        reason: 'subscription deleted',
      });
      expect(r.received).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });

  it('rejects unknown vendors and event types with a clear error', () => {
    expect(() => sandbox.fire('nope', 'x')).toThrow(/unknown vendor "nope"/);
    expect(() => sandbox.fire('parley', 'violation.old')).toThrow(/no event "violation.old".*violation.new/);
  });

  it('settle refuses a timeout it could not wait for, instead of answering "not settled" at once', async () => {
    for (const bad of [Number.NaN, -1, 2 ** 31, Infinity, '5' as never]) {
      await expect(sandbox.settle(bad), String(bad)).rejects.toThrow(
        /settle timeoutMs must be 0\.\.2147483647 milliseconds/,
      );
    }
    expect(await sandbox.settle(0)).toBe(true);
  });

  it('refuses to deliver outside loopback unless allowed', async () => {
    const sub = sandbox.addHook({ vendor: 'parsleyRecipes', url: 'http://192.0.2.1/hook', events: ['RecipeCreated'] });
    sandbox.fire('parsleyRecipes', 'RecipeCreated');
    expect(await sandbox.settle()).toBe(true);
    expect(sandbox.deliveries({ subscriptionId: sub.id })[0]!.attempts[0]!.error).toMatch(/loopback/);
  });
});

describe('Parsley Recipes (configured by hand)', () => {
  const recipes = getVendor('parsleyRecipes')!;

  it('signs x-hub-signature-256 when a secret is set', async () => {
    const r = await receiver();
    sandbox.addHook({ vendor: 'parsleyRecipes', url: r.url, events: ['RecipeCreated'], secret: 'my-recipes-secret' });
    sandbox.fire('parsleyRecipes', 'RecipeCreated');
    expect(await sandbox.settle()).toBe(true);
    const got = r.received[0]!;
    expect(got.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const v = verifyDelivery(recipes, { body: got.body, headers: got.headers, secret: 'my-recipes-secret' });
    expect(v.ok && v.event.type).toBe('RecipeCreated');
    expect(JSON.parse(got.body.toString())).toEqual({ event: 'RecipeCreated', payload: recipes.events[0]!.sample });
  });

  it('sends unsigned deliveries with no extra headers when no secret is set', async () => {
    const r = await receiver();
    sandbox.addHook({ vendor: 'parsleyRecipes', url: r.url, events: ['EventRemoved'] });
    sandbox.fire('parsleyRecipes', 'EventRemoved');
    expect(await sandbox.settle()).toBe(true);
    const got = r.received[0]!;
    expect(Object.keys(got.headers).sort()).toEqual(['connection', 'content-length', 'content-type', 'host']);
    expect(verifyDelivery(recipes, { body: got.body, headers: got.headers, secret: null }).ok).toBe(true);
  });

  it('refuses hooks for vendors that have an API, and bad hook input', () => {
    expect(() => sandbox.addHook({ vendor: 'parley', url: 'http://127.0.0.1:9', events: ['violation.new'] })).toThrow(
      /REST API/,
    );
    expect(() => sandbox.addHook({ vendor: 'parsleyRecipes', url: 'not a url', events: ['RecipeCreated'] })).toThrow(
      /not a URL/,
    );
    expect(() => sandbox.addHook({ vendor: 'parsleyRecipes', url: 'http://127.0.0.1:9', events: ['Nope'] })).toThrow(
      /unknown Parsley Recipes event/,
    );
  });
});

describe('retry headers (a vendor that marks its retries, as Slack does)', () => {
  const base = getVendor('parsleyRecipes')!;
  const reason = {
    header: 'X-Retry-Reason',
    timeout: 'http_timeout',
    httpError: 'http_error',
    connectionFailed: 'connection_failed',
  };
  const marking = {
    ...base,
    delivery: { ...base.delivery, retryDelaysMs: [10, 10, 10], retryHeaders: { number: 'X-Retry-Num', reason } },
  };

  it('a first attempt carries none; each retry its number and why the attempt before failed', async () => {
    const r = await receiver((n) => (n < 2 ? 500 : 200));
    await withSandbox({ vendors: [marking], timeScale: 1 }, async (own) => {
      own.addHook({ vendor: marking.id, url: r.url, events: [marking.events[0]!.type] });
      own.fire(marking.id, marking.events[0]!.type);
      expect(await own.settle()).toBe(true);
      expect(r.received.map((x) => [x.headers['x-retry-num'], x.headers['x-retry-reason']])).toEqual([
        [undefined, undefined],
        ['1', 'http_error'],
        ['2', 'http_error'],
      ]);
    });
  });

  it('names a timeout and a failed connection as the vendor does; vendors that declare none get none', () => {
    const attempt = (extra: object) => ({
      number: 1,
      startedAt: '',
      deliveryId: 'd',
      durationMs: 1,
      ok: false,
      ...extra,
    });
    expect(retryHeaders(marking, [attempt({ error: 'timed out after 3000 ms' })])).toEqual({
      'X-Retry-Num': '1',
      'X-Retry-Reason': 'http_timeout',
    });
    expect(
      retryHeaders(marking, [attempt({ error: 'connect ECONNREFUSED 127.0.0.1:1' }), attempt({ statusCode: 503 })]),
    ).toEqual({
      'X-Retry-Num': '2',
      'X-Retry-Reason': 'http_error',
    });
    expect(retryHeaders(marking, [attempt({ error: 'connect ECONNREFUSED 127.0.0.1:1' })])['X-Retry-Reason']).toBe(
      'connection_failed',
    );
    expect(retryHeaders(marking, [])).toEqual({});
    expect(retryHeaders(base, [attempt({ statusCode: 500 })])).toEqual({});
  });
});
