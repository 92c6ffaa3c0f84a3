// Heap growth over many verifies: the heap after a full GC, before and after `count` calls.
// A verifier that keeps nothing per call stays flat (what is left is V8's own compiled code
// and caches, well under a megabyte). Needs node --expose-gc.

function settledMemory() {
  // two passes: the first can leave objects with finalizers or weak references for the second
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external };
}

/**
 * @param {() => unknown} fn one verify; throws if it stops verifying
 * @returns {{before, after, heapGrowth: number, externalGrowth: number}} bytes
 */
export function heapGrowth(fn, count) {
  if (typeof globalThis.gc !== 'function') throw new Error('run node with --expose-gc (npm run bench does)');
  for (let i = 0; i < 10_000; i++) fn(); // compile and fill caches first: those are not growth
  const before = settledMemory();
  for (let i = 0; i < count; i++) fn();
  const after = settledMemory();
  return {
    before,
    after,
    heapGrowth: after.heapUsed - before.heapUsed,
    externalGrowth: after.external - before.external,
  };
}
