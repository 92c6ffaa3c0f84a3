// What a description can say about public-key signatures, events as flags, list error
// documents and redelivery identity — and what core's checker, codec and client do with it.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkVendorDescription,
  createSubscriptionClient,
  generateSigningKeyPair,
  HookpackApiError,
  HookpackInputError,
  parseDelivery,
  publicKeyScheme,
  redeliveryIdentity,
  refreshingKeySet,
  resourceCodec,
  sharedKeySet,
  type VendorDefinition,
} from '../src/index.js';
import { acmeVendor, BASE, KEY } from './client-fixtures.js';
import { assertAllCalled, setupNock } from './client-nock.js';

const scheme = publicKeyScheme({
  algorithm: 'ecdsa-p256-sha256',
  header: 'X-Acme-Signature',
  encoding: 'base64',
  timestampHeader: 'X-Acme-Timestamp',
});

const flaggedEvents = [
  { type: 'mail.open', displayName: 'Open', description: 'a mail is opened', schema: z.object({}), sample: {} },
  { type: 'mail.spam', displayName: 'Spam', description: 'a mail is reported', schema: z.object({}), sample: {} },
];

/** Acme, signing with its own key pair, handing out the public key, selecting events by flags. */
function keyVendor(change: (v: VendorDefinition) => void = () => {}): VendorDefinition {
  const base = acmeVendor({
    without: ['rotate', 'test'],
    api: { paidEvents: [] },
  });
  const api = base.api!;
  const vendor: VendorDefinition = {
    ...base,
    api: {
      ...api,
      endpoints: {
        ...api.endpoints,
        signing: { method: 'PATCH', path: '/hooks/signed/{id}' },
        publicKey: { method: 'GET', path: '/hooks/signed/{id}' },
      },
      resource: {
        ...api.resource,
        fields: {
          url: 'target',
          eventFlags: { 'mail.open': 'open', 'mail.spam': 'spam_report' },
          active: { path: 'enabled' },
          options: { region: 'region' },
        },
        createFields: { enabled: true },
      },
      errors: { kind: 'list', key: 'errors', message: 'message', field: 'field' },
    },
    events: flaggedEvents,
    signature: {
      scheme,
      secretRequired: true,
      secretSource: 'subscription',
      rotation: 'none',
      publicKey: { source: 'api', keyPath: 'public_key', enableBody: { enabled: true } },
    },
    envelope: {
      schema: z.object({ type: z.string(), id: z.string(), data: z.unknown() }),
      batch: { kind: 'array' },
      read: (b: { type: string; id: string; data: unknown }) => ({
        id: b.id,
        type: b.type,
        createdAt: null,
        data: b.data,
      }),
      build: ({ id, type, data }) => ({ id, type, data }),
    },
  };
  change(vendor);
  return vendor;
}

