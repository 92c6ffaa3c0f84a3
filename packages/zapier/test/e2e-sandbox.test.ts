import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usesAppSecret, type VendorDefinition } from '@hookpack/core';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { restApps, staticApps, zapier, zapierHeaders } from './apps.js';
import { SIGNING_SECRET_FIELD, triggerKey } from '../src/index.js';
import { LOOPBACK_HTTP_ENV } from '../src/api.js';

// End to end on loopback: the app subscribes at the sandbox playing the vendor, the sandbox
// delivers a signed event to a local receiver standing in for hooks.zapier.com, the captured
// request goes to perform exactly as Zapier would pass it, and unsubscribe removes the
// subscription at the vendor.

interface Captured {
  method: string;
  headers: Record<string, string>;
  content: string;
}

/** A stand-in for hooks.zapier.com: records every request, answers 200 like Zapier does. */
async function startReceiver(): Promise<{ url: string; captured: Captured[]; close(): Promise<void> }> {
  const captured: Captured[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // rawHeaders keeps the sender's spelling; Zapier re-cases them anyway.
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
      captured.push({ method: req.method ?? 'POST', headers, content: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/catch/123/abc/`,
    captured,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function rawRequestFrom(c: Captured) {
  return { method: c.method, querystring: '', headers: zapierHeaders(c.headers), content: c.content };
}

let sandbox: Sandbox;
/** A connection: API key and base URL, and the app secret where the vendor signs with one (Shopify). */
const authDataFor = (vendor: VendorDefinition): Record<string, string> => ({
  apiKey: sandbox.apiKey(vendor.id),
  baseUrl: sandbox.baseUrl(vendor.id),
  ...(usesAppSecret(vendor) ? { appSecret: sandbox.appSecret(vendor.id) } : {}),
});
let receiver: Awaited<ReturnType<typeof startReceiver>>;

// The sandbox serves its APIs over http:// on loopback: the apps' explicit opt-in.
beforeAll(() => {
  process.env[LOOPBACK_HTTP_ENV] = '1';
});
afterAll(() => {
  delete process.env[LOOPBACK_HTTP_ENV];
});
beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.001 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await sandbox?.stop();
  await receiver?.close();
});

describe('Zapier apps against the sandbox vendors (loopback)', () => {
  for (const { app, vendor } of restApps) {
    const appTester = zapier.createAppTester(app);
    const event = vendor.events.find((e) => !e.paid) ?? vendor.events[0]!;
    const op = app.triggers[triggerKey(event.type)]!.operation as any;

    it(`${vendor.displayName}: auth test, subscribe, delivery → perform, unsubscribe`, async () => {
      const authData = authDataFor(vendor);

      const me = await appTester(app.authentication!.test as any, { authData });
      expect(me).toBeTruthy();
      await expect(
        appTester(app.authentication!.test as any, { authData: { ...authData, apiKey: `${authData.apiKey}x` } }),
      ).rejects.toThrow(/API key invalid or revoked/);

      const subscribeData = (await appTester(op.performSubscribe, {
        authData,
        targetUrl: receiver.url,
        inputData: {},
      })) as { id: string; secret: string | null; publicKey?: string };
      // The signing secret, or for vendors that sign with their own key pair, the public key;
      // none where the connection's app secret signs.
      if (usesAppSecret(vendor)) expect(subscribeData.secret).toBeNull();
      else expect(subscribeData.secret ?? subscribeData.publicKey).toBeTruthy();
      const stored = sandbox.subscription(subscribeData.id);
      expect(stored).toMatchObject({ url: receiver.url, events: [event.type], active: true });

      const before = receiver.captured.length;
      const fired = sandbox.fire(vendor.id, event.type);
      expect(await sandbox.settle()).toBe(true);
      const delivered = receiver.captured.slice(before);
      expect(delivered).toHaveLength(1);

      const results = (await appTester(op.perform, {
        authData,
        subscribeData,
        rawRequest: rawRequestFrom(delivered[0]!),
      })) as any[];
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ type: event.type, provider: vendor.id });
      // The stable id, worked out independently: envelope id, else a stable delivery-id header,
      // else the SHA-256 of the exact body.
      const envelopeId = delivered[0]!.content.includes(`"${fired.eventId}"`) ? fired.eventId : undefined;
      const idHeader = vendor.delivery.deliveryIdIsStable ? vendor.delivery.deliveryIdHeader?.toLowerCase() : undefined;
      const headerId = Object.entries(delivered[0]!.headers).find(([k]) => k.toLowerCase() === idHeader)?.[1];
      const bodyHash = `sha256:${createHash('sha256').update(delivered[0]!.content).digest('hex')}`;
      expect(results[0].id).toBe(envelopeId ?? headerId ?? bodyHash);
      if (envelopeId !== undefined) expect(envelopeId).toBe(fired.eventId);

      // A delivery re-signed by someone without the secret starts nothing.
      const forged = { ...delivered[0]!, content: delivered[0]!.content.replace(/[}\]]$/, (end) => ` ${end}`) };
      expect(forged.content).not.toBe(delivered[0]!.content);
      expect(await appTester(op.perform, { authData, subscribeData, rawRequest: rawRequestFrom(forged) })).toEqual([]);

      if (vendor.signature.publicKey?.source === 'api') {
        // The vendor replaces its key: perform fetches it once (through z.request) and verifies.
        const keyReads = () =>
          sandbox.requests(vendor.id).filter((r) => r.path.endsWith(`/${subscribeData.id}`)).length;
        const readsBefore = keyReads();
        sandbox.rotateSigningKey(subscribeData.id);
        const mark = receiver.captured.length;
        sandbox.fire(vendor.id, event.type);
        expect(await sandbox.settle()).toBe(true);
        const rotated = receiver.captured.slice(mark);
        expect(rotated).toHaveLength(1);
        const afterRotation = (await appTester(op.perform, {
          authData,
          subscribeData,
          rawRequest: rawRequestFrom(rotated[0]!),
        })) as unknown[];
        expect(afterRotation).toHaveLength(1);
        expect(keyReads()).toBe(readsBefore + 1);
      }

      await appTester(op.performUnsubscribe, { authData, subscribeData });
      expect(sandbox.subscriptions(vendor.id).map((s) => s.id)).not.toContain(subscribeData.id);
      // Unsubscribing again (already gone at the vendor) is still a success.
      await expect(appTester(op.performUnsubscribe, { authData, subscribeData })).resolves.toMatchObject({
        alreadyGone: true,
      });

      const after = receiver.captured.length;
      sandbox.fire(vendor.id, event.type);
      expect(await sandbox.settle()).toBe(true);
      expect(receiver.captured.length).toBe(after);
    });
  }

  for (const { app, vendor } of restApps) {
    const appTester = zapier.createAppTester(app);
    const event = vendor.events.find((e) => !e.paid) ?? vendor.events[0]!;
    const op = app.triggers[triggerKey(event.type)]!.operation as any;

    it(`${vendor.displayName}: unsubscribe deletes only the subscription in its own subscribe data`, async () => {
      const authData = authDataFor(vendor);
      // Two Zaps (or a Zap and another integration) subscribed to the same target URL.
      const first = (await appTester(op.performSubscribe, { authData, targetUrl: receiver.url, inputData: {} })) as {
        id: string;
      };
      const second = (await appTester(op.performSubscribe, { authData, targetUrl: receiver.url, inputData: {} })) as {
        id: string;
      };
      const logStart = sandbox.requests(vendor.id).length;
      await appTester(op.performUnsubscribe, { authData, subscribeData: first });
      const calls = sandbox.requests(vendor.id).slice(logStart);
      expect(calls.map((r) => r.method)).toEqual(['DELETE']);
      expect(calls[0]!.path).toContain(encodeURIComponent(first.id));
      const left = sandbox.subscriptions(vendor.id).map((s) => s.id);
      expect(left).toContain(second.id);
      expect(left).not.toContain(first.id);
      // Without a stored id there is nothing it may delete: an error, and no call at all.
      await expect(appTester(op.performUnsubscribe, { authData, subscribeData: {} })).rejects.toThrow(/no stored/);
      expect(sandbox.requests(vendor.id).length).toBe(logStart + 1);
      await appTester(op.performUnsubscribe, { authData, subscribeData: second });
    });
  }

  for (const { app, vendor } of restApps.filter((a) => a.vendor.events.some((e) => e.paid))) {
    const appTester = zapier.createAppTester(app);
    const paid = vendor.events.find((e) => e.paid)!;
    const op = app.triggers[triggerKey(paid.type)]!.operation as any;

    it(`${vendor.displayName}: subscribing to a paid event without credits gives the plan / credits message`, async () => {
      const authData = authDataFor(vendor);
      sandbox.setCredits(vendor.id, false);
      try {
        const err = (await appTester(op.performSubscribe, { authData, targetUrl: receiver.url, inputData: {} }).catch(
          (e: Error) => e,
        )) as Error;
        expect(err).toBeInstanceOf(Error);
        expect(err.message).toContain('403');
        expect(err.message).toContain(`${paid.type} needs a paid ${vendor.displayName} plan or a credit balance`);
        expect(sandbox.subscriptions(vendor.id).filter((s) => s.url === receiver.url)).toEqual([]);
      } finally {
        sandbox.setCredits(vendor.id, true);
      }
    });
  }

  for (const { app, vendor } of staticApps) {
    const appTester = zapier.createAppTester(app);
    const event = vendor.events[0]!;
    const op = app.triggers[triggerKey(event.type)]!.operation as any;

    it(`${vendor.displayName}: a hand-configured hook with a signing secret → perform`, async () => {
      const secret = 'recipes-signing-secret';
      const hook = sandbox.addHook({ vendor: vendor.id, url: receiver.url, events: [event.type], secret });
      const before = receiver.captured.length;
      sandbox.fire(vendor.id, event.type);
      expect(await sandbox.settle()).toBe(true);
      const delivered = receiver.captured.slice(before);
      expect(delivered).toHaveLength(1);
      const results = (await appTester(op.perform, {
        inputData: { [SIGNING_SECRET_FIELD]: secret },
        rawRequest: rawRequestFrom(delivered[0]!),
      })) as any[];
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ type: event.type, provider: vendor.id });
      // The same delivery checked against another secret starts nothing.
      expect(
        await appTester(op.perform, {
          inputData: { [SIGNING_SECRET_FIELD]: 'other' },
          rawRequest: rawRequestFrom(delivered[0]!),
        }),
      ).toEqual([]);
      sandbox.removeHook((hook as { id: string }).id);
    });
  }
});
