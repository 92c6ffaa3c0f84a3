import { describe, expect, it } from 'vitest';
import type { VendorDefinition } from '@hookpack/core';
import { parlay, parley, parsleyRecipes } from '@hookpack/providers';
import { webhookHandler } from '../src/webhook.js';
import { sealSecret } from '../src/seal.js';
import { DEDUPE_WINDOW } from '../src/dedupe.js';
import { webhookContext } from './contexts.js';

const SECRET = 'whsec_unit_test_secret';
const stored = () => ({
  subscriptions: { production: { id: 'wh_1', url: 'u', events: ['violation.new'], secret: SECRET } },
});

function delivery(
  vendor: VendorDefinition,
  type: string,
  id: string,
  opts: { secret?: string; livemode?: boolean } = {},
) {
  const event = vendor.events.find((e) => e.type === type) ?? vendor.events[0]!;
  const body = Buffer.from(
    JSON.stringify(
      vendor.envelope.build({
        id,
        type,
        createdAt: '2026-11-23T10:00:00.000Z',
        data: event.sample,
        livemode: opts.livemode ?? false,
      }),
    ),
  );
  const headers = opts.secret === undefined ? {} : vendor.signature.scheme.sign({ body, secret: opts.secret });
  return { body, headers: { 'content-type': 'application/json', ...headers } };
}

async function deliver(
  vendor: VendorDefinition,
  d: { body: Buffer | undefined; headers: Record<string, string> },
  extra: Partial<Parameters<typeof webhookContext>[0]> = {},
) {
  const w = webhookContext({ params: { events: ['violation.new'] }, staticData: stored(), ...d, ...extra });
  const result = await webhookHandler(vendor).call(w.ctx);
  return { ...w, result };
}

