import { createSubscriptionClient, type SubscriptionClient, type SubscriptionClientOptions } from '@hookpack/core';
import { getVendor } from '@hookpack/providers';
import type { Sandbox } from '@hookpack/sandbox';

/** core's REST client pointed at the sandbox; no client-side retries so every status is seen. */
export function clientFor(
  sandbox: Sandbox,
  vendorId: string,
  extra: Partial<SubscriptionClientOptions> = {},
): SubscriptionClient {
  return createSubscriptionClient(getVendor(vendorId)!, {
    apiKey: sandbox.apiKey(vendorId),
    baseUrl: sandbox.baseUrl(vendorId),
    allowInsecureTargetUrl: true,
    retry: { maxAttempts: 1 },
    ...extra,
  });
}

/** Raw HTTP against a vendor's sandbox API, to see headers and bodies the client hides. */
export async function raw(
  sandbox: Sandbox,
  vendorId: string,
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const vendor = getVendor(vendorId)!;
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== false && vendor.auth.kind === 'apiKey') {
    if (vendor.auth.placement === 'bearer') headers.Authorization = `Bearer ${sandbox.apiKey(vendorId)}`;
    else headers[vendor.auth.headerName ?? 'X-API-Key'] = sandbox.apiKey(vendorId);
  }
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const res = await fetch(sandbox.baseUrl(vendorId) + path, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Polls a condition (deliveries arrive asynchronously); bounded, never a timed assertion. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
