import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { timestampedScheme } from '../src/signature/index.js';

const scheme = timestampedScheme({ header: 'X-Parlay-Signature' });
const secret = 'whsec_parlay_9c1e2f';
const body = '{"id":"evt_1","type":"invoice.paid","livemode":false,"data":{"object":{"id":"in_1"}}}';
const T = 1_700_000_000; // fixed unix seconds for every test
const now = new Date(T * 1000);

/** Independent oracle: Stripe-style `v1` computed with node:crypto directly. */
function v1(key: string, t: number | string, bytes: string | Buffer): string {
  return createHmac('sha256', key).update(`${t}.`).update(bytes).digest('hex');
}
function header(value: string) {
  return { 'x-parlay-signature': value };
}

describe('timestampedScheme — Stripe-style headers generated with node:crypto', () => {
  it('verifies t=…,v1=… over `${t}.${body}`', () => {
    const r = scheme.verify({ body, headers: header(`t=${T},v1=${v1(secret, T, body)}`), secret, now });
    expect(r).toEqual({ ok: true, secretIndex: 0, timestamp: T });
  });

  it('sign produces exactly that header', () => {
    expect(scheme.sign({ body, secret, timestamp: T })).toEqual({
      'X-Parlay-Signature': `t=${T},v1=${v1(secret, T, body)}`,
    });
  });

  it('sign without a timestamp uses the current time', () => {
    const before = Math.floor(Date.now() / 1000);
    const value = scheme.sign({ body, secret })['X-Parlay-Signature']!;
    const t = Number(/^t=(\d+),/.exec(value)?.[1]);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(scheme.verify({ body, headers: header(value), secret }).ok).toBe(true);
  });

  it('the timestamp is part of the signed message', () => {
    const sig = v1(secret, T, body);
    expect(scheme.verify({ body, headers: header(`t=${T + 1},v1=${sig}`), secret, now })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('a signature over the body alone (no `${t}.`) does not verify', () => {
    const bodyOnly = createHmac('sha256', secret).update(body).digest('hex');
    expect(scheme.verify({ body, headers: header(`t=${T},v1=${bodyOnly}`), secret, now }).ok).toBe(false);
  });

  it('ignores v0 / unknown keys and accepts any order', () => {
    const sig = v1(secret, T, body);
    expect(scheme.verify({ body, headers: header(`v0=deadbeef,v1=${sig},t=${T},x=1`), secret, now }).ok).toBe(true);
  });

  it('parts without "=" are skipped, wherever the next "=" is (long padded headers)', () => {
    const sig = v1(secret, T, body);
    const pad = ','.repeat(5000);
    for (const value of [
      `${pad}t=${T},junk,${pad}v1=${sig}`,
      `junk,t=${T}${pad},v1=${sig},${pad}`,
      `x,y,z,v1=${sig},a,b,t=${T}`,
    ]) {
      expect(scheme.verify({ body, headers: header(value), secret, now }), value.slice(0, 40)).toEqual({
        ok: true,
        secretIndex: 0,
        timestamp: T,
      });
    }
    expect(scheme.verify({ body, headers: header(`${pad}v0=x,${pad}`), secret, now })).toMatchObject({
      reason: 'malformed_header',
    });
    expect(scheme.verify({ body, headers: header(`t=${T},${pad}junk=,v1`), secret, now })).toMatchObject({
      reason: 'malformed_header',
      message: expect.stringMatching(/no well-formed v1/),
    });
  });
});

describe('timestampedScheme — cross-check with the stripe package', () => {
  const stripeSig = Stripe.webhooks.signature;

  it("stripe's verifier accepts what we sign", () => {
    const value = scheme.sign({ body, secret, timestamp: Math.floor(Date.now() / 1000) })['X-Parlay-Signature']!;
    expect(stripeSig.verifyHeader(body, value, secret, 300)).toBe(true);
  });

  it("we accept what stripe's test-header generator signs", () => {
    const value = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: T });
    expect(scheme.verify({ body, headers: header(value), secret, now })).toEqual({
      ok: true,
      secretIndex: 0,
      timestamp: T,
    });
  });
});

describe('timestampedScheme — header format', () => {
  const sig = v1(secret, T, body);

  it('spaces after commas (and around =) are tolerated — they cannot change what is signed', () => {
    for (const value of [`t=${T}, v1=${sig}`, ` t=${T} ,  v1=${sig} `, `t = ${T},v1 = ${sig}`]) {
      expect(scheme.verify({ body, headers: header(value), secret, now }).ok).toBe(true);
    }
  });

  it('several v1 values: any one matching verifies (vendor signs with old and new secret)', () => {
    const other = v1('previous-secret', T, body);
    expect(scheme.verify({ body, headers: header(`t=${T},v1=${other},v1=${sig}`), secret, now }).ok).toBe(true);
    expect(scheme.verify({ body, headers: header(`t=${T},v1=${sig},v1=${other}`), secret, now }).ok).toBe(true);
    expect(scheme.verify({ body, headers: header(`t=${T},v1=${other},v1=${other}`), secret, now })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('an empty v1= next to a good one is skipped; alone it is malformed', () => {
    expect(scheme.verify({ body, headers: header(`t=${T},v1=,v1=${sig}`), secret, now }).ok).toBe(true);
    expect(scheme.verify({ body, headers: header(`t=${T},v1=`), secret, now })).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
  });

  it('a good v1 followed by an almost-hex one still verifies, with one or several secrets', () => {
    // the bad entry decodes 31 bytes before failing: the good one must not be compared against leftovers
    const almost = `${'0'.repeat(62)}zz`;
    const value = `t=${T},v1=${sig},v1=${almost}`;
    expect(scheme.verify({ body, headers: header(value), secret, now })).toMatchObject({ ok: true, secretIndex: 0 });
    expect(scheme.verify({ body, headers: header(value), secret: ['other', secret], now })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    expect(scheme.verify({ body, headers: header(`t=${T},v1=${almost},v1=${sig}`), secret, now }).ok).toBe(true);
  });

  it('uppercase hex v1 is accepted', () => {
    expect(scheme.verify({ body, headers: header(`t=${T},v1=${sig.toUpperCase()}`), secret, now }).ok).toBe(true);
  });

  it.each([
    ['no t', `v1=${sig}`],
    ['empty t', `t=,v1=${sig}`],
    ['non-numeric t', `t=abc,v1=${sig}`],
    ['negative t', `t=-${T},v1=${sig}`],
    ['fractional t', `t=${T}.5,v1=${sig}`],
    ['13-digit t', `t=1700000000000,v1=${sig}`],
    ['two t', `t=${T},t=${T},v1=${sig}`],
    ['no v1', `t=${T}`],
    ['only v0', `t=${T},v0=${sig}`],
    ['short v1', `t=${T},v1=${sig.slice(2)}`],
    ['non-hex v1', `t=${T},v1=${'g'.repeat(64)}`],
    ['no = anywhere', 'garbage'],
    ['semicolons', `t=${T};v1=${sig}`],
  ])('%s → malformed_header', (_label, value) => {
    expect(scheme.verify({ body, headers: header(value), secret, now })).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
  });

  it('missing, empty and ambiguous array headers', () => {
    const good = `t=${T},v1=${sig}`;
    expect(scheme.verify({ body, headers: {}, secret, now })).toMatchObject({ ok: false, reason: 'missing_header' });
    expect(scheme.verify({ body, headers: header(''), secret, now })).toMatchObject({
      ok: false,
      reason: 'missing_header',
    });
    expect(scheme.verify({ body, headers: { 'x-parlay-signature': [good, good] }, secret, now }).ok).toBe(true);
    expect(
      scheme.verify({ body, headers: { 'x-parlay-signature': [good, `t=${T},v1=${'0'.repeat(64)}`] }, secret, now }),
    ).toMatchObject({ ok: false, reason: 'multiple_headers' });
  });

  it('two headers merged by a Fetch Headers object (", "-joined, two t=) fail closed', () => {
    const h = new Headers();
    h.append('X-Parlay-Signature', `t=${T},v1=${sig}`);
    h.append('X-Parlay-Signature', `t=${T + 5},v1=${v1(secret, T + 5, body)}`);
    expect(scheme.verify({ body, headers: h, secret, now })).toMatchObject({ ok: false, reason: 'malformed_header' });
  });

  it('Zapier-style and Fetch headers', () => {
    const value = `t=${T},v1=${sig}`;
    expect(scheme.verify({ body, headers: { 'Http-X-Parlay-Signature': value }, secret, now }).ok).toBe(true);
    expect(scheme.verify({ body, headers: new Headers({ 'X-Parlay-Signature': value }), secret, now }).ok).toBe(true);
  });
});

describe('timestampedScheme — tolerance (replay protection, both directions)', () => {
  function at(t: number) {
    return header(`t=${t},v1=${v1(secret, t, body)}`);
  }

  it('default 300 s: inclusive edges pass, one second beyond fails — past and future', () => {
    expect(scheme.verify({ body, headers: at(T - 300), secret, now }).ok).toBe(true);
    expect(scheme.verify({ body, headers: at(T + 300), secret, now }).ok).toBe(true);
    expect(scheme.verify({ body, headers: at(T - 301), secret, now })).toMatchObject({
      ok: false,
      reason: 'timestamp_outside_tolerance',
    });
    expect(scheme.verify({ body, headers: at(T + 301), secret, now })).toMatchObject({
      ok: false,
      reason: 'timestamp_outside_tolerance',
    });
  });

  it('far-future and ancient timestamps fail', () => {
    expect(scheme.verify({ body, headers: at(T + 86_400 * 365), secret, now }).ok).toBe(false);
    expect(scheme.verify({ body, headers: at(0), secret, now }).ok).toBe(false);
  });

  it('`now` as epoch milliseconds behaves like a Date', () => {
    expect(scheme.verify({ body, headers: at(T - 300), secret, now: T * 1000 }).ok).toBe(true);
    expect(scheme.verify({ body, headers: at(T - 301), secret, now: T * 1000 }).ok).toBe(false);
    expect(scheme.verify({ body, headers: at(T + 301), secret, now: T * 1000 }).ok).toBe(false);
  });

  it('sub-second `now` is compared exactly, not rounded', () => {
    // 300.5 s after the signature: outside a 300 s tolerance
    expect(scheme.verify({ body, headers: at(T - 300), secret, now: T * 1000 + 500 }).ok).toBe(false);
  });

  it('without `now`, the real clock is used', () => {
    const t = Math.floor(Date.now() / 1000);
    expect(scheme.verify({ body, headers: at(t), secret }).ok).toBe(true);
    expect(scheme.verify({ body, headers: at(t - 3600), secret })).toMatchObject({
      reason: 'timestamp_outside_tolerance',
    });
  });

  it('per-call toleranceSeconds overrides the default', () => {
    expect(scheme.verify({ body, headers: at(T - 600), secret, now, toleranceSeconds: 600 }).ok).toBe(true);
    expect(scheme.verify({ body, headers: at(T + 600), secret, now, toleranceSeconds: 600 }).ok).toBe(true);
    expect(scheme.verify({ body, headers: at(T - 61), secret, now, toleranceSeconds: 60 }).ok).toBe(false);
    expect(scheme.verify({ body, headers: at(T + 61), secret, now, toleranceSeconds: 60 }).ok).toBe(false);
  });

  it('scheme-level toleranceSeconds option', () => {
    const strict = timestampedScheme({ header: 'X-Parlay-Signature', toleranceSeconds: 10 });
    expect(strict.verify({ body, headers: at(T - 10), secret, now }).ok).toBe(true);
    expect(strict.verify({ body, headers: at(T - 11), secret, now }).ok).toBe(false);
    expect(strict.verify({ body, headers: at(T + 11), secret, now }).ok).toBe(false);
  });

  it('a nonsense tolerance (NaN / negative) fails closed', () => {
    expect(scheme.verify({ body, headers: at(T), secret, now, toleranceSeconds: Number.NaN }).ok).toBe(false);
    expect(scheme.verify({ body, headers: at(T), secret, now, toleranceSeconds: -1 }).ok).toBe(false);
  });

  it('an invalid `now` falls back to the real clock rather than accepting', () => {
    expect(scheme.verify({ body, headers: at(T), secret, now: Number.NaN }).ok).toBe(false);
  });

  it('a stale delivery with a forged signature reports the mismatch (signature is checked first)', () => {
    expect(scheme.verify({ body, headers: header(`t=${T - 9999},v1=${'a'.repeat(64)}`), secret, now })).toMatchObject({
      reason: 'signature_mismatch',
    });
  });
});

describe('timestampedScheme — bodies and secrets', () => {
  it('non-UTF-8 body bytes: Buffer verifies, string copy does not', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x00, 0xc3, 0x28, 0x7d]);
    const headers = header(`t=${T},v1=${v1(secret, T, bytes)}`);
    expect(scheme.verify({ body: bytes, headers, secret, now }).ok).toBe(true);
    expect(scheme.verify({ body: bytes.toString('utf8'), headers, secret, now })).toMatchObject({
      reason: 'signature_mismatch',
    });
  });

  it('emoji string and Buffer, Uint8Array subarray', () => {
    const text = '{"msg":"🚀✨ ünïcödé"}';
    const headers = header(`t=${T},v1=${v1(secret, T, Buffer.from(text))}`);
    expect(scheme.verify({ body: text, headers, secret, now }).ok).toBe(true);
    expect(scheme.verify({ body: Buffer.from(text), headers, secret, now }).ok).toBe(true);
    const backing = new Uint8Array(200);
    const encoded = new TextEncoder().encode(text);
    backing.set(encoded, 33);
    expect(scheme.verify({ body: backing.subarray(33, 33 + encoded.length), headers, secret, now }).ok).toBe(true);
  });

  it('rotation, pasted whitespace, and fail-closed secrets', () => {
    const headers = header(`t=${T},v1=${v1(secret, T, body)}`);
    expect(scheme.verify({ body, headers, secret: ['old', 'older', secret], now })).toEqual({
      ok: true,
      secretIndex: 2,
      timestamp: T,
    });
    expect(scheme.verify({ body, headers, secret: `  ${secret}\n`, now }).ok).toBe(true);
    for (const s of [[], '', '   ', null, undefined, 7, [null]]) {
      expect(scheme.verify({ body, headers, secret: s as never, now })).toMatchObject({
        ok: false,
        reason: 'no_secret',
      });
    }
  });

  it('the whole whsec_ string is the key (Parlay / Stripe compute it that way)', () => {
    const whsec = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = header(`t=${T},v1=${v1(whsec, T, body)}`);
    expect(scheme.verify({ body, headers, secret: whsec, now }).ok).toBe(true);
  });
});
