import type { RestApiDefinition, VendorDefinition } from '../vendor.js';

/** The vendor's subscriptions carry one event each (Shopify's `topic`): k events, k subscriptions. */
export function oneEventPerSubscription(vendor: { api?: Pick<RestApiDefinition, 'resource'> }): boolean {
  return vendor.api?.resource.eventsPerSubscription === 'one';
}

/**
 * The event lists of the subscriptions a trigger on `events` owns: one list for vendors whose
 * subscriptions carry many events, one single-event list per event (deduplicated, in order) for
 * the others.
 */
export function subscriptionGroups(vendor: Pick<VendorDefinition, 'api'>, events: readonly string[]): string[][] {
  if (!oneEventPerSubscription(vendor)) return [[...events]];
  return [...new Set(events)].map((e) => [e]);
}

/** The signing secret is the app's own, entered in the credential: the API never carries one. */
export function usesAppSecret(vendor: Pick<VendorDefinition, 'signature'>): boolean {
  return vendor.signature.secretSource === 'app';
}
