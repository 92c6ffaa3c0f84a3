import type { FetchLike } from '@hookpack/core';
import type { HttpRequestOptions, ZObject } from 'zapier-platform-core';
import type { HookpackMiddlewareData } from './auth.js';

/**
 * core's client speaking through `z.request`, so every call it makes goes through the app's
 * middleware (auth header, Zapier's request logging) like any other request of the app.
 * Status handling is core's: the app's afterResponse leaves these responses alone
 * (`hookpackClient`), and the trigger turns core's errors into Zapier errors.
 */
export function zapierFetch(z: ZObject, data: HookpackMiddlewareData = {}): FetchLike {
  return async (url, init) => {
    const request: HttpRequestOptions & { url: string } = {
      url,
      method: (init.method ?? 'GET') as HttpRequestOptions['method'],
      headers: headersOf(init.headers),
      skipThrowForStatus: true,
      // core never follows redirects: they would resend the API key to wherever they point.
      redirect: 'manual',
      middlewareData: { ...data, hookpackClient: true } satisfies HookpackMiddlewareData,
    };
    if (typeof init.body === 'string') request.body = init.body;
    const response = await z.request(request);
    const headers = new Headers();
    const source = response.headers as unknown as { forEach?: (cb: (value: string, key: string) => void) => void };
    source?.forEach?.((value, key) => headers.append(key, value));
    const status = response.status;
    const empty = status === 204 || status === 205 || status === 304;
    return new Response(empty ? null : (response.content ?? ''), { status, headers });
  };
}

function headersOf(input: RequestInit['headers']): Record<string, string> {
  if (!input) return {};
  if (input instanceof Headers) return Object.fromEntries(input.entries());
  if (Array.isArray(input)) return Object.fromEntries(input);
  return { ...(input as Record<string, string>) };
}
