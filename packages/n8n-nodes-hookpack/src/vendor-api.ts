import {
  createSubscriptionClientWith,
  type DeleteEachResult,
  type Operation,
  type RenewResult,
  type Subscription,
  type SubscriptionInput,
  type SubscriptionPatch,
  type VendorDefinition,
} from '@hookpack/core';
import { n8nRuntime } from './host-runtime.js';
import type { ClientAuth } from './api-credentials.js';

/** The subscription calls the lifecycle needs, over @hookpack/core's REST client. */
export interface SubscriptionApi {
  supports(operation: Operation): boolean;
  create(input: SubscriptionInput): Promise<Subscription>;
  /** Every subscription a trigger on `input.events` owns (one per event where the vendor wants that), all or none. */
  subscribe(input: SubscriptionInput): Promise<Subscription[]>;
  /** Deletes each (already gone counts), going on past failures. */
  deleteEach(ids: readonly string[]): Promise<DeleteEachResult>;
  findById(id: string): Promise<Subscription | undefined>;
  /** Every subscription whose target is `url` (there may be several after lost state). */
  findByUrl(url: string): Promise<Subscription[]>;
  update(id: string, patch: SubscriptionPatch): Promise<Subscription>;
  /** Resolves when deleted or already gone. */
  delete(id: string): Promise<void>;
  sameUrl(a: string, b: string): boolean;
  /** Renews an expiring subscription as the vendor documents (`api.expiry.renew`). */
  renew(id: string, input: SubscriptionInput): Promise<RenewResult>;
}

export interface ApiSettings {
  /** The API key, or the app's client credentials (from the node's credential: api-credentials.ts). */
  auth: ClientAuth;
  baseUrl: string;
  allowInsecureTargetUrl: boolean;
  /** Longest Retry-After a call sleeps through before it fails with the wait (default: core's). */
  maxRetryAfterMs?: number;
}

export function subscriptionApi(vendor: VendorDefinition, settings: ApiSettings): SubscriptionApi {
  const client = createSubscriptionClientWith(
    vendor,
    {
      ...settings.auth,
      baseUrl: settings.baseUrl,
      allowInsecureTargetUrl: settings.allowInsecureTargetUrl,
      userAgent: 'n8n-nodes-hookpack/0.1',
      ...(settings.maxRetryAfterMs !== undefined && { retry: { maxRetryAfterMs: settings.maxRetryAfterMs } }),
    },
    n8nRuntime,
  );
  return {
    supports: (op) => client.supports(op),
    create: (input) => client.create(input),
    subscribe: (input) => client.subscribe(input),
    deleteEach: (ids) => client.deleteEach(ids),
    findById: (id) => client.findById(id),
    findByUrl: async (url) => (await client.list()).filter((s) => sameUrl(s.url, url)),
    update: (id, patch) => client.update(id, patch),
    delete: async (id) => {
      await client.delete(id);
    },
    sameUrl,
    renew: (id, input) => client.renew(id, input),
  };
}

function sameUrl(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
