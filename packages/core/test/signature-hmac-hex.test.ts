import { createHmac } from 'node:crypto';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { hmacHexScheme } from '../src/signature/index.js';

const prefixed = hmacHexScheme({ header: 'X-Parley-Signature', prefix: 'sha256=' });
const plain = hmacHexScheme({ header: 'X-ParseFlow-Signature', prefix: '' });
const secret = 'pl_whsec_5f2b1c9e7a';
const body = '{"event":"violation.new","data":{"id":"v_1","facility_id":"f_9"}}';

/** Independent oracle: node:crypto directly, not the code under test. */
function hexHmac(key: string, bytes: string | Buffer): string {
  return createHmac('sha256', key).update(bytes).digest('hex');
}

describe('hmacHexScheme — published vectors', () => {
  // GitHub docs, "Validating webhook deliveries": secret, payload and expected signature.
  const githubSecret = "It's a Secret to Everybody";
  const githubPayload = 'Hello, World!';
  const githubSignature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  const github = hmacHexScheme({ header: 'X-Hub-Signature-256', prefix: 'sha256=' });

  it("signs GitHub's documented example exactly", () => {
    expect(github.sign({ body: githubPayload, secret: githubSecret })).toEqual({
      'X-Hub-Signature-256': githubSignature,
    });
  });

  it("verifies GitHub's documented example (string, Buffer and Uint8Array body)", () => {
    const headers = { 'x-hub-signature-256': githubSignature };
    for (const b of [githubPayload, Buffer.from(githubPayload), new TextEncoder().encode(githubPayload)]) {
      expect(github.verify({ body: b, headers, secret: githubSecret })).toEqual({ ok: true, secretIndex: 0 });
    }
  });

  it('agrees with @octokit/webhooks-methods in both directions', async () => {
    const theirs = await octokitSign(githubSecret, body);
    expect(github.verify({ body, headers: { 'X-Hub-Signature-256': theirs }, secret: githubSecret }).ok).toBe(true);
    const ours = github.sign({ body, secret: githubSecret })['X-Hub-Signature-256']!;
    expect(await octokitVerify(githubSecret, body, ours)).toBe(true);
  });
});

describe('hmacHexScheme — round trips', () => {
  it('prefixed: sign → verify, matching node:crypto', () => {
    const headers = prefixed.sign({ body, secret });
    expect(headers).toEqual({ 'X-Parley-Signature': `sha256=${hexHmac(secret, body)}` });
    expect(prefixed.verify({ body, headers, secret })).toEqual({ ok: true, secretIndex: 0 });
  });

  it('plain hex (ParseFlow): sign → verify, no prefix', () => {
    const headers = plain.sign({ body, secret });
    expect(headers).toEqual({ 'X-ParseFlow-Signature': hexHmac(secret, body) });
    expect(plain.verify({ body, headers, secret })).toEqual({ ok: true, secretIndex: 0 });
  });

  it('declares its header and kind', () => {
    expect(prefixed.kind).toBe('hmac-sha256-hex');
    expect(prefixed.headerNames).toEqual(['X-Parley-Signature']);
  });

  it('plain hex rejects a prefixed value and prefixed rejects a plain value', () => {
    const hex = hexHmac(secret, body);
    expect(plain.verify({ body, headers: { 'x-parseflow-signature': `sha256=${hex}` }, secret })).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
    expect(prefixed.verify({ body, headers: { 'x-parley-signature': hex }, secret })).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
  });

  it('sign refuses an empty secret and a non-body', () => {
    expect(() => prefixed.sign({ body, secret: '  ' })).toThrow(/secret/);
    expect(() => prefixed.sign({ body: 42 as unknown as string, secret })).toThrow(/body/);
  });
});

