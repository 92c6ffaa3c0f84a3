import { toBytes } from '../bytes.js';
import { lookupHeader, type HeaderInput } from '../headers.js';
import {
  claimedDigestEquals,
  digestMatches,
  fail,
  headerFailure,
  headerOption,
  hexDigestInto,
  hmacSha256,
  readOptions,
  schemeTolerance,
  signingSecret,
  signingTimestamp,
  neverThrowing,
} from './shared.js';
import { parseTimestampedHeader } from './timestamped-header.js';
import { readTimedHmacInput } from './timed-hmac-input.js';
import type { SignatureScheme, VerifyResult } from './types.js';

export interface TimestampedOptions {
  /** Header carrying `t=<unix>,v1=<hex>[,v1=<hex>…]`, e.g. `X-Parlay-Signature`. */
  header: string;
  /** Allowed clock difference in seconds, in both directions. Default 300. */
  toleranceSeconds?: number;
}

/**
 * Stripe-style timestamped signature (Parlay): HMAC-SHA256 over `${t}.${rawBody}`,
 * hex in `v1=`, with replay protection. Several `v1` values may be present (the vendor
 * signs with old and new secret during rotation); any match verifies.
 */
export function timestampedScheme(options: TimestampedOptions): SignatureScheme {
  const read = readOptions('timestampedScheme', options, ['header', 'toleranceSeconds'] as const);
  const header = headerOption('timestampedScheme', read.header);
  const lowerHeader = header.toLowerCase();
  const defaultTolerance = schemeTolerance(read.toleranceSeconds);
  return {
    kind: 'timestamped-hmac-sha256',
    headerNames: [header],
    sign({ body, secret, timestamp }) {
      const bytes = toBytes(body);
      if (!bytes) throw new TypeError('body must be a string, Buffer or Uint8Array');
      const key = signingSecret(secret);
      const t = signingTimestamp(timestamp);
      return { [header]: `t=${t},v1=${hmacSha256(key, bytes, `${t}.`).toString('hex')}` };
    },
    verify: neverThrowing((input): VerifyResult => {
      const read = readTimedHmacInput(input, defaultTolerance);
      if ('ok' in read) return read;
      const { fields, keys, bytes, nowMs, tolerance } = read;
      const raw = lookupHeader(fields.headers as HeaderInput, lowerHeader, header);
      if (typeof raw !== 'string') return headerFailure(raw, header);
      const value = raw;
      const parsed = parseTimestampedHeader(value);
      if (typeof parsed === 'string') return fail('malformed_header', `${header} ${parsed}`);
      const signed = `${parsed.t}.`;
      let match = -1;
      for (let i = 0; i < keys.length && match < 0; i++) {
        const key = keys[i];
        if (!key) continue;
        const expected = hmacSha256(key, bytes, signed);
        if (parsed.claimedIsCurrent) {
          if (claimedDigestEquals(expected)) match = i;
          continue;
        }
        const sigs = parsed.signatures;
        for (let k = 0; k < sigs.length; k += 2) {
          if (digestMatches(expected, hexDigestInto, value, sigs[k]!, sigs[k + 1]!)) {
            match = i;
            break;
          }
        }
      }
      if (match < 0) return fail('signature_mismatch', `${header} does not match the body for any configured secret`);
      const timestamp = Number(parsed.t);
      const skew = Math.abs(nowMs / 1000 - timestamp);
      if (!(skew <= tolerance)) {
        return fail(
          'timestamp_outside_tolerance',
          `${header} timestamp ${timestamp} is ${Math.round(skew)} s from now (tolerance ${tolerance} s)`,
        );
      }
      return { ok: true, secretIndex: match, timestamp };
    }),
  };
}
