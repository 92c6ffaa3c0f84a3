import {
  createSubscriptionClientWith,
  sharedKeySet,
  type RefreshingKeySet,
  type VendorDefinition,
} from '@hookpack/core';
import { n8nRuntime } from './host-runtime.js';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { namesFor } from './names.js';
import { apiCredentials } from './api-credentials.js';
import type { Owner } from './ownership.js';
import { ownedSubscriptions } from './state.js';

/** Who fetches a scope's key now: a closure over the current request (its credentials, its n8n context). */
const fetchers = new Map<string, () => Promise<string>>();
const MAX_FETCHERS = 1000;

/**
 * The key sets that verify this trigger's deliveries, for vendors whose API hands out each
 * subscription's public key: one per owned subscription, kept in this process's memory
 * (core's sharedKeySet) — seeded with the key stored at create, fetched once more from the API
 * when a signature fails (the vendor replaced its key), never written to the workflow. Each n8n
 * process (main, webhook processes in queue mode) keeps its own cache: nothing is shared, so
 * nothing can be overwritten. The credential is read only when a fetch is needed.
 */
export function publicKeySets(
  fns: IWebhookFunctions,
  vendor: VendorDefinition,
  owner: Owner,
  staticData: IDataObject,
): RefreshingKeySet[] {
  const source = vendor.signature.publicKey;
  const api = vendor.api;
  if (source?.source !== 'api' || !api) return [];
  return ownedSubscriptions(staticData, owner).map((stored) => {
    const scope = [vendor.id, owner.workflowId, owner.nodeId, stored.id];
    const scopeKey = JSON.stringify(scope);
    fetchers.delete(scopeKey);
    fetchers.set(scopeKey, async () => {
      const { auth, baseUrl } = apiCredentials(vendor, await fns.getCredentials(namesFor(vendor).credentialName));
      const client = createSubscriptionClientWith(
        vendor,
        {
          ...auth,
          baseUrl,
          allowInsecureTargetUrl: true, // reads only; the target URL was checked at create
          userAgent: 'n8n-nodes-hookpack/0.1',
          // The vendor waits for this delivery's answer: one quick retry at most.
          retry: { maxAttempts: 2, maxRetryAfterMs: 2_000 },
          timeoutMs: 5_000,
        },
        n8nRuntime,
      );
      return client.publicKey(stored.id);
    });
    while (fetchers.size > MAX_FETCHERS) fetchers.delete(fetchers.keys().next().value!);
    return sharedKeySet(scope, () => ({
      initialKeys: stored.publicKey ? [stored.publicKey] : [],
      ...(source.maxAgeMs !== undefined ? { maxAgeMs: source.maxAgeMs } : {}),
      fetchKeys: async () => {
        const fetch = fetchers.get(scopeKey);
        if (!fetch) throw new Error('no request to fetch the key with');
        return [await fetch()];
      },
    }));
  });
}
