export {
  createSubscriptionClient,
  createSubscriptionClientWith,
  leftBehindOf,
  rotationOf,
  type DeleteEachResult,
  type RenewResult,
  type SubscriptionClient,
} from './client.js';
export type { SubscriptionClientOptions, FetchLike, ClientRuntime } from './config.js';
export type { ClientCredentialsInput } from './client-credentials.js';
export { defaultRetryOptions, parseRetryAfter, type RetryOptions } from './backoff.js';
export {
  HookpackApiError,
  RateLimitError,
  UnsupportedOperationError,
  HookpackInputError,
  type ApiErrorCode,
  type HookpackApiErrorInit,
} from './errors.js';
export { formatDetails } from './messages.js';
