import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyScheme, refreshingKeySet, type PublicKeySchemeOptions } from '@hookpack/core';

const ed = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (k: { export(o: object): string | Buffer }, type: 'spki' | 'pkcs8') =>
  String(k.export({ type, format: 'pem' }));
const der64 = (k: { export(o: object): string | Buffer }, type: 'spki' | 'pkcs8') =>
  (k.export({ type, format: 'der' }) as Buffer).toString('base64');

const shapes: { name: string; options: PublicKeySchemeOptions; publicKey: string; privateKey: string }[] = [
  {
    // Discord-style: Ed25519, hex, timestamp + body.
    name: 'ed25519, hex, timestamp + body',
    options: {
      algorithm: 'ed25519',
      header: 'X-Signature-Ed25519',
      encoding: 'hex',
      timestampHeader: 'X-Signature-Timestamp',
    },
    publicKey: (ed.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).subarray(12).toString('hex'),
    privateKey: pem(ed.privateKey, 'pkcs8'),
  },
  {
    // SendGrid-style: ECDSA P-256 over SHA-256, base64 DER signature, base64 SPKI key, timestamp + body.
    name: 'ecdsa-p256, base64 DER, timestamp + body',
    options: {
      algorithm: 'ecdsa-p256-sha256',
      header: 'X-Twilio-Email-Event-Webhook-Signature',
      encoding: 'base64',
      timestampHeader: 'X-Twilio-Email-Event-Webhook-Timestamp',
    },
    publicKey: der64(ec.publicKey, 'spki'),
    privateKey: der64(ec.privateKey, 'pkcs8'),
  },
  {
    name: 'ecdsa-p256, PEM key, body only',
    options: { algorithm: 'ecdsa-p256-sha256', header: 'X-Signature', encoding: 'base64' },
    publicKey: pem(ec.publicKey, 'spki'),
    privateKey: pem(ec.privateKey, 'pkcs8'),
  },
];

describe.each(shapes)('publicKeyScheme: $name', ({ options, publicKey, privateKey }) => {
  const scheme = publicKeyScheme(options);
  const body = Buffer.from('[{"event":"delivered","sg_event_id":"e1"}]');
  const now = 1_760_000_000;
  const headers = scheme.sign({ body, secret: privateKey, timestamp: now });
  const verify = (over: Record<string, unknown> = {}) =>
    scheme.verify({ body, headers, secret: publicKey, now: now * 1000, ...over } as never);

  it('verifies what the private key signed, over the exact bytes', () => {
    expect(verify()).toMatchObject({ ok: true, secretIndex: 0 });
    expect(verify({ body: body.toString('utf8') })).toMatchObject({ ok: true });
  });

  it('refuses a changed body, another key, a bad or missing signature, and fails closed without a key', () => {
    expect(verify({ body: Buffer.concat([body, Buffer.from(' ')]) })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
    const other =
      options.algorithm === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(verify({ secret: pem(other.publicKey, 'spki') })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
    // Rotation: the old key first, the current one second.
    expect(verify({ secret: [pem(other.publicKey, 'spki'), publicKey] })).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verify({ secret: undefined })).toMatchObject({ ok: false, reason: 'no_secret' });
    expect(verify({ secret: 'not a key' })).toMatchObject({ ok: false, reason: 'no_secret' });
    const wrongType = options.algorithm === 'ed25519' ? pem(ec.publicKey, 'spki') : pem(ed.publicKey, 'spki');
    expect(verify({ secret: wrongType })).toMatchObject({ ok: false, reason: 'no_secret' });
    expect(verify({ headers: { ...headers, [options.header]: 'zz!!' } })).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
    expect(verify({ headers: { ...headers, [options.header]: '' } })).toMatchObject({ ok: false });
    const withoutSig = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== options.header));
    expect(verify({ headers: withoutSig })).toMatchObject({ ok: false, reason: 'missing_header' });
  });

  it('never throws for hostile callers', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const input of [undefined, null, 42, revoked.proxy, { body, headers: revoked.proxy, secret: publicKey }]) {
      const result = scheme.verify(input as never);
      expect(result.ok).toBe(false);
    }
    const throwing = {
      get body(): never {
        throw new Error('boom');
      },
      headers,
      secret: publicKey,
    };
    expect(scheme.verify(throwing as never)).toMatchObject({ ok: false, reason: 'invalid_input' });
  });
});

