// Inline test vendor for the generic REST client tests: every operation, a `{data}` wrapper,
// paid events — knobs to switch features off per test. Not a real vendor.
import { z } from 'zod';
import { hmacHexScheme, type RestApiDefinition, type VendorDefinition } from '../src/index.js';

export const BASE = 'https://api.acme.test';
export const KEY = 'acme_live_0123456789abcdef';

/** A vendor webhook object as the fake API sends it. */
export function hook(id: string, target: string, extra: Record<string, unknown> = {}) {
  return { id, target, topics: ['order.paid'], enabled: true, ...extra };
}

export interface VendorKnobs {
  auth?: VendorDefinition['auth'];
  api?: Partial<RestApiDefinition>;
  without?: Array<keyof RestApiDefinition['endpoints']>;
  noApi?: boolean;
}

export function acmeVendor(knobs: VendorKnobs = {}): VendorDefinition {
  const api: RestApiDefinition = {
    baseUrl: `${BASE}/v2`,
    requiresHttpsTarget: true,
    idempotencyKeys: false,
    endpoints: {
      create: { method: 'POST', path: '/hooks' },
      list: { method: 'GET', path: '/hooks' },
      get: { method: 'GET', path: '/hooks/{id}' },
      update: { method: 'PATCH', path: '/hooks/{id}' },
      delete: { method: 'DELETE', path: '/hooks/{id}' },
      test: { method: 'POST', path: '/hooks/{id}/ping' },
      rotate: { method: 'POST', path: '/hooks/{id}/rotate' },
      me: { method: 'GET', path: '/whoami' },
    },
    resource: {
      document: { kind: 'wrapped', key: 'data', requests: 'flat' },
      fields: {
        url: 'target',
        events: 'topics',
        secret: 'signing_key',
        active: { path: 'enabled' },
        options: { region: 'region' },
      },
      idPrefix: 'hk_',
      secretPrefix: 'sk_',
      secretOnReads: { kind: 'omit' },
    },
    list: { key: 'hooks' },
    errors: { kind: 'object', message: 'error', details: 'fields' },
    paidEvents: ['lead.scored', 'signal.detected'],
    ...knobs.api,
  };
  for (const op of knobs.without ?? []) delete api.endpoints[op];
  return {
    id: 'acme',
    displayName: 'Acme',
    description: 'test vendor',
    docsUrl: 'https://docs.acme.test',
    auth: knobs.auth ?? {
      kind: 'apiKey',
      placement: 'header',
      headerName: 'X-Acme-Key',
      keyPrefixes: ['acme_live_'],
      keyHelp: 'Acme → Settings → API',
    },
    ...(knobs.noApi ? { manualSetup: { instructions: 'Paste the URL in Acme → Webhooks.' } } : { api }),
    subscriptionOptions: [{ name: 'region', displayName: 'Region', description: 'where', type: 'string' }],
    signature: {
      scheme: hmacHexScheme({ header: 'X-Acme-Signature', prefix: 'sha256=' }),
      secretRequired: true,
      secretSource: 'subscription',
    },
    envelope: {
      schema: z.object({ type: z.string(), data: z.unknown() }),
      read: (b: { type: string; data: unknown }) => ({ type: b.type, createdAt: null, data: b.data }),
      build: ({ type, data }) => ({ type, data }),
    },
    events: [],
    delivery: {
      timeoutMs: 10_000,
      retryDelaysMs: [1000],
      afterRetries: 'drop',
      staticHeaders: {},
      deliveryIdIsStable: false,
    },
  };
}

/** Records sleeps instead of waiting. */
export function fakeSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

/** An error as undici reports a refused connection (the request never left). */
export function refused() {
  return Object.assign(new Error('connect ECONNREFUSED 203.0.113.9:443'), { code: 'ECONNREFUSED' });
}
export function reset() {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
}

/**
 * fetch that hangs until its AbortSignal fires for requests matching `hang` (a timeout the
 * vendor may have acted on), and uses the real fetch (nock-intercepted) otherwise.
 */
export function fetchHangingOn(hang: (url: string, init: RequestInit) => boolean) {
  const hung: string[] = [];
  const impl = (url: string, init: RequestInit): Promise<Response> => {
    if (!hang(url, init)) return fetch(url, init);
    hung.push(`${init.method} ${url}`);
    return new Promise((_, reject) => {
      const signal = init.signal!;
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  return { impl, hung };
}

/** The vendor with one consistent event (order.paid) and no paid events: passes the description check. */
export function withEvents(v: VendorDefinition): VendorDefinition {
  return {
    ...v,
    ...(v.api && {
      api: { ...v.api, paidEvents: [], ...(v.api.endpoints.test && { testEvent: { firstSubscribed: true as const } }) },
    }),
    events: [
      {
        type: 'order.paid',
        displayName: 'Order Paid',
        description: 'x',
        schema: z.object({ n: z.number() }),
        sample: { n: 1 },
      },
    ],
  };
}
