// A trigger deletes only the subscriptions it owns: imported, duplicated and pasted copies of
// a workflow carry the original's static data and webhook URL, and n8n 1.x calls a refused
// copy's delete. Run against the sandbox playing every REST vendor on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSubscriptionClient, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { webhookLifecycle } from '../src/lifecycle.js';
import { labelWithOwner } from '../src/ownership.js';
import { hookContext } from './contexts.js';

const restVendors = vendors.filter((v) => v.api);
const URL_A = 'http://127.0.0.1:9/webhook/0b7e4f52-1d1c-4a8e-9a53-5a0c00000001/webhook';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ vendors: restVendors.map((v) => v.id), rateLimits: false });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

describe.each(restVendors.map((v) => [v.id, v] as const))('%s: a trigger deletes only what it owns', (_, vendor) => {
  const lifecycle = webhookLifecycle(vendor);
  const credentials = () => ({
    apiKey: sandbox.apiKey(vendor.id),
    baseUrl: sandbox.baseUrl(vendor.id),
    allowHttpWebhookUrl: true,
  });
  const events = [vendor.events.find((e) => !e.paid)!.type];
  const trigger = (workflowId: string, staticData: Record<string, unknown> = {}, webhookUrl = URL_A) =>
    hookContext({ credentials: credentials(), params: { events }, staticData, webhookUrl, workflowId });
  const activate = async (ctx: ReturnType<typeof trigger>) => {
    if (!(await lifecycle.checkExists.call(ctx))) await lifecycle.create.call(ctx);
  };
  const deletes = () => sandbox.requests(vendor.id).filter((r) => r.method === 'DELETE');
  const subscriptionIds = () => sandbox.subscriptions(vendor.id).map((s) => s.id);

  async function original() {
    const a = trigger('wf-A');
    await activate(a);
    const id = (a.staticData as any).subscriptions.production.id as string;
    expect(subscriptionIds()).toEqual([id]);
    return { a, id };
  }

  it("an imported copy (the original's static data) that n8n refuses and then deletes leaves the original's subscription alone", async () => {
    const { a, id } = await original();
    const b = trigger('wf-B', structuredClone(a.staticData));
    await lifecycle.delete.call(b);
    expect(deletes()).toEqual([]);
    expect(subscriptionIds()).toEqual([id]);
    expect((b.staticData as any).subscriptions).toEqual({});
    expect(b.logged.join('\n')).toContain(`names subscription ${id} of another workflow`);
    // The original still holds its subscription and secret.
    expect((a.staticData as any).subscriptions.production.id).toBe(id);
  });

  it("a pasted copy (same webhook URL, no state) that n8n refuses and then deletes leaves the original's subscription alone", async () => {
    const { id } = await original();
    await lifecycle.delete.call(trigger('wf-C'));
    expect(deletes()).toEqual([]);
    expect(subscriptionIds()).toEqual([id]);
  });

  it("an imported copy that is activated gets its own subscription; deactivating it leaves the original's", async () => {
    const { a, id } = await original();
    const b = trigger('wf-B', structuredClone(a.staticData));
    await activate(b);
    const bId = (b.staticData as any).subscriptions.production.id as string;
    expect(bId).not.toBe(id);
    expect((b.staticData as any).subscriptions.production.owner).toEqual({ workflowId: 'wf-B', nodeId: 'node-1' });
    expect(subscriptionIds().sort()).toEqual([id, bId].sort());
    await lifecycle.delete.call(b);
    expect(deletes().map((r) => r.path)).toEqual([expect.stringContaining(encodeURIComponent(bId))]);
    expect(subscriptionIds()).toEqual([id]);
    // Re-checking the original (restart on n8n 1.x) keeps it as it is.
    await activate(a);
    expect(subscriptionIds()).toEqual([id]);
    expect(deletes()).toHaveLength(1);
  });

  it('state written before ownership was recorded is adopted by the workflow that reconciles it', async () => {
    const { a, id } = await original();
    delete (a.staticData as any).subscriptions.production.owner;
    await activate(a);
    expect(subscriptionIds()).toEqual([id]);
    expect((a.staticData as any).subscriptions.production.owner).toEqual({ workflowId: 'wf-A', nodeId: 'node-1' });
  });
});

const labelled = restVendors.filter((v) => v.api!.ownerLabel);

describe.each(labelled.map((v) => [v.id, v] as const))(
  '%s stores a label: strays are swept only when the label names this trigger',
  (_, vendor: VendorDefinition) => {
    const lifecycle = webhookLifecycle(vendor);
    const option = vendor.api!.ownerLabel!.option;
    const events = [vendor.events.find((e) => !e.paid)!.type];
    const client = () =>
      createSubscriptionClient(vendor, {
        apiKey: sandbox.apiKey(vendor.id),
        baseUrl: sandbox.baseUrl(vendor.id),
        allowInsecureTargetUrl: true,
      });
    const trigger = (workflowId: string) =>
      hookContext({
        credentials: {
          apiKey: sandbox.apiKey(vendor.id),
          baseUrl: sandbox.baseUrl(vendor.id),
          allowHttpWebhookUrl: true,
        },
        params: { events, subscriptionOptions: { [option]: 'production' } },
        webhookUrl: URL_A,
        workflowId,
      });

    it("writes the owner into the label, keeps the user's label, and deletes only its own marked strays", async () => {
      const mine = await client().create({
        url: URL_A,
        events,
        options: { [option]: labelWithOwner('', { workflowId: 'wf-A', nodeId: 'node-1' }) },
      });
      const theirs = await client().create({
        url: URL_A,
        events,
        options: { [option]: labelWithOwner('', { workflowId: 'wf-Z', nodeId: 'node-1' }) },
      });
      const a = trigger('wf-A');
      expect(await lifecycle.checkExists.call(a)).toBe(false);
      await lifecycle.create.call(a);
      const ids = sandbox.subscriptions(vendor.id).map((s) => s.id);
      expect(ids).not.toContain(mine.id);
      expect(ids).toContain(theirs.id);
      const created = sandbox.subscriptions(vendor.id).find((s) => s.id !== theirs.id)!;
      expect(created.options[option]).toBe('production (hookpack n8n:wf-A/node-1)');
      expect(a.logged.join('\n')).toContain(`left subscription ${theirs.id}`);
    });
  },
);
