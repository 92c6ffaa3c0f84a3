import type { ClientRuntime } from '@hookpack/core';
import { sleep } from 'n8n-workflow';

/**
 * HTTP and waiting for the REST client inside n8n: Node's `fetch`, and n8n-workflow's `sleep`,
 * because n8n Cloud refuses community nodes that use the timer globals (`setTimeout`…).
 */
export const n8nRuntime: ClientRuntime = {
  fetch: (input, init) => fetch(input, init),
  sleep,
};
