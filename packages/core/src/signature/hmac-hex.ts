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
  hmacSha256,
  readInput,
  readOptions,
  secretFailure,
  signingSecret,
  utf8Keys,
  neverThrowing,
} from './shared.js';
import type { SignatureScheme, VerifyResult } from './types.js';

export interface HmacHexOptions {
  /** Header carrying the signature, e.g. `X-Parley-Signature` or `x-hub-signature-256`. */
  header: string;
  /** Text before the hex digest: `sha256=` (GitHub style) or `''` (plain hex). */
  prefix: string;
}

/**
 * HMAC-SHA256 of the raw body, hex-encoded, optionally behind a prefix:
 * `X-Parley-Signature: sha256=<hex>` (Parley, Parsley, GitHub, Parsley Recipes) or
 * `X-ParseFlow-Signature: <hex>` (ParseFlow). The secret is the whole string as UTF-8,
 * `whsec_` prefix included, exactly as the vendors' own examples compute it.
 */
export function hmacHexScheme(options: HmacHexOptions): SignatureScheme {
  const read = readOptions('hmacHexScheme', options, ['header', 'prefix'] as const);
  const header = headerOption('hmacHexScheme', read.header);
  if (typeof read.prefix !== 'string') throw new TypeError("hmacHexScheme: prefix must be a string ('' for none)");
  const prefix = read.prefix;
  const lowerPrefix = prefix.toLowerCase();
  const lowerHeader = header.toLowerCase();
  return {
    kind: 'hmac-sha256-hex',
    headerNames: [header],
    sign({ body, secret }) {
      const bytes = toBytes(body);
      if (!bytes) throw new TypeError('body must be a string, Buffer or Uint8Array');
      const key = signingSecret(secret);
      return { [header]: prefix + hmacSha256(key, bytes).toString('hex') };
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
      if (!hasPrefix || !claimDigest(hexDigestInto, value, prefix.length, value.length)) {
        return fail('malformed_header', `${header} must look like "${prefix}<64 hex chars>"`);
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
