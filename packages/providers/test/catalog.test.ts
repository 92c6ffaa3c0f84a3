import { describe, expect, it } from 'vitest';
import { deliveryDocument, parseDelivery, resourceCodec, type VendorDefinition } from '@hookpack/core';
import { getVendor, vendors } from '@hookpack/providers';

/** The event-type header a vendor sends beside the body, where it has one (Shopify's topic travels only there). */
const typeHeader = (vendor: VendorDefinition, type: string): Record<string, string> =>
  vendor.delivery.eventHeader ? { [vendor.delivery.eventHeader]: type } : {};

// The catalogs are data that three products are generated from: these tests keep every
// sample, schema and envelope mapping honest, vendor by vendor.

describe.each(vendors.map((v) => [v.id, v] as [string, VendorDefinition]))('%s', (_id, vendor) => {
  it('has a unique, non-empty event catalog', () => {
    expect(vendor.events.length).toBeGreaterThan(0);
    const types = vendor.events.map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
    const names = vendor.events.map((e) => e.displayName);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(vendor.events.map((e) => [e.type, e] as const))('sample of %s parses with its schema', (_t, event) => {
    const r = event.schema.safeParse(event.sample);
    expect(r.success, r.success ? '' : JSON.stringify(r.error.issues)).toBe(true);
  });

  it('rejects a payload missing its fields (schemas are not empty shells)', () => {
    for (const event of vendor.events) expect(event.schema.safeParse({}).success).toBe(false);
  });

  it('builds envelopes that read back to the same event', () => {
    for (const event of vendor.events) {
      // A batch vendor's delivery is a batch of one (deliveryDocument), the others' the envelope.
      const body = JSON.stringify(
        deliveryDocument(vendor, [
          vendor.envelope.build({
            id: 'evt_roundtrip_1',
            type: event.type,
            createdAt: '2026-05-07T14:30:00Z',
            data: event.sample,
            livemode: false,
          }),
        ]),
      );
      const r = parseDelivery(vendor, body, typeHeader(vendor, event.type));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.event.type).toBe(event.type);
      expect(r.event.data).toEqual(event.sample);
      expect(r.event.provider).toBe(vendor.id);
      expect(r.dedupeKey).toBe(r.event.id);
    }
  });

  it('passes unknown event types through instead of rejecting them', () => {
    const body = JSON.stringify(
      deliveryDocument(vendor, [
        vendor.envelope.build({
          id: 'evt_x',
          type: 'brand.new_type',
          createdAt: '2026-01-01T00:00:00Z',
          data: { a: 1 },
          livemode: true,
        }),
      ]),
    );
    const r = parseDelivery(vendor, body, typeHeader(vendor, 'brand.new_type'));
    expect(r.ok && r.event.type).toBe('brand.new_type');
  });

  it('describes events as clauses and titles in Title Case', () => {
    for (const e of vendor.events) {
      expect(e.description).toMatch(/^[a-z]/);
      expect(e.description).not.toMatch(/\.$/);
      expect(e.displayName).toMatch(/^([A-Z][A-Za-z]*|\(Sync\))( ([A-Z][A-Za-z]*|\(Sync\)))*$/);
    }
  });

  it('has a documented retry schedule in increasing order', () => {
    const d = vendor.delivery.retryDelaysMs;
    expect([...d].sort((a, b) => a - b)).toEqual(d);
    expect(vendor.delivery.timeoutMs).toBeGreaterThan(0);
  });

  it('maps the subscription API consistently where there is one', () => {
    if (!vendor.api) {
      expect(vendor.auth.kind).toBe('none');
      expect(vendor.manualSetup?.instructions).toBeTruthy();
      expect(vendor.signature.secretSource).toBe('user');
      return;
    }
    expect(vendor.auth.kind).toBe('apiKey');
    expect(vendor.api.endpoints.create).toBeDefined();
    expect(vendor.api.endpoints.delete).toBeDefined();
    expect(new URL(vendor.api.baseUrl).protocol).toBe('https:');
    const codec = resourceCodec(vendor);
    const body = codec.createBody({ url: 'https://example.test/h', events: [vendor.events[0]!.type] });
    expect(JSON.stringify(body)).toContain(vendor.events[0]!.type);
    expect(() => codec.readSubscription({ nonsense: true }, true)).toThrow();
  });
});

describe('documented specifics', () => {
  it('Parley wraps responses in {data} and redacts secrets on read', () => {
    const codec = resourceCodec(getVendor('parley')!);
    const created = codec.readSubscription(
      {
        data: {
          id: 'wh_1',
          url: 'https://a.test/h',
          events: ['violation.new'],
          facility_ids: ['f1'],
          secret: 'whsec_abc',
          is_active: true,
          created_at: '2026-03-20T12:00:00Z',
        },
      },
      true,
    );
    expect(created).toMatchObject({ id: 'wh_1', secret: 'whsec_abc', active: true, options: { facility_ids: ['f1'] } });
    const read = codec.readSubscription(
      { data: { id: 'wh_1', url: 'u', events: [], secret: 'whsec_9f8e…', is_active: false } },
      false,
    );
    expect(read.secret).toBeUndefined();
    expect(read.active).toBe(false);
    expect(codec.updateBody('wh_1', { active: true })).toEqual({ is_active: true });
  });

  it('Parlay pauses through `paused` and names events `enabled_events`', () => {
    const vendor = getVendor('parlay')!;
    const codec = resourceCodec(vendor);
    expect(codec.updateBody('wh_1', { active: false })).toEqual({ paused: true });
    expect(
      codec.createBody({ url: 'https://a.test', events: ['analysis.completed'], options: { name: 'production' } }),
    ).toEqual({
      url: 'https://a.test',
      name: 'production',
      enabled_events: ['analysis.completed'],
    });
    expect(vendor.api!.idempotencyKeys).toBe(true);
  });

  it('ParseFlow deletes with ?id= and dedupes on its stable delivery id', () => {
    const vendor = getVendor('parseflow')!;
    expect(vendor.api!.endpoints.delete).toMatchObject({ method: 'DELETE', query: { id: '{id}' } });
    const body = JSON.stringify({ event: 'quota.warning', timestamp: '2026-04-14T10:05:00Z', data: {} });
    const r = parseDelivery(vendor, body, { 'x-parseflow-delivery': 'dlv_42' });
    expect(r.ok && r.dedupeKey).toBe('dlv_42');
  });

  it('Parsley Recipes has no id: the dedupe key is the body hash', () => {
    const vendor = getVendor('parsley-recipes')!;
    const body = '{"event":"RecipeCreated","payload":{"recipeId":1,"timestamp":"2025-10-16T18:42:10Z"}}';
    const a = parseDelivery(vendor, body, {});
    const b = parseDelivery(vendor, Buffer.from(body), {});
    expect(a.ok && a.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.ok && b.ok && a.dedupeKey === b.dedupeKey).toBe(true);
    expect(a.ok && a.event.createdAt).toBe('2025-10-16T18:42:10Z');
  });

  it('Parsley marks its four high-signal events as paid', () => {
    const vendor = getVendor('parsley')!;
    expect(
      vendor.events
        .filter((e) => e.paid)
        .map((e) => e.type)
        .sort(),
    ).toEqual([...vendor.api!.paidEvents!].sort());
  });

  it('getVendor is forgiving about spelling and strict about unknown ids', () => {
    expect(getVendor('ParseFlow')?.id).toBe('parseFlow');
    expect(getVendor('parsley_recipes')?.id).toBe('parsleyRecipes');
    expect(getVendor('stripe')).toBeUndefined();
  });
});
