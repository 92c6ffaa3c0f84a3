// The sandbox as the token endpoint and API of a client-credentials vendor (Graph app-only
// style): core's client gets a token with the account's client id and secret, the API takes
// only tokens the endpoint issued, and a revoked key stops both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriptionClient, HookpackApiError, type VendorDefinition } from '@hookpack/core';
import { parleyAppOnly } from '../../../test/fixtures/parley-app-only.js';
import { startSandbox, type Sandbox } from '../src/index.js';
import { vendorConformance } from '../src/testing/index.js';

const appOnly: VendorDefinition = parleyAppOnly;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ vendors: [appOnly], rateLimits: false });
});
afterAll(async () => sandbox?.stop());

const client = (clientSecret = sandbox.clientCredentials(appOnly.id).clientSecret) => {
  const { clientId, tokenUrl } = sandbox.clientCredentials(appOnly.id);
  return createSubscriptionClient(appOnly, {
    baseUrl: sandbox.baseUrl(appOnly.id),
    clientCredentials: { clientId, clientSecret, tokenUrl, fields: { tenant: `t-${Math.random()}` } },
    allowInsecureTargetUrl: true,
  });
};

describe('client credentials against the sandbox', () => {
  it('create, list and delete with a token from the sandbox token endpoint', async () => {
    const c = client();
    const created = await c.create({ url: 'http://127.0.0.1:9/hook', events: [appOnly.events[0]!.type] });
    expect((await c.list()).map((s) => s.id)).toContain(created.id);
    await c.delete(created.id);
    expect(sandbox.subscriptions(appOnly.id)).toEqual([]);
    // One token for the three calls (the client caches it).
    const tokenCalls = sandbox.requests(appOnly.id).filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenCalls.map((r) => [r.method, r.status])).toEqual([['POST', 200]]);
  });

  it('the API refuses a token it did not issue, and no token at all', async () => {
    for (const authorization of ['Bearer made-up-token', undefined]) {
      const res = await fetch(`${sandbox.baseUrl(appOnly.id)}/v1/webhooks`, {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(401);
      await res.text();
    }
  });

  it('a wrong client secret is refused at the token endpoint, and the error says so', async () => {
    const error = (await client('not-the-secret')
      .list()
      .catch((e: unknown) => e)) as HookpackApiError;
    expect(error).toBeInstanceOf(HookpackApiError);
    expect(error).toMatchObject({ code: 'unauthorized', operation: 'token', status: 401 });
    expect(error.message).toContain('invalid_client');
  });

  it('a revoke-key fault stops the tokens already issued and the token endpoint', async () => {
    const c = client();
    await c.list();
    sandbox.setFaults({ seed: 1, rules: [{ vendor: appOnly.id, fault: 'revoke-key', times: 1 }] });
    try {
      const error = (await c.list().catch((e: unknown) => e)) as HookpackApiError;
      expect(error).toBeInstanceOf(HookpackApiError);
      expect(error.code).toBe('unauthorized');
    } finally {
      sandbox.setFaults(null);
    }
  });

  it('vendorConformance passes for the client-credentials vendor (its bad-key check: a wrong client secret)', async () => {
    const report = await vendorConformance(appOnly);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.map((c) => c.name)).toContain('errors: bad key, invalid input, unknown id');
  }, 60_000);
});
