import type { VendorDefinition } from '@hookpack/core';
import { newSigningSecret } from '@hookpack/sandbox';

/**
 * A secret nobody configured, in the form the vendor's scheme signs with (a fresh private key for
 * public-key vendors; the vendor's secret form for shared secrets), so a forgery fails on the
 * signature and not on the secret's shape.
 */
export function wrongSecret(vendor: VendorDefinition): string {
  return newSigningSecret(vendor);
}
