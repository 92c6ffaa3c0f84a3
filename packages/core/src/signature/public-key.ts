import {
  generateKeyPairSync,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { bodyBytes, notABodyMessage, toBytes } from '../bytes.js';
import { lookupHeader, type HeaderInput } from '../headers.js';
import {
  clockMs,
  createKeyring,
  describe,
  fail,
  hasAnySecret,
  headerFailure,
  headerOption,
  isUnixSeconds,
  neverThrowing,
  readInput,
  readOptions,
  schemeTolerance,
  secretFailure,
  signingTimestamp,
  timeInputFailure,
  toleranceOf,
} from './shared.js';
import type { SignatureScheme, VerifyResult } from './types.js';

export type PublicKeyAlgorithm = 'ed25519' | 'ecdsa-p256-sha256';

export interface PublicKeySchemeOptions {
  algorithm: PublicKeyAlgorithm;
  /** Header carrying the signature (Discord: `X-Signature-Ed25519`). */
  header: string;
  /** How the signature bytes are written in the header. */
  encoding: 'hex' | 'base64';
  /**
   * Header carrying the signed unix timestamp, when the vendor signs one (SendGrid:
   * `X-Twilio-Email-Event-Webhook-Timestamp`). It is then checked against the tolerance.
   */
  timestampHeader?: string;
  /**
   * What is signed, in order: the timestamp header's value as written, a literal, the raw body.
   * Default: `['timestamp', 'body']` with a timestampHeader, else `['body']`.
   */
  signed?: readonly ('timestamp' | 'body' | { literal: string })[];
  /** ECDSA signatures as DER (default; what OpenSSL and most vendors send) or raw r‖s (IEEE P1363). */
  ecdsaEncoding?: 'der' | 'ieee-p1363';
  /** Allowed clock difference in seconds, both directions (with a timestampHeader). Default 300. */
  toleranceSeconds?: number;
}

/**
 * Public keys as vendors publish them: PEM (`-----BEGIN PUBLIC KEY-----`), or the base64 of
 * the DER SubjectPublicKeyInfo (SendGrid's `public_key`), or for Ed25519 the 32 raw key bytes
 * in hex (Discord's application public key). Anything else, or a key of another algorithm, is
 * unusable (null): the scheme fails closed with `no_secret` when no key is usable.
 */
function keyringFor(algorithm: PublicKeyAlgorithm) {
  const wantType = algorithm === 'ed25519' ? 'ed25519' : 'ec';
  return createKeyring((text) => {
    let key: KeyObject;
    try {
      if (text.startsWith('-----BEGIN')) key = createPublicKey(text);
      else if (algorithm === 'ed25519' && /^[0-9a-fA-F]{64}$/.test(text)) {
        key = createPublicKey({
          key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(text, 'hex')]),
          format: 'der',
          type: 'spki',
        });
      } else if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
        key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
      } else return null;
    } catch {
      return null;
    }
    if (key.asymmetricKeyType !== wantType) return null;
    if (wantType === 'ec' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return null;
    return key;
  });
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Deliveries signed with the vendor's private key and checked with its public key
 * (Ed25519, or ECDSA P-256 over SHA-256), over a declared signed string such as timestamp +
 * raw body. `verify`'s `secret` is the public key (several while the vendor rotates keys);
 * `sign`'s is the private key (PEM or base64 PKCS#8), for sandboxes and tests. Same contract
 * as every scheme: never throws, fails closed, works on the exact raw bytes.
 */
