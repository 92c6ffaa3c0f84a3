import type { ClientCredentialsInput, VendorDefinition } from '@hookpack/core';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { authFieldName, CREDENTIAL_FIELDS } from './credential.js';

/** How the REST client authenticates, from the node's credential. */
export type ClientAuth = { apiKey: string } | { clientCredentials: ClientCredentialsInput };

/** What the vendor credential gives the REST client, and the key that seals stored secrets. */
export interface ApiCredentials {
  auth: ClientAuth;
  baseUrl: string;
  allowHttpWebhookUrl: boolean;
  /** Seals the subscription secrets in the node's state: the API key, or the app's client secret. */
  sealKey: string;
}

export function apiCredentials(vendor: VendorDefinition, credentials: ICredentialDataDecryptedObject): ApiCredentials {
  const text = (name: string) => String(credentials[name] ?? '');
  const base = {
    baseUrl: String(credentials[CREDENTIAL_FIELDS.baseUrl] ?? vendor.api!.baseUrl),
    allowHttpWebhookUrl: credentials[CREDENTIAL_FIELDS.allowHttpWebhookUrl] === true,
  };
  if (vendor.auth.kind !== 'clientCredentials') {
    const apiKey = text(CREDENTIAL_FIELDS.apiKey);
    return { ...base, auth: { apiKey }, sealKey: apiKey };
  }
  const clientSecret = text(CREDENTIAL_FIELDS.clientSecret);
  const tokenUrl = text(CREDENTIAL_FIELDS.tokenUrl).trim();
  return {
    ...base,
    auth: {
      clientCredentials: {
        clientId: text(CREDENTIAL_FIELDS.clientId),
        clientSecret,
        fields: Object.fromEntries(vendor.auth.fields.map((f) => [f.name, text(authFieldName(f.name))])),
        ...(tokenUrl ? { tokenUrl } : {}),
      },
    },
    sealKey: clientSecret,
  };
}
