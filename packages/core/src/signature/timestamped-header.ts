import { claimDigest, hexDigestInto, isUnixSeconds } from './shared.js';

export interface ParsedHeader {
  t: string;
  /** Offsets of each well-formed v1 digest in the header value: [start0, end0, start1, end1, …]. */
  signatures: number[];
  /**
   * True when the header has exactly one v1 and claimDigest's buffer holds it (fast path):
   * the caller may compare with claimedDigestEquals instead of decoding it again.
   */
  claimedIsCurrent: boolean;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * Parses `t=…,v1=…`. Lenient where leniency cannot weaken the check (whitespace around
 * parts, unknown keys such as `v0`, empty or non-hex `v1=` entries are skipped), strict
 * where it could (exactly one numeric `t`, at least one well-formed `v1`).
 * Scans offsets instead of split()/slice()/trim(): this runs on every delivery.
 */
function parseGeneral(value: string): ParsedHeader | string {
  let t: string | undefined;
  const signatures: number[] = [];
  let start = 0;
  // Next '=' at or after `start`, searched again only once passed: one indexOf per part
  // would rescan the rest of the header for every part (quadratic on `,,,,…,v0=x`).
  let eq = value.indexOf('=');
  while (start <= value.length) {
    let end = value.indexOf(',', start);
    if (end < 0) end = value.length;
    if (eq >= 0 && eq < start) eq = value.indexOf('=', start); // -1 once none is left: never rescanned
    if (eq >= 0 && eq < end) {
      let keyStart = start;
      while (keyStart < eq && isSpace(value.charCodeAt(keyStart))) keyStart++;
      let keyEnd = eq;
      while (keyEnd > keyStart && isSpace(value.charCodeAt(keyEnd - 1))) keyEnd--;
      let valStart = eq + 1;
      while (valStart < end && isSpace(value.charCodeAt(valStart))) valStart++;
      let valEnd = end;
      while (valEnd > valStart && isSpace(value.charCodeAt(valEnd - 1))) valEnd--;
      const keyLength = keyEnd - keyStart;
      const k0 = value.charCodeAt(keyStart);
      if (keyLength === 1 && k0 === 0x74 /* t */) {
        if (t !== undefined) return 'has more than one t=';
        const val = value.slice(valStart, valEnd);
        if (!isUnixSeconds(val)) return 't= must be unix seconds';
        t = val;
      } else if (keyLength === 2 && k0 === 0x76 /* v */ && value.charCodeAt(keyStart + 1) === 0x31 /* 1 */) {
        if (claimDigest(hexDigestInto, value, valStart, valEnd)) signatures.push(valStart, valEnd);
      }
    }
    start = end + 1;
  }
  if (t === undefined) return 'has no t= timestamp';
  if (signatures.length === 0) return 'has no well-formed v1= signature';
  return { t, signatures, claimedIsCurrent: false };
}

/**
 * `t=<1-12 digits>,v1=<64 hex>` exactly — what senders write — parsed without the general
 * scan, its digest left decoded in claimDigest's buffer. Undefined for any other shape.
 */
function parseCanonical(value: string): ParsedHeader | undefined {
  if (value.charCodeAt(0) !== 0x74 /* t */ || value.charCodeAt(1) !== 0x3d /* = */) return undefined;
  let i = 2;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  const digits = i - 2;
  if (digits < 1 || digits > 12) return undefined;
  const hexStart = i + 4; // after ",v1="
  if (value.length !== hexStart + 64 || value.charCodeAt(i) !== 0x2c /* , */ || !value.startsWith('v1=', i + 1)) {
    return undefined;
  }
  if (!claimDigest(hexDigestInto, value, hexStart, value.length)) return undefined;
  return { t: value.slice(2, i), signatures: [hexStart, value.length], claimedIsCurrent: true };
}

/** Parses a `t=…,v1=…[,v1=…]` header value, or says what is wrong with it. */
export function parseTimestampedHeader(value: string): ParsedHeader | string {
  return parseCanonical(value) ?? parseGeneral(value);
}
