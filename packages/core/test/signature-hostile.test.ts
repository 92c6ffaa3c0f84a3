import { describe, expect, it } from 'vitest';
import {
  hmacHexScheme,
  standardWebhooksScheme,
  timestampedScheme,
  versionedScheme,
  type SignatureScheme,
  type VerifyFailureReason,
} from '../src/signature/index.js';

// Every scheme, every hostile input: verify returns { ok: false, reason } and never throws.
const schemes: [string, SignatureScheme, string][] = [
  ['prefixed hex', hmacHexScheme({ header: 'X-Parley-Signature', prefix: 'sha256=' }), 'pl_secret'],
  ['plain hex', hmacHexScheme({ header: 'X-ParseFlow-Signature', prefix: '' }), 'pf_secret'],
  ['timestamped', timestampedScheme({ header: 'X-Parlay-Signature' }), 'whsec_parlay'],
  [
    'versioned',
    versionedScheme({ header: 'X-Slack-Signature', timestampHeader: 'X-Slack-Request-Timestamp', version: 'v0' }),
    'slack_signing_secret',
  ],
  ['standard webhooks', standardWebhooksScheme(), `whsec_${Buffer.from('standard webhooks key').toString('base64')}`],
];
const REASONS: VerifyFailureReason[] = [
  'invalid_input',
  'no_secret',
  'invalid_body',
  'missing_header',
  'multiple_headers',
  'malformed_header',
  'timestamp_outside_tolerance',
  'signature_mismatch',
];
const body = '{"hello":"world"}';

function throwingGetters(names: readonly string[]) {
  const h: Record<string, unknown> = {};
  for (const n of names) {
    Object.defineProperty(h, n.toLowerCase(), {
      enumerable: true,
      get() {
        throw new Error(`getter ${n}`);
      },
    });
  }
  return h;
}

describe.each(schemes)('%s — hostile input', (_name, scheme, secret) => {
  const good = scheme.sign({ body, secret });

  function expectFailure(input: unknown, reason?: VerifyFailureReason) {
    let r: ReturnType<SignatureScheme['verify']> | undefined;
    expect(() => {
      r = scheme.verify(input as never);
    }).not.toThrow();
    expect(r?.ok).toBe(false);
    if (r && !r.ok) {
      expect(REASONS).toContain(r.reason);
      expect(r.message.length).toBeGreaterThan(0);
      if (reason) expect(r.reason).toBe(reason);
    }
  }

  it('sanity: the good delivery verifies', () => {
    expect(scheme.verify({ body, headers: good, secret }).ok).toBe(true);
  });

  it('no input object → invalid_input; an empty one → no_secret', () => {
    expectFailure(undefined, 'invalid_input');
    expectFailure(null, 'invalid_input');
    expectFailure('body', 'invalid_input');
    expectFailure({}, 'no_secret');
  });

  it('headers null / undefined / not an object → missing_header', () => {
    for (const headers of [null, undefined, 0, 'x', true, []])
      expectFailure({ body, headers, secret }, 'missing_header');
  });

  it('headers whose getters throw → invalid_input', () => {
    expectFailure({ body, headers: throwingGetters(scheme.headerNames), secret }, 'invalid_input');
    expectFailure(
      {
        body,
        headers: new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
            ownKeys() {
              throw new Error('trap');
            },
          },
        ),
        secret,
      },
      'invalid_input',
    );
    expectFailure(
      {
        body,
        headers: {
          get() {
            throw new Error('fetch-like get');
          },
        },
        secret,
      },
      'invalid_input',
    );
  });

  it('body that is not bytes → invalid_body', () => {
    for (const b of [42, { hello: 'world' }, null, undefined, [1, 2], new Uint16Array(4), new ArrayBuffer(8)]) {
      expectFailure({ body: b, headers: good, secret }, 'invalid_body');
    }
  });

  it('header values of the wrong type', () => {
    for (const v of [12345, 0, true, { a: 1 }, [1, 2], () => 'x']) {
      const headers = Object.fromEntries(scheme.headerNames.map((n) => [n, v]));
      expectFailure({ body, headers, secret });
    }
  });

  it('enormous header values (1 MiB) and many comma/space separated parts', () => {
    const huge = 'v1=' + 'a'.repeat(1 << 20);
    const manyParts = Array.from({ length: 50_000 }, () => `v1=${'b'.repeat(64)}`).join(',');
    const manySigs = Array.from({ length: 50_000 }, () => `v1,${Buffer.alloc(32, 7).toString('base64')}`).join(' ');
    for (const v of [huge, manyParts, manySigs, ','.repeat(100_000), ' '.repeat(100_000) + 'x']) {
      const headers = { ...good, ...Object.fromEntries(scheme.headerNames.slice(-1).map((n) => [n, v])) };
      expectFailure({ body, headers, secret });
    }
  });

  it('control characters and non-ASCII in header values', () => {
    for (const v of [
      '\u0000'.repeat(71),
      'sha256=' + '\u0660'.repeat(64),
      't=１２３,v1=' + 'ａ'.repeat(64),
      '\u{1F600}'.repeat(40),
    ]) {
      const headers = Object.fromEntries(scheme.headerNames.map((n) => [n, v]));
      expectFailure({ body, headers, secret });
    }
  });

  it('secrets that are not usable → no_secret; a secret list that cannot be read → invalid_input', () => {
    for (const s of [[], '', ' ', null, undefined, 7, {}, [null, 3, '']]) {
      expectFailure({ body, headers: good, secret: s }, 'no_secret');
    }
    const throwing = new Proxy([], {
      get() {
        throw new Error('x');
      },
    });
    expectFailure({ body, headers: good, secret: throwing }, 'invalid_input');
  });

  it('prototype-ish header names in the input do not confuse the lookup', () => {
    const headers = JSON.parse('{"__proto__": {"x-parley-signature": "sha256=00"}, "constructor": "x"}');
    expectFailure({ body, headers, secret }, 'missing_header');
  });

  it('sign rejects bad input with a TypeError that names it', () => {
    expect(() => scheme.sign({ body, secret: 42 as never })).toThrow(/secret must be a string, got number/);
    expect(() => scheme.sign({ body, secret: ' \n' })).toThrow(/secret must not be empty/);
    expect(() => scheme.sign({ body: {} as never, secret })).toThrow(/body must be a string, Buffer or Uint8Array/);
    if (scheme.kind === 'hmac-sha256-hex') return; // no timestamp in this scheme
    for (const timestamp of [-1, 1.5, Number.NaN, '1700000000' as never]) {
      expect(() => scheme.sign({ body, secret, timestamp }), String(timestamp)).toThrow(
        /timestamp must be whole unix seconds/,
      );
    }
    // what sign accepts, verify reads back
    const t = 1_700_000_000;
    expect(
      scheme.verify({ body, headers: scheme.sign({ body, secret, timestamp: t }), secret, now: t * 1000 }),
    ).toMatchObject({ ok: true, timestamp: t });
  });
});
