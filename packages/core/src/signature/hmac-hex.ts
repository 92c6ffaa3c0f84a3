import { bodyBytes, notABodyMessage, toBytes } from '../bytes.js';
import { lookupHeader, type HeaderInput } from '../headers.js';
import {
  claimDigest,
  claimedDigestEquals,
  fail,
  hasUsableKey,
  headerFailure,
  headerOption,
  hexDigestInto,
  base64DigestInto,
  hmacSha256,
  readInput,
  readOptions,
  secretFailure,
  signingSecret,
  utf8Keys,
  neverThrowing,
  describe,
} from './shared.js';
import type { SignatureScheme, VerifyResult } from './types.js';

export interface HmacHexOptions {
  /** Header carrying the signature, e.g. `X-Parley-Signature` or `x-hub-signature-256`. */
  header: string;
  /** Text before the digest: `sha256=` (GitHub style) or `''` (plain). */
  prefix: string;
  /** How the digest is written: `hex` (default) or standard `base64` (Shopify's X-Shopify-Hmac-Sha256). */
  encoding?: 'hex' | 'base64';
}

/**
 * HMAC-SHA256 of the raw body, hex-encoded, optionally behind a prefix:
 * `X-Parley-Signature: sha256=<hex>` (Parley, Parsley, GitHub, Parsley Recipes) or
 * `X-ParseFlow-Signature: <hex>` (ParseFlow), or base64 with `encoding: 'base64'`
 * (`X-Shopify-Hmac-Sha256: <base64>`). The secret is the whole string as UTF-8,
 * `whsec_` prefix included, exactly as the vendors' own examples compute it.
 */
export function hmacHexScheme(options: HmacHexOptions): SignatureScheme {
  const read = readOptions('hmacHexScheme', options, ['header', 'prefix', 'encoding'] as const);
  const header = headerOption('hmacHexScheme', read.header);
  if (typeof read.prefix !== 'string') throw new TypeError("hmacHexScheme: prefix must be a string ('' for none)");
  const prefix = read.prefix;
  if (read.encoding !== undefined && read.encoding !== 'hex' && read.encoding !== 'base64')
    throw new TypeError(`hmacHexScheme: encoding must be "hex" or "base64", got ${describe(read.encoding)}`);
  const encoding = (read.encoding ?? 'hex') as 'hex' | 'base64';
  const decode = encoding === 'hex' ? hexDigestInto : base64DigestInto;
  const form = encoding === 'hex' ? '64 hex chars' : '44 base64 chars';
  const lowerPrefix = prefix.toLowerCase();
  const lowerHeader = header.toLowerCase();
  return {
    kind: 'hmac-sha256-hex',
    headerNames: [header],
    sign({ body, secret }) {
      const bytes = toBytes(body);
      if (!bytes) throw new TypeError('body must be a string, Buffer or Uint8Array');
      const key = signingSecret(secret);
      return { [header]: prefix + hmacSha256(key, bytes).toString(encoding) };
    },
    verify: neverThrowing((input): VerifyResult => {
      const fields = readInput(input, false);
      if (fields.ok === false) return fields;
      const keys = utf8Keys(fields.secret);
      if (typeof keys === 'symbol') return secretFailure(keys);
      if (!hasUsableKey(keys)) return fail('no_secret', 'no signing secret is configured');
      const bytes = bodyBytes(fields.body);
      if (typeof bytes === 'string') return fail('invalid_body', notABodyMessage(bytes));
      const raw = lookupHeader(fields.headers as HeaderInput, lowerHeader, header);
      if (typeof raw !== 'string') return headerFailure(raw, header);
      const value = raw.trim();
      const hasPrefix = value.startsWith(prefix) || value.slice(0, prefix.length).toLowerCase() === lowerPrefix;
      if (!hasPrefix || !claimDigest(decode, value, prefix.length, value.length)) {
        return fail('malformed_header', `${header} must look like "${prefix}<${form}>"`);
      }
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        // the claimed digest decoded above is still current: hmacSha256 does not touch it
        if (key && claimedDigestEquals(hmacSha256(key, bytes))) return { ok: true, secretIndex: i };
      }
      return fail('signature_mismatch', `${header} does not match the body for any configured secret`);
    }),
  };
}
