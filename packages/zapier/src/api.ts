import { randomUUID } from 'node:crypto';
import {
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
 * The API base URL for this connection: the user's advanced "Base URL" field, else the
 * documented host. Trailing slashes go; anything but an absolute http(s) URL is refused.
 */
export function baseUrlFor(z: ZObject, vendor: RestVendor, bundle: Pick<Bundle, 'authData'>): string {
  const given = String(bundle.authData?.baseUrl ?? '').trim();
  const raw = given === '' ? vendor.api.baseUrl : given;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new z.errors.Error(
      `Base URL "${raw}" is not an absolute URL (expected e.g. ${vendor.api.baseUrl}).`,
      'InvalidBaseUrl',
      400,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new z.errors.Error(
      `Base URL "${raw}" must start with https:// (got ${url.protocol}).`,
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
    `${vendor.displayName} could not ${what} (HTTP ${response.status})${said ? `: ${said}` : '.'}${hint}`,
    response.status >= 500 ? 'VendorServerError' : 'VendorRequestError',
    response.status,
  );
}

export function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}
