import type { ClientRuntime } from './config.js';

/**
 * Node's own HTTP and timers, for `createSubscriptionClient`. Kept apart so that a bundle built on
 * `createSubscriptionClientWith` (the n8n nodes) carries no reference to these globals.
 */
export const defaultRuntime: ClientRuntime = {
  fetch: (input, init) => globalThis.fetch(input, init),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
