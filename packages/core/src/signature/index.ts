export { hmacHexScheme, type HmacHexOptions } from './hmac-hex.js';
export { timestampedScheme, type TimestampedOptions } from './timestamped.js';
export { versionedScheme, type VersionedOptions } from './versioned.js';
export { standardWebhooksScheme, type StandardWebhooksOptions } from './standard-webhooks.js';
export {
  generateSigningKeyPair,
  publicKeyOf,
  publicKeyScheme,
  verificationKeyOf,
  type PublicKeyAlgorithm,
  type PublicKeySchemeOptions,
} from './public-key.js';
export { sharedKeySet } from './key-registry.js';
export { refreshingKeySet, type RefreshingKeySet, type RefreshingKeySetOptions } from './key-set.js';
export type {
  SchemeKind,
  SignatureScheme,
  SignInput,
  VerifyFailureReason,
  VerifyInput,
  VerifyResult,
} from './types.js';
