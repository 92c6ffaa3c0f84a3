export { toBytes, type RawBody } from './bytes.js';
export { readHeader, headerValue, type HeaderInput, type HeaderValue, type HeaderLookup } from './headers.js';
export * from './signature/index.js';
export { webhookEventSchema, type WebhookEvent } from './event.js';
export {
  bodyHash,
  dedupeSources,
  deliveryDocument,
  envelopeCarriesId,
  MAX_BATCH_EVENTS,
  redeliveryIdentity,
  verifyDeliveryWithKeySets,
  type KeySetDeliveryInput,
  parseDelivery,
  verifyDelivery,
  type DeliveredEvent,
  type ParsedDelivery,
  type ParseDeliveryResult,
  type ParseFailureReason,
  type VerifyDeliveryInput,
  type VerifyDeliveryResult,
} from './delivery.js';
export type * from './vendor.js';
export {
  answerHandshake,
  handshakeAnswerProblem,
  handshakeCall,
  MAX_CHALLENGE_LENGTH,
  newChallenge,
  type HandshakeCall,
  type HandshakeFailureReason,
  type HandshakeRequestInput,
  type HandshakeVerdict,
} from './handshake.js';
export { zapierLimitations } from './platform-limits.js';
export { defaultBaseUrl, testOnlyEventType } from './test-event.js';
export * from './client/index.js';
export * from './dedupe/index.js';
export { resourceCodec, canPause, optionPath, mediaTypeOf } from './resource/codec.js';
export { getPath, setPath } from './resource/path.js';
export { envelopeFields } from './resource/envelope.js';
export {
  expiryOf,
  readTimestamp,
  renewalDueAt,
  RENEW_AT_FRACTION,
  requestedExpiry,
  requestedExpiryPath,
  writeTimestamp,
} from './resource/expiry.js';
export { oneEventPerSubscription, subscriptionGroups, usesAppSecret } from './resource/events.js';
export { generateSecret, secretRuleProblem, redactSecret } from './resource/secret.js';
export { validationStatusOf } from './resource/error-document.js';
export { linkNext, DEFAULT_MAX_PAGES } from './resource/pagination.js';
export {
  assertVendorDescription,
  checkVendorDescription,
  formatProblem,
  VendorDescriptionError,
  type DescriptionProblem,
} from './resource/check.js';
