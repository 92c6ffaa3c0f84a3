import { toBytes } from '../bytes.js';
import { readHeaderLowerCased } from '../headers.js';
import { decodeHexDigest, digestsEqual, fail, hmacSha256, isUnixSeconds, normalizeSecrets, nowMs, utf8Key } from './shared.js';
import type { SignatureScheme, VerifyResult } from './types.js';

export interface TimestampedOptions {
  /** Header carrying `t=<unix>,v1=<hex>[,v1=<hex>…]`, e.g. `X-Parlay-Signature`. */
  header: string;
  /** Allowed clock difference in seconds, in both directions. Default 300. */
  toleranceSeconds?: number;
}

interface ParsedHeader {
  t: string;
  signatures: Uint8Array[];
}

/**
 * Parses `t=…,v1=…`. Lenient where leniency cannot weaken the check (whitespace around
 * parts, unknown keys such as `v0`, empty or non-hex `v1=` entries are skipped), strict
 * where it could (exactly one numeric `t`, at least one well-formed `v1`).
 * Scans with indexOf instead of split(): this runs on every delivery.
 */
function parseHeader(value: string): ParsedHeader | string {
  let t: string | undefined;
  const signatures: Uint8Array[] = [];
  let start = 0;
  while (start <= value.length) {
    let end = value.indexOf(',', start);
    if (end < 0) end = value.length;
    const eq = value.indexOf('=', start);
    if (eq >= 0 && eq < end) {
      const key = value.slice(start, eq).trim();
      if (key === 't') {
        if (t !== undefined) return 'has more than one t=';
        const val = value.slice(eq + 1, end).trim();
        if (!isUnixSeconds(val)) return 't= must be unix seconds';
        t = val;
      } else if (key === 'v1') {
        const digest = decodeHexDigest(value.slice(eq + 1, end).trim());
        if (digest) signatures.push(digest);
      }
    }
    start = end + 1;
  }
  if (t === undefined) return 'has no t= timestamp';
  if (signatures.length === 0) return 'has no well-formed v1= signature';
  return { t, signatures };
}

/**
 * Stripe-style timestamped signature (Parlay): HMAC-SHA256 over `${t}.${rawBody}`,
 * hex in `v1=`, with replay protection. Several `v1` values may be present (the vendor
 * signs with old and new secret during rotation); any match verifies.
 */
export function timestampedScheme(options: TimestampedOptions): SignatureScheme {
  const { header } = options;
  const lowerHeader = header.toLowerCase();
  const defaultTolerance = options.toleranceSeconds ?? 300;
  return {
    kind: 'timestamped-hmac-sha256',
    headerNames: [header],
    sign({ body, secret, timestamp }) {
      const bytes = toBytes(body);
      if (!bytes) throw new TypeError('body must be a string, Buffer or Uint8Array');
      const key = secret.trim();
      if (key === '') throw new TypeError('secret must not be empty');
      const t = String(timestamp ?? Math.floor(Date.now() / 1000));
      return { [header]: `t=${t},v1=${hmacSha256(key, bytes, `${t}.`).toString('hex')}` };
    },
    verify(input): VerifyResult {
      const secrets = normalizeSecrets(input?.secret);
      if (secrets.length === 0) return fail('no_secret', 'no signing secret is configured');
      const bytes = toBytes(input.body);
      if (!bytes) return fail('invalid_body', 'body must be a string, Buffer or Uint8Array');
      const h = readHeaderLowerCased(input.headers, lowerHeader, header);
      if (!h.found) {
        return h.reason === 'multiple'
          ? fail('multiple_headers', `${header} was sent more than once with different values`)
          : fail('missing_header', `${header} header is missing`);
      }
      const parsed = parseHeader(h.value);
      if (typeof parsed === 'string') return fail('malformed_header', `${header} ${parsed}`);
      const signed = `${parsed.t}.`;
      let match = -1;
      for (let i = 0; i < secrets.length && match < 0; i++) {
        const expected = hmacSha256(utf8Key(secrets[i]!), bytes, signed);
        for (const candidate of parsed.signatures) {
          if (digestsEqual(expected, candidate)) {
            match = i;
            break;
          }
        }
      }
      if (match < 0) return fail('signature_mismatch', `${header} does not match the body for any configured secret`);
      const tolerance = input.toleranceSeconds ?? defaultTolerance;
      const timestamp = Number(parsed.t);
      const skew = Math.abs(nowMs(input.now) / 1000 - timestamp);
      if (!(skew <= tolerance)) {
        return fail(
          'timestamp_outside_tolerance',
          `${header} timestamp ${timestamp} is ${Math.round(skew)} s from now (tolerance ${tolerance} s)`,
        );
      }
      return { ok: true, secretIndex: match, timestamp };
    },
  };
}
