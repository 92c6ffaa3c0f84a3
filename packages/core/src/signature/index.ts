export { hmacHexScheme, type HmacHexOptions } from './hmac-hex.js';
export { timestampedScheme, type TimestampedOptions } from './timestamped.js';
export { standardWebhooksScheme, type StandardWebhooksOptions } from './standard-webhooks.js';
export type {
  SchemeKind,
  SignatureScheme,
  SignInput,
  VerifyFailureReason,
  VerifyInput,
  VerifyResult,
} from './types.js';
