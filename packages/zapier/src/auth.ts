import { defaultBaseUrl, parseRetryAfter, resourceCodec, usesAppSecret, type ApiKeyAuth } from '@hookpack/core';
import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import {
  baseUrlFor,
  endpointRequest,
  isSuccess,
  operationError,
  responseBody,
  vendorMessage,
  type RestVendor,
} from './api.js';
import { docsLink } from './names.js';

/** Data a request hands to afterResponse (Zapier passes `middlewareData` through). */
export interface HookpackMiddlewareData {
  /** Event types in a subscribe request, so a 403 can name the paid ones. */
  events?: string[];
  /** Sent by core's client (zapierFetch): it reads statuses itself; afterResponse stays out. */
  hookpackClient?: boolean;
}

function apiKeyAuth(vendor: RestVendor): ApiKeyAuth {
  if (vendor.auth.kind !== 'apiKey') throw new Error(`${vendor.id}: a REST vendor needs auth.kind "apiKey"`);
  return vendor.auth;
}

/** `prl_…c3d4`: enough to tell two connections apart, never the key. */
export function maskKey(vendor: RestVendor, apiKey: string): string {
  const key = apiKey.trim();
  const prefix = apiKeyAuth(vendor).keyPrefixes.find((p) => key.startsWith(p)) ?? '';
  return key.length >= prefix.length + 8 ? `${prefix}…${key.slice(-4)}` : `${prefix}…`;
}

export function authenticationFor(vendor: RestVendor) {
  const auth = apiKeyAuth(vendor);
  const testOperation = vendor.api.endpoints.me ? 'me' : 'list';
  if (!vendor.api.endpoints[testOperation])
    throw new Error(`${vendor.id}: needs a "me" or "list" endpoint to test a connection`);
  return {
    type: 'custom' as const,
    fields: [
      {
        key: 'apiKey',
        label: 'API Key',
        type: 'password' as const,
        required: true,
        helpText: `${auth.keyHelp}${docsLink(vendor, 'API')}`,
      },
      baseUrlField(vendor),
      ...appSecretFields(vendor),
    ],
    // Vendors with an identity endpoint (GET /me) are tested with it; the others with a list call.
    test: async (z: ZObject, bundle: Bundle) => {
      const response = await z.request(endpointRequest(z, vendor, bundle, testOperation));
      if (!isSuccess(response)) throw operationError(z, vendor, `verify the API key`, response);
      const body = responseBody(response);
      if (testOperation === 'me' && body && typeof body === 'object' && !Array.isArray(body)) return body;
      let count: number | null = null;
      try {
        count = resourceCodec(vendor).listItems(body).length;
      } catch {
        count = null;
      }
      return { subscriptionCount: count };
    },
    // Identity fields of a /me answer when there is one, else the masked key; the host is
    // added when the connection does not use the documented one.
    connectionLabel: (z: ZObject, bundle: Bundle) => {
      const me = (bundle.inputData ?? {}) as Record<string, unknown>;
      const who = ['email', 'name', 'organisation', 'organization', 'username']
        .map((k) => me[k])
        .find((v): v is string => typeof v === 'string' && v.trim() !== '');
      const label = who ?? `API key ${maskKey(vendor, String(bundle.authData?.apiKey ?? ''))}`;
      let host = '';
      try {
        const base = baseUrlFor(z, vendor, bundle);
        if (base !== defaultBaseUrl(vendor.api)?.replace(/\/+$/, '')) host = ` @ ${new URL(base).host}`;
      } catch {
        host = '';
      }
      return `${label}${host}`;
    },
  };
}

/** Key of the connection field holding the app's signing secret (vendors with `secretSource: "app"`). */
export const APP_SECRET_FIELD = 'appSecret';

/** The app's signing secret, entered once per connection: the same for every Zap, never returned by the API. */
function appSecretFields(vendor: RestVendor) {
  if (!usesAppSecret(vendor)) return [];
  const field = vendor.signature.appSecret;
  if (!field) throw new Error(`${vendor.id}: secretSource "app" needs signature.appSecret { label, help }`);
  return [
    {
      key: APP_SECRET_FIELD,
      label: field.label,
      type: 'password' as const,
      required: true,
      helpText: `${field.help} ${vendor.displayName} signs every delivery with it; its API never returns it.${docsLink(vendor, 'webhook')}`,
    },
  ];
}

