import {
  defaultBaseUrl,
  mediaTypeOf,
  usesAppSecret,
  type ClientCredentialsAuth,
  type EndpointDefinition,
  type VendorDefinition,
} from '@hookpack/core';
import type { IAuthenticateRuleResponseCode } from 'n8n-workflow';
import { baseUrlForm } from './api-errors.js';
import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { namesFor } from './names.js';

/** Credential field names, shared with the node that reads them. */
export const CREDENTIAL_FIELDS = {
  apiKey: 'apiKey',
  baseUrl: 'baseUrl',
  allowHttpWebhookUrl: 'allowHttpWebhookUrl',
  signingSecret: 'signingSecret',
  publicKey: 'publicKey',
  /** The app's signing secret (Shopify's client secret), for vendors that sign every delivery with it. */
  appSecret: 'appSecret',
  /** Client-credentials vendors (`auth.kind: 'clientCredentials'`): the app's id and secret, and the token endpoint. */
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  tokenUrl: 'tokenUrl',
} as const;

/** The credential field of one of a client-credentials vendor's `auth.fields` (Graph's `tenant`). */
export const authFieldName = (name: string) => `auth_${name}`;

/** The node method that tests a client-credentials credential (n8n cannot fetch the token itself). */
export const CLIENT_CREDENTIALS_TEST = 'hookpackClientCredentialsTest';

/**
 * Builds the n8n credential type of one vendor: an API key + Base URL for vendors with a
 * REST API (with a test request that proves the key), or just the optional signing secret
 * for vendors set up by hand in their UI.
 */
export function createCredentialClass(vendor: VendorDefinition): new () => ICredentialType {
  const names = namesFor(vendor);
  const description = !vendor.api
    ? signingSecretCredential(vendor)
    : vendor.auth.kind === 'clientCredentials'
      ? clientCredentialsCredential(vendor)
      : apiKeyCredential(vendor);
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
      baseUrlProperty(vendor),
      ...publicKeyProperties(vendor),
      ...appSecretProperties(vendor),
      allowHttpProperty(),
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
      rules: credentialTestRules(vendor, probe),
    },
  };
}

/**
 * The app's client id and secret (and the fields its token URL names): the node exchanges them
 * for access tokens itself, so n8n's credential test goes through the node (`testedBy`).
 */
function clientCredentialsCredential(vendor: VendorDefinition): CredentialParts {
  const auth = vendor.auth as ClientCredentialsAuth;
  const name = vendor.displayName;
  return {
    properties: [
      {
        displayName: 'Client ID',
        name: CREDENTIAL_FIELDS.clientId,
        type: 'string',
        required: true,
        default: '',
        description: `The application (client) ID of your ${name} app. ${auth.clientHelp}`,
      },
      {
        displayName: 'Client Secret',
        name: CREDENTIAL_FIELDS.clientSecret,
        type: 'string',
        typeOptions: { password: true },
        required: true,
        default: '',
        description: `The secret's value (not its ID). ${auth.clientHelp}`,
      },
      ...auth.fields.map((f): INodeProperties => ({
        displayName: f.displayName,
        name: authFieldName(f.name),
        type: 'string',
        required: true,
        default: '',
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        description: f.description,
      })),
      {
        displayName: 'Token URL',
        name: CREDENTIAL_FIELDS.tokenUrl,
        type: 'string',
        required: true,
        default: auth.tokenUrl,
        description: `Where the node gets access tokens for the app. ${auth.fields.length > 0 ? `${auth.fields.map((f) => `{${f.name}}`).join(', ')} is filled from the field${auth.fields.length > 1 ? 's' : ''} above. ` : ''}Change it only for another cloud or a sandbox.`,
      },
      baseUrlProperty(vendor),
      ...publicKeyProperties(vendor),
      ...appSecretProperties(vendor),
      allowHttpProperty(),
    ],
  };
}

/** The app's signing secret, entered once: the same for every subscription, never returned by the API. */
function appSecretProperties(vendor: VendorDefinition): INodeProperties[] {
  if (!usesAppSecret(vendor)) return [];
  const field = vendor.signature.appSecret;
  if (!field) throw new Error(`${vendor.id}: secretSource "app" needs signature.appSecret { label, help }`);
  return [
    {
      displayName: field.label,
      name: CREDENTIAL_FIELDS.appSecret,
      type: 'string',
      typeOptions: { password: true },
      required: true,
      default: '',
      description: `${field.help} ${vendor.displayName} signs every delivery with it; its API never returns it.`,
    },
  ];
}

