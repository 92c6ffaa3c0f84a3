import type { Operation } from '../vendor.js';

/** Machine-readable class of a failed API call. */
export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'conflict'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'invalid_response'
  | 'http_error';

export interface HookpackApiErrorInit {
  code: ApiErrorCode;
  vendor: string;
  /** The API operation, or `token`: the access-token request of a client-credentials vendor. */
  operation: Operation | 'token';
  /** HTTP status, when the vendor answered at all. */
  status?: number;
  /** The vendor's own error message, as sent (API key redacted). */
  vendorMessage?: string;
  /** Field-level validation details, keyed by field name. */
  details?: Record<string, unknown>;
  /** How long the vendor asked us to wait (429 / 503 with Retry-After). */
  retryAfterMs?: number;
  /** Number of HTTP attempts made for this call. */
  attempts?: number;
  cause?: unknown;
}

/**
 * Every failure of a call to a vendor's REST API: an HTTP error status, a network failure,
 * a timeout, or a response hookpack cannot read. `message` is written for the person who
 * has to fix it and never contains the API key or a webhook secret.
 */
export class HookpackApiError extends Error {
  override name = 'HookpackApiError';
  readonly code: ApiErrorCode;
  readonly vendor: string;
  readonly operation: Operation | 'token';
  readonly status: number | undefined;
  readonly vendorMessage: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterMs: number | undefined;
  attempts: number;
  /**
   * The message as first written for the failure itself. What the client appends afterwards
   * (cleanup done, a subscription possibly left behind) is `message` minus this prefix.
   */
  readonly firstMessage: string;
  /**
   * True when the vendor may have carried the request out although we got no usable answer
   * (5xx, timeout, connection reset, unreadable 2xx). False when it provably did not (4xx,
   * 429, connection refused).
   */
  mayHaveActed = false;

  constructor(message: string, init: HookpackApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.vendor = init.vendor;
    this.operation = init.operation;
    this.status = init.status;
    this.vendorMessage = init.vendorMessage;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
    this.firstMessage = message;
  }

  /** Sentences the client added to the message after the failure (cleanup, what may be left). */
  get addendum(): string {
    return this.message.startsWith(this.firstMessage) ? this.message.slice(this.firstMessage.length).trim() : '';
  }
}

/** 429 that we did not (or could no longer) wait out; `retryAfterMs` says how long to wait. */
export class RateLimitError extends HookpackApiError {
  override name = 'RateLimitError';
}

/** The vendor's API has no documented endpoint for this operation. Thrown before any request. */
export class UnsupportedOperationError extends Error {
  override name = 'UnsupportedOperationError';
  readonly code = 'unsupported_operation';
  constructor(
    readonly vendor: string,
    readonly operation: Operation,
    reason?: string,
  ) {
    super(`${vendor} does not support ${operation}${reason ? `: ${reason}` : ''}`);
  }
}

/** Bad configuration or arguments (missing API key, non-URL base URL, empty events…). */
export class HookpackInputError extends Error {
  override name = 'HookpackInputError';
  readonly code = 'invalid_input';
}
