import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliveryBody, rawRequest, restApps, shapeOf, signedDelivery, zapier } from './apps.js';
import { restFixtures, targetUrl } from './vendor-fixtures.js';
import { defaultBaseUrl, resourceCodec } from '@hookpack/core';
import { LOOPBACK_HTTP_ENV } from '../src/api.js';
import { triggerKey } from '../src/index.js';

const API_KEY = 'test_key_0123456789abcdef';

beforeAll(() => {
  nock.disableNetConnect();
  // Some tests point the connection at a loopback http:// API, as a local sandbox would.
  process.env[LOOPBACK_HTTP_ENV] = '1';
});
afterAll(() => {
  delete process.env[LOOPBACK_HTTP_ENV];
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, 'every mocked vendor request was made').toEqual([]);
});

for (const fixture of restFixtures) {
  const shipped = restApps.find((a) => a.dir === fixture.dir)!;
  const { app, vendor } = shipped;
  const appTester = zapier.createAppTester(app);
  const trigger = app.triggers[triggerKey(fixture.event)]!;
  const op = trigger.operation as any;
  // No baseUrl where the app defaults to the vendor's documented production host, which nock
  // answers; the docs' example host typed in where they name no production host.
  const bundleBase = {
    authData: { apiKey: API_KEY, ...(defaultBaseUrl(vendor.api) ? {} : { baseUrl: vendor.api.baseUrl }) },
  };
  // core's create lists first wherever it can clean up after a lost answer (list and delete, with
  // or without Idempotency-Key): the vendor's own empty list, rendered from its description.
  const listBefore = (origin = fixture.origin, prefix = new URL(vendor.api.baseUrl).pathname.replace(/\/$/, '')) => {
    if (!vendor.api.endpoints.list || !vendor.api.endpoints.delete) return;
    nock(origin)
      .get(prefix + vendor.api.endpoints.list.path)
      .query(true)
      .reply(200, resourceCodec(vendor).renderList([], { hasMore: false }));
  };

  describe(`${vendor.displayName} Zapier app`, () => {
    it('subscribe sends exactly the documented create request and keeps id + secret', async () => {
      const [authName, authValue] = fixture.authHeader(API_KEY);
      let idempotencyKey: string | null = null;
      listBefore();
      const scope = nock(fixture.origin)
        .post(fixture.createPath, fixture.createBody)
        .matchHeader(authName, authValue)
        .reply(fixture.createReply.status, fixture.createReply.body);
      scope.on('request', (req: { headers: { get(name: string): string | null } }) => {
        idempotencyKey = req.headers.get('idempotency-key');
      });
      const subscribeData = await appTester(op.performSubscribe, {
        ...bundleBase,
        targetUrl,
        inputData: fixture.inputData,
      });
      expect(subscribeData).toEqual({
        id: fixture.id,
        secret: fixture.secret,
        events: [fixture.event],
        url: targetUrl,
      });
      if (fixture.idempotency) expect(idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      else expect(idempotencyKey).toBeNull();
    });

    it('subscribe goes to the Base URL of the connection when one is set', async () => {
      const custom = 'http://127.0.0.1:9/vendor-staging';
      const path = fixture.createPath.replace(/^\/api\/v1/, '');
      listBefore('http://127.0.0.1:9', '/vendor-staging');
      nock('http://127.0.0.1:9')
        .post(`/vendor-staging${path}`)
        .reply(fixture.createReply.status, fixture.createReply.body);
      const data = await appTester(op.performSubscribe, {
        authData: { apiKey: API_KEY, baseUrl: `${custom}/` },
        targetUrl,
        inputData: fixture.inputData,
      });
      expect((data as any).id).toBe(fixture.id);
    });

    /** The vendor creates the webhook but its answer lacks the secret; the undo gets `deleteStatus`. */
    const createWithoutSecret = (deleteStatus: number) => {
      const reply = JSON.parse(JSON.stringify(fixture.createReply.body));
      const obj = reply.data ?? reply;
      delete obj.secret;
      delete obj.signing_secret;
      listBefore();
      nock(fixture.origin).post(fixture.createPath).reply(fixture.createReply.status, reply);
      nock(fixture.origin)
        .delete(fixture.deletePath)
        .query(fixture.deleteQuery ?? {})
        .reply(deleteStatus, deleteStatus >= 400 ? { error: 'database unavailable' } : undefined);
    };

    it('subscribe refuses a vendor answer without a signing secret, and deletes what it created', async () => {
      createWithoutSecret(204);
      await expect(
        appTester(op.performSubscribe, { ...bundleBase, targetUrl, inputData: fixture.inputData }),
      ).rejects.toThrow(/no signing secret in the answer.*hookpack deleted it again/);
    });

    it('subscribe without a signing secret names the webhook to delete by hand when the undo fails', async () => {
      createWithoutSecret(500);
      await expect(
        appTester(op.performSubscribe, { ...bundleBase, targetUrl, inputData: fixture.inputData }),
      ).rejects.toThrow(
        new RegExp(`deleting it failed: delete subscription ${fixture.id} in ${vendor.displayName} by hand`),
      );
    });

    it('a redirecting API is reported, never followed with the API key', async () => {
      let followed = false;
      nock('https://elsewhere.example')
        .post(/.*/)
        .optionally()
        .reply(() => {
          followed = true;
          return [201, fixture.createReply.body];
        });
      listBefore();
      nock(fixture.origin).post(fixture.createPath).reply(301, '', { Location: 'https://elsewhere.example/hooks' });
      await expect(
        appTester(op.performSubscribe, { ...bundleBase, targetUrl, inputData: fixture.inputData }),
      ).rejects.toThrow(
        // The status once: core's message already names it.
        /could not subscribe to [^:]+: \w+ redirected create \(301\) to https:\/\/elsewhere\.example\/hooks: use that as the base URL\./,
      );
      expect(followed).toBe(false);
    });

    it('unsubscribe deletes the stored subscription', async () => {
      const [authName, authValue] = fixture.authHeader(API_KEY);
      nock(fixture.origin)
        .delete(fixture.deletePath)
        .query(fixture.deleteQuery ?? {})
        .matchHeader(authName, authValue)
        .reply(204);
      const result = await appTester(op.performUnsubscribe, {
        ...bundleBase,
        subscribeData: { id: fixture.id, secret: fixture.secret },
      });
      expect(result).toMatchObject({ id: fixture.id, deleted: true, alreadyGone: false });
    });

    it('unsubscribe of a subscription that is already gone (404) succeeds', async () => {
      nock(fixture.origin)
        .delete(fixture.deletePath)
        .query(fixture.deleteQuery ?? {})
        .reply(404, { error: 'Subscription not found' });
      const result = await appTester(op.performUnsubscribe, { ...bundleBase, subscribeData: { id: fixture.id } });
      expect(result).toMatchObject({ id: fixture.id, deleted: true, alreadyGone: true });
    });

    it('unsubscribe reports a vendor server error with its message', async () => {
      nock(fixture.origin)
        .delete(fixture.deletePath)
        .query(fixture.deleteQuery ?? {})
        .reply(500, { error: 'database unavailable' });
      await expect(
        appTester(op.performUnsubscribe, { ...bundleBase, subscribeData: { id: fixture.id } }),
      ).rejects.toThrow(/HTTP 500.*database unavailable/);
    });

    it('a vendor message without a full stop still reads as sentences', async () => {
      nock(fixture.origin)
        .delete(fixture.deletePath)
        .query(fixture.deleteQuery ?? {})
        .reply(500, resourceCodec(vendor).renderError({ status: 500, message: 'Internal server error' }));
      const err = await appTester(op.performUnsubscribe, { ...bundleBase, subscribeData: { id: fixture.id } }).catch(
        (e: Error) => e,
      );
      expect((err as Error).message).toContain('Internal server error. Try again later.');
    });

    const docBody = fixture.delivery.body || deliveryBody(vendor, fixture.delivery.type, fixture.delivery.expectId);

    it('perform returns the normalized event for a correctly signed delivery (Zapier header casing)', async () => {
      const delivery = signedDelivery(vendor, docBody, fixture.secret, fixture.delivery.headers);
      const bundle = {
        ...bundleBase,
        subscribeData: { id: fixture.id, secret: fixture.secret },
        rawRequest: rawRequest(delivery),
      };
      expect(Object.keys(bundle.rawRequest.headers).some((h) => h.startsWith('Http-X-'))).toBe(true);
      const results = (await appTester(op.perform, bundle)) as any[];
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({
        id: fixture.delivery.expectId,
        type: fixture.delivery.type,
        provider: vendor.id,
        data: JSON.parse(docBody).data ?? JSON.parse(docBody).payload,
      });
    });

    it('perform starts no run for a forged delivery', async () => {
      const forged = signedDelivery(vendor, docBody, 'whsec_attacker_guess', fixture.delivery.headers);
      const results = await appTester(op.perform, {
        ...bundleBase,
        subscribeData: { id: fixture.id, secret: fixture.secret },
        rawRequest: rawRequest(forged),
      });
      expect(results).toEqual([]);
    });

    it('perform starts no run when the body was altered after signing', async () => {
      const signed = signedDelivery(vendor, docBody, fixture.secret, fixture.delivery.headers);
      const tampered = { ...signed, content: signed.content.replace(/"data"/, '"data" ') };
      const results = await appTester(op.perform, {
        ...bundleBase,
        subscribeData: { id: fixture.id, secret: fixture.secret },
        rawRequest: rawRequest(tampered),
      });
      expect(results).toEqual([]);
    });

    it('perform starts no run for a delivery signed with a secret rotated away', async () => {
      // The vendor rotated the secret (or the subscription was recreated): deliveries now carry
      // the new signature, while this Zap still holds the old secret in subscribeData.
      const delivery = signedDelivery(vendor, docBody, `${fixture.secret}_rotated`, fixture.delivery.headers);
      const results = await appTester(op.perform, {
        ...bundleBase,
        subscribeData: { id: fixture.id, secret: fixture.secret },
        rawRequest: rawRequest(delivery),
      });
      expect(results).toEqual([]);
    });

    it('perform starts no run for an unsigned delivery or a Zap without a stored secret', async () => {
      const unsigned = signedDelivery(vendor, docBody, null, fixture.delivery.headers);
      expect(
        await appTester(op.perform, {
          ...bundleBase,
          subscribeData: { id: fixture.id, secret: fixture.secret },
          rawRequest: rawRequest(unsigned),
        }),
      ).toEqual([]);
      const signed = signedDelivery(vendor, docBody, fixture.secret, fixture.delivery.headers);
      expect(
        await appTester(op.perform, {
          ...bundleBase,
          subscribeData: { id: fixture.id },
          rawRequest: rawRequest(signed),
        }),
      ).toEqual([]);
    });

    it('performList returns catalog samples shaped exactly like perform output', async () => {
      const delivery = signedDelivery(vendor, docBody, fixture.secret, fixture.delivery.headers);
      const [performed] = (await appTester(op.perform, {
        ...bundleBase,
        subscribeData: { id: fixture.id, secret: fixture.secret },
        rawRequest: rawRequest(delivery),
      })) as any[];
      const listed = (await appTester(op.performList, bundleBase)) as any[];
      expect(listed.length).toBeGreaterThan(0);
      // Same keys at every level with the same value types; a nullable string field
      // (deliveryId, createdAt) may be null on one side and a string on the other.
      const nullAsString = (shape: unknown) => JSON.stringify(shape).replace(/"null"/g, '"string"');
      expect(nullAsString(shapeOf(listed[0]))).toEqual(nullAsString(shapeOf(performed)));
      expect(listed[0]).toEqual(op.sample);
    });

    it('auth test succeeds with a valid key and labels the connection', async () => {
      const [authName, authValue] = fixture.authHeader(API_KEY);
      nock(fixture.origin).get(fixture.testPath).matchHeader(authName, authValue).reply(200, fixture.testReply);
      const result = await appTester(app.authentication!.test as any, bundleBase);
      expect(result).toBeTruthy();
      const label = await appTester(app.authentication!.connectionLabel as any, { ...bundleBase, inputData: result });
      expect(typeof label).toBe('string');
      expect(label).not.toContain(API_KEY);
      expect(String(label).length).toBeGreaterThan(3);
    });

    it('auth test with a revoked key (401) says the API key is invalid or revoked', async () => {
      nock(fixture.origin).get(fixture.testPath).reply(401, { error: 'Invalid or revoked API key.' });
      const err = await appTester(app.authentication!.test as any, bundleBase).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('ExpiredAuthError');
      expect((err as Error).message).toMatch(/API key invalid or revoked/);
      expect((err as Error).message).not.toContain(API_KEY);
    });

    it('a 403 on subscribe carries the plan / credits message', async () => {
      listBefore();
      nock(fixture.origin)
        .post(fixture.createPath)
        .reply(403, { error: 'Event requires a paid plan or credit balance' });
      const err = (await appTester(op.performSubscribe, {
        ...bundleBase,
        targetUrl,
        inputData: fixture.inputData,
      }).catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(/403/);
      expect(err.message).toMatch(/plan or (a )?credit/);
      expect(err.message).toContain('Event requires a paid plan or credit balance');
    });

    it('a 429 becomes a Zapier ThrottledError with the vendor Retry-After', async () => {
      listBefore();
      nock(fixture.origin)
        .post(fixture.createPath)
        .reply(429, { error: 'Rate limit exceeded' }, { 'Retry-After': '42' });
      const err = (await appTester(op.performSubscribe, {
        ...bundleBase,
        targetUrl,
        inputData: fixture.inputData,
      }).catch((e: Error) => e)) as Error;
      expect(err.name).toBe('ThrottledError');
      expect(JSON.parse(err.message)).toMatchObject({ delay: 42 });
      expect(JSON.parse(err.message).message).toContain(vendor.displayName);
    });
  });
}
