import type { SignatureScheme, VerifyInput, VerifyResult } from './types.js';

export interface RefreshingKeySetOptions {
  /** Fetches the vendor's current public keys (e.g. from its API). May throw; never called concurrently. */
  fetchKeys: () => Promise<readonly string[]>;
  /** How long fetched keys are used without asking again. Default 1 hour. */
  maxAgeMs?: number;
  /** Fewest ms between two fetches triggered by failing signatures, so forgeries cannot hammer the vendor. Default 60 s. */
  minRefetchIntervalMs?: number;
  now?: () => number;
}

export interface RefreshingKeySet {
  /** Verifies with the cached keys; on a mismatch fetches once more (key rotation) and retries. Never throws. */
  verify(scheme: SignatureScheme, input: Omit<VerifyInput, 'secret'>): Promise<VerifyResult>;
}

/**
 * Public keys fetched from a vendor and cached: a signature that does not verify with the
 * cached keys triggers one fresh fetch (the vendor may have rotated its key), bounded in rate.
 * A failed fetch is a `no_secret` failure naming the cause — fail closed, never a throw.
 */
export function refreshingKeySet(options: RefreshingKeySetOptions): RefreshingKeySet {
  const maxAgeMs = options.maxAgeMs ?? 3_600_000;
  const minRefetchMs = options.minRefetchIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  let keys: readonly string[] | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<readonly string[]> | undefined;

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

  const fetchFailure = (error: unknown): VerifyResult => ({
    ok: false,
    reason: 'no_secret',
    message: `the public key could not be fetched: ${error instanceof Error ? error.message : String(error)}`,
  });

  return {
    async verify(scheme, input) {
      let current = keys;
      if (!current || now() - fetchedAt > maxAgeMs) {
        try {
          current = await fetchNow();
        } catch (error) {
          if (!current) return fetchFailure(error);
        }
      }
      const first = scheme.verify({ ...input, secret: current });
      const retryable = !first.ok && (first.reason === 'signature_mismatch' || first.reason === 'no_secret');
      if (!retryable || now() - fetchedAt < minRefetchMs) return first;
      try {
        return scheme.verify({ ...input, secret: await fetchNow() });
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return first.ok ? first : { ...first, message: `${first.message}; fetching the key again failed: ${why}` };
      }
    },
  };
}
