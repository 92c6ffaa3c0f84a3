import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { HEADER_MULTIPLE, HEADER_UNREADABLE } from '../headers.js';
import type { VerifyFailureReason, VerifyInput, VerifyResult } from './types.js';

import { SHA256_BYTES } from './digest-text.js';

export { base64DigestInto, hexDigestInto, SHA256_BYTES } from './digest-text.js';

export type VerifyFailure = Extract<VerifyResult, { ok: false }>;

export function fail(reason: VerifyFailureReason, message: string): VerifyFailure {
  return { ok: false, reason, message };
}

/** The failure for a header lookupHeader did not find a single value for. */
export function headerFailure(lookup: symbol, header: string): VerifyFailure {
  if (lookup === HEADER_MULTIPLE)
    return fail('multiple_headers', `${header} was sent more than once with different values`);
  if (lookup === HEADER_UNREADABLE) {
    return fail(
      'invalid_input',
      `headers could not be read looking up ${header} (a getter, get() or Proxy trap threw)`,
    );
  }
  return fail('missing_header', `${header} header is missing`);
}

/** The message of the failure neverThrowing returns; tests check that no input they know ends there. */
export const UNFORESEEN_FAILURE = 'verify failed on an input it does not know how to read (please report it)';

/**
 * The last line of "verify never throws": every input the schemes know is handled with its
 * own reason before this; anything nobody foresaw still ends as a failure, never a throw and
 * never an accept (an accept is only ever a value the scheme returns).
 */
export function neverThrowing(verify: (input: VerifyInput) => VerifyResult): (input: VerifyInput) => VerifyResult {
  return (input) => {
    try {
      return verify(input);
    } catch {
      return fail('invalid_input', UNFORESEEN_FAILURE);
    }
  };
}

/** What verify reads from its input, each field read exactly once (a getter may answer differently twice). */
export interface InputFields {
  ok?: undefined;
  secret: unknown;
  body: unknown;
  headers: unknown;
  /** Only read for the timestamped schemes (`timed`). */
  now: unknown;
  toleranceSeconds: unknown;
}

/**
 * Reads verify's input object once, never throwing: a value that is not an object, a revoked
 * Proxy or a throwing getter is an `invalid_input` failure. The clock fields are read only
 * for the schemes that use them, so a broken `now` cannot fail a scheme that ignores it.
 */
export function readInput(input: unknown, timed: boolean): InputFields | VerifyFailure {
  if (input === null || typeof input !== 'object') {
    return fail('invalid_input', 'verify needs an input object { body, headers, secret }');
  }
  try {
    const i = input as Record<string, unknown>;
    return {
      secret: i.secret,
      body: i.body,
      headers: i.headers,
      now: timed ? i.now : undefined,
      toleranceSeconds: timed ? i.toleranceSeconds : undefined,
    };
  } catch {
    return fail('invalid_input', 'the verify input could not be read (a getter or Proxy trap threw)');
  }
}

/** The failure for a `secret` the keyring could not read (SECRET_UNREADABLE, TOO_MANY_SECRETS). */
export function secretFailure(keys: symbol): VerifyFailure {
  return keys === TOO_MANY_SECRETS
    ? fail('invalid_input', `secret lists hold at most ${MAX_SECRETS} secrets`)
    : fail('invalid_input', 'secret could not be read (a getter or Proxy trap threw)');
}

/**
 * A secret as configured by a user, ready for HMAC: a KeyObject; `null` when the string is
 * not usable as a key for the scheme (e.g. not base64 for Standard Webhooks); `undefined`
 * when there is no secret at that position (blank string, not a string).
 */
export type PreparedKey = KeyObject | null | undefined;

/** The secrets of one verify call, by the position the caller passed them in. */
export type Keys = readonly PreparedKey[];

const NO_KEYS: Keys = [];
const KEY_CACHE_LIMIT = 64;
/** Rotation needs two or three; the bound keeps a hostile `length` from looping for ever. */
export const MAX_SECRETS = 64;
/** Keyring: reading the secret list threw (a revoked Proxy, a throwing element getter). */
export const SECRET_UNREADABLE: unique symbol = Symbol('secret unreadable');
/** Keyring: the secret list is longer than MAX_SECRETS. */
export const TOO_MANY_SECRETS: unique symbol = Symbol('too many secrets');
export type KeyringResult = Keys | typeof SECRET_UNREADABLE | typeof TOO_MANY_SECRETS;

