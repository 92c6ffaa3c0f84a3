import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '@hookpack/core';
import { getVendor, vendors } from '@hookpack/providers';
import { deliveryBody, deliveryHeaders, postDelivery } from '@hookpack/sandbox';
import { CliProcess, ensureBuilt, runCli } from './cli-process.js';
import { clientFor } from './helpers.js';
import { startReceiver } from './receiver.js';

// The `hookpack` CLI, run as real processes: output and exit codes.

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'hookpack-cli-'));
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A delivery as the vendor would send it, saved as the files `verify` reads. */
function captured(vendorId: string, secret: string, opts: { timestamp?: number; name: string }) {
  const vendor = getVendor(vendorId)!;
  const event = vendor.events[0]!;
  const body = deliveryBody(vendor, {
    id: 'evt_cli_1',
    type: event.type,
    createdAt: '2026-05-07T14:30:00Z',
    data: event.sample,
    livemode: false,
  });
  const headers = deliveryHeaders(vendor, {
    body,
    type: event.type,
    secret,
    deliveryId: 'd-1',
    ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
  });
  return {
    body,
    headers,
    bodyFile: file(`${opts.name}.bin`, body),
    headersFile: file(`${opts.name}.json`, JSON.stringify(headers)),
  };
}

describe('help and usage errors', () => {
  it.each(['sandbox', 'fire', 'trigger', 'listen', 'verify'])('%s --help prints usage and exits 0', async (command) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: hookpack ${command}`);
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  it('no command prints the overview and exits 2; --help exits 0', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: hookpack <command>');
    expect((await runCli(['--help'])).code).toBe(0);
  });

  it('unknown commands, vendors and options exit 2 and say what to fix', async () => {
    const unknown = await runCli(['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "deploy".*sandbox, fire, trigger, listen, verify/);
    const vendor = await runCli(['listen', 'stripe']);
    expect(vendor.code).toBe(2);
    expect(vendor.stderr).toMatch(/unknown vendor "stripe"/);
    expect(vendor.stderr).toContain(vendors.map((v) => v.id).join(', '));
    const option = await runCli(['trigger', 'parley', 'violation.new', '--too', 'x']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--too/);
    expect(option.stderr).toMatch(/hookpack trigger --help/);
  });
});

describe('verify', () => {
  it('accepts a valid capture and prints the normalized event', async () => {
    const c = captured('parley', 'whsec_cli', { name: 'parley-ok' });
    const r = await runCli([
      'verify',
      'parley',
      '--secret',
      'whsec_cli',
      '--headers',
      c.headersFile,
      '--body',
      c.bodyFile,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^valid: Parley violation.new/);
    expect(JSON.parse(r.stdout.slice(r.stdout.indexOf('{')))).toMatchObject({
      id: 'evt_cli_1',
      type: 'violation.new',
      provider: 'parley',
    });
  });

  it('rejects a wrong secret with exit 1 and explains', async () => {
    const c = captured('parsley', 'whsec_right', { name: 'parsley-wrong' });
    const r = await runCli([
      'verify',
      'parsley',
      '--secret',
      'whsec_wrong',
      '--headers',
      c.headersFile,
      '--body',
      c.bodyFile,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^invalid: signature_mismatch/);
    expect(r.stdout).toMatch(/exact bytes/);
  });

  it('finds a trailing newline added to the saved body', async () => {
    const c = captured('parseFlow', 'whsec_nl', { name: 'pf-nl' });
    const withNewline = file('pf-nl-edited.bin', Buffer.concat([c.body, Buffer.from('\n')]));
    const r = await runCli([
      'verify',
      'parseFlow',
      '--secret',
      'whsec_nl',
      '--headers',
      c.headersFile,
      '--body',
      withNewline,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Found it: the body file ends with whitespace/);
  });

  it('names the missing header and its expected format', async () => {
    const c = captured('parlay', 'whsec_x', { name: 'parlay-nohdr' });
    const r = await runCli([
      'verify',
      'parlay',
      '--secret',
      'whsec_x',
      '--headers',
      file('empty.json', '{}'),
      '--body',
      c.bodyFile,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/missing_header/);
    expect(r.stdout).toMatch(/X-Parlay-Signature: t=<unix seconds>,v1=<64 hex>/);
  });

  it('explains an expired Parlay timestamp and checks old captures with --now', async () => {
    const signedAt = 1_700_000_000;
    const c = captured('parlay', 'whsec_t', { name: 'parlay-old', timestamp: signedAt });
    const old = await runCli([
      'verify',
      'parlay',
      '--secret',
      'whsec_t',
      '--headers',
      c.headersFile,
      '--body',
      c.bodyFile,
    ]);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/timestamp_outside_tolerance/);
    expect(old.stdout).toMatch(/--now/);
    const then = await runCli([
      'verify',
      'parlay',
      '--secret',
      'whsec_t',
      '--headers',
      c.headersFile,
      '--body',
      c.bodyFile,
      '--now',
      String(signedAt + 10),
    ]);
    expect(then.code).toBe(0);
  });

  it('usage errors exit 2: no secret for a signing vendor, unreadable or non-object headers', async () => {
    const c = captured('parley', 's', { name: 'parley-usage' });
    const noSecret = await runCli(['verify', 'parley', '--headers', c.headersFile, '--body', c.bodyFile]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/pass --secret/);
    const badJson = await runCli([
      'verify',
      'parley',
      '--secret',
      's',
      '--headers',
      file('bad.json', '{nope'),
      '--body',
      c.bodyFile,
    ]);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/not valid JSON/);
    const array = await runCli([
      'verify',
      'parley',
      '--secret',
      's',
      '--headers',
      file('arr.json', '[]'),
      '--body',
      c.bodyFile,
    ]);
    expect(array.code).toBe(2);
    expect(array.stderr).toMatch(/JSON object of header names/);
  });

  it('accepts unsigned Parsley Recipes deliveries without a secret', async () => {
    const body = file(
      'recipes.bin',
      JSON.stringify({ event: 'RecipeCreated', payload: { recipeId: 1, timestamp: '2025-10-16T18:42:10Z' } }),
    );
    const r = await runCli([
      'verify',
      'parsleyRecipes',
      '--headers',
      file('recipes.json', '{"content-type":"application/json"}'),
      '--body',
      body,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unsigned/);
  });
});

describe('trigger', () => {
  it('sends one signed delivery, prints the response, exit 0 on 2xx', async () => {
    const receiver = await startReceiver();
    try {
      const r = await runCli([
        'trigger',
        'parlay',
        'playbook.published',
        '--to',
        receiver.url,
        '--secret',
        'whsec_trig',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/← 200/);
      expect(r.stdout).toMatch(/X-Parlay-Signature: t=\d+,v1=[0-9a-f]{64}/);
      expect(receiver.received).toHaveLength(1);
      const got = receiver.received[0]!;
      const v = verifyDelivery(getVendor('parlay')!, { body: got.body, headers: got.headers, secret: 'whsec_trig' });
      expect(v.ok && v.event.type).toBe('playbook.published');
      expect(got.headers['x-parlay-event']).toBe('playbook.published');
    } finally {
      await receiver.close();
    }
  });

  it('uses --data as the payload and exits 1 when the receiver refuses', async () => {
    const receiver = await startReceiver(() => 422);
    try {
      const data = file('data.json', JSON.stringify({ custom: 'payload' }));
      const r = await runCli([
        'trigger',
        'parseFlow',
        'quota.warning',
        '--to',
        receiver.url,
        '--secret',
        's',
        '--data',
        data,
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/← 422/);
      expect(JSON.parse(receiver.received[0]!.body.toString())).toMatchObject({
        event: 'quota.warning',
        data: { custom: 'payload' },
      });
    } finally {
      await receiver.close();
    }
  });

  it('exits 1 when nothing answers', async () => {
    const r = await runCli(['trigger', 'parsleyRecipes', 'EventCreated', '--to', 'http://127.0.0.1:1/x']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no response: ECONNREFUSED/);
  });

  it('usage errors exit 2: unknown event, missing secret, non-loopback target', async () => {
    const event = await runCli(['trigger', 'parley', 'violation.old', '--to', 'http://127.0.0.1:9', '--secret', 's']);
    expect(event.code).toBe(2);
    expect(event.stderr).toMatch(/no event "violation.old".*violation.new/);
    const secret = await runCli(['trigger', 'parley', 'violation.new', '--to', 'http://127.0.0.1:9']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/pass --secret/);
    const external = await runCli([
      'trigger',
      'parley',
      'violation.new',
      '--to',
      'https://example.com/h',
      '--secret',
      's',
    ]);
    expect(external.code).toBe(2);
    expect(external.stderr).toMatch(/not a loopback address; pass --allow-external/);
  });
});

describe('listen', () => {
  it('verifies deliveries, prints verdicts, forwards valid ones, exits 1 after --max with a rejection', async () => {
    const forward = await startReceiver(() => 202);
    const listener = new CliProcess([
      'listen',
      'parsley',
      '--secret',
      'whsec_listen',
      '--forward-to',
      forward.url,
      '--max',
      '2',
    ]);
    try {
      const [, url] = await listener.waitFor(/Listening for Parsley deliveries on (\S+)/);
      const vendor = getVendor('parsley')!;
      const body = deliveryBody(vendor, {
        id: 'evt_listen_1',
        type: 'lead.scored',
        createdAt: '2026-05-07T14:30:00Z',
        data: vendor.events[3]!.sample,
        livemode: false,
      });
      const good = await postDelivery(
        url!,
        body,
        deliveryHeaders(vendor, { body, type: 'lead.scored', secret: 'whsec_listen', deliveryId: 'evt_listen_1' }),
        5000,
      );
      expect(good.status).toBe(202); // the forward target's answer goes back to the sender
      const bad = await postDelivery(
        url!,
        body,
        deliveryHeaders(vendor, { body, type: 'lead.scored', secret: 'whsec_other', deliveryId: 'evt_listen_1' }),
        5000,
      );
      expect(bad.status).toBe(401);
      expect(await listener.exitCode()).toBe(1);
      expect(listener.stdout).toMatch(/✔ verified Parsley lead.scored \(id evt_listen_1\)/);
      expect(listener.stdout).toMatch(/forwarded to .*: 202/);
      expect(listener.stdout).toMatch(/✘ rejected POST \/ → 401 signature_mismatch/);
      expect(forward.received).toHaveLength(1);
      expect(forward.received[0]!.body.equals(body)).toBe(true);
      expect(forward.received[0]!.headers['x-parsley-signature']).toMatch(/^sha256=/);
    } finally {
      await listener.stop();
      await forward.close();
    }
  });

  it('refuses to start without a secret for a vendor that always signs', async () => {
    const r = await runCli(['listen', 'parlay']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Parlay signs every delivery: pass --secret/);
  });
});

describe('sandbox', () => {
  it('prints base URLs and keys, serves the APIs and the inspection API, stops on SIGTERM with 0', async () => {
    const proc = new CliProcess([
      'sandbox',
      '--json',
      '--time-scale',
      '0.001',
      '--vendors',
      'parley,parsley',
      '--api-key',
      'parsley=pk_live_fixed',
    ]);
    const receiver = await startReceiver();
    try {
      const [line] = await proc.waitFor(/^\{.*\}$/m);
      const info = JSON.parse(line!) as { url: string; vendors: { id: string; baseUrl: string; apiKey: string }[] };
      expect(info.vendors.map((v) => v.id)).toEqual(['parley', 'parsley']);
      const parsley = info.vendors.find((v) => v.id === 'parsley')!;
      expect(parsley.apiKey).toBe('pk_live_fixed');
      expect(parsley.baseUrl).toBe(`${info.url}/parsley/api/v1`);
      // Same API as the library: drive it with core's client, fire over the inspection API.
      const fake = {
        apiKey: (id: string) => info.vendors.find((v) => v.id === id)!.apiKey,
        baseUrl: (id: string) => info.vendors.find((v) => v.id === id)!.baseUrl,
      };
      const sub = await clientFor(fake as never, 'parsley').create({ url: receiver.url, events: ['profile.viewed'] });
      const fired = await fetch(`${info.url}/_sandbox/events`, {
        method: 'POST',
        body: JSON.stringify({ vendor: 'parsley', type: 'profile.viewed' }),
      });
      expect(fired.status).toBe(202);
      const settled = await fetch(`${info.url}/_sandbox/settle`, { method: 'POST', body: '{}' });
      expect(await settled.json()).toEqual({ settled: true });
      const deliveries = (await (await fetch(`${info.url}/_sandbox/deliveries?subscription=${sub.id}`)).json()) as {
        state: string;
      }[];
      expect(deliveries).toEqual([expect.objectContaining({ state: 'delivered' })]);
      expect(receiver.received).toHaveLength(1);
      expect(await proc.stop()).toBe(0);
    } finally {
      await proc.stop();
      await receiver.close();
    }
  });

  it('prints a table for people', async () => {
    const proc = new CliProcess(['sandbox', '--vendors', 'parlay,parsleyRecipes']);
    try {
      await proc.waitFor(/Ctrl-C to stop/);
      expect(proc.stdout).toMatch(
        /Parlay\s+base URL http:\/\/127\.0\.0\.1:\d+\/parlay\s+API key pk_sandbox_sandbox_\S+/,
      );
      expect(proc.stdout).toMatch(/Parsley Recipes\s+no API: add a hook with POST/);
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });

  it('bad options exit 2', async () => {
    const scale = await runCli(['sandbox', '--time-scale', '0']);
    expect(scale.code).toBe(2);
    expect(scale.stderr).toMatch(/--time-scale must be a positive number/);
    const vendors = await runCli(['sandbox', '--vendors', 'parley,stripe']);
    expect(vendors.code).toBe(2);
    expect(vendors.stderr).toMatch(/unknown vendor "stripe"/);
    const state = await runCli(['sandbox', '--state', file('broken-state.json', 'not json')]);
    expect(state.code).toBe(2);
    expect(state.stderr).toMatch(/state file .* is not valid JSON/);
  });
});

describe('fire', () => {
  it('makes a running sandbox deliver an event, waits, and reports each delivery', async () => {
    const proc = new CliProcess(['sandbox', '--json', '--time-scale', '0.001', '--vendors', 'parsley']);
    const good = await startReceiver();
    const bad = await startReceiver(() => 500);
    try {
      const [line] = await proc.waitFor(/^\{.*\}$/m);
      const info = JSON.parse(line!) as { url: string; vendors: { id: string; baseUrl: string; apiKey: string }[] };
      const fake = { apiKey: () => info.vendors[0]!.apiKey, baseUrl: () => info.vendors[0]!.baseUrl };
      const client = clientFor(fake as never, 'parsley');
      await client.create({ url: good.url, events: ['profile.viewed'] });
      await client.create({ url: bad.url, events: ['profile.viewed'] });
      await client.create({ url: good.url + 'other', events: ['lead.scored'] }); // not subscribed to this type

      const ok = await runCli(['fire', 'parsley', 'profile.viewed', '--sandbox', info.url]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^fired Parsley profile\.viewed \(\S+\) → 2 subscriptions/);

      // Parsley retries 1 s / 5 s / 30 s (36 ms at this time scale), then drops the delivery.
      const waited = await runCli(
        ['fire', 'parsley', 'profile.viewed', '--sandbox', info.url, '--wait', '20000'],
        60_000,
      );
      expect(waited.code).toBe(1); // one receiver always answers 500
      expect(waited.stdout).toMatch(/delivered after 1 attempt\(s\), last HTTP 200/);
      expect(waited.stdout).toMatch(/failed after 4 attempt\(s\), last HTTP 500/);
    } finally {
      await proc.stop();
      await good.close();
      await bad.close();
    }
  }, 90_000);

  it('says what to fix when there is no sandbox or the event is refused', async () => {
    const none = await runCli(['fire', 'parley', 'violation.new', '--sandbox', 'http://127.0.0.1:9']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no sandbox answers at http:\/\/127\.0\.0\.1:9\/.*hookpack sandbox/);
    const external = await runCli(['fire', 'parley', 'violation.new', '--sandbox', 'http://192.0.2.1:80']);
    expect(external.code).toBe(2);
    expect(external.stderr).toMatch(/not a loopback address/);
    const proc = new CliProcess(['sandbox', '--json', '--vendors', 'parley']);
    try {
      const [line] = await proc.waitFor(/^\{.*\}$/m);
      const { url } = JSON.parse(line!) as { url: string };
      const refused = await runCli(['fire', 'parlay', 'analysis.completed', '--sandbox', url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/the sandbox refused the event \(\d+\)/);
    } finally {
      await proc.stop();
    }
  });
});
