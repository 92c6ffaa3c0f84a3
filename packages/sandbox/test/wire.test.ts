import { describe, expect, it } from 'vitest';
import type { VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import type { SubscriptionRecord } from '@hookpack/sandbox';
import { listBody, readSubscriptionBody, toVendorObject, wrapResponse } from '../src/wire.js';

// The sandbox reads each vendor's API in the opposite direction of core's client (api.wire
// vs createBody/updateBody/toSubscription). These round trips keep the two directions of every
// provider module in agreement, so the sandbox cannot drift from what the client sends/expects.

const rest = vendors.filter((v) => v.api) as (VendorDefinition & { api: NonNullable<VendorDefinition['api']> })[];

function sampleOptions(vendor: VendorDefinition): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const o of vendor.subscriptionOptions)
    options[o.name] = o.type === 'string[]' ? ['opt-1'] : o.type === 'boolean' ? true : 'opt';
  return options;
}

describe.each(rest.map((v) => [v.id, v] as const))('%s wire format', (_id, vendor) => {
  const api = vendor.api;
  const events = [vendor.events[0]!.type];

  it('is defined', () => {
    expect(api.wire).toBeDefined();
  });

  it('reads back what the client sends on create and update', () => {
    const options = sampleOptions(vendor);
    const created = readSubscriptionBody(
      vendor,
      api.createBody({ url: 'https://a.test/h', events, options }),
      'create',
    );
    expect(created).toEqual({ ok: true, value: { url: 'https://a.test/h', events, options } });
    if (!api.endpoints.update) return;
    for (const active of [true, false]) {
      const patch = readSubscriptionBody(vendor, api.updateBody({ active }), 'update');
      expect(patch.ok && patch.value.active).toBe(active);
    }
    const patch = readSubscriptionBody(vendor, api.updateBody({ url: 'https://b.test', events }), 'update');
    expect(patch.ok && patch.value).toMatchObject({ url: 'https://b.test', events });
  });

  it('renders objects the client reads back, with the secret only when asked', () => {
    const record: SubscriptionRecord = {
      vendor: vendor.id,
      id: `${api.wire!.idPrefix}abc`,
      url: 'https://a.test/h',
      events,
      options: sampleOptions(vendor),
      secret: `${api.wire!.secretPrefix}0123456789abcdef`,
      active: false,
      failing: false,
      consecutiveFailures: 0,
      createdAt: '2026-05-07T14:30:00.000Z',
      manual: false,
    };
    const unwrap = (body: unknown) => (api.unwrap ? api.unwrap(body) : body);
    const withSecret = api.toSubscription(unwrap(wrapResponse(vendor, toVendorObject(vendor, record, true))));
    expect(withSecret).toMatchObject({
      id: record.id,
      url: record.url,
      events,
      active: false,
      secret: record.secret,
      createdAt: record.createdAt,
    });
    for (const [k, v] of Object.entries(withSecret.options)) expect(record.options[k]).toEqual(v);
    const read = api.toSubscription(unwrap(wrapResponse(vendor, toVendorObject(vendor, record, false))));
    expect(read.secret).toBeUndefined();
    expect(JSON.stringify(read.raw)).not.toContain(record.secret);
    const listed = api.listItems!(listBody(vendor, [toVendorObject(vendor, record, false)]));
    expect(listed.map((item) => api.toSubscription(item).id)).toEqual([record.id]);
  });

  it('writes errors the client can read', () => {
    const body = api.wire!.errorBody({ status: 400, message: 'Invalid url.', details: { url: 'must use https' } });
    expect(api.errorInfo(body)).toEqual({ message: 'Invalid url.', details: { url: 'must use https' } });
    expect(api.errorInfo(api.wire!.errorBody({ status: 401, message: 'Invalid or revoked API key.' })).message).toBe(
      'Invalid or revoked API key.',
    );
  });
});
