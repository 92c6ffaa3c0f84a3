import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSubscriptionClient,
  HookpackApiError,
  parseRetryAfter,
  RateLimitError,
  type SubscriptionClientOptions,
} from '../src/index.js';
import {
  acmeVendor,
  BASE,
  fakeSleep,
  fetchHangingOn,
  hook,
  KEY,
  refused,
  reset,
  type VendorKnobs,
} from './client-fixtures.js';
import { assertAllCalled, setupNock } from './client-nock.js';

beforeAll(setupNock);
afterEach(assertAllCalled);

const api = () => nock(BASE);
const URL_ = 'https://app.example/hook';
const INPUT = { url: URL_, events: ['order.paid'] };
const listOf = (...hooks: unknown[]) => ({ data: { hooks } });
const created = (id: string) => ({ data: hook(id, URL_, { signing_key: `sk_${id}` }) });

function setup(knobs: VendorKnobs = {}, options: Partial<SubscriptionClientOptions> = {}) {
  const { delays, sleep } = fakeSleep();
  const client = createSubscriptionClient(acmeVendor(knobs), {
    apiKey: KEY,
    sleep,
    random: () => 0.5,
    ...options,
  });
  return { client, delays };
}

const catchError = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as HookpackApiError,
  );

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1.5', 1500],
    [' 7 ', 7000],
    ['Mon, 23 Nov 2026 12:00:30 GMT', 30_000],
    ['Mon, 23 Nov 2026 11:59:00 GMT', 0],
  ])('%j → %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
  it.each([null, undefined, '', '-1', 'soon', '12abc', '1e3'])('%j → undefined', (value) => {
    expect(parseRetryAfter(value as string, now)).toBeUndefined();
  });
});

describe('429 rate limits', () => {
  it('waits the Retry-After seconds, then retries', async () => {
    api().get('/v2/hooks').reply(429, { error: 'slow down' }, { 'Retry-After': '2' });
    api().get('/v2/hooks').reply(200, listOf());
    const { client, delays } = setup();
    expect(await client.list()).toEqual([]);
    expect(delays).toEqual([2000]);
  });

  it('understands an HTTP-date Retry-After', async () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    api().get('/v2/hooks').reply(429, {}, { 'Retry-After': 'Mon, 23 Nov 2026 12:00:05 GMT' });
    api().get('/v2/hooks').reply(200, listOf());
    const { client, delays } = setup({}, { now: () => now });
    await client.list();
    expect(delays).toEqual([5000]);
  });

  it('uses jittered backoff when there is no Retry-After', async () => {
    api().get('/v2/hooks').reply(429, {});
    api().get('/v2/hooks').reply(200, listOf());
    const { client, delays } = setup({}, { retry: { baseDelayMs: 1000 } });
    await client.list();
    expect(delays).toEqual([500]); // random 0.5 × 1000
  });

  it('fails with RateLimitError instead of sleeping longer than maxRetryAfterMs', async () => {
    api().get('/v2/hooks').reply(429, { error: 'Rate limit exceeded' }, { 'Retry-After': '3600' });
    const { client, delays } = setup({}, { retry: { maxRetryAfterMs: 60_000 } });
    const error = await catchError(client.list());
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(HookpackApiError);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 3_600_000, attempts: 1 });
    expect(error!.message).toBe(
      'Acme rate limit hit on list (429); it asks to retry after 3600 s. Acme said: "Rate limit exceeded". That is longer than the configured maximum wait (60 s), so hookpack did not wait.',
    );
    expect(delays).toEqual([]);
  });

  it('gives up after maxAttempts with the last RateLimitError', async () => {
    api().get('/v2/hooks').times(3).reply(429, {}, { 'Retry-After': '1' });
    const { client, delays } = setup();
    const error = await catchError(client.list());
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error!.attempts).toBe(3);
    expect(delays).toEqual([1000, 1000]);
  });
});