/**
 * Turns the `secret` option (one string or several, for rotation) into prepared keys, with
 * a bounded cache: receivers verify with the same few secrets over and over, and preparing
 * a KeyObject per call measured ~10–15 % of a 1 KiB verify (bench/verify.bench.mjs).
 * Surrounding whitespace is removed because pasted secrets often carry a newline or space,
 * and no vendor generates secrets that start or end with whitespace. Never throws: a list
 * that cannot be read (revoked Proxy, throwing element getter) is SECRET_UNREADABLE as a
 * whole — no secret of a broken list is used. Lists are read by index up to MAX_SECRETS,
 * never through their iterator. The cache is cleared when full, so a caller passing ever-new
 * secrets cannot grow it; it holds nothing the caller's configuration does not.
 */
export function createKeyring(prepare: (trimmed: string) => KeyObject | null): (secret: unknown) => KeyringResult {
  const byRaw = new Map<string, PreparedKey>();
  const single = new Map<string, Keys>();
  function keyFor(raw: unknown): PreparedKey {
    if (typeof raw !== 'string') return undefined;
    let key = byRaw.get(raw);
    if (key === undefined && !byRaw.has(raw)) {
      const trimmed = raw.trim();
      key = trimmed === '' ? undefined : prepare(trimmed);
      if (byRaw.size >= KEY_CACHE_LIMIT) byRaw.clear();
      byRaw.set(raw, key);
    }
    return key;
  }
  return (secret) => {
    if (typeof secret === 'string') {
      let keys = single.get(secret);
      if (keys === undefined) {
        keys = [keyFor(secret)];
        if (single.size >= KEY_CACHE_LIMIT) single.clear();
        single.set(secret, keys);
      }
      return keys;
    }
    try {
      if (!Array.isArray(secret)) return NO_KEYS;
      const list = secret as unknown[];
      const n = list.length;
      if (!(n <= MAX_SECRETS)) return TOO_MANY_SECRETS;
      const keys: PreparedKey[] = [];
      for (let i = 0; i < n; i++) keys.push(keyFor(list[i]));
      return keys;
    } catch {
      return SECRET_UNREADABLE;
    }
  };
}

/** Whether any position holds a usable key. */
export function hasUsableKey(keys: Keys): boolean {
  for (let i = 0; i < keys.length; i++) if (keys[i]) return true;
  return false;
}

/** Whether any position holds a secret at all (usable or not), for the failure message. */
export function hasAnySecret(keys: Keys): boolean {
  for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) return true;
  return false;
}

/** Keys for schemes that use the whole secret string as UTF-8 (hex and timestamped). */
export const utf8Keys = createKeyring((trimmed) => createSecretKey(Buffer.from(trimmed, 'utf8')));

/** HMAC-SHA256 over `prefix` followed by `body`, without concatenating (no body copy). */
export function hmacSha256(key: KeyObject | Buffer | string, body: Uint8Array, prefix?: string): Buffer {
  const h = createHmac('sha256', key);
  if (prefix !== undefined) h.update(prefix, 'utf8');
  return h.update(body).digest();
}

/** Decodes `text[start, end)` into `out`; false when it is not a well-formed digest. */
export type DigestDecoder = (text: string, start: number, end: number, out: Uint8Array) => boolean;

// The digest a header claims, decoded into one reused buffer. A Buffer (off-heap) and not a
// fresh small Uint8Array: V8 keeps those on its heap and must move them before native code
// (timingSafeEqual) can read them, which cost more than the parsing. Reusing it is safe:
// verify is synchronous, and only claimDigest writes it.
const claimed = Buffer.alloc(SHA256_BYTES);

/**
 * Decodes `text[start, end)` as the claimed digest; false when it is not well-formed.
 * The decoded digest stays current until the next claimDigest call.
 */
export function claimDigest(decode: DigestDecoder, text: string, start: number, end: number): boolean {
  return decode(text, start, end, claimed);
}

/** Constant-time: does the digest of the last successful claimDigest equal `expected`? */
export function claimedDigestEquals(expected: Buffer): boolean {
  return expected.length === SHA256_BYTES && timingSafeEqual(expected, claimed);
}

