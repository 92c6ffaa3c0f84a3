import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkVendorDescription, envelopeFields, type EnvelopePaths, type VendorDefinition } from '../src/index.js';
import { acmeVendor, withEvents } from './client-fixtures.js';

const fields = {
  id: 'evt_1',
  type: 'order.paid',
  createdAt: '2026-05-06T07:08:09.000Z',
  data: { n: 1 },
  livemode: true,
};

describe('envelopeFields: read and build derived from one set of paths', () => {
  it('flat fields, in the order the description lists them', () => {
    const e = envelopeFields({ id: 'id', type: 'event', livemode: 'livemode', createdAt: 'created_at', data: 'data' });
    const body = e.build(fields);
    expect(JSON.stringify(body)).toBe(
      '{"id":"evt_1","event":"order.paid","livemode":true,"created_at":"2026-05-06T07:08:09.000Z","data":{"n":1}}',
    );
    expect(e.read(body)).toEqual(fields);
  });

  it('nested paths, no id and no time', () => {
    const e = envelopeFields({ type: 'meta.event_name', data: 'data' });
    const body = e.build(fields);
    expect(body).toEqual({ meta: { event_name: 'order.paid' }, data: { n: 1 } });
    expect(e.read(body)).toEqual({ type: 'order.paid', createdAt: null, data: { n: 1 } });
  });

  it('Unix seconds and milliseconds both ways; constants are written and not read', () => {
    const s = envelopeFields({
      constants: { object: 'event' },
      id: 'id',
      createdAt: { path: 'created_at', unit: 'unix-seconds' },
      type: 'type',
      data: 'data',
    });
    const body = s.build(fields);
    expect(body).toEqual({ object: 'event', id: 'evt_1', created_at: 1778051289, type: 'order.paid', data: { n: 1 } });
    expect(s.read(body)).toEqual({ id: 'evt_1', type: 'order.paid', createdAt: fields.createdAt, data: { n: 1 } });
    const ms = envelopeFields({ type: 't', data: 'd', createdAt: { path: 'at', unit: 'unix-milliseconds' } });
    expect(ms.build(fields)).toMatchObject({ at: 1778051289000 });
    expect(ms.read({ t: 'x', d: null, at: 1778051289000 }).createdAt).toBe(fields.createdAt);
  });

  it('a time inside the payload is read from it and never written over it', () => {
    const e = envelopeFields({ type: 'event', createdAt: 'payload.timestamp', data: 'payload' });
    const payload = { timestamp: '2020-01-01T00:00:00Z', x: 1 };
    const body = e.build({ ...fields, data: payload });
    expect(body).toEqual({ event: 'order.paid', payload });
    expect(e.read(body).createdAt).toBe('2020-01-01T00:00:00Z');
  });

  it('values of the wrong kind read as absent, not as garbage', () => {
    const e = envelopeFields({
      id: 'id',
      type: 'type',
      createdAt: { path: 'at', unit: 'unix-seconds' },
      livemode: 'live',
      data: 'data',
    });
    expect(e.read({ id: '', type: 'a', at: 'yesterday', live: 'yes', data: 1 })).toEqual({
      type: 'a',
      createdAt: null,
      data: 1,
    });
    expect(e.read({ id: 42, type: 'a', at: Number.NaN, data: 1 }).id).toBe('42');
  });
});

describe('checkVendorDescription builds and reads back every sample', () => {
  const withEnvelope = (paths: EnvelopePaths, schema: z.ZodType = z.looseObject({})): VendorDefinition => ({
    ...withEvents(acmeVendor()),
    envelope: { schema, ...envelopeFields(paths) },
  });

  it('a consistent mapping passes', () => {
    expect(checkVendorDescription(withEnvelope({ id: 'id', type: 'type', data: 'data' }))).toEqual([]);
  });

  it('type and data at the same path cannot round-trip: named with the fix', () => {
    const problems = checkVendorDescription(withEnvelope({ type: 'body', data: 'body' }));
    expect(problems).toEqual([
      expect.objectContaining({
        vendor: 'acme',
        field: 'envelope.fields',
        problem: expect.stringContaining('reads back another type or payload'),
      }),
    ]);
  });

  it('a schema the built envelope does not satisfy is named', () => {
    const problems = checkVendorDescription(
      withEnvelope({ type: 'type', data: 'data' }, z.object({ event: z.string() })),
    );
    expect(problems.map((p) => p.problem)).toEqual([expect.stringContaining('does not parse with envelope.schema')]);
  });

  it('a path that is not a path is named', () => {
    const problems = checkVendorDescription(withEnvelope({ type: 'a..b', data: 'data' }));
    expect(problems.map((p) => p.field)).toContain('envelope.fields.type');
  });
});
