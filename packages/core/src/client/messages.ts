import type { Operation, VendorDefinition } from '../vendor.js';
import { HookpackApiError, RateLimitError, type ApiErrorCode } from './errors.js';

/** What we know about a non-2xx answer, already parsed. */
export interface HttpFailure {
  status: number;
  vendorMessage?: string;
  details?: Record<string, unknown>;
  retryAfterMs?: number;
  /** Location header of a 3xx (we never follow redirects: they would drop the method or leak the key). */
  location?: string;
}

/** Context that lets a message name the thing the user asked for. */
export interface CallContext {
  operation: Operation;
  /** Subscription id for id-based operations. */
  id?: string;
  /** Event types in the request (create / update), to name paid ones on 403. */
  events?: string[];
  apiKey: string;
}

export function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 400 || status === 422) return 'validation';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'http_error';
}

export function httpError(vendor: VendorDefinition, ctx: CallContext, failure: HttpFailure): HookpackApiError {
  const name = vendor.displayName;
  const { status } = failure;
  const code = codeForStatus(status);
  // The vendor's words without their own full stop, so the sentence ends once ("…key".).
  const quoted = failure.vendorMessage?.trim().replace(/[.!?]+$/, '');
  const said = quoted ? ` ${name} said: "${quoted}".` : '';
  let message: string;
  switch (code) {
    case 'unauthorized':
      message =
        vendor.auth.kind === 'clientCredentials'
          ? `${name} refused the access token it issued for the app's client credentials (401), also after a new one was fetched.${said} Check that the app has the API permissions this needs, granted by an administrator.`
          : `${name} rejected the API key: invalid or revoked (401).${said}${keyPrefixHint(vendor, ctx.apiKey)}`;
      break;
    case 'forbidden': {
      const paid = paidEventsIn(vendor, ctx.events);
      message =
        paid.length > 0
          ? `${name} refused ${ctx.operation} (403): ${joinAnd(paid)} ${paid.length === 1 ? 'needs' : 'need'} a paid plan or credits.${said}`
          : `${name} refused ${ctx.operation} (403): the API key's account is not allowed to do this (plan or permissions).${said}`;
      break;
    }
    case 'not_found':
      message = ctx.id
        ? `${name} has no subscription "${ctx.id}" (${status}).${said}`
        : `${name} answered ${status} to ${ctx.operation}: check the base URL.${said}`;
      break;
    case 'validation':
      message = `${name} rejected the ${ctx.operation} request as invalid (${status}).${said}${formatDetails(failure.details)}`;
      break;
    case 'rate_limited':
      message =
        `${name} rate limit hit on ${ctx.operation} (429)` +
        (failure.retryAfterMs !== undefined ? `; it asks to retry after ${formatMs(failure.retryAfterMs)}.` : '.') +
        said;
      break;
    case 'server':
      message = `${name} had a server error on ${ctx.operation} (${status}).${said}`;
      break;
    default:
      if (status >= 300 && status < 400) {
        message =
          `${name} redirected ${ctx.operation} (${status})` +
          (failure.location ? ` to ${failure.location}: use that as the base URL.` : ': check the base URL.');
        break;
      }
      message = `${name} answered ${status} to ${ctx.operation}.${said}${formatDetails(failure.details)}`;
  }
  const init = {
    code,
    vendor: name,
    operation: ctx.operation,
    status,
    vendorMessage: failure.vendorMessage,
    details: failure.details,
    retryAfterMs: failure.retryAfterMs,
  };
  return code === 'rate_limited' ? new RateLimitError(message, init) : new HookpackApiError(message, init);
}

function paidEventsIn(vendor: VendorDefinition, events: string[] | undefined): string[] {
  const paid = vendor.api?.paidEvents ?? vendor.events.filter((e) => e.paid).map((e) => e.type);
  if (paid.length === 0) return [];
  // Without the request's events we still know which events could cause it.
  if (!events) return [];
  return events.filter((e) => paid.includes(e));
}

function keyPrefixHint(vendor: VendorDefinition, apiKey: string): string {
  if (vendor.auth.kind !== 'apiKey' || vendor.auth.keyPrefixes.length === 0) return '';
  if (vendor.auth.keyPrefixes.some((p) => apiKey.startsWith(p))) return '';
  return ` The key does not start with ${vendor.auth.keyPrefixes.map((p) => `"${p}"`).join(' or ')} as ${vendor.displayName} keys do.`;
}

export function formatDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  const parts = Object.entries(details).map(([field, problem]) => `${field}: ${describe(problem)}`);
  return parts.length ? ` Details: ${parts.join('; ')}.` : '';
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(describe).join(', ');
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** Removes the API key (and anything else secret we know of) from text we got from outside. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
