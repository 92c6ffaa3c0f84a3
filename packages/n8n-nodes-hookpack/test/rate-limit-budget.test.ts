// A vendor that keeps answering 429 while a trigger is activated: n8n 2.x's 5 activation
// attempts (each checkExists, then create) spend at most the budget of rate-limited requests,
// never call the vendor before its Retry-After, and end with one message saying how long to wait.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceCodec, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { WebhookPathTakenError } from 'n8n-workflow';
import { webhookLifecycle } from '../src/lifecycle.js';
import { RATE_LIMITED_REQUESTS_PER_ACTIVATION } from '../src/rate-limit-budget.js';
import { hookContext } from './contexts.js';

/** n8n 2.x's TRIGGER_ACTIVATION_MAX_ATTEMPTS. */
const N8N_ATTEMPTS = 5;

let vendor: VendorDefinition;
/** Retry-After the vendor sends with each 429 (seconds, as text). */
let retryAfter = '0';
/** Creates answered 429 before one is accepted (Infinity: never). */
let refuseCreates = Infinity;
const calls = { creates: 0, other: 0 };
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const codec = resourceCodec(vendor);
    const creating = req.method === 'POST' && !/\/(test|rotate)\b/.test(req.url ?? '');
    if (!creating) {
      calls.other++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(codec.renderList([], { hasMore: false })));
      return;
    }
    calls.creates++;
    if (calls.creates <= refuseCreates) {
      const body = codec.renderError({ status: 429, message: 'Too many requests' });
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': retryAfter });
      res.end(JSON.stringify(body));
      return;
    }
    // Accepting is not needed: the budget is about what happens before.
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let workflowCounter = 0;
/** n8n 2.x activating one trigger: up to 5 attempts of checkExists + create; the last error. */
async function activate(
  attempts = N8N_ATTEMPTS,
  workflowId = `wf-budget-${++workflowCounter}`,
): Promise<{ errors: Error[]; requestsAfter: number[] }> {
  const apiKey = vendor.auth.kind === 'apiKey' ? `${vendor.auth.keyPrefixes[0] ?? ''}test_key_123` : '';
  const lifecycle = webhookLifecycle(vendor);
  const errors: Error[] = [];
  /** Requests the vendor had received after each attempt. */
  const requestsAfter: number[] = [];
  for (let i = 0; i < attempts; i++) {
    const ctx = hookContext({
      workflowId,
      credentials: { apiKey, baseUrl: baseUrl + new URL(vendor.api!.baseUrl).pathname, allowHttpWebhookUrl: false },
      params: { events: [vendor.events.find((e) => !e.paid)!.type] },
    });
    try {
      if (!(await lifecycle.checkExists.call(ctx))) await lifecycle.create.call(ctx);
      return { errors, requestsAfter };
    } catch (error) {
      errors.push(error as Error);
      requestsAfter.push(calls.creates + calls.other);
      // n8n stops at an error of its one permanent class.
      if (error instanceof WebhookPathTakenError) break;
    }
  }
  return { errors, requestsAfter };
}

for (const v of vendors.filter((x) => x.api)) {
  describe(`${v.displayName}: a vendor that keeps answering 429 during activation`, () => {
    beforeAll(() => {
      vendor = v;
    });

    it(`Retry-After 0: at most ${RATE_LIMITED_REQUESTS_PER_ACTIVATION} refused creates over n8n's attempts, then a permanent message`, async () => {
      retryAfter = '0';
      refuseCreates = Infinity;
      calls.creates = 0;
      const { errors } = await activate();
      console.log(
        `[429 budget] ${v.id}: Retry-After 0 → ${calls.creates} creates over ${errors.length} of n8n's attempts`,
      );
      expect(calls.creates).toBeGreaterThan(0);
      expect(calls.creates).toBeLessThanOrEqual(RATE_LIMITED_REQUESTS_PER_ACTIVATION);
      const last = errors.at(-1)!;
      expect(last).toBeInstanceOf(WebhookPathTakenError);
      expect(last.message).toContain(`${v.displayName} kept rate limiting this API key (429)`);
      expect(last.message).toMatch(/Wait \d+ s, then try again/);
      expect(errors.length).toBeLessThan(N8N_ATTEMPTS);
    });

    it('the next activation after a spent budget gets a budget of its own', async () => {
      retryAfter = '0';
      refuseCreates = Infinity;
      calls.creates = 0;
      const workflowId = `wf-budget-${++workflowCounter}`;
      await activate(N8N_ATTEMPTS, workflowId);
      const first = calls.creates;
      calls.creates = 0;
      const { errors } = await activate(N8N_ATTEMPTS, workflowId);
      expect(calls.creates).toBe(first);
      expect(errors.at(-1)).toBeInstanceOf(WebhookPathTakenError);
    });

    it('Retry-After 30: one refused create, then n8n’s next attempts wait without calling the vendor', async () => {
      retryAfter = '30';
      refuseCreates = Infinity;
      calls.creates = 0;
      calls.other = 0;
      const { errors, requestsAfter } = await activate();
      expect(calls.creates).toBe(1);
      expect(errors).toHaveLength(N8N_ATTEMPTS);
      // Every later attempt failed before any request (no lookups either).
      expect(new Set(requestsAfter).size).toBe(1);
      for (const later of errors.slice(1)) {
        expect(later).not.toBeInstanceOf(WebhookPathTakenError);
        expect(later.message).toMatch(
          new RegExp(`^${v.displayName} is rate limiting this API key \\(429\\) and asked to wait`),
        );
        expect(later.message).toMatch(/Try again in (29|30) s\./);
      }
    });
  });
}
