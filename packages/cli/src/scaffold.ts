// `hookpack new <id>`: the text of a vendor module with every field of the description filled
// in and commented, and of a test that runs vendorConformance on it. Flags choose the parts
// that differ most between vendors (auth, signature, events); the rest are common defaults
// the comments say how to change.

export interface ScaffoldOptions {
  id: string;
  displayName: string;
  /** `header:X-API-Key` or `bearer`. */
  auth: string;
  /** `hmac-hex:<header>[:<prefix>]`, `timestamped:<header>` or `standard-webhooks`. */
  signature: string;
  baseUrl: string;
  events: string[];
}

/** What the scaffolded test imports the conformance suite from (a published subpath). */
const CONFORMANCE_MODULE = '@hookpack/sandbox/testing';

export class ScaffoldError extends Error {}

export const VENDOR_ID = /^[a-z][a-zA-Z0-9]*$/;

function authSource(auth: string): string {
  if (auth === 'bearer')
    return `{
    kind: 'apiKey',
    placement: 'bearer', // Authorization: Bearer <key>
    keyPrefixes: [], // known key prefixes (e.g. ['sk_live_']): a key without one gets a warning
    keyHelp: 'Your API key, from the dashboard.',
  }`;
  const m = /^header:([A-Za-z0-9-]+)$/.exec(auth);
  if (!m) throw new ScaffoldError(`--auth "${auth}": expected header:<Header-Name> (e.g. header:X-API-Key) or bearer`);
  return `{
    kind: 'apiKey',
    placement: 'header',
    headerName: ${JSON.stringify(m[1])},
    keyPrefixes: [], // known key prefixes (e.g. ['ak_']): a key without one gets a warning
    keyHelp: 'Your API key, from the dashboard.',
  }`;
}

function signatureSource(signature: string): { importName: string; scheme: string } {
  if (signature === 'standard-webhooks')
    return { importName: 'standardWebhooksScheme', scheme: 'standardWebhooksScheme()' };
  const [kind, header, ...rest] = signature.split(':');
  const prefix = rest.join(':');
  if (!header || !/^[A-Za-z0-9-]+$/.test(header))
    throw new ScaffoldError(
      `--signature "${signature}": expected hmac-hex:<Header>[:<prefix>], timestamped:<Header> or standard-webhooks`,
    );
  if (kind === 'hmac-hex')
    return {
      importName: 'hmacHexScheme',
      // hex HMAC-SHA256 of the raw body, after the prefix
      scheme: `hmacHexScheme({ header: ${JSON.stringify(header)}, prefix: ${JSON.stringify(prefix)} })`,
    };
  if (kind === 'timestamped' && !prefix)
    return {
      importName: 'timestampedScheme',
      // t=<unix>,v1=<hex HMAC-SHA256 of `${t}.${body}`>
      scheme: `timestampedScheme({ header: ${JSON.stringify(header)}, toleranceSeconds: 300 })`,
    };
  throw new ScaffoldError(
    `--signature "${signature}": unknown scheme "${kind}"; use hmac-hex:<Header>[:<prefix>], timestamped:<Header> or standard-webhooks`,
  );
}

