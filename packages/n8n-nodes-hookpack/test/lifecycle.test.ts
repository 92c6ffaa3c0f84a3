import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HookpackApiError } from '@hookpack/core';
import { parley, parsley, parsleyRecipes } from '@hookpack/providers';
import { webhookLifecycle } from '../src/lifecycle.js';
import { actionableError } from '../src/api-errors.js';
import { openSecret } from '../src/seal.js';
import { hookContext, PRODUCTION_URL, TEST_URL } from './contexts.js';
import { startFakeParleyApi, type FakeVendor } from './fake-vendor.js';

let credentials: { apiKey: string; baseUrl: string; allowHttpWebhookUrl: boolean };
const params = { events: ['violation.new', 'case.new'], subscriptionOptions: { facility_ids: 'f1, f2' } };
const lifecycle = webhookLifecycle(parley);

let fake: FakeVendor;
beforeAll(async () => {
  fake = await startFakeParleyApi(parley);
  credentials = { apiKey: 'prl_test_key_123', baseUrl: fake.baseUrl, allowHttpWebhookUrl: false };
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.subs.clear();
  fake.calls.length = 0;
  fake.failNext = {};
  fake.createWithoutSecret = false;
  delete fake.createStoresThenAnswers;
});

function setup(extra: Partial<Parameters<typeof hookContext>[0]> = {}) {
  return hookContext({ credentials, params, ...extra });
}

/** Runs n8n's activation sequence: checkExists, then create only when it said false. */
async function activate(ctx: ReturnType<typeof hookContext>) {
  const exists = await lifecycle.checkExists.call(ctx);
  if (!exists) await lifecycle.create.call(ctx);
  return exists;
}