/** Constant-time: does the digest written in `text[start, end)` equal `expected`? */
export function digestMatches(
  expected: Buffer,
  decode: DigestDecoder,
  text: string,
  start: number,
  end: number,
): boolean {
  return claimDigest(decode, text, start, end) && claimedDigestEquals(expected);
}

/** 1 to 12 ASCII digits: unix seconds, far beyond year 9999, no sign, no fraction. */
export function isUnixSeconds(value: string): boolean {
  if (value.length === 0 || value.length > 12) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** The trimmed secret sign() keys with; throws a TypeError naming the problem. */
export function signingSecret(secret: unknown): string {
  if (typeof secret !== 'string') throw new TypeError(`secret must be a string, got ${typeof secret}`);
  const trimmed = secret.trim();
  if (trimmed === '') throw new TypeError('secret must not be empty');
  return trimmed;
}

/** The unix seconds sign() writes (default: now); throws unless verify() could read them back. */
export function signingTimestamp(timestamp: unknown): string {
  if (timestamp === undefined) return String(Math.floor(Date.now() / 1000));
  const t = typeof timestamp === 'number' && Number.isInteger(timestamp) ? String(timestamp) : '';
  if (!isUnixSeconds(t))
    throw new TypeError(`timestamp must be whole unix seconds (0 or more), got ${String(timestamp)}`);
  return t;
}

const dateGetTime = Date.prototype.getTime; // the engine's own: a Date's own `getTime` property is never called

/**
 * Epoch milliseconds from a `now` option: `undefined` or `null` → the clock; a finite number
 * → itself; a real Date (checked by its internal slot, so no Proxy or look-alike) → its
 * time. NaN for anything else, an Invalid Date included: the caller's clock is broken, and
 * falling back to the real one would hide it.
 */
export function clockMs(now: unknown): number {
  if (now === undefined || now === null) return Date.now();
  if (typeof now === 'number') return Number.isFinite(now) ? now : Number.NaN;
  return dateValueOf(now);
}

/** A real Date's time: `getTime` checks the internal slot and throws for anything else (a Proxy too). */
function dateValueOf(value: unknown): number {
  try {
    return dateGetTime.call(value);
  } catch {
    return Number.NaN;
  }
}

/**
 * Tolerance in seconds from a `toleranceSeconds` option (`undefined`/`null` → `fallback`);
 * NaN unless it is a number, finite and ≥ 0. Nothing is converted (no valueOf, no BigInt,
 * no string): a tolerance the caller did not write as seconds fails closed. Infinity would
 * switch replay protection off; to check an old delivery, pass its time as `now`.
 */
export function toleranceOf(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY ? value : Number.NaN;
}

/** The failure for a clockMs/toleranceOf that came back NaN, or undefined when both are usable. */
export function timeInputFailure(nowMs: number, tolerance: number): VerifyFailure | undefined {
  if (Number.isNaN(nowMs)) return fail('invalid_input', 'now must be a valid Date or finite epoch milliseconds');
  if (Number.isNaN(tolerance)) return fail('invalid_input', 'toleranceSeconds must be a finite number of seconds ≥ 0');
  return undefined;
}

/** Scheme option `toleranceSeconds`: the default tolerance; throws a TypeError naming the problem. */
export function schemeTolerance(value: unknown): number {
  const tolerance = toleranceOf(value, 300);
  if (Number.isNaN(tolerance))
    throw new TypeError(`toleranceSeconds must be a finite number ≥ 0, got ${describe(value)}`);
  return tolerance;
}

/** A short description of a caller's value for an error message; never runs the value's code. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  return typeof value;
}

/**
 * Reads a scheme's options object once, never running more of the caller's code than its
 * getters; throws a TypeError naming the problem (a revoked Proxy included).
 */
export function readOptions<K extends string>(
  scheme: string,
  options: unknown,
  keys: readonly K[],
): Record<K, unknown> {
  if (options === undefined) return {} as Record<K, unknown>;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${scheme}: options must be an object, got ${describe(options)}`);
  }
  const out = {} as Record<K, unknown>;
  try {
    for (const k of keys) out[k] = (options as Record<K, unknown>)[k];
  } catch {
    throw new TypeError(`${scheme}: options could not be read (a getter or Proxy trap threw)`);
  }
  return out;
}

/** A header-name option: a non-blank string. */
export function headerOption(scheme: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${scheme}: header must be a header name, got ${describe(value)}`);
  }
  return value;
}
