import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkVendorDescription,
  createSubscriptionClient,
  hmacHexScheme,
  HookpackInputError,
  leftBehindOf,
  resourceCodec,
  subscriptionGroups,
  verifyDelivery,
  type VendorDefinition,
} from '../src/index.js';
import { acmeVendor, BASE, fakeSleep, KEY } from './client-fixtures.js';
import { assertAllCalled, setupNock } from './client-nock.js';

beforeAll(setupNock);
afterEach(assertAllCalled);

const TARGET = 'https://hooks.example.test/in';

/**
 * A vendor of the shapes issue 13 names: one topic per webhook (`{webhook: {topic, address}}`,
 * lists `{webhooks: [...]}` beside the wrapper), a fixed `format`, Rails-style error lists, and
 * deliveries signed (base64) with the app's secret. Not a real vendor.
 */
function topicVendor(): VendorDefinition {
  const base = acmeVendor();
  return {
    ...base,
    id: 'topics',
    displayName: 'Topics',
    subscriptionOptions: [],
    api: {
      ...base.api!,
      endpoints: {
        create: { method: 'POST', path: '/webhooks.json' },
        list: { method: 'GET', path: '/webhooks.json' },
        delete: { method: 'DELETE', path: '/webhooks/{id}.json' },
      },
      paidEvents: [],
      resource: {
        document: { kind: 'wrapped', key: 'webhook', requests: 'wrapped', lists: 'flat' },
        fields: { url: 'address', events: 'topic' },
        eventsPerSubscription: 'one',
        createFields: { format: 'json' },
        idPrefix: '',
        secretPrefix: '',
        secretOnReads: { kind: 'omit' },
      },
      list: { key: 'webhooks' },
      errors: { kind: 'object', message: 'errors', details: 'errors', detailsAsLists: true, validationStatus: 422 },
    },
    signature: {
      scheme: hmacHexScheme({ header: 'X-Topics-Hmac', prefix: '', encoding: 'base64' }),
      secretRequired: true,
      secretSource: 'app',
      appSecret: { label: 'Client Secret', help: 'In the app settings.' },
    },
    events: ['orders/create', 'orders/paid', 'products/update'].map((type) => ({
      type,
      displayName: type,
      description: 'x',
      schema: z.object({ n: z.number() }),
      sample: { n: 1 },
    })),
  };
}

const api = () => nock(BASE);
const client = (vendor: VendorDefinition) =>
  createSubscriptionClient(vendor, { apiKey: KEY, sleep: fakeSleep().sleep, random: () => 0.5 });
const webhook = (id: number, topic: string) => ({ webhook: { id, address: TARGET, topic, format: 'json' } });

describe('one subscription per event', () => {
  it('subscribe creates one webhook per event, each with its topic as a string and the fixed format', async () => {
    const bodies: unknown[] = [];
    api().get('/v2/webhooks.json').times(2).reply(200, { webhooks: [] });
    api()
      .post('/v2/webhooks.json', (b) => (bodies.push(b), true))
      .reply(201, webhook(1, 'orders/create'))
      .post('/v2/webhooks.json', (b) => (bodies.push(b), true))
      .reply(201, webhook(2, 'orders/paid'));
    const subs = await client(topicVendor()).subscribe({ url: TARGET, events: ['orders/create', 'orders/paid'] });
    expect(subs.map((s) => [s.id, s.events])).toEqual([
      ['1', ['orders/create']],
      ['2', ['orders/paid']],
    ]);
    expect(bodies).toEqual([
      { webhook: { address: TARGET, topic: 'orders/create', format: 'json' } },
      { webhook: { address: TARGET, topic: 'orders/paid', format: 'json' } },
    ]);
  });

  it('a create failing part-way deletes the ones already created', async () => {
    api().get('/v2/webhooks.json').times(2).reply(200, { webhooks: [] });
    api()
      .post('/v2/webhooks.json')
      .reply(201, webhook(1, 'orders/create'))
      .post('/v2/webhooks.json')
      .reply(422, { errors: { topic: ['is not allowed for this app'] } });
    api().delete('/v2/webhooks/1.json').reply(200, {});
    const error = await client(topicVendor())
      .subscribe({ url: TARGET, events: ['orders/create', 'orders/paid'] })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/rejected the create request as invalid \(422\)/);
    expect((error as Error).message).toMatch(/deleted the 1 Topics subscription\(s\) it had created .* \(1\)/);
    expect(leftBehindOf(error)).toEqual([]);
  });

  it('one it could not delete again is named in the message and in leftBehindOf, never kept silently', async () => {
    api().get('/v2/webhooks.json').times(2).reply(200, { webhooks: [] });
    api()
      .post('/v2/webhooks.json')
      .reply(201, webhook(7, 'orders/create'))
      .post('/v2/webhooks.json')
      .reply(422, { errors: { topic: ['is not allowed for this app'] } });
    api().delete('/v2/webhooks/7.json').reply(401, { errors: 'Invalid API key or access token' });
    const error = await client(topicVendor())
      .subscribe({ url: TARGET, events: ['orders/create', 'orders/paid'] })
      .catch((e: unknown) => e);
    expect(leftBehindOf(error)).toEqual(['7']);
    expect((error as Error).message).toMatch(/could not delete 1 .*: delete 7 in Topics by hand/);
  });

  it('create with several events is refused before any request; a group per event otherwise', async () => {
    const error = await client(topicVendor())
      .create({ url: TARGET, events: ['orders/create', 'orders/paid'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookpackInputError);
    expect((error as Error).message).toMatch(/one event each.*subscribe\(\)/);
    expect(subscriptionGroups(topicVendor(), ['a', 'b', 'a'])).toEqual([['a'], ['b']]);
    expect(subscriptionGroups(acmeVendor(), ['a', 'b'])).toEqual([['a', 'b']]);
  });

  it('the server half reads and writes the same documents', () => {
    const codec = resourceCodec(topicVendor());
    const state = {
      id: '5',
      url: TARGET,
      events: ['orders/paid'],
      options: {},
      secret: null,
      active: true,
      createdAt: '2026-05-07T00:00:00Z',
    };
    const rendered = codec.renderSubscription(state, true);
    expect(rendered).toEqual({ webhook: { id: '5', address: TARGET, topic: 'orders/paid', format: 'json' } });
    expect(codec.readSubscription(rendered, true).events).toEqual(['orders/paid']);
    const list = codec.renderList([state], { hasMore: false });
    expect(list).toEqual({ webhooks: [{ id: '5', address: TARGET, topic: 'orders/paid', format: 'json' }] });
    expect(codec.listItems(list)).toHaveLength(1);
    const read = codec.readRequest({ webhook: { address: TARGET, topic: 'orders/paid', format: 'json' } }, 'create');
    expect(read).toEqual({ ok: true, value: { url: TARGET, events: ['orders/paid'], options: {} } });
    const refused = codec.readRequest({ webhook: { address: TARGET, topic: ['a', 'b'], format: 'xml' } }, 'create');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.details).toEqual({
      topic: 'must be one event type string',
      format: 'must be "json"',
    });
    expect(codec.renderError({ status: 422, message: 'Invalid', details: { topic: 'is unknown' } })).toEqual({
      errors: { topic: ['is unknown'] },
    });
    expect(codec.errorInfo({ errors: 'Not Found' })).toEqual({ message: 'Not Found' });
  });
});

