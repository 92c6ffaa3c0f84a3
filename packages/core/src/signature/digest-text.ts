/**
 * Decoding of a 32-byte digest written as hex or base64 in a header. Plain JS into a fresh
 * Uint8Array: for one 32-byte digest this is cheaper than `Buffer.from(…, 'hex'|'base64')`
 * (a native call plus a pooled Buffer), and it is on every verify's hot path. Strict about
 * length and alphabet, so a header value decodes to exactly one digest or to nothing.
 */
export const SHA256_BYTES = 32;

const INVALID = -1;
const HEX_VALUES = new Int8Array(128).fill(INVALID);
const BASE64_VALUES = new Int8Array(128).fill(INVALID);
for (let i = 0; i < 10; i++) HEX_VALUES[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUES[0x61 + i] = 10 + i; // a-f
  HEX_VALUES[0x41 + i] = 10 + i; // A-F
}
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < 64; i++) BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;

/** Value of an ASCII character in `table`, INVALID for anything else (incl. non-ASCII). */
function valueOf(table: Int8Array, code: number): number {
  return code < 128 ? table[code]! : INVALID;
}

/**
 * Exactly 64 hex characters → 32 bytes. Decision: vendors document lowercase, but Parsley
 * Recipes' own sample lower-cases what it receives, so uppercase is accepted; comparing
 * decoded bytes makes case irrelevant to security (same 256 bits).
 */
export function decodeHexDigest(hex: string): Uint8Array | undefined {
  if (hex.length !== SHA256_BYTES * 2) return undefined;
  const out = new Uint8Array(SHA256_BYTES);
  for (let i = 0; i < SHA256_BYTES; i++) {
    const high = valueOf(HEX_VALUES, hex.charCodeAt(2 * i));
    const low = valueOf(HEX_VALUES, hex.charCodeAt(2 * i + 1));
    if ((high | low) < 0) return undefined;
    out[i] = (high << 4) | low;
  }
  return out;
}

/**
 * Standard base64 of 32 bytes: 43 characters plus one `=` (also accepted without the `=`),
 * canonical only (the 2 unused trailing bits must be zero, as every encoder writes them).
 */
export function decodeBase64Digest(b64: string): Uint8Array | undefined {
  const chars = 43; // ceil(32 * 8 / 6)
  if (b64.length === chars + 1) {
    if (b64.charCodeAt(chars) !== 0x3d) return undefined; // '='
  } else if (b64.length !== chars) {
    return undefined;
  }
  const out = new Uint8Array(SHA256_BYTES);
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < chars; i++) {
    const v = valueOf(BASE64_VALUES, b64.charCodeAt(i));
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0x3fff; // at most 14 live bits
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  return (acc & ((1 << bits) - 1)) === 0 ? out : undefined;
}
