import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { VerifyFailureReason, VerifyResult } from './types.js';

export { decodeBase64Digest, decodeHexDigest, SHA256_BYTES } from './digest-text.js';

export function fail(reason: VerifyFailureReason, message: string): VerifyResult {
  return { ok: false, reason, message };
}

/**
 * Secrets as configured by a user: one or several (rotation). Surrounding whitespace is
 * removed because pasted secrets often carry a newline or space, and no vendor generates
 * secrets that start or end with whitespace. Empty entries are dropped; none left → [].
 */
export function normalizeSecrets(secret: unknown): string[] {
  if (typeof secret === 'string') {
    const s = secret.trim();
    return s === '' ? [] : [s];
  }
  if (!Array.isArray(secret)) return [];
  const out: string[] = [];
  for (const s of secret) {
    if (typeof s !== 'string') continue;
    const t = s.trim();
    if (t !== '') out.push(t);
  }
  return out;
}

/**
 * Prepared HMAC keys by secret string. Building the key from a string on every call costs
 * about as much as hashing a 1 KiB body (measured: bench/verify.bench.mjs); receivers verify
 * with the same few secrets over and over. Bounded: cleared when full, so a caller passing
 * ever-new secrets cannot grow it. Holds nothing the caller's configuration does not.
 */
const KEY_CACHE_LIMIT = 64;
const utf8Keys = new Map<string, KeyObject>();

/** KeyObject for a secret used whole as UTF-8 (hex and timestamped schemes). */
export function utf8Key(secret: string): KeyObject {
  let key = utf8Keys.get(secret);
  if (key === undefined) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    if (utf8Keys.size >= KEY_CACHE_LIMIT) utf8Keys.clear();
    utf8Keys.set(secret, key);
  }
  return key;
}

/** HMAC-SHA256 over `prefix` followed by `body`, without concatenating (no body copy). */
export function hmacSha256(key: KeyObject | Buffer | string, body: Buffer, prefix?: string): Buffer {
  const h = createHmac('sha256', key);
  if (prefix !== undefined) h.update(prefix, 'utf8');
  return h.update(body).digest();
}

/** Constant-time equality of two digests; length is checked first (lengths are public). */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
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

/** Epoch milliseconds from a `now` option. */
export function nowMs(now: Date | number | undefined): number {
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  return Date.now();
}
