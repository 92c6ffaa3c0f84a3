import type { VendorDefinition } from '@hookpack/core';

/** `parsleyRecipes` → `ParsleyRecipes`: n8n class names and file names. */
export function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** The names n8n knows a vendor's node and credential by (type names, classes, files). */
export function namesFor(
  vendor: Pick<VendorDefinition, 'id' | 'displayName'> & Partial<Pick<VendorDefinition, 'api'>>,
) {
  return {
    nodeName: `${vendor.id}Trigger`,
    nodeClass: `${pascal(vendor.id)}Trigger`,
    nodeDisplayName: `${vendor.displayName} Trigger`,
    // Credential type names are global in n8n (node types get the package's prefix, credentials
    // do not): a later package's `openAiApi` replaces n8n's own, breaking its OpenAI nodes.
    credentialName: `hookpack${pascal(vendor.id)}Api`,
    credentialClass: `Hookpack${pascal(vendor.id)}Api`,
    // A vendor without an API is configured by hand: its credential holds only the signing secret.
    credentialDisplayName:
      vendor.api === undefined ? `${vendor.displayName} Signing Secret` : `${vendor.displayName} API`,
    icon: `${vendor.id}.svg`,
    iconRef: `file:${vendor.id}.svg` as `file:${string}.svg`,
  };
}
