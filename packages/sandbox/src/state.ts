import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { VendorDefinition } from '@hookpack/core';

/** A subscription as the sandbox stores it (vendor-neutral; the wire format renders it). */
export interface SubscriptionRecord {
  vendor: string;
  id: string;
  url: string;
  events: string[];
  /** Vendor options by their vendor field name (facility_ids, name). */
  options: Record<string, unknown>;
  /** Full signing secret; null for hand-configured hooks without one. */
  secret: string | null;
  active: boolean;
  /** Why it is inactive when the vendor switched it off (`failures`), not the user. */
  deactivatedReason?: string;
  /** ParseFlow-style "marked as failing" after a delivery exhausted its retries. */
  failing: boolean;
  failingSince?: number;
  /** Deliveries in a row that exhausted their retries. */
  consecutiveFailures: number;
  createdAt: string;
  /** When it lapses (ISO 8601), for vendors whose subscriptions expire (`api.expiry`). */
  expiresAt?: string;
  /** Configured by hand in the vendor UI (Parsley Recipes), not through the REST API. */
  manual: boolean;
  /** The last URL-verification handshake, for vendors that declare one. */
  handshake?: { ok: boolean; problem?: string; at: string };
}

export interface AccountRecord {
  apiKey: string;
  /** Paid plan / credit balance: without it paid events are refused (403) and dropped. */
  credits: boolean;
  /** The app's signing secret, for vendors whose deliveries are signed with one (Shopify's client secret). */
  appSecret?: string;
}

interface StateFile {
  version: 1;
  accounts: Record<string, AccountRecord>;
  subscriptions: SubscriptionRecord[];
}

export const MAX_SUBSCRIPTIONS = 10_000;

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** In-memory state, optionally mirrored to a JSON file after every change. */
export class Store {
  readonly accounts = new Map<string, AccountRecord>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();

  constructor(private readonly file: string | undefined) {}

  /** Loads the state file when there is one; a broken file is an error, not silently reset. */
  load(): void {
    if (!this.file || !existsSync(this.file)) return;
    let parsed: StateFile;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8')) as StateFile;
    } catch (e) {
      throw new Error(
        `sandbox state file ${this.file} is not valid JSON (${(e as Error).message}); delete it to start fresh`,
      );
    }
    if (parsed?.version !== 1 || !Array.isArray(parsed.subscriptions) || typeof parsed.accounts !== 'object') {
      throw new Error(`sandbox state file ${this.file} has an unknown format; delete it to start fresh`);
    }
    for (const [vendor, account] of Object.entries(parsed.accounts)) this.accounts.set(vendor, account);
    for (const sub of parsed.subscriptions) this.subscriptions.set(sub.id, sub);
  }

  save(): void {
    if (!this.file) return;
    const state: StateFile = {
      version: 1,
      accounts: Object.fromEntries(this.accounts),
      subscriptions: [...this.subscriptions.values()],
    };
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2));
    renameSync(tmp, this.file);
  }

  /** The account of a vendor, created with a generated (or given) API key on first use. */
  ensureAccount(vendor: VendorDefinition, apiKey?: string, appSecret?: string): AccountRecord {
    const existing = this.accounts.get(vendor.id);
    const appSigned = vendor.signature.secretSource === 'app';
    if (existing && (!apiKey || existing.apiKey === apiKey) && (!appSecret || existing.appSecret === appSecret)) {
      if (appSigned && !existing.appSecret) existing.appSecret = `sandbox_app_${randomToken(24)}`;
      return existing;
    }
    const prefix = vendor.auth.kind === 'apiKey' ? (vendor.auth.keyPrefixes[0] ?? '') : '';
    const account: AccountRecord = {
      apiKey: apiKey ?? existing?.apiKey ?? `${prefix}sandbox_${randomToken(18)}`,
      credits: existing?.credits ?? true,
      ...(appSigned ? { appSecret: appSecret ?? existing?.appSecret ?? `sandbox_app_${randomToken(24)}` } : {}),
    };
    this.accounts.set(vendor.id, account);
    return account;
  }

  subscriptionsOf(vendor: string): SubscriptionRecord[] {
    return [...this.subscriptions.values()].filter((s) => s.vendor === vendor);
  }

  newSubscriptionId(prefix: string): string {
    for (;;) {
      const id = `${prefix}${randomToken(12).replace(/[-_]/g, 'x')}`;
      if (!this.subscriptions.has(id)) return id;
    }
  }
}