describe('app-level signing secret', () => {
  it('deliveries verify with the app secret, as base64 HMAC-SHA256 of the raw body, and with nothing else', () => {
    const vendor = topicVendor();
    const body = Buffer.from(JSON.stringify({ type: 'orders/paid', data: { n: 1 } }));
    const headers = vendor.signature.scheme.sign({ body, secret: 'app-secret' });
    expect(headers['X-Topics-Hmac']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(verifyDelivery(vendor, { body, headers, secret: 'app-secret' }).ok).toBe(true);
    expect(verifyDelivery(vendor, { body, headers, secret: 'app-secret2' })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
    const hex = { 'X-Topics-Hmac': Buffer.from(headers['X-Topics-Hmac']!, 'base64').toString('hex') };
    expect(verifyDelivery(vendor, { body, headers: hex, secret: 'app-secret' })).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
    expect(() => hmacHexScheme({ header: 'X', prefix: '', encoding: 'base32' as never })).toThrow(/encoding/);
  });

  it('the fixture is consistent', () => {
    expect(checkVendorDescription(topicVendor())).toEqual([]);
  });

  const only = (vendor: VendorDefinition) => {
    const problems = checkVendorDescription(vendor);
    expect(problems).toHaveLength(1);
    return problems[0]!;
  };

  it('an app secret the API would carry, or rotate', () => {
    const v = topicVendor();
    v.api!.resource.fields.secret = 'secret';
    expect(only(v)).toMatchObject({
      vendor: 'topics',
      field: 'api.resource.fields.secret',
      fix: expect.stringMatching(/remove fields.secret/),
    });
    const r = topicVendor();
    r.api!.endpoints.rotate = { method: 'POST', path: '/webhooks/{id}/rotate.json' };
    r.signature.rotation = 'endpoint';
    expect(only(r)).toMatchObject({ field: 'api.endpoints.rotate', fix: expect.stringMatching(/remove the rotate/) });
  });

  it('an app secret nobody is asked for, an optional one, or a field on another kind of secret', () => {
    const v = topicVendor();
    delete v.signature.appSecret;
    expect(only(v)).toMatchObject({ field: 'signature.appSecret', fix: expect.stringMatching(/label, help/) });
    const optional = topicVendor();
    optional.signature.secretRequired = false;
    expect(only(optional).field).toBe('signature.secretRequired');
    const other = topicVendor();
    other.signature.secretSource = 'user'; // keeps its appSecret field
    expect(only(other)).toMatchObject({
      field: 'signature.appSecret',
      fix: expect.stringMatching(/secretSource: "app"/),
    });
  });

  it('lists beside the wrapper need a key', () => {
    const v = topicVendor();
    delete v.api!.list!.key;
    expect(only(v)).toMatchObject({ field: 'api.list.key' });
  });
});