function allowHttpProperty(): INodeProperties {
  return {
    displayName: 'Allow HTTP Webhook URLs',
    name: CREDENTIAL_FIELDS.allowHttpWebhookUrl,
    type: 'boolean',
    default: false,
    description:
      'Whether to register plain http:// webhook URLs. Only for local sandboxes: the real service accepts HTTPS URLs only.',
  };
}

/** The Base URL field: the documented production address as default, or none where the docs name none. */
function baseUrlProperty(vendor: VendorDefinition): INodeProperties {
  const api = vendor.api!;
  const name = vendor.displayName;
  const documented = defaultBaseUrl(api);
  return {
    displayName: 'Base URL',
    name: CREDENTIAL_FIELDS.baseUrl,
    type: 'string',
    required: true,
    default: documented ?? '',
    placeholder: api.baseUrl,
    description: documented
      ? `Where ${name}'s API lives. Change it only for a staging, self-hosted or sandbox deployment.`
      : `The address of your ${name} API. ${name}'s docs name no production address (their examples use a development host like the one shown): enter the one ${name} gave you, or a sandbox's.`,
    // Without a default the field starts empty: say under it (not only in its tooltip) what goes there.
    ...(documented
      ? {}
      : {
          hint: `${name}'s docs name no production address: enter the one ${name} gave you (the placeholder is their example host).`,
        }),
  };
}

/** What the credential test says for each failing status: the cause and the fix, from the description. */
function credentialTestRules(vendor: VendorDefinition, probe: EndpointDefinition): IAuthenticateRuleResponseCode[] {
  const name = vendor.displayName;
  const keyHelp = vendor.auth.kind === 'apiKey' ? ` ${vendor.auth.keyHelp}` : '';
  const rule = (value: number, message: string): IAuthenticateRuleResponseCode => ({
    type: 'responseCode',
    properties: { value, message },
  });
  const serverError = (status: number) =>
    rule(
      status,
      `${name} had a server error (${status}), so the key could not be checked. Test again in a few minutes.`,
    );
  return [
    rule(401, `${name} rejected this API key (401): it is invalid or revoked. Paste a valid key.${keyHelp}`),
    rule(
      403,
      `${name} accepted the key but refused access (403): check that its ${name} plan includes webhooks.${keyHelp}`,
    ),
    rule(
      404,
      `Nothing answers ${probe.path} under this Base URL (404), so it is not ${name}'s API. Correct the Base URL (${baseUrlForm(vendor)}).`,
    ),
    rule(429, `${name} is rate limiting this key (429). Wait a minute, then test again.`),
    serverError(500),
    serverError(502),
    serverError(503),
  ];
}

/** The public-key field, for vendors whose users copy the key from the vendor's UI (`signature.publicKey.source: 'user'`). */
function publicKeyProperties(vendor: VendorDefinition): INodeProperties[] {
  const source = vendor.signature.publicKey;
  if (source?.source !== 'user') return [];
  return [
    {
      displayName: 'Public Key',
      name: CREDENTIAL_FIELDS.publicKey,
      type: 'string',
      typeOptions: { password: true }, // not a secret, but long and pasted once
      required: true,
      default: '',
      description: `The public key ${vendor.displayName} verifies its deliveries with. ${source.help}`,
    },
  ];
}

function signingSecretCredential(vendor: VendorDefinition): CredentialParts {
  if (vendor.signature.publicKey?.source === 'user') return { properties: publicKeyProperties(vendor) };
  return {
    properties: [
      {
        displayName: 'Signing Secret',
        name: CREDENTIAL_FIELDS.signingSecret,
        type: 'string',
        typeOptions: { password: true },
        required: vendor.signature.secretRequired,
        default: '',
        description: vendor.manualSetup?.secretHelp
          ? `The ${vendor.manualSetup.secretField ?? 'signing secret'} ${vendor.displayName} signs its deliveries with. ${vendor.manualSetup.secretHelp}`
          : vendor.signature.secretRequired
            ? `The secret you entered in ${vendor.displayName} when adding the webhook`
            : `The secret you entered in ${vendor.displayName} when adding the webhook. Leave empty only if you set none there: deliveries are then accepted unsigned.`,
      },
    ],
  };
}
