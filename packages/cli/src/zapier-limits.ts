import { zapierLimitations, type VendorDefinition } from '@hookpack/core';
import { triggerKey } from '@hookpack/zapier';

/**
 * What a vendor declares that a Zapier app cannot do, as sentences naming the field; empty when
 * it can be built. The one place such checks go (`hookpack build zapier` refuses on the first).
 */
export function zapierLimits(vendor: VendorDefinition): string[] {
  // What the platform cannot do at all (answer a URL handshake), then what the names cannot become.
  const reasons: string[] = [...zapierLimitations(vendor)];
  if (vendor.auth.kind === 'clientCredentials')
    reasons.push(
      `auth: "clientCredentials" (an app's client id and secret exchanged for tokens): hookpack's Zapier apps take API keys only so far`,
    );
  const keys = new Map<string, string>();
  for (const event of vendor.events) {
    let key: string;
    try {
      key = triggerKey(event.type);
    } catch {
      reasons.push(`events: "${event.type}" cannot become a Zapier trigger key (letters, digits and _ only)`);
      continue;
    }
    const twin = keys.get(key);
    if (twin) reasons.push(`events: "${twin}" and "${event.type}" both become the Zapier trigger key "${key}"`);
    keys.set(key, event.type);
  }
  return reasons;
}
