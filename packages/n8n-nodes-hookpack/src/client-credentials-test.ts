import { createSubscriptionClientWith, type VendorDefinition } from '@hookpack/core';
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { apiCredentials } from './api-credentials.js';
import { n8nRuntime } from './host-runtime.js';

/**
 * n8n's credential test for a client-credentials vendor: a token from the token endpoint, then one
 * read of the API with it (`me`, else the subscription list). n8n's declarative test cannot fetch
 * the token, so the node runs it (`testedBy`). The message is the client's own, which names the fix.
 */
export function clientCredentialsTest(vendor: VendorDefinition) {
  return async function test(
    this: ICredentialTestFunctions,
    credential: ICredentialsDecrypted,
  ): Promise<INodeCredentialTestResult> {
    try {
      const { auth, baseUrl } = apiCredentials(vendor, credential.data ?? {});
      const client = createSubscriptionClientWith(
        vendor,
        { ...auth, baseUrl, userAgent: 'n8n-nodes-hookpack/0.1', retry: { maxAttempts: 2, maxRetryAfterMs: 2_000 } },
        n8nRuntime,
      );
      if (client.supports('me')) await client.me();
      else await client.list();
      return {
        status: 'OK',
        message: `${vendor.displayName} issued an access token for the app, and its API accepted it.`,
      };
    } catch (error) {
      return { status: 'Error', message: (error as Error).message };
    }
  };
}
