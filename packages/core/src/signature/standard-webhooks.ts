import { randomUUID } from 'node:crypto';
import { toBytes } from '../bytes.js';
import { readHeader } from '../headers.js';
import { digestsEqual, fail, hmacSha256, normalizeSecrets, nowMs, SHA256_BYTES } from './shared.js';
import type { SignatureScheme, VerifyResult } from './types.js';

export interface StandardWebhooksOptions {
  /** Allowed clock difference in seconds, both directions. Default 300 (the spec's). */
  toleranceSeconds?: number;
}

const ID = 'webhook-id';
const TIMESTAMP = 'webhook-timestamp';
const SIGNATURE = 'webhook-signature';
const UNIX_SECONDS = /^\d{1,12}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

// Decoding a whsec_ secret costs as much as a small HMAC; keep a few decoded keys.
const keyCache = new Map<string, Buffer | null>();

/** `whsec_<base64>` (or bare base64) → key bytes; null when it is not valid base64. */
function decodeSecret(secret: string): Buffer | null {
  let key = keyCache.get(secret);
  if (key !== undefined) return key;
  const b64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  key = BASE64.test(b64) && b64.length % 4 === 0 ? Buffer.from(b64, 'base64') : null;
  if (key && key.length === 0) key = null;
  if (keyCache.size >= 32) keyCache.clear();
  keyCache.set(secret, key);
  return key;
}

/**
 * Standard Webhooks (standardwebhooks.com, used by Svix and others): headers
 * `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> [v1,<base64>…]`,
 * HMAC-SHA256 over `${id}.${timestamp}.${body}` with the base64-decoded `whsec_` secret.
 */
export function standardWebhooksScheme(options: StandardWebhooksOptions = {}): SignatureScheme {
  const defaultTolerance = options.toleranceSeconds ?? 300;
  return {
    kind: 'standard-webhooks',
    headerNames: [ID, TIMESTAMP, SIGNATURE],
    sign({ body, secret, timestamp, id }) {
      const bytes = toBytes(body);
      if (!bytes) throw new TypeError('body must be a string, Buffer or Uint8Array');
      const key = decodeSecret(secret.trim());
      if (!key) throw new TypeError('secret must be "whsec_" followed by base64');
      const msgId = id ?? `msg_${randomUUID().replaceAll('-', '')}`;
      const t = String(timestamp ?? Math.floor(Date.now() / 1000));
      const sig = hmacSha256(key, bytes, `${msgId}.${t}.`).toString('base64');
      return { [ID]: msgId, [TIMESTAMP]: t, [SIGNATURE]: `v1,${sig}` };
    },
    verify(input): VerifyResult {
      const secrets = normalizeSecrets(input?.secret);
      if (secrets.length === 0) return fail('no_secret', 'no signing secret is configured');
      const bytes = toBytes(input.body);
      if (!bytes) return fail('invalid_body', 'body must be a string, Buffer or Uint8Array');
      const values: string[] = [];
      for (const name of [ID, TIMESTAMP, SIGNATURE]) {
        const h = readHeader(input.headers, name);
        if (!h.found) {
          return h.reason === 'multiple'
            ? fail('multiple_headers', `${name} was sent more than once with different values`)
            : fail('missing_header', `${name} header is missing`);
        }
        values.push(h.value.trim());
      }
      const [id, t, signatureList] = values as [string, string, string];
      if (!UNIX_SECONDS.test(t)) return fail('malformed_header', `${TIMESTAMP} must be unix seconds`);
      const candidates: Buffer[] = [];
      for (const entry of signatureList.split(' ')) {
        const comma = entry.indexOf(',');
        if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
        const b64 = entry.slice(comma + 1);
        if (!BASE64.test(b64)) continue;
        const sig = Buffer.from(b64, 'base64');
        if (sig.length === SHA256_BYTES) candidates.push(sig);
      }
      if (candidates.length === 0) return fail('malformed_header', `${SIGNATURE} has no well-formed v1,<base64> entry`);
      const signed = `${id}.${t}.`;
      let match = -1;
      let usableSecret = false;
      for (let i = 0; i < secrets.length && match < 0; i++) {
        const key = decodeSecret(secrets[i]!);
        if (!key) continue;
        usableSecret = true;
        const expected = hmacSha256(key, bytes, signed);
        if (candidates.some((c) => digestsEqual(expected, c))) match = i;
      }
      if (!usableSecret) return fail('no_secret', 'no secret is a valid whsec_<base64> Standard Webhooks secret');
      if (match < 0) return fail('signature_mismatch', `${SIGNATURE} does not match the body for any configured secret`);
      const tolerance = input.toleranceSeconds ?? defaultTolerance;
      const timestamp = Number(t);
      const skew = Math.abs(nowMs(input.now) / 1000 - timestamp);
      if (!(skew <= tolerance)) {
        return fail('timestamp_outside_tolerance', `${TIMESTAMP} ${timestamp} is ${Math.round(skew)} s from now (tolerance ${tolerance} s)`);
      }
      return { ok: true, secretIndex: match, timestamp };
    },
  };
}
