// Harness shared by the nock-based client tests of every vendor: no real network, every
// interceptor a test sets up must be used, and retry delays are recorded instead of slept.
import nock from 'nock';
import { afterEach, beforeAll, expect } from 'vitest';
import { createSubscriptionClient, type HookpackApiError, type VendorDefinition } from '@hookpack/core';

/**
 * Registers the nock hooks for the calling test file and returns a client factory for
 * `vendor` whose backoff sleeps are recorded in `delays` (cleared after each test), with
 * jitter fixed at 0.5. `afterEachTest` runs in the same hook, for a file's own recorders.
 */
export function nockedClient(vendor: VendorDefinition, apiKey: string, afterEachTest?: () => void) {
  const delays: number[] = [];
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    delays.length = 0;
    afterEachTest?.();
    expect(pending, 'expected requests that were not made').toEqual([]);
  });
  const client = (extra: Record<string, unknown> = {}) =>
    createSubscriptionClient(vendor, {
      apiKey,
      // The docs' host, also where the docs only show it as an example (no default then).
      ...(vendor.api ? { baseUrl: vendor.api.baseUrl } : {}),
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
      ...extra,
    });
  return { client, delays };
}

/** The error a promise rejects with, or undefined when it resolves. */
export const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as HookpackApiError,
  );