describe('checkVendorDescription refuses inconsistent public-key, flag and redelivery descriptions', () => {
  const problemsOf = (v: VendorDefinition) => checkVendorDescription(v);
  const expectProblem = (v: VendorDefinition, field: string, fix: RegExp) => {
    const found = problemsOf(v).find((p) => p.field === field);
    expect(found, JSON.stringify(problemsOf(v))).toBeDefined();
    expect(found!.vendor).toBe('acme');
    expect(found!.fix).toMatch(fix);
  };

  it('accepts the consistent description', () => {
    expect(problemsOf(keyVendor())).toEqual([]);
  });
  it('a public-key scheme that says nowhere where the key comes from', () => {
    expectProblem(
      keyVendor((v) => delete v.signature.publicKey),
      'signature.publicKey',
      /source: "api"/,
    );
  });
  it('a key source on a shared-secret scheme', () => {
    const hmac = acmeVendor();
    hmac.signature.publicKey = { source: 'user', help: 'Settings' };
    expectProblem(hmac, 'signature.publicKey', /publicKeyScheme/);
  });
  it('a key from the API of a vendor without one; a user key with a vendor-issued secret', () => {
    const noApi = keyVendor((v) => {
      delete v.api;
      v.manualSetup = { instructions: 'Paste it.' };
      v.signature.secretSource = 'user';
    });
    expectProblem(noApi, 'signature.publicKey.source', /source: "user"/);
    expectProblem(
      keyVendor((v) => (v.signature.publicKey = { source: 'user', help: 'Settings → Keys' })),
      'signature.secretSource',
      /"user"/,
    );
  });
  it('a signing endpoint without its body; a rotate endpoint beside a vendor key pair', () => {
    expectProblem(
      keyVendor((v) => (v.signature.publicKey = { source: 'api', keyPath: 'public_key' })),
      'signature.publicKey.enableBody',
      /enabled: true/,
    );
    expectProblem(
      keyVendor((v) => (v.api!.endpoints.rotate = { method: 'POST', path: '/hooks/{id}/rotate' })),
      'signature.rotation',
      /rotation: "none"/,
    );
  });
  it('key endpoints on a vendor that does not take its key from the API', () => {
    const hmac = acmeVendor();
    hmac.api!.endpoints.publicKey = { method: 'GET', path: '/keys/{id}' };
    expectProblem(hmac, 'api.endpoints.publicKey', /source: "api"/);
  });
  it('flags that miss an event, flag an unknown one, or sit beside an events list', () => {
    expectProblem(
      keyVendor((v) => (v.api!.resource.fields.eventFlags = { 'mail.open': 'open' })),
      'api.resource.fields.eventFlags',
      /"mail.spam"/,
    );
    expectProblem(
      keyVendor((v) => (v.api!.resource.fields.eventFlags!['mail.gone'] = 'gone')),
      'api.resource.fields.eventFlags.mail.gone',
      /declared event/,
    );
    expectProblem(
      keyVendor((v) => (v.api!.resource.fields.events = 'topics')),
      'api.resource.fields.eventFlags',
      /keep the one/,
    );
  });
  it('redelivery identity: an id the events do not carry, or "nothing" where they carry one', () => {
    const noId = keyVendor((v) => {
      v.envelope = {
        ...v.envelope,
        read: (b: { type: string; data: unknown }) => ({ type: b.type, createdAt: null, data: b.data }),
      };
      v.delivery.dedupe = ['eventId'];
    });
    expectProblem(noId, 'delivery.dedupe', /"bodyHash".*\[\]/);
    expectProblem(
      keyVendor((v) => (v.delivery.dedupe = [])),
      'delivery.dedupe',
      /"eventId"/,
    );
  });
});

describe('events as flags and list error documents', () => {
  const vendor = keyVendor();
  const codec = resourceCodec(vendor);

  it('create sends every flag (and the fixed create fields); reads give back the flagged events', () => {
    const body = codec.createBody({ url: 'https://x.test/h', events: ['mail.spam'] });
    expect(body).toEqual({ enabled: true, target: 'https://x.test/h', open: false, spam_report: true });
    const read = codec.readSubscription(
      { data: { id: 'hk_1', target: 'https://x.test/h', open: true, spam_report: false, enabled: true } },
      false,
    );
    expect(read.events).toEqual(['mail.open']);
    const request = codec.readRequest({ target: 'https://x.test/h', open: false, spam_report: false }, 'create');
    expect(request).toMatchObject({ ok: false, details: { events: expect.stringMatching(/at least one/) } });
  });

  it('reads and writes {errors: [{field, message}]}', () => {
    const rendered = codec.renderError({ status: 400, message: 'bad', details: { target: 'is required' } });
    expect(rendered).toEqual({ errors: [{ field: 'target', message: 'target is required' }] });
    expect(
      codec.errorInfo({
        errors: [
          { field: 'url', message: 'invalid url' },
          { field: null, message: 'and more' },
        ],
      }),
    ).toEqual({
      message: 'invalid url; and more',
      details: { url: 'invalid url' },
    });
  });
});

