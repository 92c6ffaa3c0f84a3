import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HookpackApiError } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { startSandbox, type FaultSpec, type Sandbox } from '@hookpack/sandbox';
import { CliProcess, ensureBuilt } from './cli-process.js';
import { clientFor, raw } from './helpers.js';

// Fault injection, over real HTTP on loopback: what core's REST client sees for each fault, and
// that a spec is reproducible and checked field by field.

const restVendors = vendors.filter((v) => v.api);
const target = (n: number | string) => `http://127.0.0.1:9/hook-${n}`;
const eventsOf = (vendorId: string) => [vendors.find((v) => v.id === vendorId)!.events.find((e) => !e.paid)!.type];

describe('fault spec validation names the bad field', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 0.001 });
  });
  afterAll(() => sandbox.stop());

  const bad: [string, unknown, RegExp][] = [
    ['not an object', [], /fault spec must be a JSON object/],
    ['unknown top-level field', { rules: [], rule: [] }, /unknown field "rule"/],
    ['seed not an integer', { seed: 1.5, rules: [] }, /seed must be an integer/],
    ['rules missing', { seed: 1 }, /rules must be an array/],
    ['rule not an object', { rules: [3] }, /rules\[0\] must be an object/],
    ['unknown fault', { rules: [{ fault: 'explode', times: 1 }] }, /rules\[0\]\.fault must be one of server-error/],
    ['unknown vendor', { rules: [{ vendor: 'stripe', fault: 'slow', times: 1 }] }, /rules\[0\]\.vendor must be/],
    [
      'vendor without an API',
      { rules: [{ vendor: 'parsleyRecipes', fault: 'slow', times: 1 }] },
      /rules\[0\]\.vendor .*got "parsleyRecipes"/,
    ],
    ['unknown operation', { rules: [{ operation: 'purge', fault: 'slow', times: 1 }] }, /rules\[0\]\.operation must/],
    [
      'operation the vendor lacks',
      {
        rules: [
          { fault: 'slow', times: 1 },
          { vendor: 'parseFlow', operation: 'get', fault: 'slow', times: 1 },
        ],
      },
      /rules\[1\]\.operation: ParseFlow has no "get" endpoint/,
    ],
    ['no trigger', { rules: [{ fault: 'slow' }] }, /rules\[0\] needs probability, nth or times/],
    ['probability out of range', { rules: [{ fault: 'slow', probability: 1.5 }] }, /rules\[0\]\.probability/],
    ['nth zero', { rules: [{ fault: 'slow', nth: 0 }] }, /rules\[0\]\.nth must be a whole number/],
    ['times not a number', { rules: [{ fault: 'slow', times: 'twice' }] }, /rules\[0\]\.times/],
    ['status not 5xx', { rules: [{ fault: 'server-error', status: 404, times: 1 }] }, /rules\[0\]\.status must be 500/],
    [
      'field of another fault',
      { rules: [{ fault: 'slow', holdMs: 5, times: 1 }] },
      /rules\[0\]\.holdMs applies to timeout/,
    ],
    ['unbounded hold', { rules: [{ fault: 'timeout', holdMs: 1e9, times: 1 }] }, /rules\[0\]\.holdMs must be/],
    [
      'unknown rule field',
      { rules: [{ fault: 'slow', times: 1, when: 'now' }] },
      /rules\[0\]\.when is not a rule field/,
    ],
  ];

  it.each(bad)('%s', async (_name, spec, message) => {
    sandbox.setFaults({ seed: 7, rules: [{ fault: 'slow', delayMs: 0, times: 1 }] });
    expect(() => sandbox.setFaults(spec)).toThrow(message);
    // A refused spec leaves the one in force.
    expect(sandbox.faults().spec?.seed).toBe(7);
    // The same check at the inspection API: 400 and the same message.
    const res = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'PUT', body: JSON.stringify(spec) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(
      Array.isArray(spec) ? /request body must be a JSON object/ : message,
    );
  });

  it('startSandbox refuses a bad spec and does not keep a server running', async () => {
    await expect(
      startSandbox({ faults: { rules: [{ fault: 'rate-limit', retryAfterSeconds: -1, times: 1 }] } }),
    ).rejects.toThrow(/rules\[0\]\.retryAfterSeconds/);
  });
});