function words(type: string): string {
  return type
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

function eventSource(type: string): string {
  const [thing = 'item'] = type.split(/[._-]/);
  return `    {
      type: ${JSON.stringify(type)},
      displayName: ${JSON.stringify(words(type))}, // shown in n8n's event list and as the Zapier trigger's name
      description: ${JSON.stringify(`a ${thing} is ${type.split(/[._-]/).slice(1).join(' ') || 'sent'}`)}, // completes "Triggers when …"
      schema: itemPayload, // zod schema of this event's data
      designedPayload: true, // remove once the sample is a real payload from the vendor's docs
      sample: { ${thing}: { id: ${JSON.stringify(`${thing}_1001`)}, status: 'open', updated_at: '2026-04-01T09:30:00Z' } },
    },`;
}

export function vendorModuleSource(o: ScaffoldOptions): string {
  if (!VENDOR_ID.test(o.id))
    throw new ScaffoldError(`<id> "${o.id}": use lowerCamelCase letters and digits (e.g. acme or acmeCloud)`);
  if (o.events.length === 0) throw new ScaffoldError('--events: name at least one event type (e.g. order.created)');
  for (const e of o.events)
    if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(e))
      throw new ScaffoldError(`--events: "${e}" is not an event type (letters, digits, . _ -; e.g. order.created)`);
  try {
    new URL(o.baseUrl);
  } catch {
    throw new ScaffoldError(`--base-url "${o.baseUrl}" is not a URL (e.g. https://api.acme.example)`);
  }
  const signature = signatureSource(o.signature);
  const things = [...new Set(o.events.map((e) => e.split(/[._-]/)[0] ?? 'item'))];
  return `// ${o.displayName}: a hookpack vendor description, scaffolded by \`hookpack new\`. Everything the
// n8n trigger, the Zapier app and the sandbox do comes from this object. Replace the defaults
// with what the vendor's webhook docs say, and where they are silent, say so in a comment.
// Reference: https://github.com/hookpack/hookpack/blob/main/packages/core/src/vendor.ts
import { z } from 'zod';
import { envelopeFields, ${signature.importName}, type VendorDefinition } from '@hookpack/core';

const MIN = 60_000;
const HOUR = 60 * MIN;

// The data of each event. Keep them open where the vendor may add fields (z.looseObject).
const item = z.looseObject({ id: z.string(), status: z.string(), updated_at: z.string() });
const itemPayload = z.union([${things.map((t) => `z.object({ ${/^[a-z_$][\w$]*$/i.test(t) ? t : JSON.stringify(t)}: item })`).join(', ')}]);

export const ${o.id}: VendorDefinition = {
  id: ${JSON.stringify(o.id)}, // stable: n8n node and Zapier trigger names derive from it
  displayName: ${JSON.stringify(o.displayName)},
  description: ${JSON.stringify(`${o.displayName} webhooks.`)}, // one sentence: what its events are about
  docsUrl: ${JSON.stringify(o.baseUrl)}, // the vendor's webhook documentation
  // How API calls authenticate.
  auth: ${authSource(o.auth)},
  // The REST API that registers webhooks (omit it, and add manualSetup, for paste-the-URL vendors).
  api: {
    baseUrl: ${JSON.stringify(o.baseUrl)}, // users can point the credential at another host (staging, sandbox)
    requiresHttpsTarget: true, // the vendor refuses http:// webhook URLs
    idempotencyKeys: false, // true when POSTs honour an Idempotency-Key header
    endpoints: {
      create: { method: 'POST', path: '/v1/webhooks' },
      list: { method: 'GET', path: '/v1/webhooks' },
      get: { method: 'GET', path: '/v1/webhooks/{id}' },
      update: { method: 'PATCH', path: '/v1/webhooks/{id}' }, // pauses/resumes through fields.active
      delete: { method: 'DELETE', path: '/v1/webhooks/{id}' },
      // test, rotate, me: where documented ({ method, path }); absent operations are never called
    },
    resource: {
      document: { kind: 'flat' }, // or { kind: 'wrapped', key: 'data', requests: 'flat' }, or JSON:API
      fields: {
        url: 'url', // dotted paths of the subscription's fields in the vendor's JSON
        events: 'events',
        secret: 'secret',
        createdAt: 'created_at',
        active: { path: 'active' },
      },
      idPrefix: 'wh_', // what the vendor's ids look like (the sandbox makes them so)
      secretPrefix: 'whsec_',
      secretOnReads: { kind: 'omit' }, // reads after create do not show the secret
    },
    list: { readsAlso: ['data'] }, // a bare array, or the array under one of these keys
    errors: { kind: 'object', message: 'error', details: 'details' }, // {error: '…', details: {field: '…'}}
  },
  subscriptionOptions: [], // extra create fields users choose (filters), with their labels
  signature: {
    scheme: ${signature.scheme},
    secretRequired: true,
    secretSource: 'subscription', // the create answer returns the secret once; or 'client', 'user', 'app'
  },
  // How a delivery body is wrapped, and where the parts of an event are in it.
  envelope: {
    schema: z.looseObject({ id: z.string().min(1), type: z.string().min(1), created_at: z.string(), data: z.unknown() }),
    ...envelopeFields({ id: 'id', type: 'type', createdAt: 'created_at', data: 'data' }),
  },
  // Every event the vendor sends, with a realistic sample (the sandbox sends it, Zapier shows it).
  events: [
${o.events.map(eventSource).join('\n')}
  ],
  // How the vendor delivers: the sandbox plays this, the triggers answer within the timeout.
  delivery: {
    timeoutMs: 10_000,
    retryDelaysMs: [1 * MIN, 10 * MIN, 1 * HOUR, 6 * HOUR],
    afterRetries: 'drop', // or 'deactivate' (with deactivateAfterConsecutiveFailures) or 'mark-failing'
    staticHeaders: { 'Content-Type': 'application/json', 'User-Agent': ${JSON.stringify(`${o.displayName}-Webhooks/1.0`)} },
    deliveryIdIsStable: false, // true when a retry carries the same delivery id header
  },
};

export default ${o.id};
`;
}

export function vendorTestSource(id: string, moduleFile: string): string {
  return `// Runs hookpack's conformance suite on the ${id} description: the description checks, every
// sample signed and verified (and a forged copy refused), and every declared API operation
// against the sandbox playing the vendor on 127.0.0.1. Run: node --test ${id}.test.ts (Node >= 22.18)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vendorConformance } from '${CONFORMANCE_MODULE}';
import { ${id} } from './${moduleFile}';

test('${id} passes vendorConformance', { timeout: 120_000 }, async () => {
  const report = await vendorConformance(${id});
  assert.deepEqual(report.failures, []);
});
`;
}