/** The Base URL field: optional with the documented production host, required where the docs name none. */
function baseUrlField(vendor: RestVendor) {
  const name = vendor.displayName;
  const documented = defaultBaseUrl(vendor.api);
  const common = { key: 'baseUrl', label: 'Base URL', type: 'string' as const, isNoSecret: true };
  if (documented === undefined) {
    return {
      ...common,
      required: true,
      placeholder: vendor.api.baseUrl,
      helpText: `The https:// address of your ${name} API. ${name}'s docs name no production address (their examples use a development host, shown as the placeholder): enter the one ${name} gave you.`,
    };
  }
  return {
    ...common,
    required: false,
    default: documented,
    helpText: `Advanced: the https:// address of the ${name} API. Keep \`${documented}\` unless you use a staging or self-hosted deployment.`,
  };
}

/** beforeRequest: the vendor's auth header, only on requests to this connection's API. */
export function addAuthHeader(vendor: RestVendor) {
  const auth = apiKeyAuth(vendor);
  return (request: HttpRequestOptions & { url: string }, z: ZObject, bundle: Bundle) => {
    const apiKey = String(bundle.authData?.apiKey ?? '').trim();
    if (apiKey === '') return request;
    let base: string;
    try {
      base = baseUrlFor(z, vendor, bundle);
    } catch {
      return request;
    }
    if (!(request.url === base || request.url.startsWith(`${base}/`) || request.url.startsWith(`${base}?`)))
      return request;
    request.headers = { ...(request.headers ?? {}) };
    if (auth.placement === 'bearer') request.headers.Authorization = `Bearer ${apiKey}`;
    else request.headers[auth.headerName ?? 'X-API-Key'] = apiKey;
    return request;
  };
}

/** Retry-After as whole seconds (Zapier's ThrottledError unit); core parses both forms. */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  const ms = parseRetryAfter(value, now);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

/**
 * afterResponse: the answers every operation words the same way. 401 → the key is invalid or
 * revoked (ExpiredAuthError: Zapier asks the user to reconnect); 403 → the vendor's plan or
 * credits message; 429 → ThrottledError with the vendor's Retry-After, so Zapier retries later.
 * Needs `flags.throwForThrottlingEarly: false`, else core throws its own 429 error first.
 */
export function handleAuthErrors(vendor: RestVendor) {
  return (response: HttpResponse, z: ZObject) => {
    const { status } = response;
    if (status !== 401 && status !== 403 && status !== 429) return response;
    const data = (response.request?.middlewareData ?? {}) as HookpackMiddlewareData;
    if (data.hookpackClient) return response;
    const header = response.headers?.get?.('retry-after') ?? response.getHeader?.('retry-after');
    throw authError(z, vendor, {
      status,
      said: vendorMessage(vendor, response),
      events: data.events ?? [],
      retryAfterSeconds: retryAfterSeconds(header),
    });
  };
}

/**
 * The Zapier error for a 401 (ExpiredAuthError: Zapier asks the user to reconnect), 403 (plan
 * or credits) or 429 (ThrottledError with the vendor's Retry-After), from afterResponse or from
 * an error of core's client alike.
 */
export function authError(
  z: ZObject,
  vendor: RestVendor,
  answer: {
    status: 401 | 403 | 429;
    said: string | undefined;
    events: string[];
    retryAfterSeconds: number | undefined;
  },
): Error {
  const saidText = answer.said ? ` ${vendor.displayName} said: "${answer.said}".` : '';
  if (answer.status === 401) {
    return new z.errors.ExpiredAuthError(
      `API key invalid or revoked: ${vendor.displayName} answered 401.${saidText} Reconnect with a current key.`,
    );
  }
  if (answer.status === 403) {
    const paidTypes = vendor.api.paidEvents ?? vendor.events.filter((e) => e.paid).map((e) => e.type);
    const paid = answer.events.filter((e) => paidTypes.includes(e));
    const why =
      paid.length > 0
        ? `${paid.join(', ')} ${paid.length === 1 ? 'needs' : 'need'} a paid ${vendor.displayName} plan or a credit balance.`
        : `your ${vendor.displayName} plan or credit balance does not allow this.`;
    return new z.errors.Error(
      `${vendor.displayName} refused the request (403): ${why}${saidText}`,
      'PlanRequired',
      403,
    );
  }
  const delay = answer.retryAfterSeconds ?? vendor.api.rateLimit?.perSeconds;
  const limit = vendor.api.rateLimit
    ? ` (${vendor.api.rateLimit.requests} requests per ${vendor.api.rateLimit.perSeconds} s)`
    : '';
  // Zapier retries a ThrottledError by itself: say so, so the user waits instead of editing.
  const when = delay === undefined ? 'Zapier will try again later' : `Zapier will try again after ${delay} s`;
  return new z.errors.ThrottledError(`${vendor.displayName} answered 429: rate limit reached${limit}. ${when}.`, delay);
}