describe('hmacHexScheme — header format', () => {
  const hex = hexHmac(secret, body);

  it('accepts uppercase hex and an uppercase prefix (decision in signature/shared.ts)', () => {
    expect(prefixed.verify({ body, headers: { 'x-parley-signature': `sha256=${hex.toUpperCase()}` }, secret }).ok).toBe(
      true,
    );
    expect(prefixed.verify({ body, headers: { 'x-parley-signature': `SHA256=${hex}` }, secret }).ok).toBe(true);
    expect(plain.verify({ body, headers: { 'x-parseflow-signature': hex.toUpperCase() }, secret }).ok).toBe(true);
  });

  it('tolerates whitespace around the header value', () => {
    expect(prefixed.verify({ body, headers: { 'x-parley-signature': `  sha256=${hex}\t` }, secret }).ok).toBe(true);
  });

  it.each([
    ['missing', {}, 'missing_header'],
    ['empty', { 'x-parley-signature': '' }, 'missing_header'],
    ['blank', { 'x-parley-signature': '   ' }, 'missing_header'],
    ['empty array', { 'x-parley-signature': [] }, 'missing_header'],
    ['prefix only', { 'x-parley-signature': 'sha256=' }, 'malformed_header'],
    ['wrong algorithm', { 'x-parley-signature': `sha1=${hex}` }, 'malformed_header'],
    ['63 hex chars', { 'x-parley-signature': `sha256=${hex.slice(1)}` }, 'malformed_header'],
    ['65 hex chars', { 'x-parley-signature': `sha256=${hex}0` }, 'malformed_header'],
    ['non-hex char', { 'x-parley-signature': `sha256=${hex.slice(0, 40)}zz${hex.slice(42)}` }, 'malformed_header'],
    ['space inside', { 'x-parley-signature': `sha256= ${hex.slice(1)}` }, 'malformed_header'],
    ['two signatures', { 'x-parley-signature': `sha256=${hex},sha256=${hex}` }, 'malformed_header'],
    ['number value', { 'x-parley-signature': 12345 }, 'malformed_header'],
  ])('%s header → %s', (_label, headers, reason) => {
    expect(prefixed.verify({ body, headers: headers as never, secret })).toMatchObject({ ok: false, reason });
  });

  it('array header: equal values verify, different values are refused as ambiguous', () => {
    const good = `sha256=${hex}`;
    const other = `sha256=${hexHmac('other', body)}`;
    expect(prefixed.verify({ body, headers: { 'x-parley-signature': [good, good] }, secret }).ok).toBe(true);
    expect(prefixed.verify({ body, headers: { 'x-parley-signature': [good, other] }, secret })).toMatchObject({
      ok: false,
      reason: 'multiple_headers',
    });
    expect(prefixed.verify({ body, headers: { 'x-parley-signature': [other, good] }, secret })).toMatchObject({
      ok: false,
      reason: 'multiple_headers',
    });
  });

  it('a wrong but well-formed signature is a mismatch, with a message naming the header', () => {
    const r = prefixed.verify({ body, headers: { 'x-parley-signature': `sha256=${'0'.repeat(64)}` }, secret });
    expect(r).toMatchObject({ ok: false, reason: 'signature_mismatch' });
    expect(!r.ok && r.message).toContain('X-Parley-Signature');
  });

  it('a one-hex-digit change is a mismatch', () => {
    const flipped = (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);
    expect(prefixed.verify({ body, headers: { 'x-parley-signature': `sha256=${flipped}` }, secret })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });
});

describe('hmacHexScheme — header sources', () => {
  const value = `sha256=${hexHmac(secret, body)}`;

  it('looks the header up case-insensitively in a plain object', () => {
    for (const key of ['x-parley-signature', 'X-Parley-Signature', 'X-PARLEY-SIGNATURE']) {
      expect(prefixed.verify({ body, headers: { [key]: value }, secret }).ok).toBe(true);
    }
  });

  it('reads a Fetch Headers instance', () => {
    const headers = new Headers({ 'X-Parley-Signature': value, 'Content-Type': 'application/json' });
    expect(prefixed.verify({ body, headers, secret })).toEqual({ ok: true, secretIndex: 0 });
  });

  it('reads Zapier-style Http-X-Parley-Signature keys (object and Fetch Headers)', () => {
    expect(prefixed.verify({ body, headers: { 'Http-X-Parley-Signature': value }, secret }).ok).toBe(true);
    expect(prefixed.verify({ body, headers: new Headers({ 'Http-X-Parley-Signature': value }), secret }).ok).toBe(true);
  });
});

describe('hmacHexScheme — body bytes', () => {
  it('non-UTF-8 bytes verify byte-exact; a string-converted copy does not', () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0x80, 0x7d]);
    const headers = { 'x-parley-signature': `sha256=${hexHmac(secret, bytes)}` };
    expect(prefixed.verify({ body: bytes, headers, secret }).ok).toBe(true);
    const asText = bytes.toString('utf8'); // 0xff → U+FFFD: different bytes
    expect(Buffer.from(asText).equals(bytes)).toBe(false);
    expect(prefixed.verify({ body: asText, headers, secret })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(prefixed.verify({ body: bytes.toString('latin1'), headers, secret }).ok).toBe(false);
  });

  it('emoji body: string and its UTF-8 Buffer verify alike; UTF-16 bytes do not', () => {
    const text = '{"note":"🦜 parrots 👍🏽 café"}';
    const headers = { 'x-parley-signature': `sha256=${hexHmac(secret, Buffer.from(text, 'utf8'))}` };
    expect(prefixed.verify({ body: text, headers, secret }).ok).toBe(true);
    expect(prefixed.verify({ body: Buffer.from(text, 'utf8'), headers, secret }).ok).toBe(true);
    expect(prefixed.verify({ body: Buffer.from(text, 'utf16le'), headers, secret }).ok).toBe(false);
  });

  it('Uint8Array bodies, including a subarray view with byteOffset ≠ 0', () => {
    const payload = new TextEncoder().encode(body);
    const headers = prefixed.sign({ body: payload, secret });
    expect(prefixed.verify({ body: payload, headers, secret }).ok).toBe(true);

    const backing = new Uint8Array(payload.length + 16);
    backing.fill(0x41);
    backing.set(payload, 7);
    const view = backing.subarray(7, 7 + payload.length);
    expect(view.byteOffset).toBe(7);
    expect(prefixed.verify({ body: view, headers, secret })).toEqual({ ok: true, secretIndex: 0 });
    // the whole backing buffer is not the body
    expect(prefixed.verify({ body: backing, headers, secret }).ok).toBe(false);
  });

  it('empty body verifies only with its own signature', () => {
    const headers = prefixed.sign({ body: '', secret });
    expect(prefixed.verify({ body: '', headers, secret }).ok).toBe(true);
    expect(prefixed.verify({ body: ' ', headers, secret }).ok).toBe(false);
  });

  it('ParseFlow doc bug: JSON.stringify(JSON.parse(raw)) must not verify, raw must', () => {
    // What a vendor sends: spaces after separators and an escaped ESC (\u001B) control char.
    const raw = '{ "id": "n_1", "type": "parse.completed", "data": { "text": "bold\\u001B[1m" } }';
    const headers = plain.sign({ body: raw, secret });
    expect(plain.verify({ body: raw, headers, secret }).ok).toBe(true);
    const reserialized = JSON.stringify(JSON.parse(raw));
    expect(reserialized).not.toBe(raw);
    expect(plain.verify({ body: reserialized, headers, secret })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('uppercase \\u001B escape (octokit#71): re-serialising lower-cases it and breaks the signature', () => {
    const raw = '{"msg":"\\u001B[31mred"}';
    const headers = plain.sign({ body: raw, secret });
    expect(plain.verify({ body: raw, headers, secret }).ok).toBe(true);
    expect(JSON.stringify(JSON.parse(raw))).toBe('{"msg":"\\u001b[31mred"}');
    expect(plain.verify({ body: JSON.stringify(JSON.parse(raw)), headers, secret }).ok).toBe(false);
  });
});

describe('hmacHexScheme — secrets', () => {
  const headers = prefixed.sign({ body, secret });

  it('rotation: reports which secret matched', () => {
    expect(prefixed.verify({ body, headers, secret: ['old-secret', secret] })).toEqual({ ok: true, secretIndex: 1 });
    expect(prefixed.verify({ body, headers, secret: [secret, 'new-secret'] })).toEqual({ ok: true, secretIndex: 0 });
    expect(prefixed.verify({ body, headers, secret: ['a', 'b'] })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('whitespace around a pasted secret is ignored', () => {
    for (const pasted of [` ${secret}`, `${secret}\n`, `\t${secret} \r\n`]) {
      expect(prefixed.verify({ body, headers, secret: pasted }).ok).toBe(true);
    }
    expect(prefixed.sign({ body, secret: `${secret}\n` })).toEqual(headers);
  });

  it('whitespace inside a secret is significant', () => {
    expect(prefixed.verify({ body, headers, secret: secret.replace('_', ' _') }).ok).toBe(false);
  });

  it.each([
    ['empty list', []],
    ['empty string', ''],
    ['blank string', '  \n'],
    ['list of blanks', ['', ' ']],
    ['undefined', undefined],
    ['null', null],
    ['number', 42],
    ['list of non-strings', [42, null, {}]],
    ['object', { secret }],
  ])('%s → no_secret (fails closed)', (_label, s) => {
    expect(prefixed.verify({ body, headers, secret: s as never })).toMatchObject({ ok: false, reason: 'no_secret' });
  });

  it('non-string entries in a list are skipped, string ones still count', () => {
    expect(prefixed.verify({ body, headers, secret: [42, secret] as never })).toMatchObject({ ok: true });
  });

  it('a whsec_-prefixed secret is used whole, as UTF-8 (not base64-decoded)', () => {
    const whsec = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const h = { 'x-parley-signature': `sha256=${hexHmac(whsec, body)}` };
    expect(prefixed.verify({ body, headers: h, secret: whsec }).ok).toBe(true);
    expect(prefixed.verify({ body, headers: h, secret: whsec.slice(6) }).ok).toBe(false);
  });
});
