/**
 * A per-process budget for vendor calls answered 429 during one trigger's activation.
 *
 * n8n 2.x retries a failing activation (5 attempts, 1 + 2 + 4 + 8 s apart) and hookpack's
 * client retries a 429 itself: measured on 2.41, a vendor that kept answering 429 got about
 * 15 creates in 30 s. Here each trigger (workflow + node) remembers the vendor's Retry-After
 * and the calls it has spent on 429s: an attempt before Retry-After has passed fails at once
 * without calling the vendor, and once the budget is spent the activation stops for good with
 * a message that says how long to wait. Memory per process is bounded (MAX_TRIGGERS).
 */

/** Vendor requests answered 429 that one activation may spend before it gives up. */
export const RATE_LIMITED_REQUESTS_PER_ACTIVATION = 6;
/** Without a Retry-After, how long to leave the vendor alone after a 429. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;
/** A 429 older than this belongs to an earlier activation: the budget starts again. */
const FORGET_AFTER_MS = 5 * 60_000;
const MAX_TRIGGERS = 1_000;

interface Spent {
  /** Not before this time (epoch ms): the vendor's Retry-After. */
  until: number;
  requests: number;
  last: number;
}

const spentByTrigger = new Map<string, Spent>();

export function budgetKey(vendorId: string, workflowId: string | undefined, nodeId: string): string {
  return `${vendorId}\u0000${workflowId ?? ''}\u0000${nodeId}`;
}

/** How long this trigger must still wait before calling the vendor again (0: go ahead). */
export function waitBeforeCalling(key: string, now = Date.now()): number {
  const spent = current(key, now);
  return spent ? Math.max(0, spent.until - now) : 0;
}

/**
 * Records `requests` vendor requests answered 429, the last one asking to wait `retryAfterMs`.
 * Returns the requests spent so far in this activation and whether the budget is used up.
 */
export function chargeRateLimited(
  key: string,
  requests: number,
  retryAfterMs: number | undefined,
  now = Date.now(),
): { requests: number; exhausted: boolean; waitMs: number } {
  const spent = current(key, now) ?? { until: 0, requests: 0, last: now };
  const waitMs = retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
  spent.requests += Math.max(1, requests);
  spent.until = Math.max(spent.until, now + waitMs);
  spent.last = now;
  spentByTrigger.delete(key); // re-inserted last: the map's order is oldest first
  spentByTrigger.set(key, spent);
  while (spentByTrigger.size > MAX_TRIGGERS) spentByTrigger.delete(spentByTrigger.keys().next().value!);
  const charged = {
    requests: spent.requests,
    exhausted: spent.requests >= RATE_LIMITED_REQUESTS_PER_ACTIVATION,
    waitMs: Math.max(0, spent.until - now),
  };
  // This activation ends here; the user's next one starts with a fresh budget (after the wait).
  if (charged.exhausted) spent.requests = 0;
  return charged;
}

/** The activation got through (or the user changed something): start afresh next time. */
export function clearRateLimited(key: string): void {
  spentByTrigger.delete(key);
}

function current(key: string, now: number): Spent | undefined {
  const spent = spentByTrigger.get(key);
  if (spent && now - spent.last > FORGET_AFTER_MS) {
    spentByTrigger.delete(key);
    return undefined;
  }
  return spent;
}
