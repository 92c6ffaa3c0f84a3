// What a failed activation tells n8n and the user, for every vendor with an API: permanent
// answers stop n8n's retries (n8n 2.x retries anything but a WebhookPathTakenError), each
// message says what happened and what to do, once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceCodec, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { NodeOperationError, WebhookPathTakenError } from 'n8n-workflow';
import { webhookLifecycle } from '../src/lifecycle.js';
import { hookContext } from './contexts.js';

/** A loopback vendor that answers every request with `status` and the vendor's own error document. */
let answer: { vendor: VendorDefinition; status: number } | undefined;
let requests = 0;
/** The first `okFirst` requests get an empty subscription list instead (the lookup before a create). */
let okFirst = 0;
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const { vendor, status } = answer!;
    if (requests <= okFirst) {
      const list = resourceCodec(vendor).renderList([], { hasMore: false });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(list));
      return;
    }
    const body = resourceCodec(vendor).renderError({ status, message: `vendor says ${status}` });
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function activationError(vendor: VendorDefinition, status: number, listsFirst = 0): Promise<Error> {
  answer = { vendor, status };
  requests = 0;
  okFirst = listsFirst;
  const apiKey = vendor.auth.kind === 'apiKey' ? `${vendor.auth.keyPrefixes[0] ?? ''}test_key_123` : '';
  const ctx = hookContext({
    credentials: { apiKey, baseUrl: baseUrl + new URL(vendor.api!.baseUrl).pathname, allowHttpWebhookUrl: false },
    params: { events: [vendor.events[0]!.type] },
  });
  const lifecycle = webhookLifecycle(vendor);
  return lifecycle.create.call(ctx).then(
    () => {
      throw new Error(`create succeeded against a vendor answering ${status}`);
    },
    (e: Error) => e,
  );
}

/** No sentence of the message appears twice (the old toasts repeated the client's own sentence). */
function sentences(message: string): string[] {
  return message
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

for (const vendor of vendors.filter((v) => v.api)) {
  describe(`${vendor.displayName}: activation failures`, () => {
    it.each([400, 401, 403, 404, 422])(
      '%i is permanent: n8n does not retry it, the message names the fix',
      async (status) => {
        const error = await activationError(vendor, status);
        expect(error).toBeInstanceOf(WebhookPathTakenError);
        expect(error.message).toContain(`(${status})`);
        expect(error.message.split(`(${status})`)).toHaveLength(2); // the status once
        expect(error.message).toContain(`vendor says ${status}`);
        expect(error.message.split(`vendor says ${status}`)).toHaveLength(2); // the vendor's words once
        expect(error.message).toMatch(/then try again\.|Try again/);
        expect(error.message).not.toMatch(/already taken/);
        const all = sentences(error.message);
        expect(new Set(all).size).toBe(all.length);
        // One request: the client does not retry a permanent answer either.
        expect(requests).toBe(1);
      },
    );

    it('401 says to paste a valid key into the credential', async () => {
      const error = await activationError(vendor, 401);
      expect(error.message).toMatch(new RegExp(`^${vendor.displayName} rejected the API key \\(401\\)`));
      expect(error.message).toContain(`Open the ${vendor.displayName} credential, paste a valid API key`);
    });

    if (vendor.api!.endpoints.list) {
      it('a 401 on create whose clean-up is refused for the same reason is said once', async () => {
        // The lookup before the create works, the create is refused, the clean-up after it too.
        const error = await activationError(vendor, 401, 1);
        expect(requests).toBe(3);
        expect(error).toBeInstanceOf(WebhookPathTakenError);
        expect(error.message.split('(401)')).toHaveLength(2);
        expect(error.message).not.toContain('Cleaning up afterwards');
      });
    }

    it('500 is retried by n8n and says what to do', async () => {
      const error = await activationError(vendor, 500);
      expect(error).toBeInstanceOf(NodeOperationError);
      expect(error).not.toBeInstanceOf(WebhookPathTakenError);
      expect(error.message).toContain(`${vendor.displayName} had a server error (500)`);
      expect(error.message).toMatch(/try again in a few minutes/);
    });
  });
}
