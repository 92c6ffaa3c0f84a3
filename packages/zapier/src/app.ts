import { assertVendorDescription, type VendorDefinition } from '@hookpack/core';
import { hasRestApi } from './api.js';
import { addAuthHeader, authenticationFor, handleAuthErrors } from './auth.js';
import { restHookTrigger, staticHookTrigger } from './triggers.js';

export interface ZapierAppOptions {
  /** The app's version (its package.json version). */
  version: string;
  /** The zapier-platform-core version the app runs on (its exact dependency). */
  platformVersion: string;
}

/**
 * A Zapier app definition for one vendor: REST-hook triggers with custom (API key) auth for
 * vendors with a subscription API, static-hook triggers for vendors set up by hand.
 * Everything vendor-specific comes from the VendorDefinition.
 */
export function createZapierApp(vendor: VendorDefinition, options: ZapierAppOptions) {
  assertVendorDescription(vendor); // an inconsistent description fails the build, not a Zap
  if (vendor.events.length === 0) throw new Error(`${vendor.id}: no events in the catalog, nothing to trigger on`);
  const rest = hasRestApi(vendor) ? vendor : undefined;
  if (rest) {
    for (const op of ['create', 'delete'] as const) {
      if (!rest.api.endpoints[op]) throw new Error(`${vendor.id}: REST hooks need a "${op}" endpoint`);
    }
  }
  const triggers: Record<string, ReturnType<typeof restHookTrigger> | ReturnType<typeof staticHookTrigger>> = {};
  for (const event of vendor.events) {
    const trigger = rest ? restHookTrigger(rest, event) : staticHookTrigger(vendor, event);
    if (triggers[trigger.key])
      throw new Error(
        `${vendor.id}: events "${event.type}" and "${triggers[trigger.key]!.display.label}" map to one trigger key "${trigger.key}"`,
      );
    triggers[trigger.key] = trigger;
  }
  return {
    version: options.version,
    platformVersion: options.platformVersion,
    ...(rest
      ? {
          authentication: authenticationFor(rest),
          beforeRequest: [addAuthHeader(rest)],
          afterResponse: [handleAuthErrors(rest)],
          // Let afterResponse see 429s so the ThrottledError carries the vendor's Retry-After.
          flags: { throwForThrottlingEarly: false },
        }
      : {}),
    triggers,
  };
}

export type ZapierApp = ReturnType<typeof createZapierApp>;
