// The trigger's upkeep (upkeep.ts) against the sandbox playing shipped vendors with the expiry
// shapes public vendors use: renewal at 60% of the lifetime, a vendor-side deletion, switch-off
// or failed renewal repaired through n8n's re-registration (emitError, then trigger() again),
// ownership intact, and what the user sees (log, node state). Time moves by vi.setSystemTime;
// the sandbox reads the same clock.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkVendorDescription, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { expiryShapes, withExpiry } from '@hookpack/sandbox/testing';
import type { IDataObject, INodeExecutionData, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { webhookLifecycle } from '../src/lifecycle.js';
import { cronEvery, RENEW_ATTEMPTS, tickSeconds, upkeepTrigger } from '../src/upkeep.js';
import { CREDENTIAL_FIELDS } from '../src/credential.js';
import { storedSubscriptions } from '../src/state.js';
import { keepTestRunData } from '../src/test-run-data.js';
import { nodeProperties, PARAM } from '../src/parameters.js';
import { hookContext, PRODUCTION_URL } from './contexts.js';

const START = Date.parse('2030-01-01T00:00:00.000Z');

/** Every (shape, shipped vendor) pair whose description accepts the shape. */
const cases = Object.entries(expiryShapes).flatMap(([shape, def]) =>
  vendors
    .filter((v) => v.api && !v.signature.publicKey && v.api.resource.eventsPerSubscription !== 'one')
    .map((v) => withExpiry(v, def))
    .filter((v) => checkVendorDescription(v).length === 0)
    .map((v) => ({ shape, vendor: v })),
);
const served = new Map(cases.map((c) => [`${c.shape}/${c.vendor.id}`, c.vendor]));

let sandboxes: Map<string, Sandbox>;
beforeAll(async () => {
  sandboxes = new Map();
  for (const [key, vendor] of served)
    sandboxes.set(
      key,
      await startSandbox({ vendors: [vendor], rateLimits: false, expiryTimeScale: 1, now: () => Date.now() }),
    );
});
afterAll(async () => {
  for (const s of sandboxes.values()) await s.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A stand-in for n8n's trigger context: what upkeep.ts calls, and what it did. */
function triggerContext(
  vendor: VendorDefinition,
  sandbox: Sandbox,
  staticData: IDataObject,
  mode = 'trigger',
  workflowId = 'wf-1',
) {
  const logged: string[] = [];
  const log = (level: string) => (m: string) => logged.push(`${level}: ${m}`);
  const ticks: (() => void)[] = [];
  const crons: string[] = [];
  const errors: Error[] = [];
  const emitted: INodeExecutionData[][][] = [];
  const ctx = {
    getMode: () => mode,
    getActivationMode: () => 'activate',
    getWorkflow: () => ({ id: workflowId, active: true }),
    getNode: () => ({ id: 'node-1', name: 'Trigger', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }),
    getCredentials: async () => credentialsFor(vendor, sandbox),
    getNodeParameter: (name: string, fallback?: unknown) => (name === 'events' ? [vendor.events[0]!.type] : fallback),
    getWorkflowStaticData: () => staticData,
    logger: { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
    helpers: {
      registerCron: ({ expression }: { expression: string }, onTick: () => void) => {
        crons.push(expression);
        ticks.push(onTick);
      },
    },
    emit: (data: INodeExecutionData[][]) => emitted.push(data),
    emitError: (e: Error) => errors.push(e),
  };
  return { ctx: ctx as unknown as ITriggerFunctions, logged, ticks, crons, errors, emitted };
}

function credentialsFor(vendor: VendorDefinition, sandbox: Sandbox): IDataObject {
  return {
    [CREDENTIAL_FIELDS.apiKey]: sandbox.apiKey(vendor.id),
    [CREDENTIAL_FIELDS.baseUrl]: sandbox.baseUrl(vendor.id),
    [CREDENTIAL_FIELDS.allowHttpWebhookUrl]: true,
  };
}

/** n8n's activation: checkExists, create, then trigger() (webhooks first, as n8n does). */
let workflows = 0;
async function activate(vendor: VendorDefinition, sandbox: Sandbox) {
  // A workflow of its own per test: the upkeep remembers its checks per workflow and node.
  const workflowId = `wf-${++workflows}`;
  const hook = hookContext({
    workflowId,
    credentials: credentialsFor(vendor, sandbox),
    params: { events: [vendor.events[0]!.type] },
    webhookUrl: PRODUCTION_URL,
  });
  const lifecycle = webhookLifecycle(vendor);
  if (!(await lifecycle.checkExists.call(hook))) await lifecycle.create.call(hook);
  const trigger = triggerContext(vendor, sandbox, hook.staticData, 'trigger', workflowId);
  const response = await upkeepTrigger(vendor).call(trigger.ctx);
  return { staticData: hook.staticData, trigger, response, hookLogged: hook.logged };
}

/** One tick of the registered cron, awaited (n8n does not await it). */
async function tick(t: ReturnType<typeof triggerContext>, vendor: VendorDefinition, staticData: IDataObject) {
  // The cron ticks every second; a check runs once a twentieth of the lifetime has passed.
  vi.setSystemTime(Date.now() + tickSeconds(vendor, storedSubscriptions(staticData, 'production')) * 1000);
  const before = t.logged.length + t.errors.length;
  t.ticks[t.ticks.length - 1]!();
  // The tick's promise is not handed out: wait (bounded) until it logged, asked for a repair or found all well.
  for (let i = 0; i < 400 && t.logged.length + t.errors.length === before; i++)
    await new Promise((r) => setTimeout(r, 10));
}

const ours = (sandbox: Sandbox, vendor: VendorDefinition) =>
  sandbox.subscriptions(vendor.id).filter((s) => s.url === PRODUCTION_URL);

describe.each(cases.map((c) => [`${c.shape} / ${c.vendor.id}`, c] as const))(
  'upkeep: %s',
  (_name, { shape, vendor }) => {
    const sandbox = () => sandboxes.get(`${shape}/${vendor.id}`)!;
    const expiry = vendor.api!.expiry!;

    it(
      'stores when the subscription expires, ticks a twentieth of its lifetime apart, and renews it at 60%',
      { timeout: 30_000 },
      async () => {
        vi.useFakeTimers({ toFake: ['Date'], now: START });
        const { staticData, trigger, hookLogged, response } = await activate(vendor, sandbox());
        const [stored] = storedSubscriptions(staticData, 'production');
        expect(stored!.expiresAt).toBe(new Date(START + expiry.maxLifetimeMs).toISOString());
        expect(hookLogged.join('\n')).toContain(`expires at ${stored!.expiresAt}`);
        // The cron ticks every second (n8n 2.x registers it while create runs); checks are a twentieth of the lifetime apart.
        expect(trigger.crons).toEqual(['*/1 * * * * *']);
        expect(tickSeconds(vendor, [stored!])).toBe(Math.min(3600, expiry.maxLifetimeMs / 20 / 1000));

        vi.setSystemTime(START + expiry.maxLifetimeMs * 0.5); // not due yet: nothing happens
        trigger.ticks[0]!();
        await new Promise((r) => setTimeout(r, 200));
        expect(trigger.errors).toEqual([]);
        expect(storedSubscriptions(staticData, 'production')[0]!.expiresAt).toBe(stored!.expiresAt);

        vi.setSystemTime(START + expiry.maxLifetimeMs * 0.61);
        await tick(trigger, vendor, staticData);
        if (expiry.renew.kind === 'recreate') {
          // Renewal by replacement goes through n8n's re-registration, which saves the new secret.
          expect(trigger.errors.map((e) => e.message)).toEqual([expect.stringContaining('renewed by replacing it')]);
          await response.closeFunction!(); // as n8n does before registering the trigger again
          await upkeepTrigger(vendor).call(trigger.ctx);
          const [now] = storedSubscriptions(staticData, 'production');
          expect(now!.id).not.toBe(stored!.id);
          expect(ours(sandbox(), vendor).map((s) => s.id)).toEqual([now!.id]);
          expect(Date.parse(now!.expiresAt!)).toBeGreaterThan(Date.parse(stored!.expiresAt!));
        } else {
          expect(trigger.errors).toEqual([]);
          const [now] = storedSubscriptions(staticData, 'production');
          expect(now!.id).toBe(stored!.id);
          expect(Date.parse(now!.expiresAt!)).toBeGreaterThan(Date.parse(stored!.expiresAt!));
          expect(sandbox().subscription(now!.id)!.expiresAt).toBe(now!.expiresAt);
          expect(trigger.logged.join('\n')).toContain(
            `renewed subscription ${now!.id}; it now expires at ${now!.expiresAt}`,
          );
          expect((staticData as { upkeep?: { outcome: string } }).upkeep?.outcome).toContain(now!.expiresAt);
        }
        // Past the first expiry: still there and active.
        vi.setSystemTime(START + expiry.maxLifetimeMs * 1.1);
        expect(ours(sandbox(), vendor)).toEqual([expect.objectContaining({ active: true })]);
        for (const s of ours(sandbox(), vendor)) await fetchDelete(sandbox(), vendor, s.id);
      },
    );

    it(
      'a subscription the vendor expired or deleted is recreated through the reconcile path',
      { timeout: 30_000 },
      async () => {
        vi.useFakeTimers({ toFake: ['Date'], now: START });
        const { staticData, trigger, response } = await activate(vendor, sandbox());
        const [stored] = storedSubscriptions(staticData, 'production');
        expect(sandbox().expire(stored!.id)).toBe(true);
        await tick(trigger, vendor, staticData);
        expect(trigger.errors.map((e) => e.message)).toEqual([
          expect.stringMatching(
            expiry.afterExpiry === 'delete' ? /is gone at .*recreates/ : /is switched off at .*recreates/,
          ),
        ]);
        // n8n registers the trigger again: the repair runs there, and n8n saves the state after it.
        await response.closeFunction!(); // as n8n does before registering the trigger again
        await upkeepTrigger(vendor).call(trigger.ctx);
        const subs = ours(sandbox(), vendor);
        expect(subs).toHaveLength(1);
        expect(subs[0]!.active).toBe(true);
        const [now] = storedSubscriptions(staticData, 'production');
        expect(now!.id).toBe(subs[0]!.id);
        expect(now!.owner).toEqual({ workflowId: `wf-${workflows}`, nodeId: 'node-1' });
        expect((staticData as { upkeep?: { outcome: string } }).upkeep?.outcome).toMatch(/repaired; the trigger holds/);
        await fetchDelete(sandbox(), vendor, now!.id);
      },
    );
  },
);

describe('upkeep: failures and other vendors', () => {
  const c = cases.find((x) => x.vendor.api!.expiry!.renew.kind === 'endpoint')!;
  const sandbox = () => sandboxes.get(`${c.shape}/${c.vendor.id}`)!;
  const plainVendor = vendors.find((v) => v.api && !v.signature.publicKey)!;
  let plainSandbox: Sandbox;
  beforeAll(async () => {
    plainSandbox = await startSandbox({ vendors: [plainVendor], rateLimits: false });
  });
  afterAll(() => plainSandbox.stop());

  it(
    `a renewal failing with 5xx is retried on the next ticks, then the subscription is replaced (${RENEW_ATTEMPTS} attempts)`,
    { timeout: 60_000 },
    async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: START });
      const vendor = c.vendor;
      const { staticData, trigger, response } = await activate(vendor, sandbox());
      const [stored] = storedSubscriptions(staticData, 'production');
      sandbox().setFaults({
        rules: [{ vendor: vendor.id, operation: 'renew', fault: 'server-error', status: 503, times: 1000 }],
      });
      try {
        vi.setSystemTime(START + vendor.api!.expiry!.maxLifetimeMs * 0.61);
        for (let i = 1; i < RENEW_ATTEMPTS; i++) {
          await tick(trigger, vendor, staticData);
          expect(trigger.errors).toEqual([]);
          expect(trigger.logged.at(-1)).toContain(`attempt ${i} of ${RENEW_ATTEMPTS}`);
        }
        await tick(trigger, vendor, staticData);
        expect(trigger.errors.map((e) => e.message)).toEqual([
          expect.stringContaining(`failed ${RENEW_ATTEMPTS} time(s)`),
        ]);
        await response.closeFunction!(); // as n8n does before registering the trigger again
        await upkeepTrigger(vendor).call(trigger.ctx);
      } finally {
        sandbox().setFaults({ rules: [] });
      }
      const [now] = storedSubscriptions(staticData, 'production');
      expect(now!.id).not.toBe(stored!.id);
      expect(ours(sandbox(), vendor).map((s) => s.id)).toEqual([now!.id]);
      expect(trigger.logged.join('\n')).toContain('failed again');
      await fetchDelete(sandbox(), vendor, now!.id);
    },
  );

  it.each([
    ['an expiring vendor', () => c.vendor, () => sandbox()],
    ['a vendor without expiry', () => plainVendor, () => plainSandbox],
  ] as const)(
    '%s: a repair that fails is thrown from the registration (n8n retries it), and the next registration repairs',
    { timeout: 60_000 },
    async (_kind, vendorOf, sandboxOf) => {
      vi.useFakeTimers({ toFake: ['Date'], now: START });
      const vendor = vendorOf();
      const sandbox = sandboxOf;
      const { staticData, trigger, response } = await activate(vendor, sandbox());
      const [stored] = storedSubscriptions(staticData, 'production');
      await fetchDelete(sandbox(), vendor, stored!.id);
      await tick(trigger, vendor, staticData);
      expect(trigger.errors).toHaveLength(1);
      await response.closeFunction!();
      sandbox().setFaults({
        rules: [{ vendor: vendor.id, operation: 'create', fault: 'server-error', status: 500, times: 1000 }],
      });
      try {
        await expect(upkeepTrigger(vendor).call(trigger.ctx)).rejects.toThrow(
          /is gone at .*, and recreating it failed: /,
        );
      } finally {
        sandbox().setFaults({ rules: [] });
      }
      await upkeepTrigger(vendor).call(trigger.ctx);
      const [now] = storedSubscriptions(staticData, 'production');
      expect(now!.id).not.toBe(stored!.id);
      expect(ours(sandbox(), vendor).map((s) => s.id)).toEqual([now!.id]);
      await fetchDelete(sandbox(), vendor, now!.id);
    },
  );

  it(
    'n8n 1.x: the workflow is re-added with the static data of its activation; the switched-off subscription is still deleted',
    { timeout: 30_000 },
    async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: START });
      const vendor = c.vendor;
      const { staticData, trigger, response } = await activate(vendor, sandbox());
      const [stored] = storedSubscriptions(staticData, 'production');
      expect(sandbox().expire(stored!.id)).toBe(true); // switched off at expiry
      await tick(trigger, vendor, staticData);
      expect(trigger.errors).toHaveLength(1);
      await response.closeFunction!();
      // 1.x re-adds the workflow: checkExists/create over state that no longer names the old one,
      // then trigger(): the old one is left alone by the URL sweep (nothing proves it ours) …
      const stale: IDataObject = {};
      const hook = hookContext({
        workflowId: trigger.ctx.getWorkflow().id as string,
        credentials: credentialsFor(vendor, sandbox()),
        params: { events: [vendor.events[0]!.type] },
        webhookUrl: PRODUCTION_URL,
        staticData: stale,
      });
      const lifecycle = webhookLifecycle(vendor);
      if (!(await lifecycle.checkExists.call(hook))) await lifecycle.create.call(hook);
      const again = triggerContext(vendor, sandbox(), stale, 'trigger', trigger.ctx.getWorkflow().id as string);
      await upkeepTrigger(vendor).call(again.ctx);
      // … and deleted by the repair, which remembered it as the one at fault.
      const [now] = storedSubscriptions(stale, 'production');
      expect(ours(sandbox(), vendor).map((s) => s.id)).toEqual([now!.id]);
      expect(sandbox().subscription(stored!.id)).toBeUndefined();
      await fetchDelete(sandbox(), vendor, now!.id);
    },
  );

  it('a renewal answered 404 (the subscription is gone) goes straight to the repair', { timeout: 30_000 }, async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: START });
    const vendor = c.vendor;
    const { staticData, trigger } = await activate(vendor, sandbox());
    const [stored] = storedSubscriptions(staticData, 'production');
    vi.setSystemTime(START + vendor.api!.expiry!.maxLifetimeMs * 0.61);
    await fetchDelete(sandbox(), vendor, stored!.id);
    await tick(trigger, vendor, staticData);
    expect(trigger.errors.map((e) => e.message)).toEqual([expect.stringContaining(`${stored!.id} is gone`)]);
  });

  it('vendors without expiry get an hourly health check; the manual (test) run hands back the webhook output', async () => {
    const plain = vendors.find((v) => v.api)!;
    expect(tickSeconds(plain, [])).toBe(3600);
    const hourly = triggerContext(plain, sandbox(), {});
    await upkeepTrigger(plain).call(hourly.ctx);
    expect(hourly.crons).toEqual(['0 0 * * * *']);
    expect(cronEvery(3600)).toBe('0 0 * * * *');
    expect(cronEvery(90)).toBe('0 */1 * * * *');
    expect(cronEvery(5)).toBe('*/5 * * * * *');
    const manual = triggerContext(plain, sandbox(), {}, 'manual');
    const data = [[{ json: { id: 'evt_1' } }]];
    keepTestRunData('wf-1/node-1', data);
    const response: ITriggerResponse = await upkeepTrigger(plain).call(manual.ctx);
    expect(manual.crons).toEqual([]);
    await response.manualTriggerFunction!();
    expect(manual.emitted).toEqual([data]);
  });
});

