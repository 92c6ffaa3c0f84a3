import type { ClientCredentialsInput, VendorDefinition } from '@hookpack/core';
import type { Sandbox } from '../sandbox.js';

/**
 * What a client passes to authenticate against the sandbox playing `vendor`: its API key, or for
 * client-credentials vendors its app id and secret, token endpoint and a value for each field the
 * token URL names. `spoiled`: the same with a wrong key or secret.
 */
export function sandboxAuth(
  sandbox: Sandbox,
  vendor: VendorDefinition,
  spoiled = false,
): { apiKey: string } | { clientCredentials: ClientCredentialsInput } {
  const spoil = (value: string) => (spoiled ? `${value}x` : value);
  if (vendor.auth.kind !== 'clientCredentials') return { apiKey: spoil(sandbox.apiKey(vendor.id)) };
  const { clientId, clientSecret, tokenUrl } = sandbox.clientCredentials(vendor.id);
  return {
    clientCredentials: {
      clientId,
      clientSecret: spoil(clientSecret),
      tokenUrl,
      fields: Object.fromEntries(vendor.auth.fields.map((f) => [f.name, `sandbox-${f.name}`])),
    },
  };
}
