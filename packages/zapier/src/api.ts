import { randomUUID } from 'node:crypto';
import {
  defaultBaseUrl,
  mediaTypeOf,
  resourceCodec,
  type Operation,
  type RestApiDefinition,
  type VendorDefinition,
} from '@hookpack/core';
import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';

/** A vendor that has a REST subscription API (everything but paste-the-URL vendors). */
export type RestVendor = VendorDefinition & { api: RestApiDefinition };

export function hasRestApi(vendor: VendorDefinition): vendor is RestVendor {
  return vendor.api !== undefined;
}

/**
 * Opt-in for a local sandbox: with this environment variable set to `1`, a Base URL may be
 * plain http:// on a loopback address. Never set on Zapier, so the API key only travels over
 * HTTPS there.
 */
export const LOOPBACK_HTTP_ENV = 'HOOKPACK_ALLOW_LOOPBACK_HTTP';

function loopbackHttpAllowed(): boolean {
  return process.env[LOOPBACK_HTTP_ENV] === '1';
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The API base URL for this connection: the user's "Base URL" field, else the documented
 * production host (none where the docs only show an example host). Trailing slashes go; only
 * https:// is accepted, so the API key is never sent in clear — plain http:// only to
 * loopback, and only with the sandbox opt-in.
 */
export function baseUrlFor(z: ZObject, vendor: RestVendor, bundle: Pick<Bundle, 'authData'>): string {
  const name = vendor.displayName;
  const given = String(bundle.authData?.baseUrl ?? '').trim();
  const documented = defaultBaseUrl(vendor.api);
  if (given === '' && documented === undefined) {
    throw new z.errors.Error(
      `Enter the Base URL of your ${name} API in this connection: ${name}'s docs name no production address (their examples use ${vendor.api.baseUrl}, a development host).`,
      'InvalidBaseUrl',
      400,
    );
  }
  const raw = given === '' ? documented! : given;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new z.errors.Error(
      `Base URL "${raw}" is not an absolute URL (expected the form ${vendor.api.baseUrl}).`,
      'InvalidBaseUrl',
      400,
    );
  }
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname) && loopbackHttpAllowed()) {
    return raw.replace(/\/+$/, '');
  }
  if (url.protocol !== 'https:') {
    const why =
      url.protocol === 'http:'
        ? ` Over http:// the ${name} API key would travel unencrypted: use the https:// address of the ${name} API.` +
          (isLoopbackHost(url.hostname)
            ? ` (A local sandbox on loopback is accepted only when the app runs with ${LOOPBACK_HTTP_ENV}=1.)`
            : '')
        : '';
    throw new z.errors.Error(
      `Base URL "${raw}" must start with https:// (got ${url.protocol}).${why}`,
      'InvalidBaseUrl',
      400,
    );
  }
  return raw.replace(/\/+$/, '');
}

/** The z.request options for one vendor operation, from the vendor's endpoint table. */
export function endpointRequest(
  z: ZObject,
  vendor: RestVendor,
  bundle: Pick<Bundle, 'authData'>,
  operation: Operation,
  parts: { id?: string; body?: Record<string, unknown> } = {},
): HttpRequestOptions & { url: string } {
  const endpoint = vendor.api.endpoints[operation];
  if (!endpoint) throw new z.errors.Error(`${vendor.displayName} has no ${operation} endpoint.`, 'Unsupported', 400);
  const fill = (template: string) => {
    if (!template.includes('{id}')) return template;
    if (!parts.id)
      throw new z.errors.Error(`${vendor.displayName} ${operation} needs a subscription id.`, 'MissingId', 400);
    return template.split('{id}').join(encodeURIComponent(parts.id));
  };
  const headers: Record<string, string> = { Accept: mediaTypeOf(vendor.api) };
  if (endpoint.method !== 'GET' && vendor.api.idempotencyKeys) headers['Idempotency-Key'] = randomUUID();
  const request: HttpRequestOptions & { url: string } = {
    method: endpoint.method,
    url: baseUrlFor(z, vendor, bundle) + fill(endpoint.path),
    headers,
    // Status handling is ours (vendor wording, 404 on delete = gone); 401/403/429 are
    // turned into Zapier errors by the app's afterResponse before this sees them.
    skipThrowForStatus: true,
    // A redirect would resend the API key header to wherever it points: report it instead.
    redirect: 'manual',
  };
  if (endpoint.query) {
    request.params = Object.fromEntries(Object.entries(endpoint.query).map(([k, v]) => [k, fill(v)]));
  }
  if (parts.body !== undefined) request.body = parts.body;
  return request;
}

/** The parsed JSON body, or the text when it is not JSON, or undefined when empty. */
export function responseBody(response: HttpResponse): unknown {
  if (response.data !== undefined && response.data !== null) return response.data;
  const text = typeof response.content === 'string' ? response.content.trim() : '';
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The vendor's own message for an error body, when it sent one. */
export function vendorMessage(vendor: RestVendor, response: HttpResponse): string | undefined {
  try {
    const info = resourceCodec(vendor).errorInfo(responseBody(response));
    const details = info.details
      ? Object.entries(info.details)
          .map(([field, problem]) => `${field}: ${typeof problem === 'string' ? problem : JSON.stringify(problem)}`)
          .join('; ')
      : '';
    const message = [info.message, details].filter((s) => s && s.trim() !== '').join(' — ');
    return message === '' ? undefined : message.slice(0, 500);
  } catch {
    return undefined;
  }
}

/** A clear Zapier error for a non-2xx answer that the auth middleware did not already handle. */
export function operationError(z: ZObject, vendor: RestVendor, what: string, response: HttpResponse): Error {
  const said = vendorMessage(vendor, response);
  const location = response.status >= 300 && response.status < 400 ? response.getHeader?.('location') : undefined;
  const hint =
    response.status === 404
      ? ' Check the Base URL of this connection.'
      : response.status >= 500
        ? ' Try again later.'
        : response.status >= 300 && response.status < 400
          ? ` The API redirected${location ? ` to ${location}` : ''}: set the Base URL of this connection to the address it should use.`
          : '';
  return new z.errors.Error(
    `${vendor.displayName} could not ${what} (HTTP ${response.status})${said ? `: ${sentence(said)}` : '.'}${hint}`,
    response.status >= 500 ? 'VendorServerError' : 'VendorRequestError',
    response.status,
  );
}

export function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** Text ending in one full stop (vendor messages often come without one). */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