describe('5xx and network errors on idempotent requests', () => {
  it('retries 5xx with bounded exponential backoff and full jitter', async () => {
    api().get('/v2/hooks').times(3).reply(503, { error: 'busy' });
    api().get('/v2/hooks').reply(200, listOf());
    const { client, delays } = setup({}, { retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000 } });
    await client.list();
    // ceilings 1000, 2000, 4000→capped 3000; × random 0.5
    expect(delays).toEqual([500, 1000, 1500]);
  });

  it('gives up after maxAttempts and reports the server error', async () => {
    api().get('/v2/hooks/wh_1').times(3).reply(500, { error: 'boom' });
    const { client } = setup();
    const error = await catchError(client.get('wh_1'));
    expect(error).toMatchObject({ code: 'server', status: 500, attempts: 3, vendorMessage: 'boom' });
    expect(error!.message).toBe('Acme had a server error on get (500). Acme said: "boom".');
  });

  it('does not retry 501 Not Implemented or 4xx', async () => {
    api().get('/v2/hooks').reply(501, {});
    api().get('/v2/hooks/wh_1').reply(400, { error: 'bad id' });
    const { client, delays } = setup();
    await expect(client.list()).rejects.toMatchObject({ status: 501, attempts: 1 });
    await expect(client.get('wh_1')).rejects.toMatchObject({ code: 'validation', attempts: 1 });
    expect(delays).toEqual([]);
  });

  it('retries a connection reset on GET, PATCH and DELETE', async () => {
    api().get('/v2/hooks').replyWithError(reset());
    api().get('/v2/hooks').reply(200, listOf());
    api().patch('/v2/hooks/wh_1').replyWithError(reset());
    api()
      .patch('/v2/hooks/wh_1')
      .reply(200, { data: hook('wh_1', URL_, { enabled: false }) });
    api().delete('/v2/hooks/wh_1').replyWithError(reset());
    api().delete('/v2/hooks/wh_1').reply(404);
    const { client, delays } = setup();
    await client.list();
    expect((await client.update('wh_1', { active: false })).active).toBe(false);
    // The first DELETE may have worked: the retry's 404 then means "already gone".
    expect(await client.delete('wh_1')).toEqual({ deleted: false });
    expect(delays).toHaveLength(3);
  });

  it('reports unreachable hosts as network errors naming the base URL, without the key', async () => {
    api().get('/v2/hooks').times(3).replyWithError(refused());
    const { client } = setup();
    const error = await catchError(client.list());
    expect(error).toMatchObject({ code: 'network', attempts: 3, mayHaveActed: false });
    expect(error!.message).toBe('Could not reach Acme at https://api.acme.test/v2 for list: ECONNREFUSED');
    expect(error!.message).not.toContain(KEY);
  });

  it('times out a hanging request and retries it', async () => {
    let calls = 0;
    const { impl, hung } = fetchHangingOn(() => ++calls === 1);
    api()
      .get('/v2/whoami')
      .reply(200, { data: { user: 'u' } });
    const { client } = setup({}, { fetch: impl, timeoutMs: 30 });
    expect(await client.me()).toEqual({ user: 'u' });
    expect(hung).toEqual([`GET ${BASE}/v2/whoami`]);
  });

  it('a request that keeps timing out is a timeout error', async () => {
    const { impl } = fetchHangingOn(() => true);
    const { client } = setup({}, { fetch: impl, timeoutMs: 20, retry: { maxAttempts: 2 } });
    await expect(client.me()).rejects.toMatchObject({
      code: 'timeout',
      attempts: 2,
      message: 'Acme did not answer me within 20 ms (https://api.acme.test/v2)',
    });
  });

  it('does not retry an ambiguous failure of test (it would send a second test event)', async () => {
    api().post('/v2/hooks/wh_1/ping').reply(502);
    const { client } = setup();
    await expect(client.test('wh_1')).rejects.toMatchObject({ code: 'server', attempts: 1 });
  });
});

