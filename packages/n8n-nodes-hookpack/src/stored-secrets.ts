import type { VendorDefinition } from '@hookpack/core';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { apiCredentials } from './api-credentials.js';
import { namesFor } from './names.js';
import type { Owner } from './ownership.js';
import { cachedOpen, openSecret, rememberOpened } from './seal.js';
import { ownedSubscriptions } from './state.js';

/**
 * The signing secrets of the subscriptions this trigger owns, opened (sealed ones with the
 * credential's API key, read only when a secret is not in the process cache yet); `unreadable`
 * counts the ones sealed with another key.
 */
export async function storedSecrets(
  fns: IWebhookFunctions,
  vendor: VendorDefinition,
  owner: Owner,
  staticData: IDataObject,
): Promise<{ secrets: string[]; unreadable: number }> {
  const secrets: string[] = [];
  let unreadable = 0;
  let apiKey: string | undefined;
  for (const stored of ownedSubscriptions(staticData, owner)) {
    if (stored.sealedSecret) {
      let opened = cachedOpen(stored.sealedSecret);
      if (opened === undefined) {
        apiKey ??= apiCredentials(vendor, await fns.getCredentials(namesFor(vendor).credentialName)).sealKey;
        opened = openSecret(stored.sealedSecret, apiKey, owner);
        if (opened !== undefined) rememberOpened(stored.sealedSecret, opened);
      }
      if (opened !== undefined) secrets.push(opened);
      else unreadable++;
    } else if (typeof stored.secret === 'string' && stored.secret !== '') {
      secrets.push(stored.secret);
    }
  }
  return { secrets, unreadable };
}