describe('same seed + same request sequence → same faults', () => {
  const spec: FaultSpec = {
    seed: 42,
    rules: [
      { fault: 'server-error', status: 503, probability: 0.3 },
      { operation: 'list', fault: 'rate-limit', probability: 0.2, retryAfterSeconds: 0 },
    ],
  };
  /** Fixed sequence of list calls per vendor; returns which requests were hit, by vendor. */
  async function run(seed: number, interleave: boolean) {
    const sandbox = await startSandbox({ faults: { ...spec, seed } });
    try {
      for (let i = 0; i < 30; i++) {
        for (const v of restVendors) {
          await raw(sandbox, v.id, 'GET', v.api!.endpoints.list!.path);
          // Another vendor's traffic in between must not shift this vendor's faults.
          if (interleave && v === restVendors[0]) await raw(sandbox, restVendors[1]!.id, 'GET', '/nowhere');
        }
      }
      return Object.fromEntries(
        restVendors.map((v) => [
          v.id,
          sandbox
            .faults()
            .injected.filter((f) => f.vendor === v.id && f.operation === 'list')
            .map((f) => `${f.request}:${f.fault}`),
        ]),
      );
    } finally {
      await sandbox.stop();
    }
  }

  it('replays exactly, per vendor, and another seed gives another sequence', async () => {
    const first = await run(42, false);
    expect(await run(42, false)).toEqual(first);
    for (const v of restVendors) {
      expect(first[v.id]!.length, v.id).toBeGreaterThan(0);
      expect(first[v.id]!.length, v.id).toBeLessThan(30);
    }
    const interleaved = await run(42, true);
    // The extra requests to restVendors[1] did not route to an operation, so they draw nothing.
    expect(interleaved).toEqual(first);
    expect(await run(43, false)).not.toEqual(first);
  });
});

