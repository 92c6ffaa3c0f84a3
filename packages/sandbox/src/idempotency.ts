/** A response kept for replay under an Idempotency-Key. */
export interface StoredResponse {
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * Stripe-style idempotency: the same key with the same request gets the first response again;
 * the same key with a different request is an error. Bounded in size and age.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, StoredResponse & { at: number }>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly maxEntries = 5000,
  ) {}

  get(key: string, now = Date.now()): StoredResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, response: StoredResponse, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { ...response, at: now });
  }

  clear(): void {
    this.entries.clear();
  }
}