describe("upkeep: the node's Check Subscription Every (Minutes)", () => {
  /** A trigger context whose Options collection holds `healthCheckMinutes`. */
  function withMinutes(vendor: VendorDefinition, minutes: unknown) {
    // Registering the cron reads no credential: no sandbox is needed.
    const t = triggerContext(vendor, {} as Sandbox, {});
    (t.ctx as unknown as { getNodeParameter: unknown }).getNodeParameter = (name: string, fallback?: unknown) =>
      name === 'options' ? { healthCheckMinutes: minutes } : fallback;
    return t;
  }

  it('sets how often a vendor without expiry is checked; nonsense falls back to hourly', async () => {
    const plain = vendors.find((v) => v.api && !v.api.expiry)!;
    for (const [minutes, cron] of [
      [5, '0 */5 * * * *'],
      [1, '0 */1 * * * *'],
      [60, '0 0 * * * *'],
      [600, '0 0 * * * *'], // ticks hourly, checks every 10 h
      [0, '0 0 * * * *'],
      ['soon', '0 0 * * * *'],
    ] as const) {
      const t = withMinutes(plain, minutes);
      await upkeepTrigger(plain).call(t.ctx);
      expect(t.crons, String(minutes)).toEqual([cron]);
    }
  });

  it('the option is offered for vendors with an API only, 1 minute to 1 day, hourly by default', () => {
    for (const vendor of vendors) {
      const options = nodeProperties(vendor, { sharedDedupe: true }).find((p) => p.name === PARAM.options)!;
      const option = options.options!.find((o) => 'name' in o && o.name === PARAM.healthCheckMinutes) as
        { default: number; typeOptions: { minValue: number; maxValue: number } } | undefined;
      if (!vendor.api) {
        expect(option, vendor.id).toBeUndefined();
        continue;
      }
      expect(option, vendor.id).toMatchObject({ default: 60, typeOptions: { minValue: 1, maxValue: 1440 } });
    }
  });
});

