import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deliveryBody, rawRequest, shapeOf, signedDelivery, staticApps, zapier } from './apps.js';
import { SIGNING_SECRET_FIELD, triggerKey } from '../src/index.js';

// Parsley Recipes has no API: the user pastes the Zap's URL into Parsley and may set a
// signing secret there (x-hub-signature-256). Its triggers are static hooks.
for (const { app, vendor } of staticApps) {
  const appTester = zapier.createAppTester(app);
  // The docs' own example delivery.
  const docBody =
    '{\n"event": "RecipeCreated",\n"payload": {\n"recipeId": 14257,\n"recipeItemNumber": "ITM-REC-0021",\n"timestamp": "2025-10-16T18:42:10Z"\n}\n}';
  const trigger = app.triggers[triggerKey('RecipeCreated')]!;
  const op = trigger.operation as any;
  const secret = 'my-parsley-signing-secret';

  describe(`${vendor.displayName} Zapier app (static hooks)`, () => {
    it('has no authentication and no subscribe/unsubscribe: the user pastes the URL', () => {
      expect((app as any).authentication).toBeUndefined();
      for (const t of Object.values(app.triggers)) {
        const o = t.operation as any;
        expect(o.type).toBe('hook');
        expect(o.performSubscribe).toBeUndefined();
        expect(o.performUnsubscribe).toBeUndefined();
        expect(t.display).toHaveProperty('directions');
        expect((t.display as any).directions).toMatch(/Settings → Webhooks/);
        expect((t.display as any).directions).toContain(t.operation.sample.type);
      }
    });

    it('offers an optional signing secret input', () => {
      const field = op.inputFields.find((f: any) => f.key === SIGNING_SECRET_FIELD);
      expect(field).toMatchObject({ type: 'password', required: false });
    });

    it('perform returns the event for a delivery signed with the configured secret (Zapier header casing)', async () => {
      const delivery = signedDelivery(vendor, docBody, secret);
      const req = rawRequest(delivery);
      expect(req.headers).toHaveProperty('Http-X-Hub-Signature-256');
      const results = (await appTester(op.perform, {
        inputData: { [SIGNING_SECRET_FIELD]: secret },
        rawRequest: req,
      })) as any[];
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({
        type: 'RecipeCreated',
        createdAt: '2025-10-16T18:42:10Z',
        provider: vendor.id,
        data: { recipeId: 14257, recipeItemNumber: 'ITM-REC-0021' },
      });
      // No envelope id: the stable id is the hash of the exact body (same on every retry).
      expect(results[0].id).toBe(`sha256:${createHash('sha256').update(docBody).digest('hex')}`);
      const again = (await appTester(op.perform, {
        inputData: { [SIGNING_SECRET_FIELD]: secret },
        rawRequest: req,
      })) as any[];
      expect(again[0].id).toBe(results[0].id);
    });

    it('perform starts no run for a forged signature, a missing signature or a rotated-away secret', async () => {
      const inputData = { [SIGNING_SECRET_FIELD]: secret };
      const forged = signedDelivery(vendor, docBody, 'guessed');
      expect(await appTester(op.perform, { inputData, rawRequest: rawRequest(forged) })).toEqual([]);
      const unsigned = signedDelivery(vendor, docBody, null);
      expect(await appTester(op.perform, { inputData, rawRequest: rawRequest(unsigned) })).toEqual([]);
      // The user changed the secret in Parsley but not in the Zap (or the other way round).
      const rotated = signedDelivery(vendor, docBody, `${secret}-new`);
      expect(await appTester(op.perform, { inputData, rawRequest: rawRequest(rotated) })).toEqual([]);
    });

    it('perform accepts unsigned deliveries only when no secret is configured, as the vendor documents', async () => {
      const unsigned = signedDelivery(vendor, docBody, null);
      const results = (await appTester(op.perform, { inputData: {}, rawRequest: rawRequest(unsigned) })) as any[];
      expect(results).toHaveLength(1);
      expect(results[0].type).toBe('RecipeCreated');
    });

    it('perform fails closed when the stored secret is not a string (it is not "no secret")', async () => {
      const unsigned = signedDelivery(vendor, docBody, null);
      for (const bad of [12345, ['a'], { secret }]) {
        const inputData = { [SIGNING_SECRET_FIELD]: bad };
        expect(await appTester(op.perform, { inputData, rawRequest: rawRequest(unsigned) }), String(bad)).toEqual([]);
      }
    });

    it('perform ignores other event types sent to the same URL', async () => {
      const other = signedDelivery(vendor, deliveryBody(vendor, 'EventRemoved'), secret);
      expect(
        await appTester(op.perform, { inputData: { [SIGNING_SECRET_FIELD]: secret }, rawRequest: rawRequest(other) }),
      ).toEqual([]);
    });

    it('performList returns the catalog sample, shaped exactly like perform output', async () => {
      const delivery = signedDelivery(vendor, docBody, secret);
      const [performed] = (await appTester(op.perform, {
        inputData: { [SIGNING_SECRET_FIELD]: secret },
        rawRequest: rawRequest(delivery),
      })) as any[];
      const listed = (await appTester(op.performList, { inputData: {} })) as any[];
      expect(shapeOf(listed[0])).toEqual(shapeOf(performed));
      expect(listed[0]).toEqual(op.sample);
    });
  });
}