describe('the client turns signing on at create and reads the public key', () => {
  beforeAll(setupNock);
  afterEach(assertAllCalled);
  const vendor = keyVendor();
  const client = () =>
    createSubscriptionClient(vendor, {
      apiKey: KEY,
      baseUrl: `${BASE}/v2`,
      retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
    });
  const { publicKey } = generateSigningKeyPair('ecdsa-p256-sha256');
  const created = { data: { id: 'hk_1', target: 'https://x.test/h', open: true, spam_report: false, enabled: true } };

  it('create → signing toggle with the declared body → the key from its answer', async () => {
    nock(BASE)
      .get('/v2/hooks')
      .reply(200, { data: { hooks: [] } });
    nock(BASE)
      .post('/v2/hooks', { enabled: true, target: 'https://x.test/h', open: true, spam_report: false })
      .reply(201, created);
    nock(BASE)
      .patch('/v2/hooks/signed/hk_1', { enabled: true })
      .reply(200, { data: { id: 'hk_1', public_key: publicKey } });
    const sub = await client().create({ url: 'https://x.test/h', events: ['mail.open'] });
    expect(sub).toMatchObject({ id: 'hk_1', events: ['mail.open'], publicKey });
    expect(sub.secret).toBeUndefined();
  });

  it('a signing toggle that fails deletes the new subscription and says so', async () => {
    nock(BASE)
      .get('/v2/hooks')
      .reply(200, { data: { hooks: [] } });
    nock(BASE).post('/v2/hooks').reply(201, created);
    nock(BASE)
      .patch('/v2/hooks/signed/hk_1')
      .times(2)
      .reply(503, { errors: [{ message: 'down' }] });
    nock(BASE).delete('/v2/hooks/hk_1').reply(204);
    const error = await client()
      .create({ url: 'https://x.test/h', events: ['mail.open'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookpackApiError);
    expect((error as Error).message).toMatch(/hookpack deleted it again/);
  });

  it('publicKey(id) reads the current key; an unknown flagged event is refused before any request', async () => {
    nock(BASE)
      .get('/v2/hooks/signed/hk_1')
      .reply(200, { data: { id: 'hk_1', public_key: publicKey } });
    expect(await client().publicKey('hk_1')).toBe(publicKey);
    await expect(client().create({ url: 'https://x.test/h', events: ['mail.nope'] })).rejects.toBeInstanceOf(
      HookpackInputError,
    );
  });
});

describe('refreshing key sets survive a rotation right after a forgery', () => {
  const first = generateSigningKeyPair('ecdsa-p256-sha256');
  const second = generateSigningKeyPair('ecdsa-p256-sha256');
  const body = Buffer.from('[{"id":"e1","type":"mail.open","data":{}}]');
  const signedBy = (k: typeof first) => scheme.sign({ body, secret: k.privateKey });

  it('stored keys verify without a fetch; a forgery and then a rotation each refetch once; the budget holds', async () => {
    let published = first.publicKey;
    let fetches = 0;
    const set = refreshingKeySet({ initialKeys: [first.publicKey], fetchKeys: async () => (fetches++, [published]) });
    expect(await set.verify(scheme, { body, headers: signedBy(first) })).toMatchObject({ ok: true });
    expect(fetches).toBe(0);
    const forged = { ...signedBy(second) };
    expect(await set.verify(scheme, { body, headers: forged })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(fetches).toBe(1);
    published = second.publicKey; // the vendor replaces its key
    expect(await set.verify(scheme, { body, headers: signedBy(second) })).toMatchObject({ ok: true });
    expect(fetches).toBe(2);
    expect(set.refetches).toBe(2);
    for (let i = 0; i < 10; i++) await set.verify(scheme, { body, headers: signedBy(first) });
    expect(fetches).toBe(4); // 4 per minute at most, whatever forgers send
  });

  it('one key set per scope in a process', () => {
    const options = () => ({ fetchKeys: async () => [] });
    expect(sharedKeySet(['acme', 'a', 'hk_1'], options)).toBe(sharedKeySet(['acme', 'a', 'hk_1'], options));
    expect(sharedKeySet(['acme', 'a', 'hk_1'], options)).not.toBe(sharedKeySet(['acme', 'a', 'hk_2'], options));
  });
});

describe('what identifies a redelivery', () => {
  const noId = (dedupe: VendorDefinition['delivery']['dedupe']) =>
    keyVendor((v) => {
      v.envelope = {
        ...v.envelope,
        read: (b: { type: string; data: unknown }) => ({ type: b.type, createdAt: null, data: b.data }),
      };
      v.delivery.dedupe = dedupe;
    });
  const body = JSON.stringify([{ id: 'x', type: 'mail.open', data: { n: 1 } }]);

  it('the event id, a body digest, or nothing — said by redeliveryIdentity', () => {
    expect(redeliveryIdentity(keyVendor())).toBe('eventId');
    expect(redeliveryIdentity(noId(['bodyHash']))).toBe('bodyHash');
    expect(redeliveryIdentity(noId([]))).toBe('none');
  });

  it('"nothing": the same bytes twice are two events, each with a key of its own', () => {
    const a = parseDelivery(noId([]), body);
    const b = parseDelivery(noId([]), body);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.events[0]!.unidentified).toBe(true);
    expect(a.events[0]!.dedupeKey).not.toBe(b.events[0]!.dedupeKey);
    const digest = parseDelivery(noId(['bodyHash']), body);
    expect(digest.ok && digest.events[0]!.unidentified).toBeFalsy();
  });
});
