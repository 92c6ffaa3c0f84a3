import type { RawBody } from '../bytes.js';
import type { HeaderInput } from '../headers.js';

/** Why a delivery did not verify. Stable strings: safe to switch on and to log. */
export type VerifyFailureReason =
  | 'invalid_input' // the caller's input could not be read or makes no sense: not an object, a revoked Proxy
  //                   or a throwing getter (input, secret list, headers), a broken `now`, an unusable tolerance
  | 'no_secret' // no usable secret configured: we fail closed
  | 'invalid_body' // body is not a string, Buffer or Uint8Array
  | 'missing_header' // signature (or timestamp / id) header absent or empty
  | 'multiple_headers' // the header was sent several times with different values
  | 'malformed_header' // present but not in the scheme's format
  | 'timestamp_outside_tolerance' // signed, but too old or too far in the future (replay)
  | 'signature_mismatch'; // well-formed, but no secret produces it

export type VerifyResult =
  | {
      ok: true;
      /** Index into the secrets you passed of the one that matched (rotation). */
      secretIndex: number;
      /** Signed timestamp in unix seconds, for timestamped schemes. */
      timestamp?: number;
    }
  | { ok: false; reason: VerifyFailureReason; message: string };

export interface VerifyInput {
  /** The exact raw request body. Never a re-serialized object. */
  body: RawBody;
  headers: HeaderInput;
  /** One secret, or several while a secret is being rotated. Empty → fails closed. */
  secret: string | readonly string[] | undefined | null;
  /**
   * Clock for timestamped schemes: a valid Date or finite epoch milliseconds. Default
   * (undefined or null): Date.now(). Anything else fails `invalid_input`, never the real clock.
   */
  now?: Date | number;
  /** Override the scheme's tolerance for timestamped schemes: finite seconds ≥ 0, else `invalid_input`. */
  toleranceSeconds?: number;
}

export interface SignInput {
  body: RawBody;
  secret: string;
  /** Unix seconds to sign with (timestamped schemes). Default: now. */
  timestamp?: number;
  /** Message id (Standard Webhooks). Default: a random `msg_…` id. */
  id?: string;
}

export type SchemeKind =
  'hmac-sha256-hex' | 'timestamped-hmac-sha256' | 'versioned-hmac-sha256' | 'standard-webhooks' | 'public-key';

/** A signature scheme: how a vendor signs a delivery and how to check it. */
export interface SignatureScheme {
  readonly kind: SchemeKind;
  /** Names of the headers the scheme reads and writes, as the vendor spells them. */
  readonly headerNames: readonly string[];
  /** For public-key schemes: the algorithm, so sandboxes can make a key pair for it. */
  readonly publicKeyAlgorithm?: 'ed25519' | 'ecdsa-p256-sha256';
  /** Headers to attach to a delivery of `body`. */
  sign(input: SignInput): Record<string, string>;
  /** Checks a delivery. Never throws: every failure is a `{ ok: false, reason }`. */
  verify(input: VerifyInput): VerifyResult;
}
