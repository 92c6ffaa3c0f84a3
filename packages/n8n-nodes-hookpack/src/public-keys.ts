import { createSubscriptionClient, sharedKeySet, type RefreshingKeySet, type VendorDefinition } from '@hookpack/core';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { CREDENTIAL_FIELDS } from './credential.js';
import { namesFor } from './names.js';
import type { Owner } from './ownership.js';
import { ownedSubscriptions } from './state.js';

/**
 * The key sets that verify this trigger's deliveries, for vendors whose API hands out each
 * subscription's public key: one per owned subscription, kept in this process's memory
 * (core's sharedKeySet) — seeded with the key stored at create, fetched once more from the API
 * when a signature fails (the vendor replaced its key), never written to the workflow. Each n8n
 * process (main, webhook processes in queue mode) keeps its own cache: nothing is shared, so
 * nothing can be overwritten.
 */
export async function publicKeySets(
  fns: IWebhookFunctions,
  vendor: VendorDefinition,
  owner: Owner,
  staticData: IDataObject,
): Promise<RefreshingKeySet[]> {
  const source = vendor.signature.publicKey;
  if (source?.source !== 'api' || !vendor.api) return [];
  const subs = ownedSubscriptions(staticData, owner);
  if (subs.length === 0) return [];
  const credentials = await fns.getCredentials(namesFor(vendor).credentialName);
  const apiKey = String(credentials[CREDENTIAL_FIELDS.apiKey] ?? '');
  const baseUrl = String(credentials[CREDENTIAL_FIELDS.baseUrl] ?? vendor.api.baseUrl);
  return subs.map((stored) =>
    sharedKeySet([vendor.id, baseUrl, stored.id, apiKey], () => ({
      initialKeys: stored.publicKey ? [stored.publicKey] : [],
      ...(source.maxAgeMs !== undefined ? { maxAgeMs: source.maxAgeMs } : {}),
      fetchKeys: async () => {
        const client = createSubscriptionClient(vendor, {
          apiKey,
          baseUrl,
          allowInsecureTargetUrl: true, // reads only; the target URL was checked at create
          userAgent: 'n8n-nodes-hookpack/0.1',
          // The vendor waits for this delivery's answer: one quick retry at most.
          retry: { maxAttempts: 2, maxRetryAfterMs: 2_000 },
          timeoutMs: 5_000,
        });
        return [await client.publicKey(stored.id)];
      },
    })),
  );
}
