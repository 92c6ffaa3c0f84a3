import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  publicKeyScheme,
  refreshingKeySet,
  type PublicKeyAlgorithm,
  type VerifyInput,
} from '../src/signature/index.js';

// Property tests of public-key verification: sign → verify holds for any body, any single-byte
// change is a mismatch, and no input whatsoever makes verify (or a refreshing key set) throw.
const T = 1_700_000_000;
const now = T * 1000;
const runs = { numRuns: 60, seed: 20261203 };
const REASONS = [
  'invalid_input',
  'no_secret',
  'invalid_body',
  'missing_header',
  'multiple_headers',
  'malformed_header',
  'timestamp_outside_tolerance',
  'signature_mismatch',
];

const schemes: [string, PublicKeyAlgorithm, ReturnType<typeof publicKeyScheme>][] = [
  [
    'ECDSA P-256 over timestamp + body (DER, base64)',
    'ecdsa-p256-sha256',
    publicKeyScheme({
      algorithm: 'ecdsa-p256-sha256',
      header: 'X-Twilio-Email-Event-Webhook-Signature',
      encoding: 'base64',
      timestampHeader: 'X-Twilio-Email-Event-Webhook-Timestamp',
    }),
  ],
  [
    'Ed25519 over timestamp + body (hex)',
    'ed25519',
    publicKeyScheme({
      algorithm: 'ed25519',
      header: 'X-Signature-Ed25519',
      encoding: 'hex',
      timestampHeader: 'X-Signature-Timestamp',
    }),
  ],
];

const bodyBytes = fc.uint8Array({ minLength: 0, maxLength: 1024 });
/** Anything a caller or an attacker could put where a value is expected. */
const hostile = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.base64String(),
  fc.stringMatching(/^[0-9a-f]{0,140}$/),
  fc.array(fc.oneof(fc.string(), fc.base64String(), fc.constant(null))),
  fc.constant(
    new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    ),
  ),
);

describe.each(schemes)('%s — properties', (_name, algorithm, scheme) => {
  const pair = generateSigningKeyPair(algorithm);

  it('sign → verify is ok; any single-byte change of the body is a signature_mismatch', () => {
    fc.assert(
      fc.property(bodyBytes, fc.nat(), (bytes, at) => {
        const body = Buffer.from(bytes);
        const headers = scheme.sign({ body, secret: pair.privateKey, timestamp: T });
        // Node hands headers over lower-cased: the scheme's mixed-case names must still be found.
        const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
        expect(scheme.verify({ body, headers: lower, secret: pair.publicKey, now })).toMatchObject({ ok: true });
        if (body.length === 0) return;
        const changed = Buffer.from(body);
        changed[at % body.length] = changed[at % body.length]! ^ 0x01;
        expect(scheme.verify({ body: changed, headers, secret: pair.publicKey, now })).toMatchObject({
          ok: false,
          reason: 'signature_mismatch',
        });
      }),
      runs,
    );
  });

  it('never throws, whatever the body, headers, key, clock or tolerance; refusals carry a known reason', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, (body, headers, secret, clock, tolerance) => {
        const input = { body, headers, secret, now: clock, toleranceSeconds: tolerance } as unknown as VerifyInput;
        let result;
        expect(() => (result = scheme.verify(input))).not.toThrow();
        expect(result).toBeDefined();
        if (!result!.ok) {
          expect(REASONS).toContain(result!.reason);
          expect(typeof result!.message).toBe('string');
        }
      }),
      { ...runs, numRuns: 300 },
    );
  });

  it('forged signature headers of any form never verify', () => {
    const body = Buffer.from('[{"event":"open","sg_event_id":"e1","timestamp":1}]');
    const names = scheme.headerNames;
    fc.assert(
      fc.property(fc.oneof(fc.base64String(), fc.stringMatching(/^[0-9a-f]{0,140}$/), fc.string()), (forged) => {
        const headers = { [names[0]!]: forged, [names[1]!]: String(T) };
        expect(scheme.verify({ body, headers, secret: pair.publicKey, now }).ok).toBe(false);
      }),
      runs,
    );
  });

  it('a refreshing key set never rejects: hostile input, a throwing or junk-answering fetch', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, fc.constantFrom('throw', 'junk', 'good'), async (body, headers, fetchKind) => {
        const set = refreshingKeySet({
          fetchKeys: async () => {
            if (fetchKind === 'throw') throw new Error('vendor down');
            return (fetchKind === 'junk' ? [42] : [pair.publicKey]) as string[];
          },
        });
        const result = await set.verify(scheme, { body, headers } as unknown as Omit<VerifyInput, 'secret'>);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(REASONS).toContain(result.reason);
      }),
      { ...runs, numRuns: 100 },
    );
  });
});
