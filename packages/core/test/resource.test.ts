import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkVendorDescription,
  createSubscriptionClient,
  parseDelivery,
  resourceCodec,
  secretRuleProblem,
  type DedupeSource,
  type RestApiDefinition,
  type VendorDefinition,
} from '../src/index.js';
import { acmeVendor, BASE, fakeSleep, hook, KEY, withEvents } from './client-fixtures.js';
import { assertAllCalled, setupNock } from './client-nock.js';

beforeAll(setupNock);
afterEach(assertAllCalled);

const api = () => nock(BASE);
const client = (vendor: VendorDefinition) =>
  createSubscriptionClient(vendor, { apiKey: KEY, sleep: fakeSleep().sleep, random: () => 0.5 });

/** A JSON:API vendor that lets the client choose the secret, needs a store, pages and answers 422. */
function storeVendor(api: Partial<RestApiDefinition> = {}): VendorDefinition {
  const base = acmeVendor();
  return {
    ...base,
    subscriptionOptions: [
      { name: 'store_id', displayName: 'Store ID', description: 'The store to watch', type: 'string', required: true },
    ],
    signature: {
      ...base.signature,
      secretSource: 'client',
      clientSecret: { length: 32, alphabet: 'alphanumeric' },
      rotation: 'update',
    },
    api: {
      ...base.api!,
      mediaType: 'application/vnd.api+json',
      endpoints: {
        create: { method: 'POST', path: '/webhooks' },
        list: { method: 'GET', path: '/webhooks' },
        update: { method: 'PATCH', path: '/webhooks/{id}' },
        delete: { method: 'DELETE', path: '/webhooks/{id}' },
      },
      resource: {
        document: { kind: 'jsonApi', type: 'webhooks' },
        fields: {
          url: 'url',
          events: 'events',
          secret: 'secret',
          createdAt: 'created_at',
          options: { store_id: 'store_id' },
        },
        idPrefix: '',
        secretPrefix: '',
        secretOnReads: { kind: 'omit' },
      },
      list: { pagination: { kind: 'page', param: 'page[number]', sizeParam: 'page[size]', pageSize: 2 } },
      errors: { kind: 'jsonApi' },
      ...api,
    },
  };
}

const resourceObject = (id: string, url: string) => ({
  id,
  type: 'webhooks',
  attributes: { url, events: ['order.paid'], store_id: '7', created_at: '2026-01-01T00:00:00Z' },
});

