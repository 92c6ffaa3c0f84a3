import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hmacHexScheme,
  standardWebhooksScheme,
  timestampedScheme,
  versionedScheme,
  type SignatureScheme,
  type VerifyFailureReason,
  type VerifyResult,
} from '../src/signature/index.js';
import { UNFORESEEN_FAILURE } from '../src/signature/shared.js';

// Property tests for hostile or broken *callers* (not network input): every input below must
// come back as { ok: false, reason, message } with the reason chosen for its category, never a
// throw and never an accept — and never the catch-all of neverThrowing, which would mean the
// category is not handled on purpose. Seeded, so a failure reproduces.
const T = 1_700_000_000;
const NOW = T * 1000;
const runs = { numRuns: 120, seed: 20261124 };
const WRONG = `whsec_${Buffer.from('wrong').toString('base64')}`; // usable by every scheme, signs nothing here

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

function revoked<T extends object>(target: T): T {
  const r = Proxy.revocable(target, {});
  r.revoke();
  return r.proxy;
}

/** A Proxy over `target` whose every trap throws. */
function throwingProxy<T extends object>(target: T): T {
  const boom = () => {
    throw new Error('trap');
  };
  return new Proxy(target, {
    get: boom,
    has: boom,
    ownKeys: boom,
    getOwnPropertyDescriptor: boom,
    getPrototypeOf: boom,
  });
}

