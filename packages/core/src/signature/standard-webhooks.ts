import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { toBytes } from '../bytes.js';
import { lookupHeader, type HeaderInput } from '../headers.js';
import {
  base64DigestInto,
  claimDigest,
  claimedDigestEquals,
  digestMatches,
  fail,
  headerFailure,
  hmacSha256,
  isUnixSeconds,
  createKeyring,
  hasAnySecret,
  readOptions,
  schemeTolerance,
  signingSecret,
  signingTimestamp,
  neverThrowing,
} from './shared.js';
import { readTimedHmacInput } from './timed-hmac-input.js';
import type { SignatureScheme, VerifyResult } from './types.js';

export interface StandardWebhooksOptions {
  /** Allowed clock difference in seconds, both directions. Default 300 (the spec's). */
  toleranceSeconds?: number;
}

const ID = 'webhook-id';
const TIMESTAMP = 'webhook-timestamp';
const SIGNATURE = 'webhook-signature';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `whsec_<base64>` (or bare base64) → HMAC key; null when it is not valid, non-empty base64. */
const standardKeys = createKeyring((secret) => {
  const b64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  if (!BASE64.test(b64) || b64.length % 4 !== 0) return null;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length > 0 ? createSecretKey(bytes) : null;
});

/** The one key sign() uses; throws on a secret no verifier could use. */
function signingKey(secret: unknown): KeyObject {
  const keys = standardKeys(signingSecret(secret));
  const key = typeof keys === 'symbol' ? undefined : keys[0]; // a string never comes back as a symbol
  if (!key) throw new TypeError('secret must be "whsec_" followed by base64');
  return key;
}

/** A header's trimmed value, or the failure to return when it is absent or ambiguous. */
function readRequired(headers: unknown, name: string): string | VerifyResult {
  const raw = lookupHeader(headers as HeaderInput, name);
  return typeof raw === 'string' ? raw.trim() : headerFailure(raw, name);
}

/**
 * `v1,<base64> v1,<base64> …` → offsets [start0, end0, start1, end1, …] of the well-formed
 * v1 signatures. Entries of other versions and malformed entries are skipped (the spec lets
 * senders add future versions); extra spaces are tolerated. Offsets, not substrings: this
 * runs on every delivery.
 */
function parseSignatureList(list: string): number[] {
  const out: number[] = [];
  let start = 0;
  while (start < list.length) {
    let end = list.indexOf(' ', start);
    if (end < 0) end = list.length;
    if (list.startsWith('v1,', start) && claimDigest(base64DigestInto, list, start + 3, end)) out.push(start + 3, end);
    start = end + 1;
  }
  return out;
}

/**
 * Standard Webhooks (standardwebhooks.com, used by Svix and others): headers
 * `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> [v1,<base64>…]`,
 * HMAC-SHA256 over `${id}.${timestamp}.${body}` with the base64-decoded `whsec_` secret.
 */
export function standardWebhooksScheme(options: StandardWebhooksOptions = {}): SignatureScheme {
  const read = readOptions('standardWebhooksScheme', options, ['toleranceSeconds'] as const);
  const defaultTolerance = schemeTolerance(read.toleranceSeconds);
  return {
    kind: 'standard-webhooks',
    headerNames: [ID, TIMESTAMP, SIGNATURE],
    sign({ body, secret, timestamp, id }) {
      const bytes = toBytes(body);
      if (!bytes) throw new TypeError('body must be a string, Buffer or Uint8Array');
      const key = signingKey(secret);
      const msgId = id ?? `msg_${randomUUID().replaceAll('-', '')}`;
      const t = signingTimestamp(timestamp);
      const sig = hmacSha256(key, bytes, `${msgId}.${t}.`).toString('base64');
      return { [ID]: msgId, [TIMESTAMP]: t, [SIGNATURE]: `v1,${sig}` };
    },
    verify: neverThrowing((input): VerifyResult => {
      const read = readTimedHmacInput(input, defaultTolerance, standardKeys, hasAnySecret);
      if ('ok' in read) return read;
      const { fields, keys, bytes, nowMs, tolerance } = read;
      const id = readRequired(fields.headers, ID);
      if (typeof id !== 'string') return id;
      const t = readRequired(fields.headers, TIMESTAMP);
      if (typeof t !== 'string') return t;
      const signatureList = readRequired(fields.headers, SIGNATURE);
      if (typeof signatureList !== 'string') return signatureList;
      if (!isUnixSeconds(t)) return fail('malformed_header', `${TIMESTAMP} must be unix seconds`);
      // Usual case, one `v1,<base64>` entry: decode it once and compare it with every secret.
      const single =
        signatureList.startsWith('v1,') && claimDigest(base64DigestInto, signatureList, 3, signatureList.length);
      const candidates = single ? [3, signatureList.length] : parseSignatureList(signatureList);
      if (candidates.length === 0) return fail('malformed_header', `${SIGNATURE} has no well-formed v1,<base64> entry`);
      const signed = `${id}.${t}.`;
      let match = -1;
      let usableSecret = false;
      for (let i = 0; i < keys.length && match < 0; i++) {
        const key = keys[i];
        if (!key) continue;
        usableSecret = true;
        const expected = hmacSha256(key, bytes, signed);
        if (single) {
          if (claimedDigestEquals(expected)) match = i;
          continue;
        }
        for (let k = 0; k < candidates.length; k += 2) {
          if (digestMatches(expected, base64DigestInto, signatureList, candidates[k]!, candidates[k + 1]!)) {
            match = i;
            break;
          }
        }
      }
      if (!usableSecret) return fail('no_secret', 'no secret is a valid whsec_<base64> Standard Webhooks secret');
      if (match < 0)
        return fail('signature_mismatch', `${SIGNATURE} does not match the body for any configured secret`);
      const timestamp = Number(t);
      const skew = Math.abs(nowMs / 1000 - timestamp);
      if (!(skew <= tolerance)) {
        return fail(
          'timestamp_outside_tolerance',
          `${TIMESTAMP} ${timestamp} is ${Math.round(skew)} s from now (tolerance ${tolerance} s)`,
        );
      }
      return { ok: true, secretIndex: match, timestamp };
    }),
  };
}
