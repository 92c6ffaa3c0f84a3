import {
  createSubscriptionClient,
  sharedKeySet,
  verifyDeliveryWithKeySets,
  type VerifyDeliveryResult,
} from '@hookpack/core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { baseUrlFor, type RestVendor } from './api.js';
import { zapierFetch } from './transport.js';

/** Who fetches a scope's key right now: the current invocation's `z` (each invocation has its own). */
const fetchers = new Map<string, () => Promise<string>>();

/**
 * Verifies a delivery of a vendor whose API hands out each subscription's public key: with the
 * key stored at subscribe (`subscribeData.publicKey`), or the one this app process fetched
 * last; a signature that fails makes it fetch the key once more (the vendor replaced it),
 * through `z.request` so the app's middleware sees the call. Refetches are bounded per
 * subscription (core's key set), so forged deliveries cannot make the app hammer the vendor.
 */
export async function verifyWithApiKey(
  z: ZObject,
  vendor: RestVendor,
  bundle: Bundle,
  delivery: { body: string; headers: Record<string, string | string[] | undefined> },
): Promise<VerifyDeliveryResult> {
  const data = (bundle.subscribeData ?? {}) as { id?: unknown; publicKey?: unknown };
  const id = typeof data.id === 'string' ? data.id : '';
  if (id === '') {
    return { ok: false, status: 401, reason: 'no_secret', message: 'this Zap holds no subscription' };
  }
  let baseUrl: string;
  try {
    baseUrl = baseUrlFor(z, vendor, bundle);
  } catch (error) {
    return { ok: false, status: 500, reason: 'invalid_input', message: (error as Error).message };
  }
  const apiKey = String(bundle.authData?.apiKey ?? '');
  const scope = [vendor.id, baseUrl, id, apiKey];
  const scopeKey = JSON.stringify(scope);
  fetchers.set(scopeKey, () =>
    createSubscriptionClient(vendor, {
      apiKey,
      baseUrl,
      fetch: zapierFetch(z),
      allowInsecureTargetUrl: true,
      userAgent: 'hookpack-zapier/0.1',
      retry: { maxAttempts: 2, maxRetryAfterMs: 2_000 },
      timeoutMs: 5_000,
    }).publicKey(id),
  );
  if (fetchers.size > 1000) fetchers.delete(fetchers.keys().next().value!);
  const source = vendor.signature.publicKey;
  const keySet = sharedKeySet(scope, () => ({
    initialKeys: typeof data.publicKey === 'string' ? [data.publicKey] : [],
    ...(source?.source === 'api' && source.maxAgeMs !== undefined ? { maxAgeMs: source.maxAgeMs } : {}),
    fetchKeys: async () => [await fetchers.get(scopeKey)!()],
  }));
  const before = keySet.refetches;
  const result = await verifyDeliveryWithKeySets(vendor, { ...delivery, keySets: [keySet] });
  if (keySet.refetches > before)
    z.console.log(
      `${vendor.displayName}: a signature did not verify with the cached public key; fetched it again (${result.ok ? 'the new key verified it' : 'still not verified'}).`,
    );
  return result;
}