describe('webhook(): verification', () => {
  it('verifies with the sealed secret, opened with the API key in the credential', async () => {
    const owner = { workflowId: 'wf-sealed', nodeId: 'n-sealed' };
    const sealedState = {
      subscriptions: {
        production: {
          id: 'wh_1',
          url: 'u',
          events: ['violation.new'],
          sealedSecret: sealSecret(SECRET, 'api-key-1', owner),
          owner,
        },
      },
    };
    const d = delivery(parley, 'violation.new', `evt_sealed_${Date.now()}`, { secret: SECRET });
    const ok = await deliver(parley, d, {
      staticData: sealedState,
      credentials: { apiKey: 'api-key-1' },
      ...owner,
    });
    expect(ok.sent.status).toBeUndefined();
    expect(ok.result.workflowData).toBeDefined();
    // Another key (the credential was changed): the secret cannot be opened, and the answer says what to do.
    const other = {
      subscriptions: {
        production: { ...sealedState.subscriptions.production, sealedSecret: sealSecret(SECRET, 'api-key-1', owner) },
      },
    };
    const refused = await deliver(parley, d, { staticData: other, credentials: { apiKey: 'api-key-2' }, ...owner });
    expect(refused.sent.status).toBe(401);
    expect(refused.sent.body).toMatchObject({ error: 'secret_unreadable', message: expect.stringMatching(/publish/) });
  });

  it("does not verify with a secret from another workflow's copied state", async () => {
    const foreign = {
      subscriptions: {
        production: { ...stored().subscriptions.production, owner: { workflowId: 'wf-original', nodeId: 'n' } },
      },
    };
    const d = delivery(parley, 'violation.new', 'evt_copy', { secret: SECRET });
    const { result, sent } = await deliver(parley, d, { staticData: foreign, workflowId: 'wf-copy' });
    expect(sent.status).toBe(401);
    expect(result).toEqual({ noWebhookResponse: true });
    const own = {
      subscriptions: {
        production: { ...foreign.subscriptions.production, owner: { workflowId: 'wf-copy', nodeId: 'n' } },
      },
    };
    const mine = await deliver(parley, d, { staticData: own, workflowId: 'wf-copy', nodeId: 'n' });
    expect(mine.sent.status).toBeUndefined();
    expect(mine.result.workflowData).toBeDefined();
  });

  it('runs the workflow once with the normalized event for a correctly signed delivery', async () => {
    const { result, sent } = await deliver(parley, delivery(parley, 'violation.new', 'evt_1', { secret: SECRET }));
    expect(sent.status).toBeUndefined();
    const json = (result.workflowData as any)[0][0].json;
    expect(json).toMatchObject({
      id: 'evt_1',
      type: 'violation.new',
      provider: 'parley',
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    expect(json.data.violation.severity).toBe('HIGH');
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('answers 401 and does not run for a forged signature', async () => {
    const { result, sent } = await deliver(
      parley,
      delivery(parley, 'violation.new', 'evt_2', { secret: 'not-the-secret' }),
    );
    expect(result).toEqual({ noWebhookResponse: true });
    expect(sent).toMatchObject({ status: 401, ended: true, body: { error: 'signature_mismatch' } });
  });

  it('answers 401 for a missing signature', async () => {
    const { result, sent } = await deliver(parley, delivery(parley, 'violation.new', 'evt_3'));
    expect(result.workflowData).toBeUndefined();
    expect(sent.status).toBe(401);
  });

  it('answers 401 when a body byte changed after signing (verifies the exact raw bytes)', async () => {
    const d = delivery(parley, 'violation.new', 'evt_4', { secret: SECRET });
    const tampered = Buffer.from(d.body.toString('utf8').replace('HIGH', 'LOW '));
    const { sent } = await deliver(parley, { body: tampered, headers: d.headers });
    expect(sent.status).toBe(401);
  });

  it('fails closed with 401 when the node holds no secret', async () => {
    const { sent } = await deliver(parley, delivery(parley, 'violation.new', 'evt_5', { secret: SECRET }), {
      staticData: {},
    });
    expect(sent).toMatchObject({ status: 401, body: { error: 'no_secret' } });
  });

  it('answers 400 for a signed body that is not JSON', async () => {
    const body = Buffer.from('{"id": "evt_6", oops');
    const headers = parley.signature.scheme.sign({ body, secret: SECRET });
    const { result, sent } = await deliver(parley, { body, headers });
    expect(result.workflowData).toBeUndefined();
    expect(sent.status).toBe(400);
  });

  it('reads the raw body itself when n8n did not keep it', async () => {
    const d = delivery(parley, 'violation.new', 'evt_7', { secret: SECRET });
    const { result, request } = await deliver(parley, d, { rawBodyOnlyOnRead: true });
    expect(request.rawBodyReads).toBe(1);
    expect(result.workflowData).toBeDefined();
  });
});

describe('webhook(): filtering and dedupe', () => {
  it('acknowledges an unselected event type with 200 and no execution', async () => {
    const { result, sent } = await deliver(parley, delivery(parley, 'case.new', 'evt_8', { secret: SECRET }));
    expect(sent.status).toBeUndefined();
    expect(result.workflowData).toBeUndefined();
    expect(result.webhookResponse).toMatchObject({ received: true });
  });

  it('acknowledges an unknown event type the same way (no 4xx, vendors would retry)', async () => {
    const { result, sent } = await deliver(
      parley,
      delivery(parley, 'violation.brand_new_type', 'evt_9', { secret: SECRET }),
    );
    expect(sent.status).toBeUndefined();
    expect(result.workflowData).toBeUndefined();
  });

  it('runs a redelivered event only once (in-memory window, per node)', async () => {
    const d = delivery(parley, 'violation.new', 'evt_10', { secret: SECRET });
    const first = await deliver(parley, d, { nodeId: 'dedupe-a' });
    const second = await deliver(parley, d, { nodeId: 'dedupe-a' });
    expect(first.result.workflowData).toBeDefined();
    expect(second.result.workflowData).toBeUndefined();
    expect(second.result.webhookResponse).toMatchObject({ duplicate: true });
    // Another trigger node (another workflow) receiving the same event runs on its own.
    const otherNode = await deliver(parley, d, { nodeId: 'dedupe-b' });
    expect(otherNode.result.workflowData).toBeDefined();
  });

  it('forgets in-memory dedupe keys beyond the bounded window', async () => {
    const d = delivery(parley, 'violation.new', 'evt_mem_old', { secret: SECRET });
    await deliver(parley, d, { nodeId: 'window' });
    for (let i = 0; i < DEDUPE_WINDOW; i++) {
      await deliver(parley, delivery(parley, 'violation.new', `evt_mem_${i}`, { secret: SECRET }), {
        nodeId: 'window',
      });
    }
    const again = await deliver(parley, d, { nodeId: 'window' });
    expect(again.result.workflowData).toBeDefined();
  });

  it('adds the headers only when asked', async () => {
    const d = delivery(parley, 'violation.new', 'evt_11', { secret: SECRET });
    const without = await deliver(parley, d);
    expect((without.result.workflowData as any)[0][0].json.headers).toBeUndefined();
    const withHeaders = await deliver(parley, d, {
      params: { events: ['violation.new'], options: { includeHeaders: true } },
    });
    expect((withHeaders.result.workflowData as any)[0][0].json.headers['x-parley-signature']).toMatch(/^sha256=/);
  });

  it('filters by livemode where the vendor sends it', async () => {
    const params = { events: ['analysis.completed'], options: { livemode: 'live' } };
    const staticData = { subscriptions: { production: { id: 'wh', url: 'u', events: [], secret: SECRET } } };
    const test = await deliver(
      parlay,
      delivery(parlay, 'analysis.completed', 'evt_t', { secret: SECRET, livemode: false }),
      { params, staticData },
    );
    expect(test.result.workflowData).toBeUndefined();
    const live = await deliver(
      parlay,
      delivery(parlay, 'analysis.completed', 'evt_l', { secret: SECRET, livemode: true }),
      { params, staticData },
    );
    expect((live.result.workflowData as any)[0][0].json).toMatchObject({ id: 'evt_l', livemode: true });
  });
});

describe('webhook(): vendors set up by hand (secret in the credential)', () => {
  const params = { events: ['RecipeCreated'] };
  it('accepts a delivery signed with the credential secret and rejects a forged one', async () => {
    const credentials = { signingSecret: 'recipes-secret' };
    const ok = await deliver(
      parsleyRecipes,
      delivery(parsleyRecipes, 'RecipeCreated', 'x', { secret: 'recipes-secret' }),
      { params, credentials, staticData: {} },
    );
    expect((ok.result.workflowData as any)[0][0].json).toMatchObject({
      type: 'RecipeCreated',
      provider: 'parsleyRecipes',
    });
    const forged = await deliver(parsleyRecipes, delivery(parsleyRecipes, 'RecipeCreated', 'x', { secret: 'guess' }), {
      params,
      credentials,
      staticData: {},
    });
    expect(forged.sent.status).toBe(401);
  });

  it('accepts unsigned deliveries only when no secret is configured, as the vendor allows', async () => {
    const unsigned = delivery(parsleyRecipes, 'RecipeCreated', 'x');
    const open = await deliver(parsleyRecipes, unsigned, {
      params,
      credentials: { signingSecret: '' },
      staticData: {},
    });
    expect(open.result.workflowData).toBeDefined();
    const closed = await deliver(parsleyRecipes, unsigned, {
      params,
      credentials: { signingSecret: 's' },
      staticData: {},
    });
    expect(closed.sent.status).toBe(401);
  });
});
