import { sameJson } from './same-json.js';
import type { RestApiDefinition, VendorDefinition } from '../vendor.js';
import { envelopeCarriesId } from '../delivery.js';
import { checkHandshake } from './check-handshake.js';
import { checkExpiry } from './check-expiry.js';
import { checkClientCredentials } from './check-auth.js';

/** One inconsistency in a vendor description: where it is, what is wrong, how to fix it. */
export interface DescriptionProblem {
  vendor: string;
  /** Dotted path into the VendorDefinition (`api.resource.fields.active`). */
  field: string;
  problem: string;
  fix: string;
}

export class VendorDescriptionError extends Error {
  override name = 'VendorDescriptionError';
  constructor(readonly problems: DescriptionProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(p: DescriptionProblem): string {
  return `vendor "${p.vendor}", ${p.field}: ${p.problem}. Fix: ${p.fix}.`;
}

/** Throws one VendorDescriptionError listing every problem; what every generator calls first. */
export function assertVendorDescription(vendor: VendorDefinition): void {
  const problems = checkVendorDescription(vendor);
  if (problems.length > 0) throw new VendorDescriptionError(problems);
}

const PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/**
 * Everything about a description that would otherwise fail at a user's first activation
 * (or never, silently): paths, secrets, pausing, paging, options, events.
 */
export function checkVendorDescription(vendor: VendorDefinition): DescriptionProblem[] {
  const out: DescriptionProblem[] = [];
  const add = (field: string, problem: string, fix: string) => out.push({ vendor: vendor.id, field, problem, fix });
  const events = new Set(vendor.events.map((e) => e.type));

  if (vendor.events.length === 0) add('events', 'no events', 'describe at least one event the vendor sends');
  vendor.events.forEach((event, i) => {
    const at = `events[${i}] (${event.type})`;
    if (event.sample === undefined || event.sample === null)
      add(`${at}.sample`, 'the event has no sample', 'add a realistic payload that parses with its schema');
    else if (!event.schema.safeParse(event.sample).success)
      add(`${at}.sample`, 'the sample does not parse with the event schema', 'make sample and schema agree');
  });
  vendor.subscriptionOptions.forEach((option, i) => {
    const at = `subscriptionOptions[${i}] (${option.name})`;
    if (!option.displayName?.trim())
      add(`${at}.displayName`, 'the option has no label', 'give it a displayName users will see');
    if (option.required && !option.description?.trim())
      add(`${at}.description`, 'a required option has no description', 'say what the user must enter');
  });

  checkEnvelope(vendor, add);

  const dedupe = vendor.delivery.dedupe;
  if (dedupe?.includes('deliveryId') && !(vendor.delivery.deliveryIdHeader && vendor.delivery.deliveryIdIsStable))
    add(
      'delivery.dedupe',
      'dedupes on the delivery id, which is missing or new on every retry',
      'declare a stable deliveryIdHeader, or drop "deliveryId"',
    );
  checkRedeliveryIdentity(vendor, add);
  const retryHeaders = vendor.delivery.retryHeaders;
  if (retryHeaders) {
    const named = (v: unknown) => typeof v === 'string' && v.trim() !== '';
    const reason = retryHeaders.reason;
    if (
      !named(retryHeaders.number) ||
      (reason &&
        !(named(reason.header) && named(reason.timeout) && named(reason.httpError) && named(reason.connectionFailed)))
    )
      add(
        'delivery.retryHeaders',
        'a retry header without a name (or a reason without its three values)',
        'name the headers and the words the vendor sends for a timeout, an HTTP error and a failed connection',
      );
    if (vendor.delivery.retryDelaysMs.length === 0)
      add(
        'delivery.retryHeaders',
        'headers for retries of a vendor that never retries',
        'remove them, or declare retryDelaysMs',
      );
  }

  const signature = vendor.signature;
  if (signature.secretSource === 'client' && !signature.clientSecret)
    add(
      'signature.clientSecret',
      'the client chooses the secret but no rule says how',
      'declare { length, alphabet, prefix? } as the vendor documents',
    );
  if (signature.clientSecret && signature.secretSource !== 'client')
    add(
      'signature.clientSecret',
      `a secret rule on a vendor whose secret source is "${signature.secretSource}"`,
      'remove it, or set secretSource: "client"',
    );
  if (
    signature.clientSecret &&
    !(Number.isInteger(signature.clientSecret.length) && signature.clientSecret.length >= 16)
  )
    add('signature.clientSecret.length', 'too short to be a signing secret', 'use the documented length (at least 16)');

  checkPublicKey(vendor, add);
  checkHandshake(vendor, add);
  if (signature.secretSource === 'app' && !(signature.appSecret?.label?.trim() && signature.appSecret.help?.trim()))
    add(
      'signature.appSecret',
      'the app secret signs deliveries but nothing says what the user enters',
      'declare { label, help }: the vendor\'s name for the secret ("Client Secret") and where to find it',
    );
  if (signature.appSecret && signature.secretSource !== 'app')
    add(
      'signature.appSecret',
      `an app-secret field on a vendor whose secret source is "${signature.secretSource}"`,
      'remove it, or set secretSource: "app"',
    );
  if (signature.secretSource === 'app' && !signature.secretRequired)
    add(
      'signature.secretRequired',
      'an app secret is always there: deliveries are always signed with it',
      'set secretRequired: true',
    );

  const api = vendor.api;
  if (!api) {
    if (signature.secretSource !== 'user')
      add('signature.secretSource', 'a vendor without an API cannot hand out secrets', 'use "user"');
    if (!vendor.manualSetup?.instructions)
      add('manualSetup.instructions', 'a vendor without an API needs setup steps', 'say what the user does in its UI');
    return out;
  }
  checkApi(vendor, api, events, add);
  return out;
}

function checkApi(
  vendor: VendorDefinition,
  api: RestApiDefinition,
  events: Set<string>,
  add: (field: string, problem: string, fix: string) => void,
): void {
  const { endpoints, resource } = api;
  const fields = resource.fields;
  for (const op of ['create', 'delete'] as const)
    if (!endpoints[op]) add(`api.endpoints.${op}`, `no ${op} endpoint`, 'every REST vendor needs create and delete');
  checkExpiry(vendor, api, add);
  checkClientCredentials(vendor, add);
  if (!endpoints.me && !endpoints.list)
    add('api.endpoints', 'no "me" or "list" endpoint to test a credential with', 'declare one of them');
  for (const [op, ep] of Object.entries(endpoints)) {
    if (ep && !ep.path.startsWith('/'))
      add(
        `api.endpoints.${op}.path`,
        `"${ep.path}" does not start with "/"`,
        'write it below baseUrl, starting with "/"',
      );
  }
  if (api.mediaType !== undefined && !/^application\/([\w.+-]+\+)?json$/.test(api.mediaType))
    add(
      'api.mediaType',
      `"${api.mediaType}" is not a JSON media type`,
      'bodies are JSON: use application/json or application/<x>+json',
    );

  const optionNames = new Set(vendor.subscriptionOptions.map((o) => o.name));
  for (const [option, param] of Object.entries(api.list?.filters ?? {})) {
    if (!optionNames.has(option))
      add(
        `api.list.filters.${option}`,
        'filters by an option the vendor does not have',
        'name one of subscriptionOptions',
      );
    if (typeof param !== 'string' || param === '')
      add(`api.list.filters.${option}`, 'has no query parameter', 'give the parameter the list endpoint takes');
  }

  const paths: [string, string | undefined][] = [
    ['id', fields.id],
    ['url', fields.url],
    ['events', fields.events],
    ...Object.entries(fields.eventFlags ?? {}).map(([k, v]) => [`eventFlags.${k}`, v] as [string, string]),
    ['secret', fields.secret],
    ['createdAt', fields.createdAt],
    ['active.path', fields.active?.path],
    ...Object.entries(fields.options ?? {}).map(([k, v]) => [`options.${k}`, v] as [string, string]),
  ];
  for (const [name, path] of paths) {
    if (path !== undefined && !PATH.test(path))
      add(`api.resource.fields.${name}`, `"${path}" is not a field path`, 'use dotted names like "data.url"');
  }
  const used = new Map<string, string>();
  for (const [name, path] of paths) {
    if (path === undefined) continue;
    const other = used.get(path);
    if (other) add(`api.resource.fields.${name}`, `uses "${path}", as ${other} does`, 'give each field its own path');
    used.set(path, name);
  }
  checkEventField(vendor, api, events, add);
  for (const path of Object.keys(resource.createFields ?? {}))
    if (!PATH.test(path) || (used.has(path) && used.get(path) !== 'active.path'))
      add(
        `api.resource.createFields.${path}`,
        PATH.test(path) ? `"${path}" is also the ${used.get(path)} field` : `"${path}" is not a field path`,
        'give fixed create fields their own dotted paths (the on/off field may be one)',
      );
  checkErrorFormat(api, add);
  if (resource.document.kind === 'jsonApi') {
    for (const [name, rel] of Object.entries(resource.document.relationships ?? {})) {
      const at = `api.resource.document.relationships.${name}`;
      const option = vendor.subscriptionOptions.find((o) => o.name === rel.option);
      if (!option || option.type !== 'string')
        add(
          `${at}.option`,
          option
            ? `"${option.name}" is a ${option.type} option, not an id`
            : `"${rel.option}" names no subscription option`,
          'name a string subscription option holding the related id',
        );
      if (!rel.type?.trim()) add(`${at}.type`, 'no related resource type', 'give the JSON:API type, e.g. "stores"');
    }
  }
  if (resource.document.kind === 'jsonApi' && fields.id !== undefined)
    add('api.resource.fields.id', 'a JSON:API resource has its id beside attributes', 'remove fields.id');
  for (const name of Object.keys(fields.options ?? {})) {
    if (!vendor.subscriptionOptions.some((o) => o.name === name))
      add(
        `api.resource.fields.options.${name}`,
        'names no subscription option',
        `declare "${name}" in subscriptionOptions or remove the path`,
      );
  }
  if (api.ownerLabel) {
    const option = vendor.subscriptionOptions.find((o) => o.name === api.ownerLabel!.option);
    if (!option || option.type !== 'string')
      add(
        'api.ownerLabel.option',
        option
          ? `"${option.name}" is a ${option.type} option, not a free-text label`
          : `"${api.ownerLabel.option}" names no subscription option`,
        'name a string subscription option the vendor stores and returns',
      );
  }
  if (fields.active && !fields.active.readOnly && !endpoints.update)
    add(
      'api.resource.fields.active',
      'an on/off field an update would set, but there is no update endpoint',
      'mark it readOnly: true (the vendor only shows it), or declare the update endpoint',
    );
  const onReads = resource.secretOnReads;
  if (onReads.kind === 'prefix' && onReads.field === fields.secret)
    add(
      'api.resource.secretOnReads.field',
      'the prefix field is the secret field itself',
      'name the field reads show the prefix in',
    );

  const signature = vendor.signature;
  if (
    (signature.secretSource === 'subscription' || signature.secretSource === 'client') &&
    !fields.secret &&
    !signature.publicKey
  )
    add(
      'api.resource.fields.secret',
      signature.secretSource === 'client'
        ? 'the client chooses the secret but no field carries it in the create request'
        : 'the vendor returns the secret on create but no field says where',
      'declare the secret field path',
    );
  if (signature.secretSource === 'app') {
    if (fields.secret)
      add(
        'api.resource.fields.secret',
        'the API never carries an app secret, but a secret field is declared',
        'remove fields.secret (the user enters the app secret in the credential)',
      );
    if (endpoints.rotate || (signature.rotation !== undefined && signature.rotation !== 'none'))
      add(
        endpoints.rotate ? 'api.endpoints.rotate' : 'signature.rotation',
        "an app secret is rotated in the vendor's app settings, not per subscription",
        'remove the rotate endpoint and leave rotation out (or "none")',
      );
  }
  const perSubscription = resource.eventsPerSubscription;
  if (perSubscription !== undefined && perSubscription !== 'one' && perSubscription !== 'many')
    add(
      'api.resource.eventsPerSubscription',
      `"${String(perSubscription)}" is not "one" or "many"`,
      'use "one" (a single event type per subscription) or leave it out',
    );
  if (perSubscription === 'one' && resource.fields.eventFlags)
    add(
      'api.resource.eventsPerSubscription',
      'one event per subscription with events chosen by flags (fields.eventFlags)',
      'name the single event at fields.events, or leave eventsPerSubscription out',
    );
  const rotation = signature.rotation;
  if (rotation === 'endpoint' && !endpoints.rotate)
    add(
      'signature.rotation',
      'rotation by endpoint without a rotate endpoint',
      'declare api.endpoints.rotate or set rotation: "none"',
    );
  if (rotation === 'update' && (signature.secretSource !== 'client' || !endpoints.update))
    add(
      'signature.rotation',
      'rotation by update needs a client-chosen secret and an update endpoint',
      'use "endpoint" or "none"',
    );
  if (rotation === 'none' && endpoints.rotate)
    add(
      'signature.rotation',
      'says the secret cannot be rotated, but a rotate endpoint is declared',
      'remove one of them',
    );

  const list = api.list;
  if (list?.key !== undefined && resource.document.kind === 'jsonApi')
    add('api.list.key', 'JSON:API lists are always under "data"', 'remove list.key');
  const pagination = list?.pagination;
  if (resource.document.kind === 'wrapped' && resource.document.lists === 'flat' && list?.key === undefined)
    add(
      'api.list.key',
      'lists sit outside the document wrapper, but no key says where their items are',
      'declare list.key (Shopify: "webhooks")',
    );
  if (pagination?.kind === 'link' && pagination.cursorParam !== undefined && !/^[\w.-]+$/.test(pagination.cursorParam))
    add(
      'api.list.pagination.cursorParam',
      `"${pagination.cursorParam}" is not a query parameter name`,
      'use a name like "page_info"',
    );
  if (pagination?.kind === 'link' && pagination.bodyKey !== undefined) {
    if (typeof pagination.bodyKey !== 'string' || pagination.bodyKey === '')
      add('api.list.pagination.bodyKey', 'is empty', "name the list answer's key holding the next page's URL");
    else if (list?.key === undefined && api.resource.document.kind !== 'jsonApi')
      add('api.list.pagination.bodyKey', 'a bare-array list has no key to carry the link', 'declare api.list.key');
  }
  if (pagination) {
    if (!endpoints.list) add('api.list.pagination', 'paging without a list endpoint', 'declare api.endpoints.list');
    if (!(Number.isInteger(pagination.pageSize) && pagination.pageSize >= 1))
      add('api.list.pagination.pageSize', 'must be a whole number ≥ 1', 'use the size the vendor documents');
    if (pagination.maxPages !== undefined && !(Number.isInteger(pagination.maxPages) && pagination.maxPages >= 1))
      add('api.list.pagination.maxPages', 'must be a whole number ≥ 1', 'leave it out for the default (50)');
    if (pagination.kind === 'cursor' && list?.key === undefined && resource.document.kind !== 'jsonApi')
      add(
        'api.list.pagination.next',
        'a cursor needs a list object to live in, but the list is a bare array',
        'declare list.key',
      );
  }
  for (const type of api.paidEvents ?? [])
    if (!events.has(type))
      add('api.paidEvents', `"${type}" is not an event of this vendor`, 'list only declared event types');
  if (api.testEvent && 'type' in api.testEvent && !events.has(api.testEvent.type))
    add(
      'api.testEvent.type',
      `"${api.testEvent.type}" is not an event of this vendor`,
      'declare the test event in events',
    );
  if (api.testEvent && !endpoints.test)
    add('api.testEvent', 'a test event without a test endpoint', 'declare api.endpoints.test or remove testEvent');
  if (endpoints.test && !api.testEvent)
    add(
      'api.testEvent',
      'a test endpoint that says nothing about what it sends',
      'declare { type } or { firstSubscribed: true }',
    );
}

/**
 * Each event's sample, built into an envelope and read back, must come out as it went in and
 * parse with the envelope schema: otherwise the sandbox sends what the trigger refuses, or the
 * workflow gets another type or payload than the vendor sent.
 */
function checkEnvelope(vendor: VendorDefinition, add: (field: string, problem: string, fix: string) => void): void {
  const { envelope } = vendor;
  const field = envelope.fields ? 'envelope.fields' : 'envelope.build';
  for (const [key, path] of Object.entries(envelope.fields ?? {})) {
    const p = typeof path === 'object' && path !== null && 'path' in path ? path.path : path;
    if (key !== 'constants' && (typeof p !== 'string' || !PATH.test(p)))
      add(
        `envelope.fields.${key}`,
        `${JSON.stringify(p)} is not a field path`,
        'use dotted names like "meta.event_name"',
      );
  }
  for (const event of vendor.events) {
    if (event.sample === undefined || event.sample === null) continue;
    let body: unknown;
    let back: ReturnType<typeof envelope.read>;
    try {
      body = envelope.build({
        id: 'evt_check',
        type: event.type,
        createdAt: '2026-01-02T03:04:05.000Z',
        data: event.sample,
        livemode: false,
      });
      if (!envelope.schema.safeParse(body).success) {
        add(
          field,
          `the built envelope of ${event.type} does not parse with envelope.schema`,
          'make the paths and the schema agree',
        );
        return;
      }
      back = envelope.read(body);
    } catch (e) {
      add(
        field,
        `building or reading the envelope of ${event.type} throws (${(e as Error).message})`,
        'fix the mapping',
      );
      return;
    }
    // A type sent in a header (Shopify's X-Shopify-Topic) is not in the body to read back.
    const typeInBody = !(vendor.delivery.eventHeader && !back.type);
    if ((typeInBody && back.type !== event.type) || !sameJson(back.data, event.sample)) {
      add(
        field,
        `the envelope of ${event.type} reads back another type or payload`,
        'point type and data at the fields build writes',
      );
      return;
    }
  }
}

type Add = (field: string, problem: string, fix: string) => void;

/** What identifies a redelivery must be something the events carry, and `[]` (nothing) only where nothing is. */
function checkRedeliveryIdentity(vendor: VendorDefinition, add: Add): void {
  const dedupe = vendor.delivery.dedupe;
  if (!dedupe || vendor.events.length === 0) return;
  const carriesId = envelopeCarriesId(vendor);
  if (dedupe.length === 0 && carriesId)
    add(
      'delivery.dedupe',
      'says nothing identifies a redelivery, but the envelope carries an event id',
      'list "eventId" (then "bodyHash"), or leave dedupe out for the default',
    );
  const stableDelivery = !!(vendor.delivery.deliveryIdHeader && vendor.delivery.deliveryIdIsStable);
  const usable = dedupe.some(
    (s) => s === 'bodyHash' || (s === 'eventId' && carriesId) || (s === 'deliveryId' && stableDelivery),
  );
  if (dedupe.length > 0 && !usable)
    add(
      'delivery.dedupe',
      `lists ${dedupe.map((d) => `"${d}"`).join(', ')}, but the events carry no id${stableDelivery ? '' : ' and no stable delivery id'}, so nothing listed identifies a redelivery`,
      'add "bodyHash" (a digest of the body identifies it), or declare [] (nothing does: every delivery runs)',
    );
}

/** A public-key scheme needs a key source; a key source needs a public-key scheme and what its source needs. */
function checkPublicKey(vendor: VendorDefinition, add: Add): void {
  const signature = vendor.signature;
  const source = signature.publicKey;
  const isPublicKey = signature.scheme.kind === 'public-key';
  const endpoints = vendor.api?.endpoints ?? {};
  if (isPublicKey && !source)
    add(
      'signature.publicKey',
      'a public-key scheme without saying where the public key comes from',
      'declare { source: "api", keyPath } (the API hands it out) or { source: "user", help } (the user pastes it)',
    );
  if (!isPublicKey && source)
    add(
      'signature.publicKey',
      `a public-key source on a "${signature.scheme.kind}" scheme, which verifies with a shared secret`,
      'remove publicKey, or sign with publicKeyScheme(...)',
    );
  if (!source || source.source !== 'api') {
    for (const op of ['signing', 'publicKey'] as const)
      if (endpoints[op])
        add(
          `api.endpoints.${op}`,
          'an endpoint for a public key the description does not take from the API',
          'declare signature.publicKey: { source: "api", keyPath }, or remove the endpoint',
        );
  }
  if (!source) return;
  if (source.source === 'user') {
    if (signature.secretSource !== 'user')
      add(
        'signature.secretSource',
        `the user enters the public key, but the secret source is "${signature.secretSource}"`,
        'use "user"',
      );
    if (!source.help?.trim())
      add('signature.publicKey.help', 'no help for finding the key', "say where the vendor's UI shows the public key");
    return;
  }
  if (!vendor.api)
    add(
      'signature.publicKey.source',
      'the public key comes from the API, but the vendor has no API',
      'use { source: "user", help }, or describe the API',
    );
  if (signature.secretSource !== 'subscription')
    add(
      'signature.secretSource',
      `the vendor issues the key pair, but the secret source is "${signature.secretSource}"`,
      'use "subscription"',
    );
  if (!PATH.test(source.keyPath ?? ''))
    add(
      'signature.publicKey.keyPath',
      `"${String(source.keyPath)}" is not a field path`,
      'name where answers carry the key, e.g. "public_key"',
    );
  if (endpoints.signing && !source.enableBody)
    add(
      'signature.publicKey.enableBody',
      'a signing endpoint without the body that turns signing on',
      'declare it as documented, e.g. { enabled: true }',
    );
  if (source.enableBody && !endpoints.signing)
    add(
      'signature.publicKey.enableBody',
      'a body for a signing call, but no signing endpoint',
      'declare api.endpoints.signing',
    );
  if (signature.rotation === 'endpoint' || signature.rotation === 'update' || endpoints.rotate)
    add(
      'signature.rotation',
      'the vendor replaces its key pair itself; hookpack refetches the public key when a signature fails, and rotates nothing',
      'set rotation: "none" and remove api.endpoints.rotate',
    );
  if (source.maxAgeMs !== undefined && !(Number.isFinite(source.maxAgeMs) && source.maxAgeMs >= 1000))
    add('signature.publicKey.maxAgeMs', 'must be at least 1000 ms', 'leave it out for the default (1 hour)');
}

/** Events as a list or as flags: exactly one, and flags for exactly the declared events. */
function checkEventField(vendor: VendorDefinition, api: RestApiDefinition, events: Set<string>, add: Add): void {
  const { events: path, eventFlags } = api.resource.fields;
  if (path === undefined && !eventFlags)
    add(
      'api.resource.fields.events',
      'no field says where the events are',
      'declare the events list path, or eventFlags',
    );
  if (path !== undefined && eventFlags)
    add(
      'api.resource.fields.eventFlags',
      'events declared both as a list and as flags',
      'keep the one the vendor uses',
    );
  const separator = (api.resource.fields as { eventsJoinedBy?: unknown }).eventsJoinedBy;
  if (separator !== undefined) {
    if (typeof separator !== 'string' || separator === '' || /\s/.test(separator))
      add(
        'api.resource.fields.eventsJoinedBy',
        `${JSON.stringify(separator)} is not a separator`,
        'give the non-blank text between event types (",")',
      );
    else if (path === undefined || eventFlags)
      add('api.resource.fields.eventsJoinedBy', 'joins no events list', 'declare fields.events, or drop it');
    else
      for (const type of events)
        if (type.includes(separator))
          add(
            'api.resource.fields.eventsJoinedBy',
            `event type "${type}" contains the separator "${separator}"`,
            'choose the separator the vendor uses, which no type contains',
          );
  }
  if (!eventFlags) return;
  for (const type of Object.keys(eventFlags))
    if (!events.has(type))
      add(
        `api.resource.fields.eventFlags.${type}`,
        `"${type}" is not an event of this vendor`,
        'flag only declared event types',
      );
  for (const type of events)
    if (!(type in eventFlags))
      add(
        'api.resource.fields.eventFlags',
        `no flag selects "${type}", so no subscription can receive it`,
        `add "${type}": "<field>" as the vendor documents`,
      );
}

function checkErrorFormat(api: RestApiDefinition, add: Add): void {
  const errors = api.errors;
  if (errors.kind !== 'list') return;
  if (!PATH.test(errors.key ?? '') || errors.key.includes('.'))
    add(
      'api.errors.key',
      `"${String(errors.key)}" is not a top-level key`,
      'name the key holding the error list, e.g. "errors"',
    );
  if (!PATH.test(errors.message ?? ''))
    add(
      'api.errors.message',
      `"${String(errors.message)}" is not a field path`,
      'name the message field of one error, e.g. "message"',
    );
  if (errors.field !== undefined && !PATH.test(errors.field))
    add(
      'api.errors.field',
      `"${errors.field}" is not a field path`,
      'name the field-name field of one error, e.g. "field"',
    );
}
