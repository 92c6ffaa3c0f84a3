// Expiring subscriptions in a real n8n 2.41 (npm run test:n8n-expiry): an n8n package built with
// buildN8nPackage (what `hookpack build n8n` runs) from a vendor whose subscriptions expire
// (test/fixtures/expiring-parley.ts), installed as a community package, against the sandbox
// whose clock lets the seven-day lifetime pass in about ten seconds. The trigger renews before
// the expiry with nobody doing anything, and a subscription the vendor let lapse is recreated by
// the trigger's health check — and deliveries to the new one verify, which shows its secret
// reached the database the webhook handler reads. Durations are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { expiringParley as vendor } from '../fixtures/expiring-parley.js';
import { EXPIRING_PACKAGE as PACKAGE, packExpiringPackage, TEN_SECOND_LIFETIME } from '../support/expiring-package.js';
import {
  createTriggerWorkflow,
  ensureN8n,
  freePort,
  installCommunityPackage,
  N8nRest,
  startN8n,
  // @ts-expect-error plain ESM harness, shared with the playground (npm start) and the n8n e2e
} from '@hookpack/playground/n8n';

const N8N_VERSION = process.env.HOOKPACK_N8N_VERSION ?? '2.41.0';

let work = '';
let sandbox: Sandbox;
let n8n: { url: string; stop(): Promise<void>; log(): string };
let rest: InstanceType<typeof N8nRest>;
let boot: () => Promise<void>;
const timings: Record<string, string> = {};

