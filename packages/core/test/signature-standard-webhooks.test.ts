import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { standardWebhooksScheme } from '../src/signature/index.js';

const scheme = standardWebhooksScheme();

// Test vectors of the Standard Webhooks reference library (libraries/javascript/src/webhook.test.ts
// in github.com/standard-webhooks/standard-webhooks): facts, re-checked below against the npm package.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  bareSecret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const vectorNow = new Date(VECTOR.timestamp * 1000);
const vectorHeaders = {
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': VECTOR.signature,
};
const key = Buffer.from(VECTOR.bareSecret, 'base64');

/** Independent oracle: node:crypto with the base64-decoded key. */
function swSignature(id: string, t: number | string, body: string | Buffer): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${t}.`).update(body).digest('base64')}`;
}
function headersAt(t: number, body: string | Buffer = VECTOR.payload, id = VECTOR.id) {
  return { 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': swSignature(id, t, body) };
}

describe('standardWebhooksScheme — reference vectors', () => {
  it('the vector is what the standardwebhooks package signs (so the vector is right)', () => {
    const wh = new Webhook(VECTOR.secret);
    expect(wh.sign(VECTOR.id, vectorNow, VECTOR.payload)).toBe(VECTOR.signature);
    expect(swSignature(VECTOR.id, VECTOR.timestamp, VECTOR.payload)).toBe(VECTOR.signature);
  });

  it('signs the vector exactly', () => {
    expect(
      scheme.sign({ body: VECTOR.payload, secret: VECTOR.secret, id: VECTOR.id, timestamp: VECTOR.timestamp }),
    ).toEqual(vectorHeaders);
  });

  it('verifies the vector, with and without the whsec_ prefix', () => {
    for (const secret of [VECTOR.secret, VECTOR.bareSecret]) {
      expect(scheme.verify({ body: VECTOR.payload, headers: vectorHeaders, secret, now: vectorNow })).toEqual({
        ok: true,
        secretIndex: 0,
        timestamp: VECTOR.timestamp,
      });
    }
  });

  it('multi-signature header from the reference tests: v2 and wrong v1 entries are skipped', () => {
    const wrong = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const list = [wrong, 'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', VECTOR.signature, wrong].join(' ');
    const headers = { ...vectorHeaders, 'webhook-signature': list };
    expect(scheme.verify({ body: VECTOR.payload, headers, secret: VECTOR.secret, now: vectorNow }).ok).toBe(true);
    const onlyWrong = { ...vectorHeaders, 'webhook-signature': `${wrong} ${wrong}` };
    expect(
      scheme.verify({ body: VECTOR.payload, headers: onlyWrong, secret: VECTOR.secret, now: vectorNow }),
    ).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it.each([
    ['invalid signature', 'v1,dawfeoifkpqwoekfpqoekf'],
    ['partial signature', VECTOR.signature.slice(0, 8)],
    ['empty v1', 'v1,'],
    ['no version', VECTOR.signature.slice(3)],
    ['only v2', `v2,${VECTOR.signature.slice(3)}`],
    ['v1 with a space after the comma', `v1, ${VECTOR.signature.slice(3)}`],
    ['non-base64 character', `v1,${VECTOR.signature.slice(3, 20)}!${VECTOR.signature.slice(21)}`],
    ['base64url alphabet', `v1,${VECTOR.signature.slice(3).replace('+', '-').replace('/', '_')}`],
    ['non-canonical trailing bits', `v1,${VECTOR.signature.slice(3, 45)}F=`],
  ])('%s → malformed_header (the reference library rejects these too)', (_label, signature) => {
    const headers = { ...vectorHeaders, 'webhook-signature': signature };
    expect(scheme.verify({ body: VECTOR.payload, headers, secret: VECTOR.secret, now: vectorNow })).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
    expect(() => new Webhook(VECTOR.secret).verify(VECTOR.payload, headers)).toThrow(WebhookVerificationError);
  });

  it('a good v1 next to malformed entries verifies in either order, with rotation', () => {
    const almost = `v1,${VECTOR.signature.slice(3, 44)}!=`; // decodes 30 bytes, then fails
    for (const list of [`${VECTOR.signature} ${almost}`, `${almost} ${VECTOR.signature}`, `  ${VECTOR.signature}  `]) {
      const headers = { ...vectorHeaders, 'webhook-signature': list };
      expect(
        scheme.verify({ body: VECTOR.payload, headers, secret: [`whsec_${'QUJD'}`, VECTOR.secret], now: vectorNow }),
      ).toMatchObject({
        ok: true,
        secretIndex: 1,
      });
    }
  });

  it('an unpadded but canonical signature is accepted', () => {
    const headers = { ...vectorHeaders, 'webhook-signature': VECTOR.signature.replace(/=$/, '') };
    expect(scheme.verify({ body: VECTOR.payload, headers, secret: VECTOR.secret, now: vectorNow }).ok).toBe(true);
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('missing %s → missing_header', (name) => {
    const headers: Record<string, string> = { ...vectorHeaders };
    delete headers[name];
    const r = scheme.verify({ body: VECTOR.payload, headers, secret: VECTOR.secret, now: vectorNow });
    expect(r).toMatchObject({ ok: false, reason: 'missing_header' });
    expect(!r.ok && r.message).toContain(name);
  });

  it('invalid timestamp "hello" → malformed_header', () => {
    const headers = { ...vectorHeaders, 'webhook-timestamp': 'hello' };
    expect(scheme.verify({ body: VECTOR.payload, headers, secret: VECTOR.secret, now: vectorNow })).toMatchObject({
      reason: 'malformed_header',
    });
  });

  it('the id and timestamp are signed: changing either breaks the signature', () => {
    const body = VECTOR.payload;
    const secret = VECTOR.secret;
    const now = vectorNow;
    expect(scheme.verify({ body, headers: { ...vectorHeaders, 'webhook-id': 'msg_other' }, secret, now }).ok).toBe(
      false,
    );
    const t = String(VECTOR.timestamp + 1);
    expect(scheme.verify({ body, headers: { ...vectorHeaders, 'webhook-timestamp': t }, secret, now }).ok).toBe(false);
  });
});

describe('standardWebhooksScheme — interoperability with the standardwebhooks package', () => {
  const t = () => Math.floor(Date.now() / 1000);

  it('the package verifies what we sign (string and Buffer body)', () => {
    const wh = new Webhook(VECTOR.secret);
    const body = '{"type":"user.created","data":{"id":"u_1","name":"Zoë 🎉"}}';
    const headers = scheme.sign({ body, secret: VECTOR.secret, timestamp: t() });
    expect(wh.verify(body, headers)).toEqual(JSON.parse(body));
    expect(wh.verify(Buffer.from(body), headers)).toEqual(JSON.parse(body));
  });

  it('we verify what the package signs', () => {
    const wh = new Webhook(VECTOR.secret);
    const body = '{"type":"invoice.paid","amount":100}';
    const now = new Date();
    const headers = {
      'webhook-id': 'msg_2',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': wh.sign('msg_2', now, body),
    };
    expect(scheme.verify({ body, headers, secret: VECTOR.secret }).ok).toBe(true);
  });

  it('sign() defaults: random msg_ id and current time, verifiable', () => {
    const h1 = scheme.sign({ body: VECTOR.payload, secret: VECTOR.secret });
    const h2 = scheme.sign({ body: VECTOR.payload, secret: VECTOR.secret });
    expect(h1['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(h1['webhook-id']).not.toBe(h2['webhook-id']);
    expect(Math.abs(Number(h1['webhook-timestamp']) - t())).toBeLessThanOrEqual(1);
    expect(scheme.verify({ body: VECTOR.payload, headers: h1, secret: VECTOR.secret }).ok).toBe(true);
  });

  it('sign() refuses a secret that is not base64 and an empty one', () => {
    expect(() => scheme.sign({ body: '{}', secret: 'whsec_not base64!' })).toThrow(/whsec_/);
    expect(() => scheme.sign({ body: '{}', secret: 'whsec_' })).toThrow(/whsec_/);
  });
});

describe('standardWebhooksScheme — tolerance both directions', () => {
  const T = VECTOR.timestamp;
  const now = new Date(T * 1000);
  const secret = VECTOR.secret;
  const body = VECTOR.payload;

  it('±300 s pass, ±301 s fail (the reference library tests old and new timestamps)', () => {
    expect(scheme.verify({ body, headers: headersAt(T - 300), secret, now }).ok).toBe(true);
    expect(scheme.verify({ body, headers: headersAt(T + 300), secret, now }).ok).toBe(true);
    expect(scheme.verify({ body, headers: headersAt(T - 301), secret, now })).toMatchObject({
      reason: 'timestamp_outside_tolerance',
    });
    expect(scheme.verify({ body, headers: headersAt(T + 301), secret, now })).toMatchObject({
      reason: 'timestamp_outside_tolerance',
    });
  });

  it('custom tolerance per call and per scheme; now as a number', () => {
    expect(scheme.verify({ body, headers: headersAt(T + 900), secret, now: T * 1000, toleranceSeconds: 900 }).ok).toBe(
      true,
    );
    const strict = standardWebhooksScheme({ toleranceSeconds: 5 });
    expect(strict.verify({ body, headers: headersAt(T - 5), secret, now: T * 1000 }).ok).toBe(true);
    expect(strict.verify({ body, headers: headersAt(T - 6), secret, now: T * 1000 }).ok).toBe(false);
    expect(strict.verify({ body, headers: headersAt(T + 6), secret, now: T * 1000 }).ok).toBe(false);
  });
});

describe('standardWebhooksScheme — bodies, headers, secrets', () => {
  const T = VECTOR.timestamp;
  const now = new Date(T * 1000);

  it('non-UTF-8 Buffer verifies byte-exact; its string conversion does not', () => {
    const bytes = Buffer.from([0x22, 0xff, 0xfe, 0xfd, 0x22]);
    const headers = headersAt(T, bytes);
    expect(scheme.verify({ body: bytes, headers, secret: VECTOR.secret, now }).ok).toBe(true);
    expect(scheme.verify({ body: bytes.toString('utf8'), headers, secret: VECTOR.secret, now })).toMatchObject({
      reason: 'signature_mismatch',
    });
  });

  it('emoji body as string, Buffer and Uint8Array subarray', () => {
    const text = '{"msg":"👋🌍"}';
    const headers = headersAt(T, Buffer.from(text));
    const enc = new TextEncoder().encode(text);
    const backing = new Uint8Array(enc.length + 10);
    backing.set(enc, 5);
    for (const body of [text, Buffer.from(text), enc, backing.subarray(5, 5 + enc.length)]) {
      expect(scheme.verify({ body, headers, secret: VECTOR.secret, now }).ok).toBe(true);
    }
  });

  it('a non-ASCII message id is signed as UTF-8', () => {
    const id = 'msg_ünï';
    expect(
      scheme.verify({ body: VECTOR.payload, headers: headersAt(T, VECTOR.payload, id), secret: VECTOR.secret, now }).ok,
    ).toBe(true);
  });

  it('Fetch Headers, Zapier Http- keys, upper-case keys; ambiguous arrays refused', () => {
    const h = headersAt(T);
    expect(scheme.verify({ body: VECTOR.payload, headers: new Headers(h), secret: VECTOR.secret, now }).ok).toBe(true);
    const zapier = {
      'Http-Webhook-Id': h['webhook-id'],
      'Http-Webhook-Timestamp': h['webhook-timestamp'],
      'Http-Webhook-Signature': h['webhook-signature'],
    };
    expect(scheme.verify({ body: VECTOR.payload, headers: zapier, secret: VECTOR.secret, now }).ok).toBe(true);
    const upper = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
    expect(scheme.verify({ body: VECTOR.payload, headers: upper, secret: VECTOR.secret, now }).ok).toBe(true);
    const twoIds = { ...h, 'webhook-id': [h['webhook-id'], 'msg_other'] };
    expect(scheme.verify({ body: VECTOR.payload, headers: twoIds, secret: VECTOR.secret, now })).toMatchObject({
      reason: 'multiple_headers',
    });
  });

  it('rotation and secret hygiene', () => {
    const headers = headersAt(T);
    const other = `whsec_${Buffer.from('another key of some length').toString('base64')}`;
    expect(scheme.verify({ body: VECTOR.payload, headers, secret: [other, VECTOR.secret], now })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    expect(scheme.verify({ body: VECTOR.payload, headers, secret: ` ${VECTOR.secret}\n`, now }).ok).toBe(true);
    // a secret that is not base64 cannot be a Standard Webhooks key
    expect(scheme.verify({ body: VECTOR.payload, headers, secret: 'whsec_%%%', now })).toMatchObject({
      reason: 'no_secret',
    });
    // but one unusable secret next to the right one does not spoil rotation
    expect(scheme.verify({ body: VECTOR.payload, headers, secret: ['whsec_%%%', VECTOR.secret], now })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    for (const s of [[], '', ' ', null, 3]) {
      expect(scheme.verify({ body: VECTOR.payload, headers, secret: s as never, now })).toMatchObject({
        reason: 'no_secret',
      });
    }
  });
});
