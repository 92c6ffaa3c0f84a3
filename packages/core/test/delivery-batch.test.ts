// Batched deliveries: one signed request carrying many events, verified once, each event with
// its own dedupe key. The vendors here are shipped ones re-declared as batch senders.
import { describe, expect, it } from 'vitest';
import {
  deliveryDocument,
  generateSigningKeyPair,
  MAX_BATCH_EVENTS,
  parseDelivery,
  verifyDelivery,
  type VendorDefinition,
} from '@hookpack/core';
import { vendors } from '@hookpack/providers';

// "whsec_" + base64: a secret every scheme can sign with (Standard Webhooks decodes it).
const SHARED_SECRET = `whsec_${Buffer.from('batch_secret').toString('base64')}`;
const asBatch = (
  vendor: VendorDefinition,
  batch: NonNullable<VendorDefinition['envelope']['batch']>,
): VendorDefinition => ({
  ...vendor,
  envelope: { ...vendor.envelope, batch },
});
// The id also goes into the payload, so envelopes of vendors that carry no event id still differ.
const envelope = (vendor: VendorDefinition, id: string) => {
  const event = vendor.events[0]!;
  return vendor.envelope.build({
    id,
    type: event.type,
    createdAt: '2026-12-01T00:00:00.000Z',
    data: { ...event.sample, testRef: id },
    livemode: false,
  });
};

// Only envelopes that name their own event type can be batch elements: a vendor whose body is the
// bare resource, typed by a header (Shopify's X-Shopify-Topic), sends one event per request.
const typedByBody = vendors.filter((v) => envelope(v, 'evt_probe') && v.envelope.read(envelope(v, 'evt_probe')).type);

describe.each(typedByBody.map((v) => [v.id, v] as const))('%s as a batch sender', (_, vendor) => {
  const batchVendor = asBatch(vendor, { kind: 'array' });
  // Public-key vendors sign with a private key and are verified with its public key.
  const algorithm = vendor.signature.scheme.publicKeyAlgorithm;
  const pair = algorithm ? generateSigningKeyPair(algorithm) : undefined;
  const SECRET = pair?.publicKey ?? SHARED_SECRET;
  const signed = (elements: unknown[]) => {
    const body = Buffer.from(JSON.stringify(elements));
    return { body, headers: vendor.signature.scheme.sign({ body, secret: pair?.privateKey ?? SHARED_SECRET }) };
  };

  it('verifies the batch once and yields every event with the key it would have on its own', () => {
    const elements = [envelope(vendor, 'evt_a'), envelope(vendor, 'evt_b'), envelope(vendor, 'evt_c')];
    const result = verifyDelivery(batchVendor, { ...signed(elements), secret: SECRET });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events).toHaveLength(3);
    expect(result.events.every((e) => e.event.type === vendor.events[0]!.type)).toBe(true);
    // Each element's key is what the same envelope gets when delivered alone (its event id, or
    // the digest of exactly its JSON): a redelivered batch that overlaps shares those keys.
    const alone = (el: unknown) => {
      const single = parseDelivery(vendor, JSON.stringify(deliveryDocument(vendor, [el])));
      return single.ok ? single.dedupeKey : 'unparsable';
    };
    expect(result.events.map((e) => e.dedupeKey)).toEqual(elements.map(alone));
    const overlap = [elements[2], envelope(vendor, 'evt_d')];
    const again = verifyDelivery(batchVendor, { ...signed(overlap), secret: SECRET });
    expect(again.ok && again.events.map((e) => e.dedupeKey)).toEqual(overlap.map(alone));
  });

  it('a forged batch runs nothing: one signature for the whole body', () => {
    const d = signed([envelope(vendor, 'evt_a')]);
    const tampered = Buffer.from(d.body.toString('utf8').replace(/]$/, ',{}]'));
    const result = verifyDelivery(batchVendor, { body: tampered, headers: d.headers, secret: SECRET });
    if (vendor.signature.secretRequired) expect(result).toMatchObject({ ok: false, status: 401 });
  });

  it('skips elements that are not envelopes, refuses a batch with none, an empty one and an oversized one', () => {
    const mixed = parseDelivery(batchVendor, JSON.stringify([envelope(vendor, 'evt_ok'), 42, { nope: true }]));
    expect(mixed.ok).toBe(true);
    if (mixed.ok) {
      expect(mixed.events).toHaveLength(1);
      expect(mixed.skipped!.map((s) => s.index)).toEqual([1, 2]);
    }
    expect(parseDelivery(batchVendor, '[42]')).toMatchObject({ ok: false, reason: 'invalid_envelope' });
    expect(parseDelivery(batchVendor, '[]')).toMatchObject({
      ok: false,
      reason: 'invalid_envelope',
      message: /no events/,
    });
    expect(parseDelivery(batchVendor, JSON.stringify(envelope(vendor, 'x')))).toMatchObject({
      ok: false,
      message: /expected a JSON array/,
    });
    const huge = JSON.stringify(Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => 1));
    expect(parseDelivery(batchVendor, huge)).toMatchObject({ ok: false, message: /more than the 1000/ });
  });

  it('reads batches under a key', () => {
    const keyed = asBatch(vendor, { kind: 'key', key: 'events' });
    const result = parseDelivery(keyed, JSON.stringify({ events: [envelope(vendor, 'e1'), envelope(vendor, 'e2')] }));
    expect(result.ok && result.events.length).toBe(2);
    expect(parseDelivery(keyed, JSON.stringify({ other: [] }))).toMatchObject({ ok: false, message: /under "events"/ });
  });
});

describe('batch elements without an event id', () => {
  const noId = vendors.find(
    (v) => !('id' in v.envelope.build({ id: 'probe', type: 't', createdAt: '', data: {}, livemode: false })),
  );
  it.each(noId ? [{ id: noId.id, vendor: noId }] : [])(
    'are identified by the digest of their own JSON ($id)',
    ({ vendor }) => {
      const batchVendor = asBatch(vendor, { kind: 'array' });
      const a = envelope(vendor, 'one');
      const b = envelope(vendor, 'two');
      const result = parseDelivery(batchVendor, JSON.stringify([a, b, a]));
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const [k1, k2, k3] = result.events.map((e) => e.dedupeKey);
      expect(k1).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(k1).toBe(k3);
      expect(k2).not.toBe(k1);
    },
  );
});
