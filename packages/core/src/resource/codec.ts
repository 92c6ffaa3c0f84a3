import type {
  RequestRead,
  ResourceCodec,
  RestApiDefinition,
  Subscription,
  SubscriptionOption,
  SubscriptionRequest,
  SubscriptionState,
  VendorDefinition,
} from '../vendor.js';
import { readErrorDocument, renderErrorDocument } from './error-document.js';
import { getPath, isObject, setPath } from './path.js';
import { redactSecret } from './secret.js';
import { eventField } from './event-field.js';
import { oneEventPerSubscription } from './events.js';
import { readTimestamp, requestedExpiryPath, writeTimestamp } from './expiry.js';

type RestVendor = Pick<VendorDefinition, 'displayName' | 'subscriptionOptions'> & { api?: RestApiDefinition };

const cache = new WeakMap<object, ResourceCodec>();

/**
 * Both directions of a vendor's subscription API, derived from `api.resource`, `api.list` and
 * `api.errors` (with any `api.codec` replacements on top). Throws for a vendor without an API.
 */
export function resourceCodec(vendor: RestVendor): ResourceCodec {
  const api = vendor.api;
  if (!api) throw new Error(`${vendor.displayName} has no REST API to describe`);
  const cached = cache.get(api);
  if (cached) return cached;
  const codec = { ...deriveCodec(vendor, api), ...api.codec };
  cache.set(api, codec);
  return codec;
}

/** Media type of the vendor's request and response bodies. */
export function mediaTypeOf(api: Pick<RestApiDefinition, 'mediaType'>): string {
  return api.mediaType ?? 'application/json';
}

/** An update can switch the subscription off and on again. */
export function canPause(vendor: { api?: RestApiDefinition }): boolean {
  const active = vendor.api?.resource.fields.active;
  return vendor.api?.endpoints.update !== undefined && active !== undefined && active.readOnly !== true;
}

/** The vendor path of a subscription option. */
export function optionPath(api: RestApiDefinition, option: Pick<SubscriptionOption, 'name'>): string {
  return api.resource.fields.options?.[option.name] ?? option.name;
}