export function publicKeyScheme(options: PublicKeySchemeOptions): SignatureScheme {
  const read = readOptions('publicKeyScheme', options, [
    'algorithm',
    'header',
    'encoding',
    'timestampHeader',
    'signed',
    'ecdsaEncoding',
    'toleranceSeconds',
  ] as const);
  const algorithm = read.algorithm;
  if (algorithm !== 'ed25519' && algorithm !== 'ecdsa-p256-sha256') {
    throw new TypeError(
      `publicKeyScheme: algorithm must be "ed25519" or "ecdsa-p256-sha256", got ${describe(algorithm)}`,
    );
  }
  const header = headerOption('publicKeyScheme', read.header);
  const encoding = read.encoding;
  if (encoding !== 'hex' && encoding !== 'base64') {
    throw new TypeError(`publicKeyScheme: encoding must be "hex" or "base64", got ${describe(encoding)}`);
  }
  const timestampHeader =
    read.timestampHeader === undefined ? undefined : headerOption('publicKeyScheme', read.timestampHeader);
  const signedParts = readSignedParts(read.signed, timestampHeader);
  const dsaEncoding = read.ecdsaEncoding ?? 'der';
  if (dsaEncoding !== 'der' && dsaEncoding !== 'ieee-p1363') {
    throw new TypeError(`publicKeyScheme: ecdsaEncoding must be "der" or "ieee-p1363", got ${describe(dsaEncoding)}`);
  }
  const defaultTolerance = schemeTolerance(read.toleranceSeconds);
  const keys = keyringFor(algorithm);
  const digest = algorithm === 'ed25519' ? null : 'sha256';
  const keyOptions = (key: KeyObject) => (algorithm === 'ed25519' ? key : { key, dsaEncoding });

  const signedBytes = (timestamp: string | undefined, body: Uint8Array): Buffer =>
    Buffer.concat(
      signedParts.map((part) =>
        part === 'body'
          ? body
          : part === 'timestamp'
            ? Buffer.from(timestamp ?? '', 'utf8')
            : Buffer.from(part.literal, 'utf8'),
      ),
    );

  return {
    kind: 'public-key',
    publicKeyAlgorithm: algorithm,
    headerNames: timestampHeader ? [header, timestampHeader] : [header],
    sign({ body, secret, timestamp }) {
      const bytes = toBytes(body);
      if (!bytes) throw new TypeError('body must be a string, Buffer or Uint8Array');
      if (typeof secret !== 'string' || secret.trim() === '') throw new TypeError('secret must be a private key');
      const text = secret.trim();
      const privateKey = text.startsWith('-----BEGIN')
        ? createPrivateKey(text)
        : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
      const t = timestampHeader ? signingTimestamp(timestamp) : undefined;
      const signature = cryptoSign(digest, signedBytes(t, bytes), keyOptions(privateKey) as never);
      return {
        [header]: signature.toString(encoding),
        ...(timestampHeader && t !== undefined ? { [timestampHeader]: t } : {}),
      };
    },
    verify: neverThrowing((input): VerifyResult => {
      const fields = readInput(input, timestampHeader !== undefined);
      if (fields.ok === false) return fields;
      const publicKeys = keys(fields.secret);
      if (typeof publicKeys === 'symbol') return secretFailure(publicKeys);
      if (!hasAnySecret(publicKeys)) return fail('no_secret', 'no public key is configured');
      const bytes = bodyBytes(fields.body);
      if (typeof bytes === 'string') return fail('invalid_body', notABodyMessage(bytes));
      let timestamp: string | undefined;
      let nowMs = 0;
      let tolerance = 0;
      if (timestampHeader) {
        nowMs = clockMs(fields.now);
        tolerance = toleranceOf(fields.toleranceSeconds, defaultTolerance);
        const badTime = timeInputFailure(nowMs, tolerance);
        if (badTime) return badTime;
        const t = lookupHeader(fields.headers as HeaderInput, timestampHeader.toLowerCase(), timestampHeader);
        if (typeof t !== 'string') return headerFailure(t, timestampHeader);
        timestamp = t.trim();
        if (!isUnixSeconds(timestamp)) return fail('malformed_header', `${timestampHeader} must be unix seconds`);
      }
      // lookupHeader takes the lower-case name first: Node and fetch hand headers over lower-cased.
      const raw = lookupHeader(fields.headers as HeaderInput, header.toLowerCase(), header);
      if (typeof raw !== 'string') return headerFailure(raw, header);
      const signature = decodeSignature(raw.trim(), encoding);
      if (!signature || (algorithm === 'ed25519' && signature.length !== 64)) {
        return fail('malformed_header', `${header} is not a ${encoding} ${algorithm} signature`);
      }
      if (timestamp !== undefined && Math.abs(nowMs / 1000 - Number(timestamp)) > tolerance) {
        return fail('timestamp_outside_tolerance', `${timestampHeader} is more than ${tolerance} s away from now`);
      }
      const data = signedBytes(timestamp, bytes);
      let usable = false;
      for (let i = 0; i < publicKeys.length; i++) {
        const key = publicKeys[i];
        if (!key) continue;
        usable = true;
        let good = false;
        try {
          good = cryptoVerify(digest, data, keyOptions(key) as never, signature);
        } catch {
          good = false; // a signature OpenSSL cannot even parse (bad DER) verifies nothing
        }
        if (good)
          return { ok: true, secretIndex: i, ...(timestamp !== undefined ? { timestamp: Number(timestamp) } : {}) };
      }
      if (!usable) return fail('no_secret', `no configured key is a usable ${algorithm} public key`);
      return fail('signature_mismatch', `${header} does not verify with the configured public key`);
    }),
  };
}

