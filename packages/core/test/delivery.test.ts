import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bodyHash, parseDelivery, verifyDelivery } from '../src/delivery.js';
import { webhookEventSchema } from '../src/event.js';
import { hmacHexScheme, timestampedScheme } from '../src/signature/index.js';
import type { DeliveryPolicy, VendorDefinition } from '../src/vendor.js';

// Small inline vendors: the real ones live in @hookpack/providers, which depends on core.
type TestVendor = Pick<VendorDefinition, 'id' | 'envelope' | 'delivery' | 'signature'>;

const policy: DeliveryPolicy = {
  timeoutMs: 10_000,
  retryDelaysMs: [60_000],
  afterRetries: 'drop',
  staticHeaders: {},
  deliveryIdIsStable: true,
};

/** Envelope with an id: `{ id?, type, created_at, livemode?, data }`. */
const acme: TestVendor = {
  id: 'acme',
  signature: {
    scheme: hmacHexScheme({ header: 'X-Acme-Signature', prefix: 'sha256=' }),
    secretRequired: true,
    secretSource: 'subscription',
  },
  envelope: {
    schema: z.looseObject({
      id: z.string().optional(),
      type: z.string(),
      created_at: z.string(),
      livemode: z.boolean().optional(),
      data: z.record(z.string(), z.unknown()),
    }),
    read: (b: { id?: string; type: string; created_at: string; livemode?: boolean; data: unknown }) => ({
      ...(b.id !== undefined ? { id: b.id } : {}),
      type: b.type,
      createdAt: b.created_at,
      data: b.data,
      ...(b.livemode !== undefined ? { livemode: b.livemode } : {}),
    }),
    build: (f) => ({ id: f.id, type: f.type, created_at: f.createdAt, livemode: f.livemode, data: f.data }),
  },
  delivery: { ...policy, deliveryIdHeader: 'X-Acme-Delivery', eventHeader: 'X-Acme-Event', deliveryIdIsStable: true },
};

/** Like Parsley Recipes: `{ event, payload }`, no id, secret optional. */
const recipes: TestVendor = {
  id: 'recipes',
  signature: {
    scheme: hmacHexScheme({ header: 'x-hub-signature-256', prefix: 'sha256=' }),
    secretRequired: false,
    secretSource: 'user',
  },
  envelope: {
    schema: z.looseObject({ event: z.string().min(1), payload: z.record(z.string(), z.unknown()) }),
    read: (b: { event: string; payload: Record<string, unknown> }) => ({
      type: b.event,
      createdAt: typeof b.payload.timestamp === 'string' ? b.payload.timestamp : null,
      data: b.payload,
    }),
    build: (f) => ({ event: f.type, payload: f.data }),
  },
  delivery: { ...policy },
};

/** Delivery header that changes on every retry: useless for dedupe. */
const retryIdVendor: TestVendor = {
  ...recipes,
  id: 'retryid',
  signature: { ...recipes.signature, secretRequired: true },
  delivery: { ...policy, deliveryIdHeader: 'X-Attempt-Id', deliveryIdIsStable: false },
};

const secret = 'acme_whsec_31f0';
function signed(vendor: TestVendor, body: string | Buffer, extra: Record<string, string> = {}) {
  return { ...vendor.signature.scheme.sign({ body, secret }), ...extra };
}

const acmeBody = JSON.stringify({
  id: 'evt_123',
  type: 'order.paid',
  created_at: '2026-11-23T10:00:00Z',
  livemode: false,
  data: { order: 'o_1', total: 1299 },
});