function deriveCodec(vendor: RestVendor, api: RestApiDefinition): ResourceCodec {
  const { document, fields } = api.resource;
  const idPath = fields.id ?? 'id';
  const listKey = document.kind === 'jsonApi' ? 'data' : api.list?.key;
  const describe = (path: string) => `"${path}"`;
  const eventsField = eventField(fields, vendor.displayName, oneEventPerSubscription(vendor));
  // Fixed create fields read back as sent and take no other value, except one that is also the
  // on/off field (SendGrid's `enabled`): that one follows the subscription's state.
  const fixedFields = Object.entries(api.resource.createFields ?? {}).filter(([path]) => path !== fields.active?.path);
  const expiry = api.expiry;

  /** The document's resource object in an answer (strict: the answer must have the declared shape). */
  const resourceIn = (body: unknown): Record<string, unknown> => {
    if (document.kind === 'flat') {
      if (!isObject(body)) throw new TypeError('expected a JSON object');
      return body;
    }
    const key = document.kind === 'jsonApi' ? 'data' : document.key;
    const inner = isObject(body) ? body[key] : undefined;
    if (!isObject(inner)) throw new TypeError(`expected {${key}: {…}}`);
    return inner;
  };
  /** Where the fields are inside a resource object. */
  const attributesOf = (item: Record<string, unknown>): Record<string, unknown> => {
    if (document.kind !== 'jsonApi') return item;
    const attributes = item.attributes;
    if (!isObject(attributes)) throw new TypeError('expected a JSON:API resource object with attributes');
    return attributes;
  };

  const readItem = (item: unknown, withSecret: boolean): Subscription => {
    if (!isObject(item)) throw new TypeError('expected a subscription object');
    const attrs = attributesOf(item);
    const rawId = document.kind === 'jsonApi' ? item.id : getPath(attrs, idPath);
    const id = typeof rawId === 'number' ? String(rawId) : rawId;
    if (typeof id !== 'string' || id === '') throw new TypeError(`expected a subscription id at ${describe(idPath)}`);
    const url = getPath(attrs, fields.url);
    if (typeof url !== 'string') throw new TypeError(`expected the target URL at ${describe(fields.url)}`);
    const events = eventsField.read(attrs);
    let active = true;
    if (fields.active) {
      const v = getPath(attrs, fields.active.path);
      if (typeof v === 'boolean') active = fields.active.inverted ? !v : v;
      else if (v !== undefined && v !== null)
        throw new TypeError(`expected true or false at ${describe(fields.active.path)}`);
    }
    const out: Subscription = { id, url, events: [...events], active, options: {}, raw: item };
    if (withSecret && fields.secret) {
      const secret = getPath(attrs, fields.secret);
      if (typeof secret === 'string' && secret !== '') out.secret = secret;
    }
    if (fields.createdAt) {
      const createdAt = getPath(attrs, fields.createdAt);
      if (typeof createdAt === 'string') out.createdAt = createdAt;
    }
    if (expiry) {
      const expiresAt = readTimestamp(getPath(attrs, expiry.field.path), expiry.field.unit);
      if (expiresAt !== undefined) out.expiresAt = expiresAt;
    }
    for (const option of vendor.subscriptionOptions) {
      const v = getPath(attrs, optionPath(api, option));
      if (v !== undefined && v !== null) out.options[option.name] = v;
    }
    return out;
  };

  /** JSON:API relationship name by option name, for options sent as relationships. */
  const relationshipOf = new Map(
    Object.entries(document.kind === 'jsonApi' ? (document.relationships ?? {}) : {}).map(([name, rel]) => [
      rel.option,
      { name, type: rel.type },
    ]),
  );

  /** Request body around the attributes, as the document kind wants it. */
  const requestDocument = (
    attrs: Record<string, unknown>,
    id?: string,
    relationships?: Record<string, unknown>,
  ): Record<string, unknown> => {
    if (document.kind === 'jsonApi')
      return {
        data: {
          type: document.type,
          ...(id !== undefined ? { id } : {}),
          attributes: attrs,
          ...(relationships && Object.keys(relationships).length > 0 ? { relationships } : {}),
        },
      };
    if (document.kind === 'wrapped' && document.requests === 'wrapped') return { [document.key]: attrs };
    return attrs;
  };

  const wrap = (body: unknown): unknown => {
    if (document.kind === 'flat') return body;
    return { [document.kind === 'jsonApi' ? 'data' : document.key]: body };
  };
  const unwrap = (body: unknown): unknown => {
    if (document.kind === 'flat' || !isObject(body)) return body;
    const key = document.kind === 'jsonApi' ? 'data' : document.key;
    return key in body ? body[key] : body;
  };

  const listContainer = (body: unknown): unknown => listContainerOf(api, body);

  const renderItem = (state: SubscriptionState, withSecret: boolean): Record<string, unknown> => {
    const attrs: Record<string, unknown> = {};
    if (document.kind !== 'jsonApi') setPath(attrs, idPath, state.id);
    setPath(attrs, fields.url, state.url);
    for (const option of vendor.subscriptionOptions)
      setPath(attrs, optionPath(api, option), state.options[option.name] ?? null);
    eventsField.write(attrs, state.events);
    const onReads = api.resource.secretOnReads;
    if (state.secret && fields.secret) {
      if (withSecret) setPath(attrs, fields.secret, state.secret);
      else if (onReads.kind === 'redact')
        setPath(attrs, fields.secret, redactSecret(state.secret, api.resource.secretPrefix));
      else if (onReads.kind === 'prefix')
        setPath(attrs, onReads.field, redactSecret(state.secret, api.resource.secretPrefix).replace(/…$/, ''));
    }
    if (fields.active) setPath(attrs, fields.active.path, fields.active.inverted ? !state.active : state.active);
    if (fields.createdAt) setPath(attrs, fields.createdAt, state.createdAt);
    if (expiry && state.expiresAt)
      setPath(attrs, expiry.field.path, writeTimestamp(state.expiresAt, expiry.field.unit));
    for (const [path, value] of fixedFields) setPath(attrs, path, value);
    return document.kind === 'jsonApi' ? { id: state.id, type: document.type, attributes: attrs } : attrs;
  };

  const readRequest = (body: unknown, mode: 'create' | 'update'): RequestRead => {
    const details: Record<string, string> = {};
    let attrs: unknown = body;
    const related: Record<string, unknown> = {};
    if (document.kind === 'jsonApi') {
      const data = isObject(body) ? body.data : undefined;
      if (!isObject(data) || data.type !== document.type) {
        return {
          ok: false,
          message: `Request body must be a JSON:API document {data: {type: "${document.type}", attributes}}.`,
          details: { data: `expected type "${document.type}" with attributes` },
        };
      }
      attrs = data.attributes;
      for (const [option, rel] of relationshipOf) {
        const linkage = isObject(data.relationships) ? data.relationships[rel.name] : undefined;
        if (linkage === undefined) continue;
        const target = isObject(linkage) ? linkage.data : undefined;
        if (isObject(target) && target.type === rel.type && typeof target.id === 'string' && target.id !== '')
          related[option] = target.id;
        else details[`relationships.${rel.name}`] = `must be {data: {type: "${rel.type}", id: "<id>"}}`;
      }
    } else if (document.kind === 'wrapped' && document.requests === 'wrapped') {
      attrs = isObject(body) ? body[document.key] : undefined;
    }
    if (!isObject(attrs)) {
      return { ok: false, message: 'Request body must be a JSON object.', details: { body: 'expected a JSON object' } };
    }
    const value: SubscriptionRequest = { options: { ...related } };
    const url = getPath(attrs, fields.url);
    if (url !== undefined) {
      if (typeof url !== 'string' || url.trim() === '') details[fields.url] = 'must be a non-empty string';
      else value.url = url.trim();
    } else if (mode === 'create') details[fields.url] = 'is required';
    const events = eventsField.readRequest(attrs, details);
    if (events !== undefined) {
      if (events.length > 0) value.events = events;
    } else if (mode === 'create' && !(eventsField.name in details)) details[eventsField.name] = 'is required';
    if (fields.active && !fields.active.readOnly && mode === 'update') {
      const active = getPath(attrs, fields.active.path);
      if (active !== undefined) {
        if (typeof active !== 'boolean') details[fields.active.path] = 'must be true or false';
        else value.active = fields.active.inverted ? !active : active;
      }
    }
    const expiryPath = expiry && requestedExpiryPath(expiry);
    if (expiry && expiryPath && (mode === 'update' ? expiry.renew.kind === 'patch' : expiry.requestedOnCreate)) {
      const raw = getPath(attrs, expiryPath);
      if (raw !== undefined) {
        const at = readTimestamp(raw, expiry.field.unit);
        if (at === undefined) details[expiryPath] = `must be a timestamp (${expiry.field.unit})`;
        else value.expiresAt = at;
      } else if (mode === 'create') details[expiryPath] = 'is required';
    }
    for (const [path, fixed] of fixedFields) {
      const v = getPath(attrs, path);
      if (v !== undefined && v !== fixed) details[path] = `must be ${JSON.stringify(fixed)}`;
    }
    if (fields.secret) {
      const secret = getPath(attrs, fields.secret);
      if (secret !== undefined) {
        if (typeof secret !== 'string' || secret === '') details[fields.secret] = 'must be a non-empty string';
        else value.secret = secret;
      }
    }
    for (const option of vendor.subscriptionOptions) {
      if (relationshipOf.has(option.name)) continue; // read from relationships above
      const path = optionPath(api, option);
      const v = getPath(attrs, path);
      if (v === undefined || v === null) continue;
      const fine =
        option.type === 'string'
          ? typeof v === 'string'
          : option.type === 'boolean'
            ? typeof v === 'boolean'
            : Array.isArray(v) && v.every((x) => typeof x === 'string');
      if (!fine) details[path] = `must be ${option.type === 'string[]' ? 'an array of strings' : `a ${option.type}`}`;
      else value.options[option.name] = v;
    }
    if (Object.keys(details).length > 0) {
      const names = Object.keys(details);
      return {
        ok: false,
        message: `Invalid ${names.join(', ')}: ${names.map((k) => `${k} ${details[k]}`).join('; ')}.`,
        details,
      };
    }
    return { ok: true, value };
  };

  return {
    createBody: ({ url, events, options, secret, expiresAt }) => {
      const attrs: Record<string, unknown> = {};
      const relationships: Record<string, unknown> = {};
      for (const [path, value] of Object.entries(api.resource.createFields ?? {})) setPath(attrs, path, value);
      setPath(attrs, fields.url, url);
      eventsField.write(attrs, events);
      for (const option of vendor.subscriptionOptions) {
        const v = options?.[option.name];
        // An empty filter or label means "not set" on create: the vendor's default applies.
        if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
        const rel = relationshipOf.get(option.name);
        if (rel) relationships[rel.name] = { data: { type: rel.type, id: String(v) } };
        else setPath(attrs, optionPath(api, option), v);
      }
      if (secret !== undefined) setPath(attrs, requireSecretPath(vendor, api), secret);
      if (expiresAt !== undefined && expiry?.requestedOnCreate)
        setPath(attrs, requestedExpiryPath(expiry), writeTimestamp(expiresAt, expiry.field.unit));
      return requestDocument(attrs, undefined, relationships);
    },
    updateBody: (id, { url, events, active, options, secret, expiresAt }) => {
      const attrs: Record<string, unknown> = {};
      setPath(attrs, fields.url, url);
      if (expiresAt !== undefined) {
        if (expiry?.renew.kind !== 'patch')
          throw new TypeError(`${vendor.displayName} subscriptions are not renewed by an update`);
        setPath(attrs, expiry.renew.field, writeTimestamp(expiresAt, expiry.field.unit));
      }
      if (events !== undefined) eventsField.write(attrs, events);
      if (active !== undefined) {
        if (!fields.active || fields.active.readOnly)
          throw new TypeError(`${vendor.displayName} subscriptions cannot be paused or resumed`);
        setPath(attrs, fields.active.path, fields.active.inverted ? !active : active);
      }
      for (const option of vendor.subscriptionOptions) {
        // A relationship is set at create only (JSON:API updates here change attributes).
        if (options && option.name in options && !relationshipOf.has(option.name))
          setPath(attrs, optionPath(api, option), options[option.name]);
      }
      if (secret !== undefined) setPath(attrs, requireSecretPath(vendor, api), secret);
      return requestDocument(attrs, id);
    },
    readSubscription: (body, withSecret) => readItem(resourceIn(body), withSecret),
    listItems: (body) => {
      const container = listContainer(body);
      const at = (key: string | undefined) =>
        key === undefined || key === 'bare' ? container : isObject(container) ? container[key] : undefined;
      const shapes = [listKey, ...(api.list?.readsAlso ?? [])];
      const items = shapes.map(at).find(Array.isArray);
      if (!Array.isArray(items))
        throw new TypeError(
          `expected a list (${listKey === undefined ? 'an array' : `{${listKey}: [...]}`}${document.kind === 'wrapped' && document.lists !== 'flat' ? ` inside {${document.key}}` : ''})`,
        );
      return items;
    },
    rotatedSecret: (body) => {
      if (!fields.secret) return undefined;
      let item: Record<string, unknown>;
      try {
        item = resourceIn(body);
      } catch {
        if (!isObject(body)) return undefined;
        item = body; // "returns a new secret": some answer with the bare secret field
      }
      const attrs = document.kind === 'jsonApi' && isObject(item.attributes) ? item.attributes : item;
      const secret = getPath(attrs, fields.secret);
      return typeof secret === 'string' && secret !== '' ? secret : undefined;
    },
    errorInfo: (body) => readErrorDocument(api.errors, body),
    renderSubscription: (state, withSecret) => wrap(renderItem(state, withSecret)),
    renderList: (states, page) => {
      const items = states.map((s) => renderItem(s, false));
      if (listKey === undefined) return wrap(items);
      const container: Record<string, unknown> = { [listKey]: items };
      const pagination = api.list?.pagination;
      if (pagination?.kind === 'cursor') {
        if ('path' in pagination.next) setPath(container, pagination.next.path, page.next ?? null);
        else setPath(container, pagination.next.hasMore, page.hasMore);
      }
      // One key, not a path: OData's `@odata.nextLink` has a dot in it.
      if (pagination?.kind === 'link' && pagination.bodyKey && page.nextUrl)
        container[pagination.bodyKey] = page.nextUrl;
      return document.kind === 'wrapped' && document.lists !== 'flat' ? { [document.key]: container } : container;
    },
    readRequest,
    renderError: (error) => renderErrorDocument(api.errors, error),
    wrap,
    unwrap,
  };
}

function requireSecretPath(vendor: RestVendor, api: RestApiDefinition): string {
  const path = api.resource.fields.secret;
  if (!path) throw new TypeError(`${vendor.displayName} declares no resource.fields.secret to send a secret in`);
  return path;
}

/** The object holding a list answer's items and paging fields: inside the document wrapper, if any. */
export function listContainerOf(api: RestApiDefinition, body: unknown): unknown {
  const document = api.resource.document;
  if (document.kind !== 'wrapped' || document.lists === 'flat') return body;
  return isObject(body) ? body[document.key] : undefined;
}
