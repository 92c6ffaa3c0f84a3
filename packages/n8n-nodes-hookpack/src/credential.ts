import { mediaTypeOf, type VendorDefinition } from '@hookpack/core';
import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { namesFor } from './names.js';

/** Credential field names, shared with the node that reads them. */
export const CREDENTIAL_FIELDS = {
  apiKey: 'apiKey',
  baseUrl: 'baseUrl',
  allowHttpWebhookUrl: 'allowHttpWebhookUrl',
  signingSecret: 'signingSecret',
} as const;

/**
 * Builds the n8n credential type of one vendor: an API key + Base URL for vendors with a
 * REST API (with a test request that proves the key), or just the optional signing secret
 * for vendors set up by hand in their UI.
 */
export function createCredentialClass(vendor: VendorDefinition): new () => ICredentialType {
  const names = namesFor(vendor);
  const description = vendor.api ? apiKeyCredential(vendor) : signingSecretCredential(vendor);
  const cls = class implements ICredentialType {
    name = names.credentialName;
    displayName = names.credentialDisplayName;
    documentationUrl = vendor.docsUrl;
    icon = names.iconRef;
    properties = description.properties;
    authenticate = description.authenticate;
    test = description.test;
  };
  Object.defineProperty(cls, 'name', { value: names.credentialClass });
  return cls;
}

interface CredentialParts {
  properties: INodeProperties[];
  authenticate?: IAuthenticateGeneric;
  test?: ICredentialTestRequest;
}

function apiKeyCredential(vendor: VendorDefinition): CredentialParts {
  const api = vendor.api!;
  if (vendor.auth.kind !== 'apiKey') {
    throw new Error(`${vendor.id}: a vendor with a REST API needs auth.kind "apiKey"`);
  }
  const auth = vendor.auth;
  const keyExpression = '={{$credentials.apiKey}}';
  const headers: Record<string, string> =
    auth.placement === 'bearer'
      ? { Authorization: '=Bearer {{$credentials.apiKey}}' }
      : { [auth.headerName ?? 'X-API-Key']: keyExpression };
  const probe = api.endpoints.me ?? api.endpoints.list;
  if (!probe) throw new Error(`${vendor.id}: the credential test needs a "me" or "list" endpoint`);
  return {
    properties: [
      {
        displayName: 'API Key',
        name: CREDENTIAL_FIELDS.apiKey,
        type: 'string',
        typeOptions: { password: true },
        required: true,
        default: '',
        description: auth.keyHelp,
      },
      {
        displayName: 'Base URL',
        name: CREDENTIAL_FIELDS.baseUrl,
        type: 'string',
        required: true,
        default: api.baseUrl,
        description: `Where ${vendor.displayName}'s API lives. Change it for a staging, self-hosted or sandbox deployment.`,
      },
      {
        displayName: 'Allow HTTP Webhook URLs',
        name: CREDENTIAL_FIELDS.allowHttpWebhookUrl,
        type: 'boolean',
        default: false,
        description:
          'Whether to register plain http:// webhook URLs. Only for local sandboxes: the real service accepts HTTPS URLs only.',
      },
    ],
    authenticate: { type: 'generic', properties: { headers } },
    test: {
      request: {
        baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
        url: probe.path,
        method: probe.method === 'GET' ? 'GET' : 'POST',
        headers: { Accept: mediaTypeOf(api) },
        ...(probe.query ? { qs: probe.query } : {}),
      },
    },
  };
}

function signingSecretCredential(vendor: VendorDefinition): CredentialParts {
  return {
    properties: [
      {
        displayName: 'Signing Secret',
        name: CREDENTIAL_FIELDS.signingSecret,
        type: 'string',
        typeOptions: { password: true },
        required: vendor.signature.secretRequired,
        default: '',
        description: vendor.signature.secretRequired
          ? `The secret you entered in ${vendor.displayName} when adding the webhook`
          : `The secret you entered in ${vendor.displayName} when adding the webhook. Leave empty only if you set none there: deliveries are then accepted unsigned.`,
      },
    ],
  };
}
