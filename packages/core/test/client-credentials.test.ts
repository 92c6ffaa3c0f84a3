// OAuth 2.0 client credentials (auth.kind 'clientCredentials', Microsoft Graph app-only style):
// the client exchanges the app's id and secret for a bearer token, caches it until shortly
// before it expires, fetches a new one once when the API answers 401, and never shows the secret
// or a token in an error.
import { describe, expect, it } from 'vitest';
import {
  checkVendorDescription,
  createSubscriptionClientWith,
  HookpackApiError,
  HookpackInputError,
  type ClientRuntime,
  type VendorDefinition,
} from '../src/index.js';
import { acmeVendor, BASE, hook } from './client-fixtures.js';

const TOKEN_URL = 'https://login.acme.test/{tenant}/oauth2/token';
const SECRET = 'app~secret~value~1234567890';
const credentials = { clientId: 'app-123', clientSecret: SECRET, fields: { tenant: 'contoso tenant' } };

function appOnlyVendor(): VendorDefinition {
  return acmeVendor({
    auth: {
      kind: 'clientCredentials',
      tokenUrl: TOKEN_URL,
      scope: 'https://api.acme.test/.default',
      fields: [{ name: 'tenant', displayName: 'Tenant ID', description: 'the directory the app is registered in' }],
      clientHelp: 'Acme → App registrations → your app → Certificates & secrets.',
    },
  });
}

interface Call {
  url: string;
  method: string;
  authorization?: string;
  body?: string;
}

/** A fake token endpoint and API: `tokenAnswers` and `apiAnswers` are consumed in order. */
function fakeHost(tokenAnswers: Array<[number, unknown]>, apiAnswers: Array<[number, unknown]>) {
  const calls: Call[] = [];
  let issued = 0;
  const runtime: ClientRuntime = {
    fetch: async (url, init) => {
      const headers = new Headers(init.headers);
      calls.push({
        url,
        method: init.method ?? 'GET',
        ...(headers.get('authorization') ? { authorization: headers.get('authorization')! } : {}),
        ...(typeof init.body === 'string' ? { body: init.body } : {}),
      });
      const isToken = url.startsWith('https://login.acme.test/');
      const [status, body] = (isToken ? tokenAnswers : apiAnswers).shift() ?? [500, { error: 'no answer left' }];
      const json =
        isToken && status === 200 && body === 'issue'
          ? { token_type: 'Bearer', expires_in: 3600, access_token: `tok-${++issued}` }
          : body;
      return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
    },
    sleep: async () => {},
  };
  return { runtime, calls };
}

const listAnswer: [number, unknown] = [200, { data: { hooks: [hook('wh_1', 'https://example.com/a')] } }];