describe('activation', () => {
  it('registers the production URL for the selected events and keeps the id and the sealed secret in static data', async () => {
    const ctx = setup();
    expect(await activate(ctx)).toBe(false);
    const subs = [...fake.subs.values()];
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ url: PRODUCTION_URL, events: ['case.new', 'violation.new'], active: true });
    const owner = { workflowId: 'wf-1', nodeId: 'node-1' };
    expect(ctx.staticData).toEqual({
      subscriptions: {
        production: {
          id: subs[0]!.id,
          url: PRODUCTION_URL,
          events: ['case.new', 'violation.new'],
          sealedSecret: expect.stringMatching(/^v1\./),
          owner,
        },
      },
    });
    // What a workflow export carries reveals nothing usable without the credential.
    expect(JSON.stringify(ctx.staticData)).not.toContain(subs[0]!.secret);
    const sealed = (ctx.staticData as any).subscriptions.production.sealedSecret;
    expect(openSecret(sealed, credentials.apiKey, owner)).toBe(subs[0]!.secret);
    expect(openSecret(sealed, 'another-key', owner)).toBeUndefined();
    expect(openSecret(sealed, credentials.apiKey, { ...owner, workflowId: 'wf-copy' })).toBeUndefined();
  });

  it('after the API key in the credential changed, replaces the subscription whose secret it can no longer open', async () => {
    const ctx = setup();
    await activate(ctx);
    const oldId = [...fake.subs.keys()][0]!;
    const rotated = hookContext({
      credentials: { ...credentials, apiKey: 'prl_test_key_rotated' },
      params,
      staticData: ctx.staticData,
    });
    expect(await activate(rotated)).toBe(false);
    expect(fake.calls).toContain(`delete ${oldId}`);
    const subs = [...fake.subs.values()];
    expect(subs).toHaveLength(1);
    const sealed = (ctx.staticData as any).subscriptions.production.sealedSecret;
    expect(openSecret(sealed, 'prl_test_key_rotated', { workflowId: 'wf-1', nodeId: 'node-1' })).toBe(subs[0]!.secret);
    expect(rotated.logged.join('\n')).toContain('sealed with another API key');
  });

  it('seals a secret that an older version stored in plain text, keeping the subscription', async () => {
    const ctx = setup();
    await activate(ctx);
    const production = (ctx.staticData as any).subscriptions.production;
    const plain = fake.subs.get(production.id)!.secret;
    (ctx.staticData as any).subscriptions.production = {
      id: production.id,
      url: production.url,
      events: production.events,
      secret: plain,
    };
    expect(await activate(ctx)).toBe(true);
    const now = (ctx.staticData as any).subscriptions.production;
    expect(now.secret).toBeUndefined();
    expect(openSecret(now.sealedSecret, credentials.apiKey, { workflowId: 'wf-1', nodeId: 'node-1' })).toBe(plain);
    expect([...fake.subs.keys()]).toEqual([production.id]);
  });

  it('keeps a stored subscription that still matches, without creating another', async () => {
    const ctx = setup();
    await activate(ctx);
    const id = [...fake.subs.keys()][0];
    expect(await activate(ctx)).toBe(true);
    expect([...fake.subs.keys()]).toEqual([id]);
    expect(fake.calls.filter((c) => c === 'create')).toHaveLength(1);
  });

  it('recreates a subscription the vendor deleted, forgetting the stale one', async () => {
    const ctx = setup();
    await activate(ctx);
    const oldId = [...fake.subs.keys()][0]!;
    fake.subs.clear();
    expect(await activate(ctx)).toBe(false);
    const subs = [...fake.subs.values()];
    expect(subs).toHaveLength(1);
    expect(subs[0]!.id).not.toBe(oldId);
    expect((ctx.staticData as any).subscriptions.production.id).toBe(subs[0]!.id);
  });

  it('reactivates a subscription the vendor deactivated after failed deliveries', async () => {
    const ctx = setup();
    await activate(ctx);
    const sub = [...fake.subs.values()][0]!;
    sub.active = false;
    expect(await activate(ctx)).toBe(true);
    expect(sub.active).toBe(true);
    expect(fake.calls).toContain(`update ${sub.id} {"is_active":true}`);
    expect(fake.subs.size).toBe(1);
  });

  it('updates the events in place when the node selection changed', async () => {
    const ctx = setup();
    await activate(ctx);
    (ctx as any).getNodeParameter = (n: string, d: unknown) =>
      n === 'events' ? ['case.updated'] : n === 'subscriptionOptions' ? {} : d;
    expect(await activate(ctx)).toBe(true);
    expect([...fake.subs.values()].map((s) => s.events)).toEqual([['case.updated']]);
  });

  it('leaves a same-URL subscription it cannot prove is its own (no label at this vendor), logs it, and creates its own', async () => {
    const ctx = setup();
    await activate(ctx);
    const unproven = [...fake.subs.keys()][0]!;
    for (const k of Object.keys(ctx.staticData)) delete ctx.staticData[k];
    expect(await activate(ctx)).toBe(false);
    expect(fake.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    const subs = [...fake.subs.values()];
    expect(subs.map((s) => s.id)).toContain(unproven);
    expect(subs).toHaveLength(2);
    const mine = (ctx.staticData as any).subscriptions.production;
    expect(mine.id).not.toBe(unproven);
    expect(openSecret(mine.sealedSecret, credentials.apiKey, { workflowId: 'wf-1', nodeId: 'node-1' })).toBe(
      fake.subs.get(mine.id)!.secret,
    );
    expect(ctx.logged.join('\n')).toContain(`left subscription ${unproven}`);
  });

  it('leaves other URLs alone but deletes its own subscription for an outdated URL', async () => {
    const ctx = setup();
    fake.subs.set('wh_other', {
      id: 'wh_other',
      url: 'https://elsewhere.example/hook',
      events: ['case.new'],
      active: true,
      secret: 's',
    });
    await activate(ctx);
    const mine = [...fake.subs.values()].find((s) => s.url === PRODUCTION_URL)!;
    const moved = 'https://n8n.new-host.example/webhook/5b1c1b3e-0000-4000-8000-000000000001/webhook';
    (ctx as any).getNodeWebhookUrl = () => moved;
    expect(await activate(ctx)).toBe(false);
    expect(fake.subs.has(mine.id)).toBe(false);
    expect([...fake.subs.values()].map((s) => s.url).sort()).toEqual([moved, 'https://elsewhere.example/hook'].sort());
  });

  it('keeps test-listen and production subscriptions apart', async () => {
    const prod = setup();
    await activate(prod);
    const test = hookContext({ credentials, params, staticData: prod.staticData, mode: 'manual' });
    expect(await activate(test)).toBe(false);
    expect([...fake.subs.values()].map((s) => s.url).sort()).toEqual([PRODUCTION_URL, TEST_URL].sort());
    await lifecycle.delete.call(test);
    expect([...fake.subs.values()].map((s) => s.url)).toEqual([PRODUCTION_URL]);
    expect(Object.keys((prod.staticData as any).subscriptions)).toEqual(['production']);
  });

  it("removes the test subscription when n8n ends test listening (delete runs in 'internal' mode with the test URL)", async () => {
    const prod = setup();
    await activate(prod);
    const test = hookContext({ credentials, params, staticData: prod.staticData, mode: 'manual' });
    await activate(test);
    const testSub = [...fake.subs.values()].find((s) => s.url === TEST_URL)!;
    fake.failNext.list = [401, { error: 'Invalid or revoked API key.' }]; // no by-URL sweep: stored state must decide
    const ending = hookContext({
      credentials,
      params,
      staticData: prod.staticData,
      mode: 'internal',
      webhookUrl: TEST_URL,
    });
    await lifecycle.delete.call(ending).catch(() => undefined); // the by-URL sweep fails on list
    expect(fake.subs.has(testSub.id)).toBe(false);
    expect([...fake.subs.values()].map((s) => s.url)).toEqual([PRODUCTION_URL]);
    expect(Object.keys((prod.staticData as any).subscriptions)).toEqual(['production']);
  });
});

