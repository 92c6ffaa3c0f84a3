import { createHash } from 'node:crypto';
import { refreshingKeySet, type RefreshingKeySet, type RefreshingKeySetOptions } from './key-set.js';

/** Most key sets one process keeps; the oldest-used goes first. */
const MAX_KEY_SETS = 1000;
const sets = new Map<string, RefreshingKeySet>();

/**
 * The process's key set for one scope (vendor, API address, subscription, credential): made
 * with `options` on first use, then shared by every delivery in this process, so a key
 * fetched (or refetched after a rotation) once serves the next delivery too. Nothing is
 * written anywhere but this process's memory: safe with several n8n webhook processes.
 */
export function sharedKeySet(scope: readonly string[], options: () => RefreshingKeySetOptions): RefreshingKeySet {
  const key = createHash('sha256').update(JSON.stringify(scope)).digest('hex');
  let set = sets.get(key);
  if (set) {
    sets.delete(key); // re-inserted below: most recently used last
  } else {
    set = refreshingKeySet(options());
    while (sets.size >= MAX_KEY_SETS) sets.delete(sets.keys().next().value!);
  }
  sets.set(key, set);
  return set;
}
