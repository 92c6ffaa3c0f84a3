import type { SignatureScheme, VerifyInput, VerifyResult } from './types.js';

export interface RefreshingKeySetOptions {
  /** Fetches the vendor's current public keys (e.g. from its API). May throw; never called concurrently. */
  fetchKeys: () => Promise<readonly string[]>;
  /**
   * Keys already known (the key a create answer carried, stored with the subscription): used
   * until they fail or grow old, so the first delivery needs no fetch.
   */
  initialKeys?: readonly string[];
  /** How long fetched keys are used without asking again. Default 1 hour. */
  maxAgeMs?: number;
  /**
   * Most fetches that failing signatures may trigger within `perMs`, so forgeries cannot make
   * hookpack hammer the vendor. Default 4 per minute: a rotation right after a forgery is still
   * picked up at its first failing delivery.
   */
  refetchLimit?: { count: number; perMs: number };
  /** Shorthand for `refetchLimit: { count: 1, perMs: minRefetchIntervalMs }`. */
  minRefetchIntervalMs?: number;
  now?: () => number;
}

export interface RefreshingKeySet {
  /** Verifies with the cached keys; on a mismatch fetches once more (key rotation) and retries. Never throws. */
  verify(scheme: SignatureScheme, input: Omit<VerifyInput, 'secret'>): Promise<VerifyResult>;
  /** Failure-triggered fetches made so far (for logs and tests). */
  readonly refetches: number;
}

/**
 * Public keys fetched from a vendor and cached: a signature that does not verify with the
 * cached keys triggers one fresh fetch (the vendor may have rotated its key), bounded in rate.
 * A failed fetch is a `no_secret` failure naming the cause — fail closed, never a throw.
 */
export function refreshingKeySet(options: RefreshingKeySetOptions): RefreshingKeySet {
  const maxAgeMs = options.maxAgeMs ?? 3_600_000;
  const limit =
    options.refetchLimit ??
    (options.minRefetchIntervalMs !== undefined
      ? { count: 1, perMs: options.minRefetchIntervalMs }
      : { count: 4, perMs: 60_000 });
  const now = options.now ?? Date.now;
  const initial = options.initialKeys?.filter((k) => typeof k === 'string' && k.trim() !== '');
  let keys: readonly string[] | undefined = initial && initial.length > 0 ? [...initial] : undefined;
  let fetchedAt = keys ? now() : Number.NEGATIVE_INFINITY;
  let inflight: Promise<readonly string[]> | undefined;
  const refetchTimes: number[] = [];
  let refetches = 0;

  const fetchNow = (): Promise<readonly string[]> => {
    inflight ??= (async () => {
      try {
        const fresh = await options.fetchKeys();
        if (!Array.isArray(fresh) || !fresh.every((k) => typeof k === 'string')) {
          throw new TypeError('fetchKeys must resolve to a list of key strings');
        }
        keys = [...fresh];
        fetchedAt = now();
        return keys;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };

  /** Whether a failing signature may trigger a fetch now; records it when so. */
  const mayRefetch = (): boolean => {
    const t = now();
    while (refetchTimes.length > 0 && t - refetchTimes[0]! >= limit.perMs) refetchTimes.shift();
    if (refetchTimes.length >= limit.count) return false;
    refetchTimes.push(t);
    refetches++;
    return true;
  };

  const fetchFailure = (error: unknown): VerifyResult => ({
    ok: false,
    reason: 'no_secret',
    message: `the public key could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
  });

  return {
    get refetches() {
      return refetches;
    },
    async verify(scheme, input) {
      let current = keys;
      let fresh = false;
      if (!current || now() - fetchedAt > maxAgeMs) {
        try {
          current = await fetchNow();
          fresh = true;
        } catch (error) {
          if (!current) return fetchFailure(error);
        }
      }
      const first = scheme.verify({ ...input, secret: current });
      const retryable = !first.ok && (first.reason === 'signature_mismatch' || first.reason === 'no_secret');
      // Keys fetched for this very delivery are as fresh as they get.
      if (!retryable || fresh || !mayRefetch()) return first;
      try {
        return scheme.verify({ ...input, secret: await fetchNow() });
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return { ...first, message: `${first.message}; fetching the key again failed: ${why}` };
      }
    },
  };
}