describe('create failures', () => {
  it('removes what the vendor created when the answer carries no secret, then throws', async () => {
    const ctx = setup();
    fake.createWithoutSecret = true;
    expect(await lifecycle.checkExists.call(ctx)).toBe(false);
    await expect(lifecycle.create.call(ctx)).rejects.toThrow(/secret/i);
    expect(fake.subs.size).toBe(0);
    expect(ctx.staticData).toEqual({});
  });

  it('a create the vendor stored but never answered is cleaned up; a same-URL subscription that was there before is not', async () => {
    fake.subs.set('wh_before', {
      id: 'wh_before',
      url: PRODUCTION_URL,
      events: ['case.new'],
      active: true,
      secret: 's',
    });
    fake.createStoresThenAnswers = [503, { error: 'upstream timeout' }];
    const ctx = setup();
    expect(await lifecycle.checkExists.call(ctx)).toBe(false);
    await expect(lifecycle.create.call(ctx)).rejects.toThrow(/503/);
    expect(fake.calls.filter((c) => c === 'create').length).toBeGreaterThan(0);
    expect([...fake.subs.keys()]).toEqual(['wh_before']);
    expect(fake.calls).not.toContain('delete wh_before');
    expect(ctx.staticData).toEqual({});
  });

  it('explains a rejected API key (401) and creates nothing', async () => {
    const ctx = setup();
    fake.failNext.create = [401, { error: 'invalid api key' }];
    await expect(lifecycle.create.call(ctx)).rejects.toThrow(/rejected the API key \(401\).*credential/);
    expect(fake.subs.size).toBe(0);
  });

  it('names the events on a 403', async () => {
    const ctx = setup();
    fake.failNext.create = [403, { error: 'plan does not include webhooks' }];
    await expect(lifecycle.create.call(ctx)).rejects.toThrow(/case\.new, violation\.new \(403\)/);
  });

  it('refuses an http:// URL for a vendor that requires HTTPS, pointing at WEBHOOK_URL, before any call', async () => {
    const ctx = setup({ webhookUrl: 'http://localhost:5678/webhook/x/webhook' });
    await expect(lifecycle.checkExists.call(ctx)).rejects.toThrow(/WEBHOOK_URL/);
    await expect(lifecycle.create.call(ctx)).rejects.toThrow(/HTTPS/);
    expect(fake.calls).toEqual([]);
  });

  it('allows an http:// URL when the credential opts in (local sandboxes)', async () => {
    const url = 'http://127.0.0.1:5678/webhook/x/webhook';
    const ctx = setup({ webhookUrl: url, credentials: { ...credentials, allowHttpWebhookUrl: true } });
    await activate(ctx);
    expect([...fake.subs.values()].map((s) => s.url)).toEqual([url]);
  });

  it('asks for at least one event', async () => {
    const ctx = setup({ params: { events: [] } });
    await expect(lifecycle.create.call(ctx)).rejects.toThrow(/at least one Parley event/);
  });
});

