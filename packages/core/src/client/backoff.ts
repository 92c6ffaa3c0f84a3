/** Retry timing: Retry-After parsing and exponential backoff with full jitter. */
import { HookpackInputError } from './errors.js';

export interface RetryOptions {
  /** Total HTTP attempts per logical call, first one included (default 3). */
  maxAttempts: number;
  /** First backoff ceiling; doubles per retry (default 500 ms). */
  baseDelayMs: number;
  /** Upper bound of one backoff (default 10 s). */
  maxDelayMs: number;
  /** Longest Retry-After we are willing to wait; longer → RateLimitError (default 60 s). */
  maxRetryAfterMs: number;
}

export const defaultRetryOptions: RetryOptions = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds (`"120"`, tolerated `"1.5"`) or an
 * HTTP date. A date in the past means 0. Missing or unreadable → undefined.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only accept things that look like dates: Date.parse is lenient with bare numbers and junk.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Full jitter: uniform in [0, min(maxDelay, base·2^(retry-1))]. `retry` counts from 1. */
export function backoffDelay(retry: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

export function resolveRetryOptions(partial: Partial<RetryOptions> | undefined): RetryOptions {
  const merged = { ...defaultRetryOptions, ...stripUndefined(partial ?? {}) };
  const check = (name: keyof RetryOptions, min: number) => {
    const v = merged[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
      throw new HookpackInputError(`retry.${name} must be a finite number ≥ ${min}, got ${String(v)}`);
    }
  };
  check('maxAttempts', 1);
  check('baseDelayMs', 0);
  check('maxDelayMs', 0);
  check('maxRetryAfterMs', 0);
  merged.maxAttempts = Math.floor(merged.maxAttempts);
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