describe.each(shapes.filter((s) => s.options.timestampHeader))(
  'publicKeyScheme with a signed timestamp: $name',
  ({ options, publicKey, privateKey }) => {
    const scheme = publicKeyScheme(options);
    const body = Buffer.from('{"a":1}');
    const now = 1_760_000_000;
    const headers = scheme.sign({ body, secret: privateKey, timestamp: now });
    const verify = (over: Record<string, unknown> = {}) =>
      scheme.verify({ body, headers, secret: publicKey, now: now * 1000, ...over } as never);

    it('checks the signed timestamp both ways, and that it is signed', () => {
      expect(verify({ now: (now + 301) * 1000 })).toMatchObject({ ok: false, reason: 'timestamp_outside_tolerance' });
      expect(verify({ now: (now - 301) * 1000 })).toMatchObject({ ok: false, reason: 'timestamp_outside_tolerance' });
      const moved = { ...headers, [options.timestampHeader!]: String(now + 1) };
      expect(verify({ headers: moved, now: (now + 1) * 1000 })).toMatchObject({
        ok: false,
        reason: 'signature_mismatch',
      });
      expect(verify({ now: 'yesterday' })).toMatchObject({ ok: false, reason: 'invalid_input' });
    });
  },
);

describe('publicKeyScheme interop', () => {
  it('verifies the RFC 8032 Ed25519 test vector 1 (empty message)', () => {
    const scheme = publicKeyScheme({ algorithm: 'ed25519', header: 'sig', encoding: 'hex' });
    const result = scheme.verify({
      body: Buffer.alloc(0),
      headers: {
        sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
      },
      secret: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    });
    expect(result).toMatchObject({ ok: true });
  });

  it('verifies an ECDSA P-256 signature made by WebCrypto (raw r‖s)', async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const body = Buffer.from('{"hello":"world"}');
    const signature = Buffer.from(
      await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, body),
    );
    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', pair.publicKey)).toString('base64');
    const scheme = publicKeyScheme({
      algorithm: 'ecdsa-p256-sha256',
      header: 'sig',
      encoding: 'base64',
      ecdsaEncoding: 'ieee-p1363',
    });
    expect(scheme.verify({ body, headers: { sig: signature.toString('base64') }, secret: spki })).toMatchObject({
      ok: true,
    });
  });

  it('refuses options it cannot honour, naming them', () => {
    expect(() => publicKeyScheme({ algorithm: 'rsa' as never, header: 'x', encoding: 'hex' })).toThrow(/algorithm/);
    expect(() => publicKeyScheme({ algorithm: 'ed25519', header: '', encoding: 'hex' })).toThrow(/header/);
    expect(() =>
      publicKeyScheme({ algorithm: 'ed25519', header: 'x', encoding: 'hex', signed: ['timestamp', 'body'] }),
    ).toThrow(/timestampHeader/);
    expect(() =>
      publicKeyScheme({
        algorithm: 'ed25519',
        header: 'x',
        encoding: 'hex',
        signed: ['timestamp'] as never,
        timestampHeader: 't',
      }),
    ).toThrow(/body/);
  });
});

describe('refreshingKeySet', () => {
  const scheme = publicKeyScheme({ algorithm: 'ed25519', header: 'sig', encoding: 'base64' });
  const first = generateKeyPairSync('ed25519');
  const second = generateKeyPairSync('ed25519');
  const body = Buffer.from('{"n":1}');
  const signedBy = (k: typeof first) => scheme.sign({ body, secret: pem(k.privateKey, 'pkcs8') });

  it('caches the keys, fetches once more when the vendor rotated, and limits refetches', async () => {
    let clock = 0;
    let published = [pem(first.publicKey, 'spki')];
    let fetches = 0;
    const set = refreshingKeySet({
      fetchKeys: async () => (fetches++, published),
      now: () => clock,
      minRefetchIntervalMs: 1000,
    });
    expect(await set.verify(scheme, { body, headers: signedBy(first) })).toMatchObject({ ok: true });
    expect(await set.verify(scheme, { body, headers: signedBy(first) })).toMatchObject({ ok: true });
    expect(fetches).toBe(1);
    published = [pem(second.publicKey, 'spki')];
    clock = 2000;
    expect(await set.verify(scheme, { body, headers: signedBy(second) })).toMatchObject({ ok: true });
    expect(fetches).toBe(2);
    // A forgery right after does not make it fetch again.
    const forged = { sig: Buffer.alloc(64, 1).toString('base64') };
    expect(await set.verify(scheme, { body, headers: forged })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(fetches).toBe(2);
  });

  it('a failing fetch is a no_secret failure naming the cause, never a throw', async () => {
    const set = refreshingKeySet({ fetchKeys: async () => Promise.reject(new Error('vendor down (503)')) });
    expect(await set.verify(scheme, { body, headers: signedBy(first) })).toMatchObject({
      ok: false,
      reason: 'no_secret',
      message: expect.stringContaining('vendor down (503)'),
    });
  });
});
