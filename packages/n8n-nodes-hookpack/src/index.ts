import type { VendorDefinition } from '@hookpack/core';
import { vendors as builtInVendors } from '@hookpack/providers';
import { createCredentialClass } from './credential.js';
import { createDedupeCredentialClass } from './dedupe-credential.js';
import { createTriggerNodeClass } from './trigger.js';

export { authFieldName, createCredentialClass } from './credential.js';
export { createDedupeCredentialClass, DEDUPE_CREDENTIAL } from './dedupe-credential.js';
export { createTriggerNodeClass } from './trigger.js';
export { createCloudTriggerNodeClass } from './cloud.js';
export type { SharedDedupe } from './shared-dedupe.js';
export { namesFor } from './names.js';
/** The vendors this package ships nodes for (typed with @hookpack/core only, so its declarations need no providers). */
export const vendors: readonly VendorDefinition[] = builtInVendors;

function vendorById(id: string): VendorDefinition {
  const vendor = vendors.find((v) => v.id === id);
  if (!vendor) throw new Error(`n8n-nodes-hookpack: no vendor "${id}" (known: ${vendors.map((v) => v.id).join(', ')})`);
  return vendor;
}

/** The trigger node class of a vendor, by id: what the generated *.node.js files export. */
export function triggerNodeFor(id: string) {
  return createTriggerNodeClass(vendorById(id));
}

/** The credential class of a vendor, by id: what the generated *.credentials.js files export. */
export function credentialFor(id: string) {
  return createCredentialClass(vendorById(id));
}

/** The shared dedupe-store credential (Redis): what dist/credentials/HookpackRedis.credentials.js exports. */
export function dedupeCredential() {
  return createDedupeCredentialClass();
}