describe.each(restVendors.map((v) => [v.id]))('%s: core client against each fault', (vendorId) => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ timeScale: 0.001, rateLimits: false });
  });
  afterEach(() => sandbox.stop());
  const listPath = () => restVendors.find((v) => v.id === vendorId)!.api!.endpoints.list!.path;

  it.each([500, 502, 503])('HTTP %i once: retried and answered; the log shows the fault', async (status) => {
    sandbox.setFaults({ rules: [{ vendor: vendorId, operation: 'list', fault: 'server-error', status, times: 1 }] });
    const fails = clientFor(sandbox, vendorId);
    await expect(fails.list()).rejects.toMatchObject({ code: 'server', status });
    sandbox.setFaults({ rules: [{ vendor: vendorId, operation: 'list', fault: 'server-error', status, times: 1 }] });
    const retries = clientFor(sandbox, vendorId, { retry: { maxAttempts: 3, baseDelayMs: 1 } });
    expect(await retries.list()).toEqual([]);
    const log = sandbox.requests(vendorId).slice(-2);
    expect(log.map((r) => [r.status, r.fault?.kind])).toEqual([
      [status, 'server-error'],
      [200, undefined],
    ]);
    expect(sandbox.faults().injected).toMatchObject([{ vendor: vendorId, operation: 'list', fault: 'server-error' }]);
  });

  it('429 with Retry-After: the client waits what the vendor asked, then succeeds', async () => {
    sandbox.setFaults({
      rules: [{ vendor: vendorId, operation: 'list', fault: 'rate-limit', retryAfterSeconds: 2, nth: 1 }],
    });
    const waits: number[] = [];
    const client = clientFor(sandbox, vendorId, {
      retry: { maxAttempts: 2 },
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(await client.list()).toEqual([]);
    expect(waits).toEqual([2000]);
    const first = await raw(sandbox, vendorId, 'GET', listPath());
    expect(first.status).toBe(200); // nth: 1 hit only the first request
    expect(sandbox.requests(vendorId)[0]).toMatchObject({ status: 429, fault: { kind: 'rate-limit' } });
  });

  it('a timeout longer than the client waits: the client gives up; no answer is logged', async () => {
    sandbox.setFaults({ rules: [{ vendor: vendorId, operation: 'list', fault: 'timeout', holdMs: 5000, times: 1 }] });
    const client = clientFor(sandbox, vendorId, { timeoutMs: 200 });
    await expect(client.list()).rejects.toMatchObject({ code: 'timeout' });
    // The client hung up, which ends the hold at once (bounded either way).
    await expect.poll(() => sandbox.requests(vendorId).length).toBe(1);
    expect(sandbox.requests(vendorId)[0]).toMatchObject({ status: 0, fault: { kind: 'timeout' } });
  });

  it.each([
    ['reset-after-store', { fault: 'reset-after-store', nth: 1 }],
    ['timeout after storing', { fault: 'timeout', perform: true, holdMs: 3000, nth: 1 }],
  ] as const)('%s on create: the vendor stored it, and the client still ends with exactly one', async (_n, rule) => {
    sandbox.setFaults({ rules: [{ vendor: vendorId, operation: 'create', ...rule }] });
    const client = clientFor(sandbox, vendorId, { timeoutMs: 500, retry: { maxAttempts: 3, baseDelayMs: 1 } });
    const created = await client.create({ url: target(1), events: eventsOf(vendorId) });
    const subs = sandbox.subscriptions(vendorId);
    expect(subs.map((s) => s.id)).toEqual([created.id]);
    // What the client holds verifies what the vendor signs: the secret, or its public key (none
    // per subscription where the app signs).
    expect(subs[0]!.publicKey ?? subs[0]!.secret ?? null).toBe(created.publicKey ?? created.secret ?? null);
    const creates = sandbox.requests(vendorId).filter((r) => r.method === 'POST');
    expect(creates[0]).toMatchObject({ status: 0, fault: { kind: rule.fault } });
    expect(creates.at(-1)!.status).toBe(201);
  });

  it('every create attempt stored and its answer lost: the client gives up and leaves nothing behind', async () => {
    // Idempotency-key vendors too (found by the Zapier chaos trials): once the transport's
    // retries with the same key are spent, what the vendor stored must still be taken back.
    sandbox.setFaults({ rules: [{ vendor: vendorId, operation: 'create', fault: 'reset-after-store', times: 5 }] });
    const client = clientFor(sandbox, vendorId, { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    await expect(client.create({ url: target(3), events: eventsOf(vendorId) })).rejects.toThrow(
      /deleted the subscription .* had created anyway/,
    );
    expect(sandbox.subscriptions(vendorId)).toEqual([]);
  });

  it('a slow answer arrives intact', async () => {
    sandbox.setFaults({ rules: [{ vendor: vendorId, operation: 'create', fault: 'slow', delayMs: 300, times: 1 }] });
    const client = clientFor(sandbox, vendorId, { timeoutMs: 5000 });
    const created = await client.create({ url: target(2), events: eventsOf(vendorId) });
    expect(sandbox.subscriptions(vendorId).map((s) => s.id)).toEqual([created.id]);
    expect(sandbox.requests(vendorId).find((r) => r.method === 'POST')).toMatchObject({
      status: 201,
      fault: { kind: 'slow' },
    });
  });

  it('revoke-key at the 2nd request: 401 from then on, until the spec is cleared', async () => {
    sandbox.setFaults({ rules: [{ vendor: vendorId, fault: 'revoke-key', nth: 2 }] });
    const client = clientFor(sandbox, vendorId);
    expect(await client.list()).toEqual([]);
    for (let i = 0; i < 2; i++) {
      const error = await client.list().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HookpackApiError);
      expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
      expect((error as Error).message).toMatch(/rejected the API key: invalid or revoked/);
    }
    expect(sandbox.faults().revoked).toEqual([vendorId]);
    expect(sandbox.faults().injected).toHaveLength(1);
    sandbox.setFaults(null);
    expect(await client.list()).toEqual([]);
  });
});

describe('faults through the inspection API and the CLI', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'hookpack-faults-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('PUT, GET and DELETE /_sandbox/faults', async () => {
    const sandbox = await startSandbox();
    try {
      const vendor = restVendors[0]!;
      const put = await fetch(`${sandbox.url}/_sandbox/faults`, {
        method: 'PUT',
        body: JSON.stringify({ seed: 9, rules: [{ vendor: vendor.id, fault: 'server-error', status: 502, nth: 1 }] }),
      });
      expect(put.status).toBe(200);
      expect((await raw(sandbox, vendor.id, 'GET', vendor.api!.endpoints.list!.path)).status).toBe(502);
      const view = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as ReturnType<Sandbox['faults']>;
      expect(view.spec).toEqual({
        seed: 9,
        rules: [{ vendor: vendor.id, fault: 'server-error', status: 502, nth: 1 }],
      });
      expect(view.injected).toMatchObject([{ vendor: vendor.id, operation: 'list', request: 1, detail: 'HTTP 502' }]);
      const logged = (await (await fetch(`${sandbox.url}/_sandbox/requests`)).json()) as { fault?: unknown }[];
      expect(logged[0]!.fault).toMatchObject({ rule: 0, kind: 'server-error' });
      expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
      expect(sandbox.faults()).toEqual({ spec: null, injected: [], revoked: [] });
    } finally {
      await sandbox.stop();
    }
  });

  it('hookpack sandbox --faults file.json injects them; a bad file is a usage error naming the field', async () => {
    const vendor = restVendors[0]!;
    const good = join(dir, 'faults.json');
    writeFileSync(good, JSON.stringify({ seed: 3, rules: [{ vendor: vendor.id, fault: 'rate-limit', times: 1 }] }));
    const proc = new CliProcess(['sandbox', '--json', '--faults', good, '--vendors', vendor.id]);
    try {
      const info = JSON.parse((await proc.waitFor(/^\{.*\}$/m))[0]) as { url: string; vendors: { apiKey: string }[] };
      const key = info.vendors[0]!.apiKey;
      const headers: Record<string, string> =
        vendor.auth.kind === 'apiKey' && vendor.auth.placement === 'bearer'
          ? { Authorization: `Bearer ${key}` }
          : { [(vendor.auth.kind === 'apiKey' && vendor.auth.headerName) || 'X-API-Key']: key };
      const url = `${info.url}/${vendor.id}${new URL(vendor.api!.baseUrl).pathname.replace(/\/$/, '')}${vendor.api!.endpoints.list!.path}`;
      const first = await fetch(url, { headers });
      expect(first.status).toBe(429);
      expect(first.headers.get('retry-after')).toBe('1');
      expect((await fetch(url, { headers })).status).toBe(200);
    } finally {
      expect(await proc.stop()).toBe(0);
    }
    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ rules: [{ fault: 'server-error', status: 418, times: 1 }] }));
    const refused = new CliProcess(['sandbox', '--faults', badFile]);
    expect(await refused.exitCode()).toBe(2);
    expect(refused.stderr).toContain(`--faults ${badFile}: rules[0].status must be 500, 502 or 503`);
  });
});