describe('JSON:API documents, client-chosen secrets and page numbers', () => {
  it('create sends {data: {type, attributes}} with a secret of the declared rule, in the declared media type', async () => {
    const vendor = storeVendor();
    let sent: any;
    api()
      .get('/v2/webhooks')
      .query({ 'page[number]': '1', 'page[size]': '2' })
      .matchHeader('accept', 'application/vnd.api+json')
      .reply(200, { data: [] });
    api()
      .post('/v2/webhooks', (body) => {
        sent = body;
        return true;
      })
      .matchHeader('content-type', 'application/vnd.api+json')
      .reply(201, { data: resourceObject('41', 'https://a.example/h') });
    const created = await client(vendor).create({
      url: 'https://a.example/h',
      events: ['order.paid'],
      options: { store_id: '7' },
    });
    expect(sent).toEqual({
      data: {
        type: 'webhooks',
        attributes: { url: 'https://a.example/h', events: ['order.paid'], store_id: '7', secret: expect.any(String) },
      },
    });
    expect(secretRuleProblem(vendor.signature.clientSecret!, sent.data.attributes.secret)).toBeUndefined();
    // The vendor does not echo the secret: the client keeps the one it chose.
    expect(created).toMatchObject({ id: '41', secret: sent.data.attributes.secret, options: { store_id: '7' } });
  });

  it('list reads every page, stopping at the first short one', async () => {
    for (const [page, ids] of [
      ['1', ['1', '2']],
      ['2', ['3', '4']],
      ['3', ['5']],
    ] as const) {
      api()
        .get('/v2/webhooks')
        .query({ 'page[number]': page, 'page[size]': '2' })
        .reply(200, { data: ids.map((id) => resourceObject(id, `https://a.example/${id}`)) });
    }
    expect((await client(storeVendor()).list()).map((s) => s.id)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('stops after maxPages with an error rather than miss subscriptions', async () => {
    const vendor = storeVendor({
      list: { pagination: { kind: 'page', param: 'page', pageSize: 1, maxPages: 3 } },
    });
    for (const page of ['1', '2', '3'])
      api()
        .get('/v2/webhooks')
        .query({ page })
        .reply(200, { data: [resourceObject(page, 'https://a.example/')] });
    await expect(client(vendor).findByUrl('https://b.example/')).rejects.toThrow(/more than 3 pages/);
  });

  it('reads 422 JSON:API errors as validation errors with field details', async () => {
    api().get('/v2/webhooks').query(true).reply(200, { data: [] });
    api()
      .post('/v2/webhooks')
      .reply(422, {
        errors: [
          { status: '422', title: 'Invalid', detail: 'url must be https', source: { pointer: '/data/attributes/url' } },
        ],
      });
    await expect(
      client(storeVendor()).create({ url: 'https://a.example/h', events: ['order.paid'], options: { store_id: '7' } }),
    ).rejects.toMatchObject({ code: 'validation', status: 422, details: { url: 'url must be https' } });
  });

  it('rotates a client-chosen secret through update, with the id in the document', async () => {
    let sent: any;
    api()
      .patch('/v2/webhooks/41', (body) => {
        sent = body;
        return true;
      })
      .reply(200, { data: resourceObject('41', 'https://a.example/h') });
    const secret = await client(storeVendor()).rotate('41');
    expect(sent).toEqual({ data: { type: 'webhooks', id: '41', attributes: { secret } } });
    expect(secret).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('the server half renders and reads the same documents', () => {
    const codec = resourceCodec(storeVendor());
    const state = {
      id: '9',
      url: 'https://a.example/',
      events: ['order.paid'],
      options: { store_id: '7' },
      secret: 's',
      active: true,
      createdAt: '2026-01-01T00:00:00Z',
    };
    expect(codec.renderSubscription(state, false)).toEqual({
      data: {
        id: '9',
        type: 'webhooks',
        attributes: { url: state.url, store_id: '7', events: state.events, created_at: state.createdAt },
      },
    });
    expect(codec.readRequest({ data: { type: 'other', attributes: {} } }, 'create')).toMatchObject({ ok: false });
    expect(codec.renderError({ status: 422, message: 'Invalid', details: { url: 'is required' } })).toEqual({
      errors: [
        { status: '422', title: 'Invalid', detail: 'url is required', source: { pointer: '/data/attributes/url' } },
      ],
    });
  });
});

describe('cursor and Link pagination', () => {
  it('Stripe-style: starting_after the last id while has_more', async () => {
    const vendor = acmeVendor({
      api: {
        list: {
          key: 'hooks',
          pagination: {
            kind: 'cursor',
            param: 'starting_after',
            next: { lastItemId: true, hasMore: 'has_more' },
            pageSize: 2,
          },
        },
      },
    });
    api()
      .get('/v2/hooks')
      .reply(200, { data: { hooks: [hook('a', 'https://x/'), hook('b', 'https://x/')], has_more: true } });
    api()
      .get('/v2/hooks')
      .query({ starting_after: 'b' })
      .reply(200, { data: { hooks: [hook('c', 'https://y/')], has_more: false } });
    expect((await client(vendor).findByUrl('https://y/'))?.id).toBe('c');
  });

  it('a cursor handed out twice stops the walk instead of looping', async () => {
    const vendor = acmeVendor({
      api: {
        list: { key: 'hooks', pagination: { kind: 'cursor', param: 'cursor', next: { path: 'next' }, pageSize: 1 } },
      },
    });
    api()
      .get('/v2/hooks')
      .reply(200, { data: { hooks: [hook('a', 'https://x/')], next: 'c1' } });
    api()
      .get('/v2/hooks')
      .query({ cursor: 'c1' })
      .times(1)
      .reply(200, { data: { hooks: [hook('b', 'https://x/')], next: 'c1' } });
    await expect(client(vendor).list()).rejects.toThrow(/same page again/);
  });

  it('follows Link rel="next" on the same origin only', async () => {
    const vendor = acmeVendor({ api: { list: { key: 'hooks', pagination: { kind: 'link', pageSize: 1 } } } });
    api()
      .get('/v2/hooks')
      .reply(200, { data: { hooks: [hook('a', 'https://x/')] } }, { Link: `<${BASE}/v2/hooks?page=2>; rel="next"` });
    api()
      .get('/v2/hooks')
      .query({ page: '2' })
      .reply(200, { data: { hooks: [hook('b', 'https://x/')] } });
    expect((await client(vendor).list()).map((s) => s.id)).toEqual(['a', 'b']);
    api()
      .get('/v2/hooks')
      .reply(200, { data: { hooks: [hook('a', 'https://x/')] } }, { Link: '<https://evil.example/steal>; rel="next"' });
    await expect(client(vendor).list()).rejects.toThrow(/another host/);
  });
});

describe('description checks name the vendor, the field and the fix', () => {
  const one = (vendor: VendorDefinition) => {
    const problems = checkVendorDescription(vendor);
    expect(problems).toHaveLength(1);
    return problems[0]!;
  };

  it('the acme fixture is consistent', () => {
    expect(checkVendorDescription(withEvents(acmeVendor()))).toEqual([]);
    expect(checkVendorDescription(withEvents(storeVendor()))).toEqual([]);
  });

  it('a paused field on a vendor that cannot pause', () => {
    const p = one(withEvents(acmeVendor({ without: ['update'] })));
    expect(p).toMatchObject({ vendor: 'acme', field: 'api.resource.fields.active' });
    expect(p.fix).toMatch(/readOnly/);
  });

  it('a required option without a label', () => {
    const v = withEvents(storeVendor());
    v.subscriptionOptions = [{ ...v.subscriptionOptions[0]!, displayName: '' }];
    expect(one(v).field).toBe('subscriptionOptions[0] (store_id).displayName');
  });

  it('an event without a sample, or one its schema refuses', () => {
    const v = withEvents(acmeVendor());
    v.events = [{ ...v.events[0]!, sample: undefined as never }];
    expect(one(v).field).toBe('events[0] (order.paid).sample');
    v.events = [{ ...v.events[0]!, sample: { n: 'one' } }];
    expect(one(v).problem).toMatch(/does not parse/);
  });

  it('a client-chosen secret without a length rule', () => {
    const v = withEvents(storeVendor());
    delete v.signature.clientSecret;
    const p = one(v);
    expect(p.field).toBe('signature.clientSecret');
    expect(p.fix).toMatch(/length, alphabet/);
  });

  it('an option path that names no option', () => {
    const v = withEvents(acmeVendor());
    v.api!.resource.fields.options = { regoin: 'region' };
    expect(one(v).field).toBe('api.resource.fields.options.regoin');
  });
});

describe('the dedupe source is data', () => {
  const body = JSON.stringify({ type: 'order.paid', data: {} });
  const vendor = (dedupe?: DedupeSource[], stable = true): VendorDefinition => {
    const base = acmeVendor();
    return {
      ...base,
      envelope: { ...base.envelope, read: () => ({ id: 'evt_1', type: 'order.paid', createdAt: null, data: {} }) },
      delivery: {
        ...base.delivery,
        deliveryIdHeader: 'X-Delivery',
        deliveryIdIsStable: stable,
        ...(dedupe && { dedupe }),
      },
    };
  };
  const key = (v: VendorDefinition) => {
    const r = parseDelivery(v, body, { 'x-delivery': 'dlv_9' });
    return r.ok ? r.dedupeKey : r.message;
  };

  it('follows the declared order, skipping sources a delivery lacks', () => {
    expect(key(vendor())).toBe('evt_1');
    expect(key(vendor(['deliveryId', 'eventId']))).toBe('dlv_9');
    expect(key(vendor(['bodyHash']))).toMatch(/^sha256:/);
  });

  it('refuses a dedupe on a delivery id that changes on every retry', () => {
    const problems = checkVendorDescription(vendor(['deliveryId'], false));
    expect(problems.map((p) => p.field)).toContain('delivery.dedupe');
  });

  it('retry headers need names (and a reason its three words), and a vendor that retries', () => {
    const withHeaders = (retryHeaders: unknown, retryDelaysMs = [1000]) => {
      const v = vendor();
      return { ...v, delivery: { ...v.delivery, retryDelaysMs, retryHeaders } } as VendorDefinition;
    };
    const reason = {
      header: 'X-Retry-Reason',
      timeout: 'http_timeout',
      httpError: 'http_error',
      connectionFailed: 'c',
    };
    const fields = (v: VendorDefinition) => checkVendorDescription(v).map((p) => p.field);
    expect(fields(withHeaders({ number: 'X-Retry-Num', reason }))).not.toContain('delivery.retryHeaders');
    expect(fields(withHeaders({ number: ' ' }))).toContain('delivery.retryHeaders');
    expect(fields(withHeaders({ number: 'X-Retry-Num', reason: { ...reason, timeout: '' } }))).toContain(
      'delivery.retryHeaders',
    );
    expect(fields(withHeaders({ number: 'X-Retry-Num' }, []))).toContain('delivery.retryHeaders');
  });
});

describe('the owner label belongs to a string option', () => {
  it('names the field when it points nowhere', () => {
    const base = acmeVendor();
    const v: VendorDefinition = {
      ...base,
      events: [{ type: 'order.paid', displayName: 'Order Paid', description: 'x', schema: z.object({}), sample: {} }],
      api: { ...base.api!, paidEvents: [], testEvent: { firstSubscribed: true }, ownerLabel: { option: 'label' } },
    };
    expect(checkVendorDescription(v).map((p) => p.field)).toEqual(['api.ownerLabel.option']);
    v.api!.ownerLabel = { option: 'region' };
    expect(checkVendorDescription(v)).toEqual([]);
  });
});

describe('JSON:API relationships carrying a subscription option', () => {
  const related = () =>
    storeVendor({
      resource: {
        ...storeVendor().api!.resource,
        document: {
          kind: 'jsonApi',
          type: 'webhooks',
          relationships: { store: { option: 'store_id', type: 'stores' } },
        },
      },
    });

  it('create sends the option as relationships.<name>.data, not as an attribute; reads take the attribute', async () => {
    let sent: any;
    api().get('/v2/webhooks').query(true).reply(200, { data: [] });
    api()
      .post('/v2/webhooks', (body) => {
        sent = body;
        return true;
      })
      .reply(201, { data: resourceObject('42', 'https://a.example/h') });
    const created = await client(related()).create({
      url: 'https://a.example/h',
      events: ['order.paid'],
      options: { store_id: '7' },
    });
    expect(sent.data.relationships).toEqual({ store: { data: { type: 'stores', id: '7' } } });
    expect(sent.data.attributes).not.toHaveProperty('store_id');
    expect(created.options).toEqual({ store_id: '7' });
  });

  it('updates leave the relationship alone', () => {
    const body = resourceCodec(related()).updateBody('42', { url: 'https://b.example/', options: { store_id: '8' } });
    expect(body).toEqual({ data: { type: 'webhooks', id: '42', attributes: { url: 'https://b.example/' } } });
  });

  it('the server side reads the relationship back, and says what is wrong with a bad one', () => {
    const codec = resourceCodec(related());
    const read = codec.readRequest(
      codec.createBody({ url: 'https://a.example/', events: ['order.paid'], options: { store_id: '7' } }),
      'create',
    );
    expect(read).toEqual({
      ok: true,
      value: { url: 'https://a.example/', events: ['order.paid'], options: { store_id: '7' } },
    });
    const bad = codec.readRequest(
      {
        data: {
          type: 'webhooks',
          attributes: { url: 'https://a.example/', events: ['order.paid'] },
          relationships: { store: { data: { type: 'shops', id: '7' } } },
        },
      },
      'create',
    );
    expect(bad).toMatchObject({
      ok: false,
      details: { 'relationships.store': 'must be {data: {type: "stores", id: "<id>"}}' },
    });
  });

  it('a relationship naming no string option fails the description check', () => {
    const vendor = storeVendor({
      resource: {
        ...storeVendor().api!.resource,
        document: { kind: 'jsonApi', type: 'webhooks', relationships: { store: { option: 'shop', type: 'stores' } } },
      },
    });
    expect(checkVendorDescription(vendor)).toContainEqual(
      expect.objectContaining({
        field: 'api.resource.document.relationships.store.option',
        problem: '"shop" names no subscription option',
      }),
    );
  });
});
