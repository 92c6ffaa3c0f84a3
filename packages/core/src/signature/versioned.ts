import { toBytes } from '../bytes.js';
import { lookupHeader, type HeaderInput } from '../headers.js';
import {
  claimDigest,
  claimedDigestEquals,
  describe,
  fail,
  headerFailure,
  headerOption,
  hexDigestInto,
  hmacSha256,
  isUnixSeconds,
  readOptions,
  schemeTolerance,
  signingSecret,
  signingTimestamp,
  neverThrowing,
} from './shared.js';
import { readTimedHmacInput } from './timed-hmac-input.js';
import type { SignatureScheme, VerifyResult } from './types.js';

export interface VersionedOptions {
  /** Header carrying `<version>=<hex>`, e.g. `X-Slack-Signature`. */
  header: string;
  /** Header carrying the signed unix seconds, e.g. `X-Slack-Request-Timestamp`. */
  timestampHeader: string;
  /** Version tag that starts both the signed text and the header value (`v0`): letters and digits. */
  version: string;
  /** Allowed clock difference in seconds, in both directions. Default 300. */
  toleranceSeconds?: number;
}

const VERSION = /^[A-Za-z0-9]{1,16}$/;

/**
 * HMAC-SHA256 over `${version}:${t}:${rawBody}`, hex behind `${version}=`, with the timestamp in a
 * header of its own and replay protection (Slack: `X-Slack-Signature: v0=<hex>` and
 * `X-Slack-Request-Timestamp`). The secret is the whole string as UTF-8.
 */
export function versionedScheme(options: VersionedOptions): SignatureScheme {
  const read = readOptions('versionedScheme', options, [
    'header',
    'timestampHeader',
    'version',
    'toleranceSeconds',
  ] as const);
  const header = headerOption('versionedScheme', read.header);
  const timestampHeader = headerOption('versionedScheme', read.timestampHeader);
  if (typeof read.version !== 'string' || !VERSION.test(read.version))
    throw new TypeError(`versionedScheme: version must be 1-16 letters or digits (v0), got ${describe(read.version)}`);
  const version = read.version;
  const valuePrefix = `${version}=`;
  const lowerHeader = header.toLowerCase();
  const lowerTimestampHeader = timestampHeader.toLowerCase();
  const defaultTolerance = schemeTolerance(read.toleranceSeconds);
  return {
    kind: 'versioned-hmac-sha256',
    headerNames: [header, timestampHeader],
    sign({ body, secret, timestamp }) {
      const bytes = toBytes(body);
      if (!bytes) throw new TypeError('body must be a string, Buffer or Uint8Array');
      const key = signingSecret(secret);
      const t = signingTimestamp(timestamp);
      return {
        [header]: valuePrefix + hmacSha256(key, bytes, `${version}:${t}:`).toString('hex'),
        [timestampHeader]: t,
      };
    },
    verify: neverThrowing((input): VerifyResult => {
      const read = readTimedHmacInput(input, defaultTolerance);
      if ('ok' in read) return read;
      const { fields, keys, bytes, nowMs, tolerance } = read;
      const headers = fields.headers as HeaderInput;
      const rawT = lookupHeader(headers, lowerTimestampHeader, timestampHeader);
      if (typeof rawT !== 'string') return headerFailure(rawT, timestampHeader);
      const t = rawT.trim();
      if (!isUnixSeconds(t)) return fail('malformed_header', `${timestampHeader} must be unix seconds`);
      const raw = lookupHeader(headers, lowerHeader, header);
      if (typeof raw !== 'string') return headerFailure(raw, header);
      const value = raw.trim();
      if (!value.startsWith(valuePrefix) || !claimDigest(hexDigestInto, value, valuePrefix.length, value.length))
        return fail('malformed_header', `${header} must look like "${valuePrefix}<64 hex chars>"`);
      const signed = `${version}:${t}:`;
      let match = -1;
      for (let i = 0; i < keys.length && match < 0; i++) {
        const key = keys[i];
        // the claimed digest decoded above is still current: hmacSha256 does not touch it
        if (key && claimedDigestEquals(hmacSha256(key, bytes, signed))) match = i;
      }
      if (match < 0)
        return fail(
          'signature_mismatch',
          `${header} does not match the body and ${timestampHeader} for any configured secret`,
        );
      const timestamp = Number(t);
      const skew = Math.abs(nowMs / 1000 - timestamp);
      if (!(skew <= tolerance))
        return fail(
          'timestamp_outside_tolerance',
          `${timestampHeader} ${timestamp} is ${Math.round(skew)} s from now (tolerance ${tolerance} s)`,
        );
      return { ok: true, secretIndex: match, timestamp };
    }),
  };
}