/** A copy of `bytes` in its own ArrayBuffer, then detached (transferred away). */
function detached(bytes: Uint8Array): Uint8Array {
  const view = Uint8Array.from(bytes); // not a pooled Buffer: detaching the pool would break other Buffers
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

function withThrowingGetter<T extends object>(target: T, key: PropertyKey): T {
  return Object.defineProperty(target, key, {
    enumerable: true,
    get() {
      throw new Error(`getter ${String(key)}`);
    },
  });
}

/** Calls verify, asserting it does not throw and that a failure is well-formed. */
function run(scheme: SignatureScheme, input: unknown): VerifyResult {
  let r: VerifyResult | undefined;
  expect(() => {
    r = scheme.verify(input as never);
  }).not.toThrow();
  if (r && !r.ok) {
    expect(REASONS).toContain(r.reason);
    expect(r.message.length).toBeGreaterThan(0);
    expect(r.message).not.toBe(UNFORESEEN_FAILURE);
  }
  return r!;
}

function expectReason(scheme: SignatureScheme, input: unknown, reason: VerifyFailureReason) {
  const r = run(scheme, input);
  expect(r).toMatchObject({ ok: false, reason });
}

const bodies = fc.uint8Array({ minLength: 0, maxLength: 512 });

describe.each(schemes)('%s — hostile callers', (_name, scheme, secret) => {
  const timed = scheme.kind !== 'hmac-sha256-hex';
  const signed = (body: Uint8Array) => scheme.sign({ body, secret, timestamp: T, id: 'msg_caller' });
  const good = (body: Uint8Array) => ({ body, headers: signed(body), secret, now: NOW });

  it('sanity: the genuine delivery verifies', () => {
    fc.assert(
      fc.property(bodies, (b) => {
        expect(run(scheme, good(b)).ok).toBe(true);
      }),
      runs,
    );
  });

  describe('the input object → invalid_input', () => {
    it('not an object at all', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.bigInt(), fc.constant(null), fc.constant(undefined)),
          (input) => expectReason(scheme, input, 'invalid_input'),
        ),
        runs,
      );
      expectReason(scheme, Symbol('input'), 'invalid_input');
      expectReason(scheme, () => good(new Uint8Array(1)), 'invalid_input');
    });

    it('a revoked Proxy, a Proxy whose traps throw', () => {
      fc.assert(
        fc.property(bodies, (b) => {
          expectReason(scheme, revoked(good(b)), 'invalid_input');
          expectReason(scheme, throwingProxy(good(b)), 'invalid_input');
        }),
        runs,
      );
    });

    it('a getter that throws on any field it reads; the clock fields are read only by timestamped schemes', () => {
      fc.assert(
        fc.property(bodies, fc.constantFrom('secret', 'body', 'headers', 'now', 'toleranceSeconds'), (b, field) => {
          const input = withThrowingGetter(good(b) as Record<string, unknown>, field);
          if (field === 'now' || field === 'toleranceSeconds') {
            const r = run(scheme, input);
            if (timed) expect(r).toMatchObject({ ok: false, reason: 'invalid_input' });
            else expect(r.ok).toBe(true); // hex schemes never read the clock fields
          } else {
            expectReason(scheme, input, 'invalid_input');
          }
        }),
        runs,
      );
    });
  });

  describe('the secret', () => {
    it('a revoked Proxy or a throwing Proxy list → invalid_input', () => {
      fc.assert(
        fc.property(bodies, (b) => {
          expectReason(scheme, { ...good(b), secret: revoked([secret]) }, 'invalid_input');
          expectReason(scheme, { ...good(b), secret: throwingProxy([secret]) }, 'invalid_input');
        }),
        runs,
      );
    });

    it('a list with a throwing element anywhere → invalid_input, even when another element is right', () => {
      fc.assert(
        fc.property(bodies, fc.integer({ min: 2, max: 8 }), fc.nat(), fc.nat(), (b, length, at, bad) => {
          const list: unknown[] = Array.from({ length }, () => WRONG);
          list[at % length] = secret;
          const badAt = (at + 1 + (bad % (length - 1))) % length; // any other position
          withThrowingGetter(list, String(badAt));
          expectReason(scheme, { ...good(b), secret: list }, 'invalid_input');
        }),
        runs,
      );
    });

    it('holes are "no secret here": the right secret at any position still verifies, with its index', () => {
      fc.assert(
        fc.property(bodies, fc.integer({ min: 1, max: 20 }), fc.nat(), (b, length, at) => {
          const list: string[] = new Array(length); // all holes
          list[at % length] = secret;
          expect(run(scheme, { ...good(b), secret: list })).toMatchObject({ ok: true, secretIndex: at % length });
          expectReason(scheme, { ...good(b), secret: new Array(length) }, 'no_secret');
        }),
        runs,
      );
    });

    it('more than 64 secrets, or a lying length → invalid_input; read by index, never by iterator', () => {
      const many = Array.from({ length: 65 }, () => secret);
      expectReason(scheme, { ...good(new Uint8Array(3)), secret: many }, 'invalid_input');
      expectReason(scheme, { ...good(new Uint8Array(3)), secret: new Array(2 ** 32 - 1) }, 'invalid_input');
      const lying = new Proxy([secret], { get: (t, k) => (k === 'length' ? 'many' : Reflect.get(t, k)) });
      expectReason(scheme, { ...good(new Uint8Array(3)), secret: lying }, 'invalid_input');
      const endless = [WRONG];
      endless[Symbol.iterator] = function* () {
        for (;;) yield secret;
      };
      expectReason(scheme, { ...good(new Uint8Array(3)), secret: endless }, 'signature_mismatch');
    });
  });

  describe('the body', () => {
    it('a revoked Proxy, a Proxy around real bytes, a look-alike → invalid_body', () => {
      fc.assert(
        fc.property(bodies, (b) => {
          const buf = Buffer.from(b);
          for (const body of [
            revoked(buf),
            revoked(new Uint8Array(b)),
            new Proxy(buf, {}),
            throwingProxy(new Uint8Array(b)),
            Object.create(Buffer.prototype),
            Object.setPrototypeOf({ length: b.length, buffer: b.buffer }, Uint8Array.prototype),
          ]) {
            const r = run(scheme, { ...good(b), body });
            expect(r).toMatchObject({ ok: false, reason: 'invalid_body' });
          }
        }),
        runs,
      );
    });

    it('a Uint8Array whose ArrayBuffer was detached → invalid_body naming it, even when the empty body is signed', () => {
      fc.assert(
        fc.property(bodies, (b) => {
          const gone = detached(b);
          expect(gone.length).toBe(0);
          const r = run(scheme, { ...good(b), body: gone });
          expect(r).toMatchObject({ ok: false, reason: 'invalid_body' });
          expect(!r.ok && r.message).toMatch(/detached/);
          // the bytes it reads as (none) are exactly what is signed here: still refused
          expectReason(scheme, { ...good(new Uint8Array(0)), body: detached(b) }, 'invalid_body');
        }),
        runs,
      );
      // a genuinely empty body is a body
      expect(run(scheme, good(new Uint8Array(0))).ok).toBe(true);
    });

    it("own properties that lie about a real Buffer's memory change nothing: its real bytes are verified", () => {
      fc.assert(
        fc.property(
          bodies.filter((b) => b.length > 0),
          (b) => {
            const body = Buffer.from(b);
            const other = Buffer.from(b.map((x) => x ^ 0xff));
            for (const [k, v] of [
              ['buffer', other.buffer],
              ['byteOffset', other.byteOffset],
              ['byteLength', 0],
              ['length', 0],
            ] as const) {
              Object.defineProperty(body, k, { value: v });
            }
            withThrowingGetter(body, 'toString');
            expect(run(scheme, { ...good(b), body }).ok).toBe(true);
            expectReason(scheme, { ...good(other), body }, 'signature_mismatch');
          },
        ),
        runs,
      );
    });
  });

  describe('the headers → invalid_input when they cannot be read', () => {
    it('a revoked Proxy, a Proxy whose traps throw, a throwing getter on the header, a throwing get()', () => {
      fc.assert(
        fc.property(bodies, fc.constantFrom(...scheme.headerNames), fc.boolean(), (b, name, upper) => {
          const headers = signed(b);
          const key = upper ? name.toUpperCase() : name.toLowerCase();
          const { [name]: _signature, ...rest } = headers;
          const getter = withThrowingGetter(rest, key); // the only spelling of the header: the lookup must read it
          for (const h of [
            revoked(headers),
            throwingProxy(headers),
            getter,
            {
              get() {
                throw new Error('get');
              },
            },
          ]) {
            expectReason(scheme, { ...good(b), headers: h }, 'invalid_input');
          }
        }),
        runs,
      );
    });

    it('a value list that throws or is longer than 64 → invalid_input', () => {
      fc.assert(
        fc.property(bodies, fc.integer({ min: 65, max: 2 ** 32 - 1 }), (b, length) => {
          const headers = signed(b);
          const name = scheme.headerNames[scheme.headerNames.length - 1]!;
          const value = headers[name]!;
          expectReason(
            scheme,
            { ...good(b), headers: { ...headers, [name]: throwingProxy([value]) } },
            'invalid_input',
          );
          expectReason(scheme, { ...good(b), headers: { ...headers, [name]: new Array(length) } }, 'invalid_input');
          // a short list of one repeated value is that value
          expect(run(scheme, { ...good(b), headers: { ...headers, [name]: [value, value] } }).ok).toBe(true);
        }),
        runs,
      );
    });
  });

  // the hex schemes never read these fields (checked above)
  if (timed)
    describe('now and toleranceSeconds (timestamped schemes)', () => {
      /** The contract for a `now` that is not a Date (fc.anything makes none): finite epoch ms, or the clock. */
      function nowOf(now: unknown): number | 'invalid' | 'clock' {
        if (now === undefined || now === null) return 'clock';
        if (typeof now === 'number' && Number.isFinite(now)) return now;
        return 'invalid';
      }

      it('any value as now: ok exactly when it is finite epoch ms within tolerance; otherwise the right reason', () => {
        fc.assert(
          fc.property(
            bodies,
            fc.oneof(
              fc.anything(),
              fc.double(),
              fc.integer({ min: NOW - 400_000, max: NOW + 400_000 }),
              fc.constantFrom(Number.NaN, Infinity, -Infinity, 10n ** 13n, '1700000000000', Symbol('now')),
            ),
            (b, now) => {
              const r = run(scheme, { ...good(b), now });
              const ms = nowOf(now);
              if (ms === 'invalid') expect(r).toMatchObject({ ok: false, reason: 'invalid_input' });
              else if (ms === 'clock') expect(r).toMatchObject({ ok: false, reason: 'timestamp_outside_tolerance' });
              else expect(r.ok).toBe(Math.abs(ms / 1000 - T) <= 300);
            },
          ),
          runs,
        );
      });

      it('Dates: a real one by its internal time (its own getTime is never called); Invalid Date, proxies, look-alikes → invalid_input', () => {
        fc.assert(
          fc.property(bodies, fc.integer({ min: -400, max: 400 }), (b, offset) => {
            const real = new Date(NOW + offset * 1000);
            withThrowingGetter(real, 'getTime');
            Object.defineProperty(real, 'valueOf', { value: () => 0 });
            expect(run(scheme, { ...good(b), now: real }).ok).toBe(Math.abs(offset) <= 300);
            for (const now of [
              new Date(Number.NaN),
              revoked(new Date(NOW)),
              new Proxy(new Date(NOW), {}),
              throwingProxy(new Date(NOW)),
              Object.create(Date.prototype),
              { getTime: () => NOW },
            ]) {
              expectReason(scheme, { ...good(b), now }, 'invalid_input');
            }
          }),
          runs,
        );
      });

      it('any value as toleranceSeconds: only a finite number ≥ 0 is a tolerance, nothing is converted', () => {
        const valueOfThrows = {
          valueOf() {
            throw new Error('valueOf');
          },
        };
        fc.assert(
          fc.property(
            bodies,
            fc.integer({ min: 0, max: 1000 }),
            fc.oneof(
              fc.anything(),
              fc.double(),
              fc.constantFrom(
                Symbol('t'),
                valueOfThrows,
                { valueOf: () => 600 },
                600n,
                '600',
                Number.NaN,
                -1,
                Infinity,
              ),
            ),
            (b, skew, toleranceSeconds) => {
              const r = run(scheme, { ...good(b), now: NOW + skew * 1000, toleranceSeconds });
              if (toleranceSeconds === undefined || toleranceSeconds === null) {
                expect(r.ok).toBe(skew <= 300);
              } else if (
                typeof toleranceSeconds !== 'number' ||
                !(toleranceSeconds >= 0) ||
                toleranceSeconds === Infinity
              ) {
                expect(r).toMatchObject({ ok: false, reason: 'invalid_input' });
              } else {
                expect(r.ok).toBe(skew <= toleranceSeconds);
              }
            },
          ),
          runs,
        );
      });
    });
});