describe('deactivation', () => {
  it('deletes the subscription and forgets it', async () => {
    const ctx = setup();
    await activate(ctx);
    await lifecycle.delete.call(ctx);
    expect(fake.subs.size).toBe(0);
    expect((ctx.staticData as any).subscriptions).toEqual({});
  });

  it('treats an already deleted subscription as success', async () => {
    const ctx = setup();
    await activate(ctx);
    fake.subs.clear();
    await expect(lifecycle.delete.call(ctx)).resolves.toBe(true);
  });

  it('leaves same-URL subscriptions it has no record of: nothing proves they are its own', async () => {
    const ctx = setup();
    fake.subs.set('wh_lost', { id: 'wh_lost', url: PRODUCTION_URL, events: ['case.new'], active: true, secret: 's' });
    await lifecycle.delete.call(ctx);
    expect([...fake.subs.keys()]).toEqual(['wh_lost']);
    expect(fake.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
  });

  it('surfaces other failures instead of swallowing them', async () => {
    const ctx = setup();
    await activate(ctx);
    fake.failNext.delete = [401, { error: 'key revoked' }];
    await expect(lifecycle.delete.call(ctx)).rejects.toThrow(/401/);
    expect((ctx.staticData as any).subscriptions.production).toBeDefined();
  });

  it('a delete refused with a revoked key says what is left and how to remove it; the next activation reclaims it', async () => {
    const ctx = setup();
    await activate(ctx);
    const [left] = [...fake.subs.keys()];
    fake.failNext.delete = [401, { error: 'key revoked' }];
    const error = await lifecycle.delete.call(ctx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain(`Subscription ${left} is still at Parley`);
    expect(error?.message).toMatch(/publish the workflow again .* or delete it by hand in the Parley dashboard\.$/);
    // The key works again: activation finds the record and reuses the subscription, no second one.
    expect(await activate(ctx)).toBe(true);
    expect([...fake.subs.keys()]).toEqual([left]);
    await lifecycle.delete.call(ctx);
    expect(fake.subs.size).toBe(0);
  });
});

describe('vendors without an API', () => {
  it('never calls out: the user pasted the URL in the vendor UI', async () => {
    const manual = webhookLifecycle(parsleyRecipes);
    const ctx = hookContext({ credentials: { signingSecret: 'x' }, params: { events: ['RecipeCreated'] } });
    expect(await manual.checkExists.call(ctx)).toBe(true);
    expect(await manual.create.call(ctx)).toBe(true);
    expect(await manual.delete.call(ctx)).toBe(true);
    expect(ctx.staticData).toEqual({});
  });
});

describe('actionable error wording', () => {
  const err = (status: number, extra: Record<string, unknown> = {}) =>
    new HookpackApiError(`Parsley answered ${status}`, {
      code: 'http_error',
      vendor: 'parsley',
      operation: 'create',
      status,
      ...extra,
    });

  it('names the paid events among the selection on 403', () => {
    const e = actionableError(parsley, 'create the webhook subscription', err(403), [
      'profile.viewed',
      'lead.captured',
      'signal.detected',
    ]);
    expect(e.message).toMatch(/the events lead\.captured, signal\.detected need a paid plan or credits/);
  });

  it('says when to retry on 429', () => {
    const e = actionableError(parsley, 'create the webhook subscription', err(429, { retryAfterMs: 42_000 }));
    expect(e.message).toMatch(/rate limiting.*Try again in 42 s/);
  });

  it('points at WEBHOOK_URL when the vendor refuses the URL field', () => {
    const e = actionableError(
      parsley,
      'create the webhook subscription',
      err(422, { details: { url: 'must be https' } }),
    );
    expect(e.message).toMatch(/WEBHOOK_URL/);
  });
});
