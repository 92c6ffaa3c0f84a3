import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { HEADER_MULTIPLE } from '../headers.js';
import type { VerifyFailureReason, VerifyResult } from './types.js';

import { SHA256_BYTES } from './digest-text.js';

export { base64DigestInto, hexDigestInto, SHA256_BYTES } from './digest-text.js';

export function fail(reason: VerifyFailureReason, message: string): VerifyResult {
  return { ok: false, reason, message };
}

/** The failure for a header lookupHeader did not find a single value for. */
export function headerFailure(lookup: symbol, header: string): VerifyResult {
  return lookup === HEADER_MULTIPLE
    ? fail('multiple_headers', `${header} was sent more than once with different values`)
    : fail('missing_header', `${header} header is missing`);
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

/**
 * Turns the `secret` option (one string or several, for rotation) into prepared keys, with
 * a bounded cache: receivers verify with the same few secrets over and over, and preparing
 * a KeyObject per call measured ~10–15 % of a 1 KiB verify (bench/verify.bench.mjs).
 * Surrounding whitespace is removed because pasted secrets often carry a newline or space,
 * and no vendor generates secrets that start or end with whitespace. Never throws: a hostile
 * `secret` (proxy, getters) counts as no secret. The cache is cleared when full, so a caller
 * passing ever-new secrets cannot grow it; it holds nothing the caller's configuration
 * does not.
 */
export function createKeyring(prepare: (trimmed: string) => KeyObject | null): (secret: unknown) => Keys {
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
    if (!Array.isArray(secret)) return NO_KEYS;
    try {
      return Array.from(secret as unknown[], keyFor);
    } catch {
      return NO_KEYS;
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
export function hmacSha256(key: KeyObject | Buffer | string, body: Buffer, prefix?: string): Buffer {
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

/** Epoch milliseconds from a `now` option. */
export function nowMs(now: Date | number | undefined): number {
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  return Date.now();
}