async function until(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${n8n?.log().slice(-4000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const subs = () => sandbox.subscriptions(vendor.id);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hookpack-expiry-'));
  const userFolder = join(work, 'n8n-user');
  installCommunityPackage(userFolder, await packExpiringPackage(work));
  sandbox = await startSandbox({ vendors: [vendor], timeScale: 0.001, expiryTimeScale: TEN_SECOND_LIFETIME });
  const dir = await ensureN8n(N8N_VERSION);
  const port = await freePort();
  boot = async () => {
    n8n = await startN8n({ dir, userFolder, port });
    rest = new N8nRest(n8n.url);
    await rest.login();
  };
  await boot();
}, 900_000);

afterAll(async () => {
  await n8n?.stop();
  await sandbox?.stop();
  console.log(`[n8n expiry e2e] n8n ${N8N_VERSION}:`, timings);
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A published workflow with the trigger, its subscription registered; returns its id and the subscription. */
async function publish(name: string) {
  const event = vendor.events[0]!.type;
  const { workflowId } = await createTriggerWorkflow(rest, {
    n8nUrl: n8n.url,
    sandbox,
    vendor,
    events: [event],
    name,
    packageName: PACKAGE,
  });
  const before = new Set(subs().map((s) => s.id));
  await rest.activate(workflowId);
  await until(() => subs().some((s) => !before.has(s.id)), 'the trigger to register with the sandbox');
  return { workflowId, event, sub: subs().find((s) => !before.has(s.id))! };
}

/** One event through the current subscription: delivered, verified, one more execution. */
async function deliverOne(workflowId: string, event: string) {
  const runs = (await rest.executions(workflowId)).length;
  const fired = sandbox.fire(vendor.id, event);
  expect(await sandbox.settle()).toBe(true);
  expect(sandbox.deliveries({ eventId: fired.eventId }).map((d) => d.state)).toEqual(['delivered']);
  await until(async () => (await rest.executions(workflowId)).length > runs, 'the execution');
  const latest = (await rest.executions(workflowId))[0];
  expect((await rest.executionData(latest.id)).data).toContain(`"${fired.eventId}"`);
}

describe('expiring subscriptions in a real n8n', () => {
  it('the trigger renews the subscription before it expires, nobody doing anything', async () => {
    const started = performance.now();
    const { workflowId, event, sub } = await publish('expiry: renewal');
    const firstExpiry = Date.parse(sub.expiresAt!);
    // Renewed in place: same id, a later expiry, never lapsed.
    await until(() => Date.parse(sandbox.subscription(sub.id)?.expiresAt ?? '0') > firstExpiry, 'the renewal', 30_000);
    timings['publish → renewed'] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    await until(() => Date.now() > firstExpiry + 500, 'the first expiry to pass', 30_000);
    expect(sandbox.subscription(sub.id)).toMatchObject({ active: true });
    expect(subs().filter((s) => s.url === sub.url)).toHaveLength(1);
    await deliverOne(workflowId, event);
    expect(n8n.log()).toContain(`renewed subscription ${sub.id}; it now expires at`);
    await rest.deactivate(workflowId);
    await until(() => sandbox.subscription(sub.id) === undefined, 'the delete on unpublish');
  }, 120_000);

  it('a subscription the vendor let lapse is recreated by the health check; deliveries to the new one verify', async () => {
    const { workflowId, event, sub } = await publish('expiry: lapsed');
    const started = performance.now();
    expect(sandbox.expire(sub.id)).toBe(true); // the vendor switches it off now
    await until(() => subs().some((s) => s.url === sub.url && s.id !== sub.id && s.active), 'the replacement', 60_000);
    timings['lapsed → recreated'] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    await until(() => sandbox.subscription(sub.id) === undefined, 'the lapsed one to be deleted', 30_000);
    expect(subs().filter((s) => s.url === sub.url)).toHaveLength(1);
    // The webhook handler reads the new secret from the database: the repair's state was saved.
    await deliverOne(workflowId, event);
    expect(n8n.log()).toMatch(/is switched off at Parley Expiring; n8n registers the trigger again/);
    await rest.deactivate(workflowId);
  }, 120_000);

  it('a renewal the vendor keeps refusing (503) is retried at the next checks, then the subscription is replaced', async () => {
    const { workflowId, event, sub } = await publish('expiry: renewal refused');
    try {
      // Every refresh answered 503 from now on; create, read and delete still work.
      sandbox.setFaults({
        seed: 1,
        rules: [{ vendor: vendor.id, operation: 'renew', fault: 'server-error', status: 503, times: 1000 }],
      });
      const started = performance.now();
      try {
        await until(
          () => subs().some((s) => s.url === sub.url && s.id !== sub.id && s.active),
          'the replacement',
          60_000,
        );
      } finally {
        sandbox.setFaults(null);
      }
      timings['renewal refused → replaced'] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
      await until(() => sandbox.subscription(sub.id) === undefined, 'the refused one to be deleted', 30_000);
      expect(subs().filter((s) => s.url === sub.url)).toHaveLength(1);
      const refused = sandbox
        .requests(vendor.id)
        .filter((r) => r.path.includes(`/${sub.id}/refresh`) && r.status === 503);
      timings['refreshes answered 503'] = String(refused.length);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      // The log says the failed attempt, retried at the next check, then the replacement — after
      // the third failure, or earlier when the next check would come too close to the expiry.
      expect(n8n.log()).toContain(`renewing subscription ${sub.id} failed (attempt 1 of 3, retried at the next check)`);
      expect(n8n.log()).toMatch(
        new RegExp(
          `renewing subscription ${sub.id} failed \\d time\\(s\\) \\(last: [^\\n]*503[^\\n]*; n8n registers the trigger again`,
        ),
      );
      await deliverOne(workflowId, event);
    } finally {
      await rest.deactivate(workflowId);
    }
  }, 120_000);

  it('after a restart the upkeep goes on: a subscription deleted while n8n was down is recreated', async () => {
    const { workflowId, event, sub } = await publish('expiry: restart');
    await n8n.stop();
    const client = (await import('@hookpack/core')).createSubscriptionClient(vendor, {
      apiKey: sandbox.apiKey(vendor.id),
      baseUrl: sandbox.baseUrl(vendor.id),
      allowInsecureTargetUrl: true,
    });
    await client.delete(sub.id); // deleted in the vendor's dashboard while n8n was down
    const started = performance.now();
    await boot();
    await until(() => subs().some((s) => s.url === sub.url && s.active), 'the recreated subscription', 60_000);
    timings['restart → recreated'] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    expect(subs().filter((s) => s.url === sub.url)).toHaveLength(1);
    await deliverOne(workflowId, event);
    await rest.deactivate(workflowId);
  }, 180_000);
});
