import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hmacHexScheme,
  standardWebhooksScheme,
  timestampedScheme,
  versionedScheme,
  type SignatureScheme,
} from '../src/signature/index.js';

// Property tests: for any body bytes and any usable secret, sign → verify is ok, and flipping
// any single byte of the body makes it a signature_mismatch. Seeded, so a failure reproduces.
const T = 1_700_000_000;
const now = T * 1000;
const runs = { numRuns: 150, seed: 20261123 };

/** Secrets a user could paste: printable, not blank after trimming. */
const utf8Secret = fc.string({ minLength: 1, maxLength: 64, unit: 'binary' }).filter((s) => s.trim() !== '');
const standardSecret = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((k) => `whsec_${Buffer.from(k).toString('base64')}`);
const bodyBytes = fc.uint8Array({ minLength: 0, maxLength: 2048 });

const cases: [string, SignatureScheme, fc.Arbitrary<string>][] = [
  ['prefixed hex', hmacHexScheme({ header: 'X-Sig', prefix: 'sha256=' }), utf8Secret],
  ['plain hex', hmacHexScheme({ header: 'X-Sig', prefix: '' }), utf8Secret],
  ['timestamped', timestampedScheme({ header: 'X-Sig' }), utf8Secret],
  ['versioned', versionedScheme({ header: 'X-Sig', timestampHeader: 'X-Sig-Timestamp', version: 'v0' }), utf8Secret],
  ['standard webhooks', standardWebhooksScheme(), standardSecret],
];

describe.each(cases)('%s — properties', (_name, scheme, secrets) => {
  it('sign → verify is ok, for Buffer, Uint8Array and (for valid UTF-8) string bodies', () => {
    fc.assert(
      fc.property(bodyBytes, secrets, (bytes, secret) => {
        const body = Buffer.from(bytes);
        const headers = scheme.sign({ body, secret, timestamp: T, id: 'msg_prop' });
        expect(scheme.verify({ body, headers, secret, now })).toMatchObject({ ok: true, secretIndex: 0 });
        expect(scheme.verify({ body: bytes, headers, secret, now }).ok).toBe(true);
        const text = body.toString('utf8');
        // a string body verifies exactly when it encodes back to the same bytes
        expect(scheme.verify({ body: text, headers, secret, now }).ok).toBe(Buffer.from(text, 'utf8').equals(body));
      }),
      runs,
    );
  });

  it('any single-byte change of the body → signature_mismatch', () => {
    fc.assert(
      fc.property(
        bodyBytes.filter((b) => b.length > 0),
        secrets,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, secret, position, delta) => {
          const body = Buffer.from(bytes);
          const headers = scheme.sign({ body, secret, timestamp: T, id: 'msg_prop' });
          const tampered = Buffer.from(body);
          const i = position % tampered.length;
          tampered[i] = (tampered[i]! + delta) & 0xff;
          expect(scheme.verify({ body: tampered, headers, secret, now })).toMatchObject({
            ok: false,
            reason: 'signature_mismatch',
          });
        },
      ),
      runs,
    );
  });

  it('a different secret → signature_mismatch', () => {
    fc.assert(
      fc.property(bodyBytes, secrets, secrets, (bytes, a, b) => {
        fc.pre(a.trim() !== b.trim());
        const headers = scheme.sign({ body: bytes, secret: a, timestamp: T, id: 'msg_prop' });
        const r = scheme.verify({ body: bytes, headers, secret: b, now });
        expect(r).toMatchObject({ ok: false, reason: 'signature_mismatch' });
      }),
      runs,
    );
  });

  it('arbitrary header values never throw and never verify', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200, unit: 'grapheme-composite' }),
        fc.string({ maxLength: 200 }),
        (v1, v2) => {
          const headers = Object.fromEntries(scheme.headerNames.map((n, i) => [n, i % 2 ? v1 : v2]));
          const r = scheme.verify({ body: 'x', headers, secret: 'whsec_c2VjcmV0', now });
          expect(r.ok).toBe(false);
        },
      ),
      runs,
    );
  });
});

describe('hex digests in headers: case and exact length', () => {
  const scheme = hmacHexScheme({ header: 'X-Sig', prefix: 'sha256=' });
  it('any mix of upper/lower case hex verifies; one character more or less does not', () => {
    fc.assert(
      fc.property(
        bodyBytes,
        utf8Secret,
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        (bytes, secret, upper) => {
          const hex = createHmac('sha256', secret.trim()).update(bytes).digest('hex');
          const mixed = [...hex].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
          expect(scheme.verify({ body: bytes, headers: { 'x-sig': `sha256=${mixed}` }, secret }).ok).toBe(true);
          expect(scheme.verify({ body: bytes, headers: { 'x-sig': `sha256=${mixed}0` }, secret }).ok).toBe(false);
          expect(scheme.verify({ body: bytes, headers: { 'x-sig': `sha256=${mixed.slice(1)}` }, secret }).ok).toBe(
            false,
          );
        },
      ),
      runs,
    );
  });
});
