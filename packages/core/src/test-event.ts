import type { RestApiDefinition, VendorDefinition } from './vendor.js';

/**
 * The event type only the vendor's test endpoint sends (Parlay's `webhook.test`), when its
 * description names a fixed one. Integrations keep it out of what users pick as a trigger.
 */
export function testOnlyEventType(vendor: Pick<VendorDefinition, 'api'>): string | undefined {
  const testEvent = vendor.api?.testEvent;
  return testEvent && 'type' in testEvent ? testEvent.type : undefined;
}

/** The base URL integrations default to: the documented one, unless the docs only show it as an example. */
export function defaultBaseUrl(api: Pick<RestApiDefinition, 'baseUrl' | 'baseUrlRole'>): string | undefined {
  return api.baseUrlRole === 'example' ? undefined : api.baseUrl;
}