describe('parseDelivery', () => {
  it('normalizes an envelope to a WebhookEvent that matches webhookEventSchema', () => {
    const r = parseDelivery(acme, acmeBody, { 'x-acme-delivery': 'dlv_9' });
    const event = {
      id: 'evt_123',
      type: 'order.paid',
      createdAt: '2026-11-23T10:00:00Z',
      data: { order: 'o_1', total: 1299 },
      provider: 'acme',
      livemode: false,
      deliveryId: 'dlv_9',
    };
    // A single-event vendor: the one event is also the whole list.
    expect(r).toEqual({ ok: true, dedupeKey: 'evt_123', event, events: [{ event, dedupeKey: 'evt_123' }] });
    expect(r.ok && webhookEventSchema.safeParse(r.event).success).toBe(true);
  });

  it('accepts string, Buffer and Uint8Array bodies alike', () => {
    for (const body of [acmeBody, Buffer.from(acmeBody), new TextEncoder().encode(acmeBody)]) {
      expect(parseDelivery(acme, body)).toMatchObject({ ok: true, dedupeKey: 'evt_123' });
    }
  });

  it('passes unknown event types through', () => {
    const body = JSON.stringify({ id: 'evt_2', type: 'brand.new.type', created_at: 'x', data: {} });
    expect(parseDelivery(acme, body)).toMatchObject({ ok: true, event: { type: 'brand.new.type' } });
  });

  it('invalid JSON → invalid_json with the parser message, no throw', () => {
    for (const body of ['', '{', '{"id":', 'not json', '\u0000', Buffer.from([0xff, 0xfe])]) {
      const r = parseDelivery(acme, body);
      expect(r).toMatchObject({ ok: false, reason: 'invalid_json' });
      expect(!r.ok && r.message).toMatch(/^body is not valid JSON: /);
    }
  });

  it('valid JSON that is not the envelope → invalid_envelope naming the vendor and the fields', () => {
    const r = parseDelivery(acme, JSON.stringify({ id: 'evt_1', data: {} }));
    expect(r).toMatchObject({ ok: false, reason: 'invalid_envelope' });
    expect(!r.ok && r.message).toContain('acme');
    expect(!r.ok && r.issues).toEqual(
      expect.arrayContaining([expect.stringMatching(/^type: /), expect.stringMatching(/^created_at: /)]),
    );
    for (const body of ['[]', 'null', '42', '"text"', 'true']) {
      expect(parseDelivery(acme, body)).toMatchObject({ ok: false, reason: 'invalid_envelope' });
    }
  });

  it('a body that is not bytes → invalid_body', () => {
    for (const body of [42, { id: 'x' }, null, undefined]) {
      expect(parseDelivery(acme, body as never)).toMatchObject({ ok: false, reason: 'invalid_body' });
    }
  });

  describe('dedupe key order: envelope id → stable delivery header → sha256 of the body', () => {
    const noId = JSON.stringify({ type: 'order.paid', created_at: 'x', data: { n: 1 } });

    it('envelope id wins over the delivery header', () => {
      expect(parseDelivery(acme, acmeBody, { 'X-Acme-Delivery': 'dlv_1' })).toMatchObject({ dedupeKey: 'evt_123' });
    });

    it('no envelope id → the stable delivery header', () => {
      const r = parseDelivery(acme, noId, { 'X-Acme-Delivery': 'dlv_1' });
      expect(r).toMatchObject({ ok: true, dedupeKey: 'dlv_1', event: { id: 'dlv_1', deliveryId: 'dlv_1' } });
    });

    it('no id and no header → sha256 of the exact body bytes', () => {
      const expected = `sha256:${createHash('sha256').update(noId).digest('hex')}`;
      expect(bodyHash(Buffer.from(noId))).toBe(expected);
      expect(parseDelivery(acme, noId, {})).toMatchObject({ ok: true, dedupeKey: expected });
      // same JSON, different bytes → different key (no re-serialization)
      const spaced = noId.replace(':', ': ');
      expect(parseDelivery(acme, spaced)).toMatchObject({ ok: true });
      expect((parseDelivery(acme, spaced) as { dedupeKey: string }).dedupeKey).not.toBe(expected);
    });

    it('empty id or empty delivery header do not become a shared key', () => {
      const emptyId = JSON.stringify({ id: '', type: 't', created_at: 'x', data: {} });
      const r = parseDelivery(acme, emptyId, { 'X-Acme-Delivery': '' });
      expect(r).toMatchObject({ ok: true, dedupeKey: bodyHash(Buffer.from(emptyId)) });
    });

    it('a delivery header that changes per retry is reported but not used for dedupe', () => {
      const body = JSON.stringify({ event: 'RecipeCreated', payload: { recipeId: 1 } });
      const r = parseDelivery(retryIdVendor, body, { 'x-attempt-id': 'attempt_3' });
      expect(r).toMatchObject({ ok: true, dedupeKey: bodyHash(Buffer.from(body)), event: { deliveryId: 'attempt_3' } });
    });

    it('a vendor without ids dedupes on the body hash (Parsley Recipes style)', () => {
      const body = JSON.stringify({
        event: 'RecipeCreated',
        payload: { recipeId: 1, timestamp: '2026-01-01T00:00:00Z' },
      });
      expect(parseDelivery(recipes, body)).toMatchObject({
        ok: true,
        dedupeKey: bodyHash(Buffer.from(body)),
        event: { type: 'RecipeCreated', createdAt: '2026-01-01T00:00:00Z', provider: 'recipes' },
      });
    });
  });

  it('event type falls back to the event header, then to "unknown"', () => {
    const vendor: TestVendor = {
      ...acme,
      envelope: { ...acme.envelope, read: (b: { data: unknown }) => ({ type: '', createdAt: null, data: b.data }) },
    };
    expect(parseDelivery(vendor, acmeBody, { 'X-Acme-Event': 'order.refunded' })).toMatchObject({
      event: { type: 'order.refunded' },
    });
    expect(parseDelivery(vendor, acmeBody, {})).toMatchObject({ event: { type: 'unknown' } });
  });
});

