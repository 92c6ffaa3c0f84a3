import type { VendorDefinition } from '../vendor.js';
import { resolveRetryOptions, type RetryOptions } from './backoff.js';
import { HookpackInputError } from './errors.js';
import { defaultBaseUrl } from '../test-event.js';
import {
  resolveClientCredentials,
  type ClientCredentialsInput,
  type ResolvedClientCredentials,
} from './client-credentials.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface SubscriptionClientOptions {
  /** The user's API key for this vendor (`auth.kind: 'apiKey'`). Trimmed; never appears in errors. */
  apiKey?: string;
  /** The app's client id and secret, for vendors with `auth.kind: 'clientCredentials'`. Never appear in errors. */
  clientCredentials?: ClientCredentialsInput;
  /**
   * Defaults to the vendor's documented production base URL; required where the docs name none
   * (`baseUrlRole: 'example'`). Set it for sandboxes, staging, self-hosting.
   */
  baseUrl?: string;
  /**
   * Defaults to the global `fetch`; inject one for tests or custom agents/proxies. A host that
   * provides HTTP and timers itself passes them to `createSubscriptionClientWith` instead.
   */
  fetch?: FetchLike;
  /** Per-attempt timeout (default 30 s). */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Allow `http://` target URLs for vendors that require HTTPS (local sandboxes). */
  allowInsecureTargetUrl?: boolean;
  userAgent?: string;
  /** Waits between attempts; inject to make tests instant. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1); inject for deterministic tests. */
  random?: () => number;
  /** Clock for HTTP-date Retry-After values. */
  now?: () => number;
}

export interface ResolvedClientConfig {
  apiKey: string;
  clientCredentials?: ResolvedClientCredentials;
  baseUrl: string;
  fetch: FetchLike;
  timeoutMs: number;
  retry: RetryOptions;
  allowInsecureTargetUrl: boolean;
  userAgent: string;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

/**
 * What the host gives the client to talk HTTP and to wait between attempts. The n8n nodes pass
 * n8n's own (n8n Cloud allows community nodes no timer globals); `createSubscriptionClient`
 * passes Node's global `fetch` and `setTimeout`.
 */
export interface ClientRuntime {
  fetch: FetchLike;
  sleep: (ms: number) => Promise<void>;
}

export const defaultUserAgent = 'hookpack/0.1 (+@hookpack/core)';
export const defaultTimeoutMs = 30_000;

/** Validates everything up front so no request is ever sent with a broken configuration. */
export function resolveClientConfig(
  vendor: VendorDefinition,
  options: SubscriptionClientOptions,
  runtime: ClientRuntime,
): ResolvedClientConfig {
  if (options == null || typeof options !== 'object') {
    throw new HookpackInputError(`${vendor.displayName} client: options object with an apiKey is required`);
  }
  const api = vendor.api;
  const apiKey = api && vendor.auth.kind === 'apiKey' ? checkApiKey(vendor, options.apiKey) : '';
  const clientCredentials =
    api && vendor.auth.kind === 'clientCredentials'
      ? resolveClientCredentials(vendor, options.clientCredentials)
      : undefined;
  if (api && options.baseUrl === undefined && defaultBaseUrl(api) === undefined) {
    throw new HookpackInputError(
      `${vendor.displayName} documents no production API address (its docs only show ${api.baseUrl}): pass options.baseUrl`,
    );
  }
  const baseUrl = normalizeBaseUrl(vendor.displayName, options.baseUrl ?? api?.baseUrl ?? 'http://invalid.invalid');
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new HookpackInputError(`timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  const fetchImpl = options.fetch ?? runtime?.fetch;
  if (typeof fetchImpl !== 'function') {
    throw new HookpackInputError('no fetch implementation: pass options.fetch or use Node ≥ 18');
  }
  const sleep = options.sleep ?? runtime?.sleep;
  if (typeof sleep !== 'function') {
    throw new HookpackInputError(
      'no sleep function: pass options.sleep, or the runtime of createSubscriptionClientWith',
    );
  }
  const userAgent = options.userAgent ?? defaultUserAgent;
  if (/[\r\n]/.test(userAgent)) throw new HookpackInputError('userAgent must not contain line breaks');
  return {
    apiKey,
    ...(clientCredentials && { clientCredentials }),
    baseUrl,
    fetch: fetchImpl,
    timeoutMs,
    retry: resolveRetryOptions(options.retry),
    allowInsecureTargetUrl: options.allowInsecureTargetUrl === true,
    userAgent,
    sleep,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
}

function checkApiKey(vendor: VendorDefinition, raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new HookpackInputError(
      `${vendor.displayName} API key is missing: pass options.apiKey` +
        (vendor.auth.kind === 'apiKey' && vendor.auth.keyHelp ? ` (${vendor.auth.keyHelp})` : ''),
    );
  }
  const key = raw.trim();
  // A header value cannot carry these; say so without echoing the key.
  if (/[^\x21-\x7e]/.test(key)) {
    throw new HookpackInputError(
      `${vendor.displayName} API key contains spaces, line breaks or non-ASCII characters: paste the key alone`,
    );
  }
  return key;
}

/** `https://host/api/v1///` → `https://host/api/v1`; rejects anything but http(s) URLs. */
export function normalizeBaseUrl(vendorName: string, raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new HookpackInputError(`${vendorName} base URL is empty`);
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new HookpackInputError(`${vendorName} base URL is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HookpackInputError(`${vendorName} base URL must be http(s), got "${raw}"`);
  }
  if (url.username || url.password) {
    throw new HookpackInputError(`${vendorName} base URL must not contain credentials; pass the API key as apiKey`);
  }
  if (url.search || url.hash) {
    throw new HookpackInputError(`${vendorName} base URL must not have a query or fragment: "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}