describe('client credentials', () => {
  it('the description check accepts the auth, and refuses a token URL naming an undeclared field', () => {
    // The client fixture is not a complete description: the auth adds no problem to its own.
    expect(checkVendorDescription(appOnlyVendor())).toEqual(checkVendorDescription(acmeVendor()));
    const broken = appOnlyVendor();
    (broken.auth as { tokenUrl: string }).tokenUrl = 'https://login.acme.test/{region}/oauth2/token';
    expect(checkVendorDescription(broken).map((p) => `${p.field}: ${p.problem}`)).toContain(
      'auth.tokenUrl: names {region}, which is not among auth.fields',
    );
  });

  it('one token for several calls: fetched with the form the RFC says, sent as a bearer token', async () => {
    const host = fakeHost([[200, 'issue']], [listAnswer, listAnswer]);
    const client = createSubscriptionClientWith(appOnlyVendor(), { clientCredentials: credentials }, host.runtime);
    await client.list();
    await client.list();
    const tokenCalls = host.calls.filter((c) => c.url.startsWith('https://login.acme.test/'));
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.url).toBe('https://login.acme.test/contoso%20tenant/oauth2/token');
    expect(Object.fromEntries(new URLSearchParams(tokenCalls[0]!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app-123',
      client_secret: SECRET,
      scope: 'https://api.acme.test/.default',
    });
    const apiCalls = host.calls.filter((c) => c.url.startsWith(BASE));
    expect(apiCalls.map((c) => c.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });

  it('an expired token is replaced before the call', async () => {
    let now = 1_000_000;
    const host = fakeHost(
      [
        [200, 'issue'],
        [200, 'issue'],
      ],
      [listAnswer, listAnswer],
    );
    const vendor = appOnlyVendor();
    // A client id of its own: tokens are cached per app across clients of the process.
    const own = { ...credentials, clientId: 'app-expiring' };
    const client = createSubscriptionClientWith(vendor, { clientCredentials: own, now: () => now }, host.runtime);
    await client.list();
    now += 3600_000; // the token's hour has passed
    await client.list();
    expect(host.calls.filter((c) => c.url.startsWith(BASE)).map((c) => c.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });

  it('a 401 from the API fetches a new token once and repeats the call; a second 401 is an error that names the fix', async () => {
    const host = fakeHost(
      [
        [200, 'issue'],
        [200, 'issue'],
      ],
      [[401, { error: 'token revoked' }], listAnswer],
    );
    const client = createSubscriptionClientWith(
      appOnlyVendor(),
      { clientCredentials: { ...credentials, clientId: 'app-401' } },
      host.runtime,
    );
    expect((await client.list()).map((s) => s.id)).toEqual(['wh_1']);
    expect(host.calls.filter((c) => c.url.startsWith(BASE)).map((c) => c.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);

    const refused = fakeHost(
      [
        [200, 'issue'],
        [200, 'issue'],
      ],
      [
        [401, {}],
        [401, {}],
      ],
    );
    const again = createSubscriptionClientWith(
      appOnlyVendor(),
      { clientCredentials: { ...credentials, clientId: 'app-401-twice' } },
      refused.runtime,
    );
    const error = await again.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookpackApiError);
    expect((error as HookpackApiError).code).toBe('unauthorized');
    expect((error as Error).message).toMatch(/also after a new one was fetched.*API permissions/);
    expect(refused.calls.filter((c) => c.url.startsWith(BASE))).toHaveLength(2);
  });

  it('credentials the token endpoint refuses: one error naming what to check, without the secret', async () => {
    const host = fakeHost(
      [
        [
          401,
          { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided: ${SECRET}` },
        ],
      ],
      [],
    );
    const client = createSubscriptionClientWith(
      appOnlyVendor(),
      { clientCredentials: { ...credentials, clientId: 'app-refused' } },
      host.runtime,
    );
    const error = (await client.list().catch((e: unknown) => e)) as HookpackApiError;
    expect(error).toBeInstanceOf(HookpackApiError);
    expect(error).toMatchObject({ code: 'unauthorized', operation: 'token', status: 401 });
    expect(error.message).toContain("Acme refused the app's client credentials (401: invalid_client: AADSTS7000215");
    expect(error.message).toContain('Check the client ID, the client secret');
    expect(error.message).not.toContain(SECRET);
    expect(host.calls.filter((c) => c.url.startsWith(BASE))).toEqual([]);
  });

  it('missing input is refused before any request, naming the field', () => {
    const host = fakeHost([], []);
    const make = (clientCredentials: unknown) => () =>
      createSubscriptionClientWith(appOnlyVendor(), { clientCredentials: clientCredentials as never }, host.runtime);
    expect(make(undefined)).toThrow(HookpackInputError);
    expect(make({ ...credentials, clientSecret: ' ' })).toThrow(
      /Acme client secret is missing \(Acme → App registrations/,
    );
    expect(make({ ...credentials, clientId: undefined })).toThrow(/Acme client ID is missing/);
    expect(make({ ...credentials, fields: {} })).toThrow(/Acme Tenant ID is missing: the token URL needs it/);
    expect(make({ ...credentials, tokenUrl: 'ftp://x/{tenant}' })).toThrow(/token URL must be http\(s\)/);
    expect(host.calls).toEqual([]);
  });
});
