/**
 * Decoding of a 32-byte digest written as hex or base64 inside a header value. Plain JS,
 * reading `text` between two offsets and writing into a caller's buffer: no substring, no
 * allocation, no native call on the hot path of every verify. Strict about length and
 * alphabet, so a range decodes to exactly one digest or to nothing.
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
 * `text[start, end)` is exactly 64 hex characters → its 32 bytes into `out`, true.
 * Decision: vendors document lowercase, but Parsley Recipes' own sample lower-cases what it
 * receives, so uppercase is accepted; comparing decoded bytes makes case irrelevant to
 * security (same 256 bits).
 */
export function hexDigestInto(text: string, start: number, end: number, out: Uint8Array): boolean {
  if (end - start !== SHA256_BYTES * 2) return false;
  for (let i = 0; i < SHA256_BYTES; i++) {
    const high = valueOf(HEX_VALUES, text.charCodeAt(start + 2 * i));
    const low = valueOf(HEX_VALUES, text.charCodeAt(start + 2 * i + 1));
    if ((high | low) < 0) return false;
    out[i] = (high << 4) | low;
  }
  return true;
}

/**
 * `text[start, end)` is standard base64 of 32 bytes: 43 characters plus one `=` (also
 * accepted without it), canonical only (the 2 unused trailing bits must be zero, as every
 * encoder writes them) → the bytes into `out`, true.
 */
export function base64DigestInto(text: string, start: number, end: number, out: Uint8Array): boolean {
  const chars = 43; // ceil(32 * 8 / 6)
  if (end - start === chars + 1) {
    if (text.charCodeAt(end - 1) !== 0x3d) return false; // '='
  } else if (end - start !== chars) {
    return false;
  }
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = start; i < start + chars; i++) {
    const v = valueOf(BASE64_VALUES, text.charCodeAt(i));
    if (v < 0) return false;
    acc = ((acc << 6) | v) & 0x3fff; // at most 14 live bits
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  return (acc & ((1 << bits) - 1)) === 0;
}
