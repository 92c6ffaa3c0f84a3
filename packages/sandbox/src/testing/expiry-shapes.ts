import type { EndpointDefinition, ExpiryDefinition, VendorDefinition } from '@hookpack/core';

/** An expiry as a public vendor documents it, with the renew endpoint it needs (if any). */
export interface ExpiryShape {
  expiry: ExpiryDefinition;
  renewEndpoint?: EndpointDefinition;
}

/**
 * The ways public vendors let subscriptions expire, for tests of the machinery on shipped
 * vendors' descriptions (none of which expires): `withExpiry(vendor, shape)` adds one.
 */
export const expiryShapes: Record<string, ExpiryShape> = {
  // Airtable style: a refresh endpoint answers with the new expiry; lapsed ones are switched off.
  'refresh endpoint, switched off at expiry': {
    expiry: {
      maxLifetimeMs: 7 * 86_400_000,
      field: { path: 'expiration_time', unit: 'iso' },
      renew: { kind: 'endpoint' },
      afterExpiry: 'disable',
    },
    renewEndpoint: { method: 'POST', path: '/webhooks/{id}/refresh' },
  },
  // Microsoft Graph style: an update sets a new expiry, at most the longest lifetime; lapsed ones are deleted.
  'update sets the expiry, deleted at expiry': {
    expiry: {
      maxLifetimeMs: 3 * 86_400_000,
      field: { path: 'expiration_date_time', unit: 'iso' },
      renew: { kind: 'patch', field: 'expiration_date_time' },
      afterExpiry: 'delete',
    },
  },
  // A fixed lifetime that cannot be extended: a new subscription replaces the old one.
  'recreated, Unix seconds, deleted at expiry': {
    expiry: {
      maxLifetimeMs: 86_400_000,
      field: { path: 'expires_at', unit: 'unix-seconds' },
      renew: { kind: 'recreate' },
      afterExpiry: 'delete',
    },
  },
};

/** `vendor` with `shape`'s expiry (and renew endpoint) added to its description. */
export function withExpiry(vendor: VendorDefinition, shape: ExpiryShape): VendorDefinition {
  if (!vendor.api) throw new Error(`${vendor.displayName} has no REST API to add an expiry to`);
  const prefix = vendor.api.endpoints.create!.path.replace(/\/$/, '');
  const endpoints = { ...vendor.api.endpoints };
  if (shape.renewEndpoint)
    endpoints.renew = { ...shape.renewEndpoint, path: shape.renewEndpoint.path.replace('/webhooks', prefix) };
  return { ...vendor, api: { ...vendor.api, endpoints, expiry: shape.expiry } };
}