function readSignedParts(value: unknown, timestampHeader: string | undefined) {
  const parts = value ?? (timestampHeader ? ['timestamp', 'body'] : ['body']);
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new TypeError('publicKeyScheme: signed must be a non-empty list of "timestamp", "body" or { literal }');
  }
  const out: ('timestamp' | 'body' | { literal: string })[] = [];
  for (const part of parts as unknown[]) {
    if (part === 'body') out.push('body');
    else if (part === 'timestamp') {
      if (!timestampHeader)
        throw new TypeError('publicKeyScheme: signed names "timestamp" but there is no timestampHeader');
      out.push('timestamp');
    } else if (part && typeof part === 'object' && typeof (part as { literal?: unknown }).literal === 'string') {
      out.push({ literal: (part as { literal: string }).literal });
    } else throw new TypeError(`publicKeyScheme: signed has an unknown part ${describe(part)}`);
  }
  if (!out.includes('body')) throw new TypeError('publicKeyScheme: signed must include "body"');
  return out;
}

function decodeSignature(text: string, encoding: 'hex' | 'base64'): Buffer | undefined {
  if (text === '' || text.length > 1024) return undefined;
  if (encoding === 'hex') return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : undefined;
}

/**
 * A fresh key pair for an algorithm, as vendors hand keys out: the private key as base64 PKCS#8
 * DER (what `sign` takes), the public key as base64 SPKI DER (SendGrid's `public_key` form,
 * what `verify` takes). For sandboxes and tests.
 */
export function generateSigningKeyPair(algorithm: PublicKeyAlgorithm): { privateKey: string; publicKey: string } {
  const pair =
    algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** The base64 SPKI public key of a private key (PEM or base64 PKCS#8); undefined when it is not one. */
export function publicKeyOf(privateKey: string): string | undefined {
  try {
    const text = privateKey.trim();
    const key = text.startsWith('-----BEGIN')
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
    return createPublicKey(key).export({ format: 'der', type: 'spki' }).toString('base64');
  } catch {
    return undefined;
  }
}

/**
 * What verifies deliveries signed with `signingSecret` under `scheme`: for public-key schemes
 * the public half of the private key, for shared-secret schemes the secret itself. For
 * sandboxes and tests that sign as the vendor does.
 */
export function verificationKeyOf(scheme: Pick<SignatureScheme, 'kind'>, signingSecret: string): string {
  return scheme.kind === 'public-key' ? (publicKeyOf(signingSecret) ?? signingSecret) : signingSecret;
}