describe('Idempotency-Key', () => {
  const idem = { api: { idempotencyKeys: true } };

  it('is one random UUID per logical call, reused on every retry', async () => {
    const keys: string[] = [];
    // A missing header (null) does not match, so the request would fail the test.
    const record = (v: string | null) => v != null && keys.push(v) > 0;
    // Each create first looks at what already points at its URL (reads carry no key).
    api().get('/v2/hooks').times(2).reply(200, listOf());
    api().post('/v2/hooks').matchHeader('Idempotency-Key', record).times(2).reply(500, {});
    api().post('/v2/hooks').matchHeader('Idempotency-Key', record).reply(201, created('wh_1'));
    api().post('/v2/hooks').matchHeader('Idempotency-Key', record).reply(201, created('wh_2'));
    const { client } = setup(idem);
    expect((await client.create(INPUT)).id).toBe('wh_1');
    expect((await client.create(INPUT)).id).toBe('wh_2');
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('is sent on every mutation, never on reads, and only for vendors that honour it', async () => {
    api()
      .patch('/v2/hooks/wh_1')
      .matchHeader('Idempotency-Key', /^[0-9a-f-]{36}$/)
      .reply(200, { data: hook('wh_1', URL_) });
    api()
      .delete('/v2/hooks/wh_1')
      .matchHeader('Idempotency-Key', /^[0-9a-f-]{36}$/)
      .reply(204);
    api()
      .post('/v2/hooks/wh_1/rotate')
      .matchHeader('Idempotency-Key', /^[0-9a-f-]{36}$/)
      .reply(200, { data: hook('wh_1', URL_, { signing_key: 'sk_2' }) });
    api()
      .get('/v2/hooks/wh_1')
      .matchHeader('Idempotency-Key', (v) => v == null)
      .reply(200, { data: hook('wh_1', URL_) });
    const { client } = setup(idem);
    await client.update('wh_1', { active: true });
    await client.delete('wh_1');
    expect(await client.rotate('wh_1')).toBe('sk_2');
    await client.get('wh_1');

    api()
      .delete('/v2/hooks/wh_1')
      .matchHeader('Idempotency-Key', (v) => v == null)
      .reply(204);
    await setup().client.delete('wh_1');
  });
});

describe('a retried create never produces two subscriptions', () => {
  const countPosts = () => {
    let posts = 0;
    return {
      onPost: () => posts++,
      get posts() {
        return posts;
      },
    };
  };

  it('429: the vendor did not act, so create is simply retried', async () => {
    api().get('/v2/hooks').reply(200, listOf());
    api().post('/v2/hooks').reply(429, {}, { 'Retry-After': '1' });
    api().post('/v2/hooks').reply(201, created('wh_1'));
    const { client, delays } = setup();
    expect((await client.create(INPUT)).secret).toBe('sk_wh_1');
    expect(delays).toEqual([1000]);
  });

  it('connection refused: nothing was sent, so create is simply retried', async () => {
    api().get('/v2/hooks').reply(200, listOf());
    api().post('/v2/hooks').replyWithError(refused());
    api().post('/v2/hooks').reply(201, created('wh_1'));
    const { client } = setup();
    expect((await client.create(INPUT)).id).toBe('wh_1');
  });

  it('5xx, and the vendor did not create it: the list shows nothing new, create again', async () => {
    api()
      .get('/v2/hooks')
      .reply(200, listOf(hook('wh_mine_before', URL_)));
    api().post('/v2/hooks').reply(500, { error: 'db timeout' });
    api()
      .get('/v2/hooks')
      .reply(200, listOf(hook('wh_mine_before', URL_)));
    api().post('/v2/hooks').reply(201, created('wh_1'));
    const { client, delays } = setup();
    expect((await client.create(INPUT)).id).toBe('wh_1');
    expect(delays).toHaveLength(1);
  });

  it('5xx, but the vendor did create it: delete that one (secret lost), then create again', async () => {
    const before = hook('wh_preexisting', URL_); // same URL, existed before: must survive
    api()
      .get('/v2/hooks')
      .reply(200, listOf(before, hook('wh_x', 'https://other.example/')));
    api().post('/v2/hooks').reply(502);
    api()
      .get('/v2/hooks')
      .reply(200, listOf(before, hook('wh_orphan', URL_)));
    api().delete('/v2/hooks/wh_orphan').reply(204);
    api().post('/v2/hooks').reply(201, created('wh_2'));
    const { client } = setup();
    const sub = await client.create(INPUT);
    expect(sub).toMatchObject({ id: 'wh_2', secret: 'sk_wh_2' });
    // nock fails the test if DELETE /wh_preexisting had been sent (no interceptor for it).
  });

  it('timeout: treated like 5xx — look up, clean up, create again', async () => {
    let posts = 0;
    const { impl } = fetchHangingOn((_url, init) => init.method === 'POST' && ++posts === 1);
    api().get('/v2/hooks').reply(200, listOf());
    api()
      .get('/v2/hooks')
      .reply(200, listOf(hook('wh_orphan', URL_)));
    api().delete('/v2/hooks/wh_orphan').reply(404); // gone meanwhile: fine
    api().post('/v2/hooks').reply(201, created('wh_2'));
    const { client } = setup({}, { fetch: impl, timeoutMs: 20 });
    expect((await client.create(INPUT)).id).toBe('wh_2');
    expect(posts).toBe(2);
  });

  it('connection reset after sending: ambiguous too', async () => {
    api().get('/v2/hooks').reply(200, listOf());
    api().post('/v2/hooks').replyWithError(reset());
    api()
      .get('/v2/hooks')
      .reply(200, listOf(hook('wh_orphan', URL_)));
    api().delete('/v2/hooks/wh_orphan').reply(204);
    api().post('/v2/hooks').reply(201, created('wh_2'));
    expect((await setup().client.create(INPUT)).id).toBe('wh_2');
  });

  it('when every attempt fails it still removes each orphan, and stops after maxAttempts POSTs', async () => {
    const counter = countPosts();
    api().get('/v2/hooks').reply(200, listOf());
    for (const id of ['o1', 'o2', 'o3']) {
      api()
        .post('/v2/hooks')
        .reply(() => {
          counter.onPost();
          return [503, { error: 'overloaded' }];
        });
      api()
        .get('/v2/hooks')
        .reply(200, listOf(hook(id, URL_)));
      api().delete(`/v2/hooks/${id}`).reply(204);
    }
    const { client } = setup();
    const error = await catchError(client.create(INPUT));
    expect(error).toMatchObject({ code: 'server', status: 503 });
    expect(error!.message).toContain(
      'hookpack deleted the subscription Acme had created anyway (o3), because its secret was lost.',
    );
    expect(counter.posts).toBe(3);
  });

  it('a vendor without list cannot be checked: no retry, the error says so', async () => {
    api().post('/v2/hooks').reply(500, { error: 'oops' });
    const { client, delays } = setup({ without: ['list'] });
    const error = await catchError(client.create(INPUT));
    expect(error).toMatchObject({ code: 'server', attempts: 1 });
    expect(error!.message).toBe(
      'Acme had a server error on create (500). Acme said: "oops". Acme may have created the subscription anyway; hookpack cannot check and clean up (Acme documents no list endpoint), so it did not retry: look in the vendor dashboard before trying again.',
    );
    expect(delays).toEqual([]);
  });

  it('a vendor with list but no delete cannot clean up either: no retry', async () => {
    api().post('/v2/hooks').reply(504);
    const error = await catchError(setup({ without: ['delete'] }).client.create(INPUT));
    expect(error!.message).toContain(
      'hookpack cannot check and clean up (Acme documents no delete endpoint), so it did not retry',
    );
  });

  it('when the lookup itself fails, the create error says the subscription may exist', async () => {
    api().get('/v2/hooks').reply(200, listOf());
    api().post('/v2/hooks').reply(500, {});
    api().get('/v2/hooks').times(3).reply(503, {});
    const error = await catchError(setup().client.create(INPUT));
    expect(error).toMatchObject({ code: 'server', status: 500, operation: 'create' });
    expect(error!.message).toBe(
      'Acme had a server error on create (500). Acme may have created the subscription anyway, and hookpack could not check: Acme had a server error on list (503).',
    );
  });

  it('a vendor with idempotency keys is retried with the same key, and listed only before', async () => {
    const keys: string[] = [];
    const record = (v: string | null) => v != null && keys.push(v) > 0;
    api().get('/v2/hooks').reply(200, listOf());
    api().post('/v2/hooks').matchHeader('Idempotency-Key', record).replyWithError(reset());
    api().post('/v2/hooks').matchHeader('Idempotency-Key', record).reply(201, created('wh_1'));
    const { client } = setup({ api: { idempotencyKeys: true } });
    expect((await client.create(INPUT)).id).toBe('wh_1');
    expect(keys[0]).toBe(keys[1]);
  });

  it('a vendor with idempotency keys whose every attempt is lost: what it stored is deleted', async () => {
    api()
      .get('/v2/hooks')
      .reply(200, listOf(hook('wh_other', URL_)));
    api().post('/v2/hooks').times(2).replyWithError(reset());
    api()
      .get('/v2/hooks')
      .reply(200, listOf(hook('wh_other', URL_), hook('wh_stored', URL_)));
    api().delete('/v2/hooks/wh_stored').reply(204);
    const { client } = setup({ api: { idempotencyKeys: true }, retry: { maxAttempts: 2 } });
    await expect(client.create(INPUT)).rejects.toThrow(/deleted the subscription .* anyway \(wh_stored\)/);
    expect(nock.isDone()).toBe(true);
  });

  it('4xx is final: no retry, no lookup', async () => {
    api().get('/v2/hooks').reply(200, listOf());
    api()
      .post('/v2/hooks')
      .reply(422, { error: 'bad url', fields: { target: 'unreachable' } });
    const { client } = setup();
    await expect(client.create(INPUT)).rejects.toMatchObject({ code: 'validation', attempts: 1 });
  });

  it('a created answer hookpack cannot read is cleaned up, then reported', async () => {
    api().get('/v2/hooks').reply(200, listOf());
    api()
      .post('/v2/hooks')
      .reply(201, { data: { surprise: true } });
    api()
      .get('/v2/hooks')
      .reply(200, listOf(hook('wh_unreadable', URL_)));
    api().delete('/v2/hooks/wh_unreadable').reply(204);
    await expect(setup().client.create(INPUT)).rejects.toMatchObject({ code: 'invalid_response', operation: 'create' });
  });

  it('a created subscription without a secret is removed: its deliveries could not be verified', async () => {
    api().get('/v2/hooks').reply(200, listOf());
    api()
      .post('/v2/hooks')
      .reply(201, { data: hook('wh_nosecret', URL_) });
    api().delete('/v2/hooks/wh_nosecret').reply(204);
    await expect(setup().client.create(INPUT)).rejects.toThrow(
      'Acme returned a create response hookpack cannot read: no signing secret in the answer, so deliveries could not be verified. Acme had created it (wh_nosecret); hookpack deleted it again.',
    );
    api().get('/v2/hooks').reply(200, listOf());
    api()
      .post('/v2/hooks')
      .reply(201, { data: hook('wh_nosecret', URL_) });
    api().delete('/v2/hooks/wh_nosecret').reply(500, { error: 'db down' }).persist();
    await expect(setup().client.create(INPUT)).rejects.toThrow(
      'deleting it failed: delete subscription wh_nosecret in Acme by hand.',
    );
    nock.cleanAll();
  });
});
