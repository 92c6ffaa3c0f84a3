import { z } from 'zod';
import type { ErrorFormat } from '@hookpack/core';

export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();

/** `{error: "…", details?: {field: …}}`: Parsley's documented error shape (also used where undocumented). */
export const flatErrors: ErrorFormat = { kind: 'object', message: 'error', details: 'details' };

/** Stripe's `{error: {type, message, param?}}` (Parlay follows Stripe's conventions). */
export const stripeErrors: ErrorFormat = {
  kind: 'object',
  message: 'error.message',
  details: 'error.details',
  param: 'error.param',
  type: {
    path: 'error.type',
    byStatus: { 401: 'authentication_error', 429: 'rate_limit_error' },
    server: 'api_error',
    default: 'invalid_request_error',
  },
};