describe('upkeep: vendors whose subscriptions do not expire', () => {
  it.each(vendors.filter((v) => v.api && !v.signature.publicKey).map((v) => [v.id, v] as const))(
    '%s: a subscription deleted at the vendor is recreated by the hourly health check',
    { timeout: 30_000 },
    async (_id, vendor) => {
      const sandbox = await startSandbox({ vendors: [vendor], rateLimits: false });
      try {
        const { staticData, trigger, response } = await activate(vendor, sandbox);
        expect(trigger.crons).toEqual(['0 0 * * * *']);
        const before = storedSubscriptions(staticData, 'production').map((s) => s.id);
        expect(before.length).toBeGreaterThan(0);
        for (const id of before) await fetchDelete(sandbox, vendor, id);
        await tick(trigger, vendor, staticData);
        expect(trigger.errors.map((e) => e.message)).toEqual([expect.stringMatching(/is gone at .*recreates/)]);
        await response.closeFunction!();
        await upkeepTrigger(vendor).call(trigger.ctx);
        const now = storedSubscriptions(staticData, 'production').map((s) => s.id);
        expect(now).toHaveLength(before.length);
        expect(
          ours(sandbox, vendor)
            .map((s) => s.id)
            .sort(),
        ).toEqual([...now].sort());
      } finally {
        await sandbox.stop();
      }
    },
  );
});

async function fetchDelete(sandbox: Sandbox, vendor: VendorDefinition, id: string) {
  const { createSubscriptionClient } = await import('@hookpack/core');
  await createSubscriptionClient(vendor, {
    apiKey: sandbox.apiKey(vendor.id),
    baseUrl: sandbox.baseUrl(vendor.id),
    allowInsecureTargetUrl: true,
  }).delete(id);
}
