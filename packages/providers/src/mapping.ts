import { z } from 'zod';
import type { VendorErrorInfo, WireError } from '@hookpack/core';

/**
 * Pulls a human message and field details out of the error bodies vendors send:
 * `{error: "…", details: {field: …}}` (Parsley), `{error: {message, …}}` (Stripe style),
 * `{message}` / `{detail}`. Unknown shapes yield {} — the client then words the error itself.
 */
export function commonErrorInfo(body: unknown): VendorErrorInfo {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, 500) } : {};
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const nested = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
  const message = [b.error, nested?.message, b.message, b.detail].find((m): m is string => typeof m === 'string');
  const detailsSource = b.details ?? nested?.details ?? b.errors;
  const details =
    detailsSource && typeof detailsSource === 'object' && !Array.isArray(detailsSource)
      ? (detailsSource as Record<string, unknown>)
      : nested && typeof nested.param === 'string'
        ? { [nested.param]: message ?? 'invalid' }
        : undefined;
  return { ...(message ? { message } : {}), ...(details ? { details } : {}) };
}

/** `{data: X}` → X (Parley wraps every response). */
export function unwrapData(body: unknown): unknown {
  return body && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : body;
}

/** A list response that is an array, or an array under one of `keys`. */
export function arrayIn(body: unknown, keys: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    for (const k of keys) {
      const v = (body as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v;
    }
  }
  throw new TypeError(`expected a list (an array${keys.length ? ` or {${keys.join('|')}: [...]}` : ''})`);
}

/** Copies defined entries only, so PATCH bodies never send `undefined` fields. */
export function defined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();

/** `{error: "…", details?: {field: …}}`: Parsley's documented error shape (also used where undocumented). */
export function flatErrorBody({ message, details }: WireError): Record<string, unknown> {
  return details ? { error: message, details } : { error: message };
}

/** Stripe's `{error: {type, message, param?}}` (Parlay follows Stripe's conventions). */
export function stripeErrorBody({ status, message, details }: WireError): Record<string, unknown> {
  const type =
    status === 401
      ? 'authentication_error'
      : status === 429
        ? 'rate_limit_error'
        : status >= 500
          ? 'api_error'
          : 'invalid_request_error';
  const param = details ? Object.keys(details)[0] : undefined;
  return { error: { type, message, ...(param ? { param } : {}), ...(details ? { details } : {}) } };
}