describe('verifyDelivery', () => {
  it('verified and parsed: event, dedupe key and which secret matched', () => {
    const r = verifyDelivery(acme, { body: acmeBody, headers: signed(acme, acmeBody), secret: ['old', secret] });
    expect(r).toMatchObject({ ok: true, dedupeKey: 'evt_123', secretIndex: 1, event: { type: 'order.paid' } });
  });

  it('bad signature → 401 with the scheme reason; checked before the body is parsed', () => {
    const headers = { 'X-Acme-Signature': `sha256=${'0'.repeat(64)}` };
    expect(verifyDelivery(acme, { body: acmeBody, headers, secret })).toMatchObject({
      ok: false,
      status: 401,
      reason: 'signature_mismatch',
    });
    // invalid JSON with a bad signature is a 401, not a 400: nothing unauthenticated is parsed
    expect(verifyDelivery(acme, { body: '{', headers, secret })).toMatchObject({ status: 401 });
  });

  it('missing signature header → 401 missing_header', () => {
    expect(verifyDelivery(acme, { body: acmeBody, headers: {}, secret })).toMatchObject({
      status: 401,
      reason: 'missing_header',
    });
  });

  it('signed but not JSON → 400 invalid_json; signed but wrong envelope → 400 invalid_envelope', () => {
    expect(verifyDelivery(acme, { body: 'hello', headers: signed(acme, 'hello'), secret })).toMatchObject({
      ok: false,
      status: 400,
      reason: 'invalid_json',
    });
    const wrong = '{"hello":"world"}';
    expect(verifyDelivery(acme, { body: wrong, headers: signed(acme, wrong), secret })).toMatchObject({
      ok: false,
      status: 400,
      reason: 'invalid_envelope',
    });
  });

  it('secret required and none configured → 401 no_secret (fails closed), even for a "signed" delivery', () => {
    for (const s of [undefined, null, '', '  ', [], ['', ' ']]) {
      expect(
        verifyDelivery(acme, { body: acmeBody, headers: signed(acme, acmeBody), secret: s as never }),
      ).toMatchObject({
        ok: false,
        status: 401,
        reason: 'no_secret',
      });
    }
  });

  describe('optional-secret vendor', () => {
    const body = JSON.stringify({ event: 'RecipeModified', payload: { recipeId: 7 } });

    it('no secret configured: accepts an unsigned delivery (secretIndex null)', () => {
      for (const s of [undefined, null, '', []]) {
        expect(verifyDelivery(recipes, { body, headers: {}, secret: s as never })).toMatchObject({
          ok: true,
          secretIndex: null,
          event: { type: 'RecipeModified' },
        });
      }
    });

    it('secret configured: a bad or missing signature is still rejected', () => {
      const bad = { 'x-hub-signature-256': `sha256=${createHmac('sha256', 'wrong').update(body).digest('hex')}` };
      expect(verifyDelivery(recipes, { body, headers: bad, secret })).toMatchObject({
        ok: false,
        status: 401,
        reason: 'signature_mismatch',
      });
      expect(verifyDelivery(recipes, { body, headers: {}, secret })).toMatchObject({
        ok: false,
        status: 401,
        reason: 'missing_header',
      });
      expect(verifyDelivery(recipes, { body, headers: signed(recipes, body), secret })).toMatchObject({
        ok: true,
        secretIndex: 0,
      });
    });

    it('an unreadable secret list fails closed instead of accepting unsigned', () => {
      const hostile = new Proxy([], {
        get() {
          throw new Error('no');
        },
      });
      // unreadable input is the receiver's bug, not the delivery's: 500, so the vendor retries
      expect(verifyDelivery(recipes, { body, headers: {}, secret: hostile })).toMatchObject({
        ok: false,
        status: 500,
        reason: 'invalid_input',
      });
    });

    it('a secret of the wrong type is a configured secret: fails closed instead of accepting unsigned', () => {
      // e.g. a number read from a config file, or a list holding one
      for (const s of [12345, { secret: 'x' }, [12345], [null, 12345]]) {
        expect(verifyDelivery(recipes, { body, headers: {}, secret: s as never })).toMatchObject({
          ok: false,
          status: 401,
          reason: 'no_secret',
        });
        expect(verifyDelivery(recipes, { body, headers: signed(recipes, body), secret: s as never })).toMatchObject({
          ok: false,
          status: 401,
        });
      }
    });

    it('unsigned but malformed body is still a 400', () => {
      expect(verifyDelivery(recipes, { body: '{"event":""}', headers: {} })).toMatchObject({
        status: 400,
        reason: 'invalid_envelope',
      });
    });
  });

  it('passes now / toleranceSeconds to timestamped schemes', () => {
    const vendor: TestVendor = {
      ...acme,
      signature: {
        scheme: timestampedScheme({ header: 'X-Acme-Signature' }),
        secretRequired: true,
        secretSource: 'subscription',
      },
    };
    const t = 1_700_000_000;
    const headers = vendor.signature.scheme.sign({ body: acmeBody, secret, timestamp: t });
    expect(verifyDelivery(vendor, { body: acmeBody, headers, secret, now: t * 1000 })).toMatchObject({ ok: true });
    expect(verifyDelivery(vendor, { body: acmeBody, headers, secret, now: (t + 301) * 1000 })).toMatchObject({
      status: 401,
      reason: 'timestamp_outside_tolerance',
    });
    expect(
      verifyDelivery(vendor, { body: acmeBody, headers, secret, now: (t + 301) * 1000, toleranceSeconds: 600 }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('a hostile caller: every field read once, broken input is invalid_input (500), a detached body invalid_body', () => {
    const headers = acme.signature.scheme.sign({ body: acmeBody, secret });
    let reads = 0;
    const forged = acmeBody.replace('evt_123', 'evt_forged');
    const shifting = {
      headers,
      secret,
      get body() {
        return reads++ === 0 ? acmeBody : forged; // a getter that answers differently the second time
      },
    };
    expect(verifyDelivery(acme, shifting)).toMatchObject({ ok: true, event: { id: 'evt_123' } });
    expect(reads).toBe(1);

    const revocable = Proxy.revocable({ body: acmeBody, headers, secret }, {});
    revocable.revoke();
    expect(verifyDelivery(acme, revocable.proxy)).toMatchObject({ status: 500, reason: 'invalid_input' });
    expect(verifyDelivery(acme, { body: acmeBody, headers, secret, now: new Date(Number.NaN) })).toMatchObject({
      ok: true, // hex schemes never read the clock
    });

    const gone = Uint8Array.from(Buffer.from(acmeBody));
    structuredClone(gone.buffer, { transfer: [gone.buffer] });
    expect(verifyDelivery(acme, { body: gone, headers, secret })).toMatchObject({
      status: 401,
      reason: 'invalid_body',
      message: expect.stringMatching(/detached/),
    });
    expect(parseDelivery(acme, gone)).toMatchObject({ ok: false, reason: 'invalid_body' });
  });

  it('a vendor reader that throws on a body its schema let through → invalid_envelope, not a throw', () => {
    const fragile: TestVendor = {
      ...acme,
      envelope: {
        ...acme.envelope,
        read: () => {
          throw new Error('reader bug');
        },
      },
    };
    const headers = acme.signature.scheme.sign({ body: acmeBody, secret });
    expect(verifyDelivery(fragile, { body: acmeBody, headers, secret })).toMatchObject({
      status: 400,
      reason: 'invalid_envelope',
    });
  });

  it('never throws on hostile input', () => {
    const hostileHeaders = Object.defineProperty({}, 'x-acme-signature', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(verifyDelivery(acme, { body: acmeBody, headers: hostileHeaders, secret })).toMatchObject({
      status: 500,
      reason: 'invalid_input',
    });
    expect(verifyDelivery(acme, { body: 42 as never, headers: {}, secret })).toMatchObject({
      status: 401,
      reason: 'invalid_body',
    });
    expect(verifyDelivery(acme, null as never)).toMatchObject({ ok: false, status: 500, reason: 'invalid_input' });
    expect(verifyDelivery(recipes, undefined as never)).toMatchObject({
      ok: false,
      status: 500,
      reason: 'invalid_input',
    });
  });
});
