import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createSubscriptionClient,
  HookpackApiError,
  HookpackInputError,
  UnsupportedOperationError,
} from '../src/index.js';
import { acmeVendor, BASE, fakeSleep, hook, KEY } from './client-fixtures.js';
import { assertAllCalled, setupNock } from './client-nock.js';

beforeAll(setupNock);
afterEach(assertAllCalled);

const api = () => nock(BASE);
const client = (vendor = acmeVendor(), extra: Record<string, unknown> = {}) =>
  createSubscriptionClient(vendor, { apiKey: KEY, sleep: fakeSleep().sleep, random: () => 0.5, ...extra });

const wrap = (data: unknown) => ({ data });
const listOf = (...hooks: unknown[]) => ({ data: { hooks } });

describe('configuration (checked before any request)', () => {
  const noFetch = vi.fn();
  it.each([undefined, '', '   '])('rejects a missing API key (%j)', (apiKey) => {
    expect(() => createSubscriptionClient(acmeVendor(), { apiKey: apiKey as string, fetch: noFetch })).toThrow(
      /Acme API key is missing.*Acme → Settings → API/,
    );
    expect(noFetch).not.toHaveBeenCalled();
  });

  it('rejects a key with inner whitespace without echoing it', () => {
    const bad = 'acme_live_abc def';
    let error: unknown;
    try {
      createSubscriptionClient(acmeVendor(), { apiKey: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HookpackInputError);
    expect((error as Error).message).toMatch(/spaces, line breaks/);
    expect((error as Error).message).not.toContain('abc def');
  });

  it('trims a pasted key and sends it in the vendor header', async () => {
    api()
      .get('/v2/whoami')
      .matchHeader('X-Acme-Key', KEY)
      .reply(200, { data: { user: 'u1' } });
    const c = createSubscriptionClient(acmeVendor(), { apiKey: `  ${KEY}\n` });
    expect(await c.me()).toEqual({ user: 'u1' });
  });

  it('normalises trailing slashes of a configured base URL', async () => {
    nock('http://127.0.0.1:4010').get('/sandbox/acme/whoami').reply(200, {});
    const c = client(acmeVendor(), { baseUrl: 'http://127.0.0.1:4010/sandbox/acme///' });
    expect(c.baseUrl).toBe('http://127.0.0.1:4010/sandbox/acme');
    await c.me();
  });

  it.each([
    ['not a url', /not a URL/],
    ['ftp://api.acme.test', /must be http\(s\)/],
    ['https://user:pw@api.acme.test', /must not contain credentials/],
    ['https://api.acme.test/v2?x=1', /query or fragment/],
    ['', /empty/],
  ])('rejects base URL %j', (baseUrl, message) => {
    expect(() => client(acmeVendor(), { baseUrl })).toThrow(message);
  });

  it('rejects nonsense retry and timeout settings', () => {
    expect(() => client(acmeVendor(), { retry: { maxAttempts: 0 } })).toThrow(/retry.maxAttempts/);
    expect(() => client(acmeVendor(), { timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});

describe('auth and common headers', () => {
  it('sends the key as a named header, plus Accept and a default User-Agent', async () => {
    api()
      .get('/v2/hooks')
      .matchHeader('X-Acme-Key', KEY)
      .matchHeader('Authorization', (v) => v == null)
      .matchHeader('Accept', 'application/json')
      .matchHeader('User-Agent', /^hookpack\//)
      .reply(200, listOf());
    expect(await client().list()).toEqual([]);
  });

  it('sends Authorization: Bearer for bearer vendors, and a custom User-Agent', async () => {
    const vendor = acmeVendor({
      auth: { kind: 'apiKey', placement: 'bearer', keyPrefixes: [], keyHelp: '' },
    });
    api()
      .get('/v2/hooks')
      .matchHeader('Authorization', `Bearer ${KEY}`)
      .matchHeader('X-Acme-Key', (v) => v == null)
      .matchHeader('User-Agent', 'my-app/2')
      .reply(200, listOf());
    await client(vendor, { userAgent: 'my-app/2' }).list();
  });

  it('uses an injected fetch', async () => {
    const fetchSpy = vi.fn(async () => new Response(JSON.stringify({ data: { ok: true } }), { status: 200 }));
    const c = createSubscriptionClient(acmeVendor(), { apiKey: KEY, fetch: fetchSpy });
    expect(await c.me()).toEqual({ ok: true });
    expect(fetchSpy).toHaveBeenCalledWith(`${BASE}/v2/whoami`, expect.objectContaining({ method: 'GET' }));
  });
});

describe('operations', () => {
  it('create: snapshots the list, posts the mapped body, returns the subscription with its secret', async () => {
    api()
      .get('/v2/hooks')
      .reply(200, listOf(hook('wh_old', 'https://other.example/x')));
    api()
      .post('/v2/hooks', { target: 'https://app.example/h', topics: ['order.paid'], region: 'eu' })
      .matchHeader('Content-Type', 'application/json')
      .reply(201, wrap(hook('wh_1', 'https://app.example/h', { signing_key: 'sk_secret_1', region: 'eu' })));
    const sub = await client().create({
      url: 'https://app.example/h',
      events: ['order.paid'],
      options: { region: 'eu' },
    });
    expect(sub).toMatchObject({
      id: 'wh_1',
      url: 'https://app.example/h',
      events: ['order.paid'],
      active: true,
      secret: 'sk_secret_1',
      options: { region: 'eu' },
    });
  });

  it('list maps every item; get, findById, findByUrl', async () => {
    const items = [hook('wh_1', 'https://a.example/1'), hook('wh_2', 'https://b.example/2', { enabled: false })];
    api()
      .get('/v2/hooks')
      .times(3)
      .reply(200, listOf(...items));
    api().get('/v2/hooks/wh_2').reply(200, wrap(items[1]));
    api().get('/v2/hooks/wh_9').reply(404, { error: 'No such hook' });
    const c = client();
    expect((await c.list()).map((s) => [s.id, s.active])).toEqual([
      ['wh_1', true],
      ['wh_2', false],
    ]);
    expect((await c.findById('wh_2'))?.url).toBe('https://b.example/2');
    expect(await c.findById('wh_9')).toBeUndefined();
    expect((await c.findByUrl('https://b.example/2'))?.id).toBe('wh_2');
    expect(await c.findByUrl('https://c.example/3')).toBeUndefined();
  });

  it('findById falls back to list + find where the vendor has no get', async () => {
    api()
      .get('/v2/hooks')
      .times(2)
      .reply(200, listOf(hook('wh_1', 'https://a.example/1')));
    const c = client(acmeVendor({ without: ['get'] }));
    expect((await c.findById('wh_1'))?.id).toBe('wh_1');
    expect(await c.findById('wh_gone')).toBeUndefined();
    await expect(c.get('wh_1')).rejects.toThrow('Acme does not support get');
  });

  it('get of an unknown id is a not_found error naming the id', async () => {
    api().get('/v2/hooks/wh_9').reply(404, { error: 'No such hook' });
    await expect(client().get('wh_9')).rejects.toMatchObject({
      code: 'not_found',
      status: 404,
      operation: 'get',
      message: 'Acme has no subscription "wh_9" (404). Acme said: "No such hook".',
    });
  });

  it('url-encodes ids in paths and in query placeholders', async () => {
    const vendor = acmeVendor({
      api: {
        endpoints: {
          get: { method: 'GET', path: '/hooks/{id}' },
          delete: { method: 'DELETE', path: '/hooks', query: { id: '{id}', hard: 'true' } },
        },
      },
    });
    api()
      .get('/v2/hooks/a%2Fb%20c')
      .reply(200, wrap(hook('a/b c', 'https://a.example/')));
    api().delete('/v2/hooks').query({ id: 'a/b c', hard: 'true' }).reply(204);
    const c = client(vendor);
    expect((await c.get('a/b c')).id).toBe('a/b c');
    expect(await c.delete('a/b c')).toEqual({ deleted: true });
  });

  it('update pauses and reactivates through `active`', async () => {
    api()
      .patch('/v2/hooks/wh_1', { enabled: false })
      .reply(200, wrap(hook('wh_1', 'https://a.example/', { enabled: false })));
    api()
      .patch('/v2/hooks/wh_1', { enabled: true })
      .reply(200, wrap(hook('wh_1', 'https://a.example/')));
    const c = client();
    expect((await c.update('wh_1', { active: false })).active).toBe(false);
    expect((await c.update('wh_1', { active: true })).active).toBe(true);
  });

  it('update with an empty answer (204) reads the subscription back', async () => {
    api()
      .patch('/v2/hooks/wh_1', { topics: ['a.b'] })
      .reply(204);
    api()
      .get('/v2/hooks/wh_1')
      .reply(200, wrap(hook('wh_1', 'https://a.example/', { topics: ['a.b'] })));
    expect((await client().update('wh_1', { events: ['a.b'] })).events).toEqual(['a.b']);
  });

  it('delete: 2xx is deleted, 404 is success ("already gone")', async () => {
    api().delete('/v2/hooks/wh_1').reply(204);
    api().delete('/v2/hooks/wh_2').reply(404, { error: 'not found' });
    const c = client();
    expect(await c.delete('wh_1')).toEqual({ deleted: true });
    expect(await c.delete('wh_2')).toEqual({ deleted: false });
  });

  it('delete still fails on other errors', async () => {
    api().delete('/v2/hooks/wh_1').reply(403, { error: 'not yours' });
    await expect(client().delete('wh_1')).rejects.toMatchObject({ code: 'forbidden', status: 403 });
  });

  it('test posts to the test endpoint and returns the unwrapped answer', async () => {
    api()
      .post('/v2/hooks/wh_1/ping')
      .reply(202, { data: { queued: true } });
    expect(await client().test('wh_1')).toEqual({ raw: { queued: true } });
  });

  it('rotate returns the new secret, from the described field or a codec replacement', async () => {
    api()
      .post('/v2/hooks/wh_1/rotate')
      .reply(200, wrap(hook('wh_1', 'https://a.example/', { signing_key: 'sk_new' })));
    expect(await client().rotate('wh_1')).toBe('sk_new');

    const vendor = acmeVendor({
      api: { codec: { rotatedSecret: (b) => (b as { data: { new_secret?: string } }).data.new_secret } },
    });
    api()
      .post('/v2/hooks/wh_1/rotate')
      .reply(200, { data: { new_secret: 'sk_newer' } });
    expect(await client(vendor).rotate('wh_1')).toBe('sk_newer');

    api().post('/v2/hooks/wh_1/rotate').reply(200, { data: {} });
    await expect(client(vendor).rotate('wh_1')).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('rotate response hookpack cannot read: no new secret'),
    });
  });

  it('rejects empty ids before any request', async () => {
    await expect(client().get('')).rejects.toThrow(/subscription id must be a non-empty string/);
    await expect(client().delete(undefined as unknown as string)).rejects.toBeInstanceOf(HookpackInputError);
  });
});

describe('unsupported operations', () => {
  it('throws "<Vendor> does not support <op>" before any request', async () => {
    const fetchSpy = vi.fn();
    const c = createSubscriptionClient(acmeVendor({ without: ['rotate', 'me', 'test'] }), {
      apiKey: KEY,
      fetch: fetchSpy,
    });
    expect(c.supports('rotate')).toBe(false);
    expect(c.supports('create')).toBe(true);
    const error = await c.rotate('wh_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error).toMatchObject({ message: 'Acme does not support rotate', operation: 'rotate', vendor: 'Acme' });
    await expect(c.me()).rejects.toThrow('Acme does not support me');
    await expect(c.test('x')).rejects.toThrow('Acme does not support test');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('findByUrl needs list', async () => {
    const c = client(acmeVendor({ without: ['list'] }));
    await expect(c.findByUrl('https://a.example/')).rejects.toThrow(/Acme does not support list: it cannot list/);
  });

  it('a vendor without a REST API needs no key and supports nothing', async () => {
    const c = createSubscriptionClient(acmeVendor({ noApi: true }), { apiKey: '' });
    expect(c.supports('create')).toBe(false);
    await expect(c.create({ url: 'https://a.example/', events: ['x'] })).rejects.toThrow(
      'Acme does not support create: it has no REST API; subscriptions are set up by hand in its UI (Paste the URL in Acme → Webhooks.)',
    );
  });
});

describe('input checks on create and update', () => {
  const fetchSpy = vi.fn();
  const c = () => createSubscriptionClient(acmeVendor(), { apiKey: KEY, fetch: fetchSpy });

  it('requires HTTPS target URLs where the vendor does, naming the URL', async () => {
    await expect(c().create({ url: 'http://app.example/h', events: ['order.paid'] })).rejects.toThrow(
      'Acme only delivers to HTTPS URLs, and "http://app.example/h" is not one. Use an https:// URL (or set allowInsecureTargetUrl for a local sandbox).',
    );
    await expect(c().update('wh_1', { url: 'http://app.example/h' })).rejects.toThrow(
      /"http:\/\/app.example\/h" is not one/,
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('allows http://127.0.0.1 targets with allowInsecureTargetUrl, and for vendors that do not require HTTPS', async () => {
    api().get('/v2/hooks').twice().reply(200, listOf());
    const local = 'http://127.0.0.1:5678/webhook/abc';
    api()
      .post('/v2/hooks', { target: local, topics: ['x'] })
      .twice()
      .reply(201, wrap(hook('wh_1', local, { signing_key: 'sk' })));
    expect(
      (await client(acmeVendor(), { allowInsecureTargetUrl: true }).create({ url: local, events: ['x'] })).url,
    ).toBe(local);
    const relaxed = acmeVendor({ api: { requiresHttpsTarget: false } });
    expect((await client(relaxed).create({ url: local, events: ['x'] })).url).toBe(local);
  });

  it.each([
    [{ url: 'not a url', events: ['x'] }, 'Acme webhook target URL is not a URL: "not a url"'],
    [{ url: 'mailto:a@b.c', events: ['x'] }, 'must be http(s), got "mailto:a@b.c"'],
    [{ url: '', events: ['x'] }, 'target URL is missing'],
    [{ url: 'https://a.example/', events: [] }, 'Acme subscription needs at least one event type'],
    [{ url: 'https://a.example/', events: [''] }, 'event types must be non-empty strings'],
    [{ url: 'https://a.example/', events: ['x'], options: { region: 3 } }, 'option "region" must be string, got 3'],
  ])('rejects create input %j', async (input, message) => {
    await expect(c().create(input as never)).rejects.toThrow(message);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('rejects an empty update and an empty events list', async () => {
    await expect(c().update('wh_1', {})).rejects.toThrow(/nothing to change/);
    await expect(c().update('wh_1', { events: [] })).rejects.toThrow(/at least one event type/);
    await expect(c().update('wh_1', { active: 'no' as never })).rejects.toThrow(/active must be true or false/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('error messages', () => {
  const catchError = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as HookpackApiError,
    );

  it('401: names the vendor and the cause, never the key', async () => {
    api()
      .get('/v2/hooks')
      .reply(401, { error: `Key ${KEY} is revoked` });
    const error = await catchError(client().list());
    expect(error).toBeInstanceOf(HookpackApiError);
    expect(error!.code).toBe('unauthorized');
    expect(error!.message).toBe(
      'Acme rejected the API key: invalid or revoked (401). Acme said: "Key [redacted] is revoked".',
    );
    expect(JSON.stringify({ ...error, message: error!.message })).not.toContain(KEY);
  });

  it('401 with a key that lacks the documented prefix says so', async () => {
    api().get('/v2/hooks').reply(401, {});
    const error = await catchError(createSubscriptionClient(acmeVendor(), { apiKey: 'sk_wrongvendor_1' }).list());
    expect(error!.message).toBe(
      'Acme rejected the API key: invalid or revoked (401). The key does not start with "acme_live_" as Acme keys do.',
    );
  });

  it('403 names the paid events in the request', async () => {
    api().get('/v2/hooks').times(2).reply(200, listOf());
    api().post('/v2/hooks').reply(403, { error: 'Insufficient credits' });
    const one = await catchError(
      client().create({ url: 'https://a.example/', events: ['profile.viewed', 'lead.scored'] }),
    );
    expect(one!.message).toBe(
      'Acme refused create (403): lead.scored needs a paid plan or credits. Acme said: "Insufficient credits".',
    );
    expect(one!.code).toBe('forbidden');

    api().post('/v2/hooks').reply(403, {});
    const two = await catchError(
      client().create({ url: 'https://a.example/', events: ['lead.scored', 'signal.detected'] }),
    );
    expect(two!.message).toBe(
      'Acme refused create (403): lead.scored and signal.detected need a paid plan or credits.',
    );
  });

  it('403 without paid events is a permissions message', async () => {
    api().patch('/v2/hooks/wh_1').reply(403, { error: 'Requires Pro tier' });
    const error = await catchError(client().update('wh_1', { active: false }));
    expect(error!.message).toBe(
      'Acme refused update (403): the API key\'s account is not allowed to do this (plan or permissions). Acme said: "Requires Pro tier".',
    );
  });

  it('400 carries field details in the message and on the error', async () => {
    api().get('/v2/hooks').reply(200, listOf());
    api()
      .post('/v2/hooks')
      .reply(400, {
        error: 'Validation failed',
        fields: { target: 'must be reachable', topics: ['unknown: foo.bar'] },
      });
    const error = await catchError(client().create({ url: 'https://a.example/', events: ['foo.bar'] }));
    expect(error!.code).toBe('validation');
    expect(error!.details).toEqual({ target: 'must be reachable', topics: ['unknown: foo.bar'] });
    expect(error!.message).toBe(
      'Acme rejected the create request as invalid (400). Acme said: "Validation failed". Details: target: must be reachable; topics: unknown: foo.bar.',
    );
  });

  it('a non-JSON error body becomes a short vendor message', async () => {
    api().get('/v2/hooks').reply(502, '<html>\n<body>Bad   gateway</body></html>');
    const error = await catchError(client(acmeVendor(), { retry: { maxAttempts: 1 } }).list());
    expect(error!.message).toBe(
      'Acme had a server error on list (502). Acme said: "<html> <body>Bad gateway</body></html>".',
    );
  });

  it('does not follow redirects (they would drop the method or leak the key)', async () => {
    api().get('/v2/hooks').reply(301, '', { Location: 'https://api2.acme.test/v2/hooks' });
    const error = await catchError(client().list());
    expect(error!.status).toBe(301);
    expect(error!.message).toBe(
      'Acme redirected list (301) to https://api2.acme.test/v2/hooks: use that as the base URL.',
    );
  });
});

describe('response validation', () => {
  it('refuses an answer larger than 4 MiB (a wrong base URL), without reading it all', async () => {
    api()
      .get('/v2/hooks')
      .reply(200, 'x'.repeat(4 * 1024 * 1024 + 1));
    await expect(client().list()).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'Acme answered list with more than 4 MiB: check the base URL',
    });
  });

  const catchError = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as HookpackApiError,
    );

  it('a subscription that does not match the mapping is invalid_response naming the operation', async () => {
    api()
      .get('/v2/hooks/wh_1')
      .reply(200, { data: { id: 'wh_1' } });
    const error = await catchError(client().get('wh_1'));
    expect(error).toBeInstanceOf(HookpackApiError);
    expect(error!.code).toBe('invalid_response');
    expect(error!.operation).toBe('get');
    expect(error!.message).toMatch(/^Acme returned a get response hookpack cannot read: /);
  });

  it('a list that is not a list, and a body that is not JSON', async () => {
    api().get('/v2/hooks').reply(200, { data: 'nope' });
    await expect(client().list()).rejects.toMatchObject({ code: 'invalid_response', operation: 'list' });
    api().get('/v2/hooks/wh_1').reply(200, 'OK');
    await expect(client().get('wh_1')).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'Acme returned a get response hookpack cannot read: body is not JSON (status 200)',
    });
  });

  it('a mapping result that is not a Subscription is caught, not returned', async () => {
    const vendor = acmeVendor({ api: { codec: { readSubscription: (b) => (b as { data: never }).data } } });
    api()
      .get('/v2/hooks/wh_1')
      .reply(200, { data: { id: 'wh_1', url: 'https://a.example/', events: 'all' } });
    await expect(client(vendor).get('wh_1')).rejects.toThrow(
      'Acme returned a get response hookpack cannot read: events is not a list of strings',
    );
  });

  it('never quotes response values (secrets) in the reason', async () => {
    const vendor = acmeVendor({
      api: {
        codec: {
          rotatedSecret: (raw) => {
            throw new Error(`unexpected object ${JSON.stringify(raw)}`);
          },
        },
      },
    });
    api()
      .post('/v2/hooks/wh_1/rotate')
      .reply(200, { data: { signing_key: 'sk_very_secret_value' } });
    const error = await catchError(client(vendor).rotate('wh_1'));
    expect(error!.code).toBe('invalid_response');
    expect(error!.message).not.toContain('sk_very_secret_value');
  });
});
