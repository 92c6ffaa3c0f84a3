import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VerifyFailureReason, VerifyResult } from './types.js';

export const SHA256_BYTES = 32;

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
 * Decode a lowercase or uppercase hex SHA-256 digest. Decision: vendors document lowercase,
 * but Parsley Recipes' own sample lower-cases what it receives, so uppercase is accepted;
 * comparing decoded bytes makes case irrelevant to security (same 256 bits).
 */
export function decodeHexDigest(hex: string): Buffer | undefined {
  if (hex.length !== SHA256_BYTES * 2) return undefined;
  const bytes = Buffer.from(hex, 'hex'); // stops at the first non-hex character
  return bytes.length === SHA256_BYTES ? bytes : undefined;
}

/** HMAC-SHA256 over `prefix` followed by `body`, without concatenating (no body copy). */
export function hmacSha256(key: string | Buffer, body: Buffer, prefix?: string): Buffer {
  const h = createHmac('sha256', key);
  if (prefix !== undefined) h.update(prefix, 'utf8');
  return h.update(body).digest();
}

/** Constant-time equality of two digests; length is checked first (lengths are public). */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Epoch milliseconds from a `now` option. */
export function nowMs(now: Date | number | undefined): number {
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  return Date.now();
}