describe('scheme options: a clear TypeError at construction, never a broken verifier', () => {
  it.each([
    ['hmacHexScheme', (o: unknown) => hmacHexScheme(o as never)],
    ['timestampedScheme', (o: unknown) => timestampedScheme(o as never)],
  ])('%s', (name, make) => {
    expect(() => make(revoked({ header: 'X-Sig', prefix: '' }))).toThrow(
      new RegExp(`${name}: options could not be read`),
    );
    expect(() => make(null)).toThrow(new RegExp(`${name}: options must be an object`));
    expect(() => make({ header: 42, prefix: '' })).toThrow(new RegExp(`${name}: header must be a header name`));
    expect(() => make({ header: ' ', prefix: '' })).toThrow(/header must be a header name/);
  });

  it('prefix must be a string; tolerance a finite number ≥ 0', () => {
    expect(() => hmacHexScheme({ header: 'X-Sig' } as never)).toThrow(/prefix must be a string/);
    for (const toleranceSeconds of [-1, Number.NaN, Infinity, '300', 300n, { valueOf: () => 300 }]) {
      expect(() => timestampedScheme({ header: 'X-Sig', toleranceSeconds } as never)).toThrow(
        /toleranceSeconds must be a finite number ≥ 0/,
      );
      expect(() => standardWebhooksScheme({ toleranceSeconds } as never)).toThrow(
        /toleranceSeconds must be a finite number ≥ 0/,
      );
    }
    expect(() => standardWebhooksScheme(revoked({}))).toThrow(/standardWebhooksScheme: options could not be read/);
    expect(timestampedScheme({ header: 'X-Sig', toleranceSeconds: 0 }).kind).toBe('timestamped-hmac-sha256');
  });
});
