import type { z } from 'zod';
import type { SignatureScheme } from './signature/types.js';

/**
 * Everything hookpack knows about one webhook vendor, as data. The n8n nodes, Zapier apps
 * and the sandbox are all generated from this; none of them holds vendor knowledge itself.
 */
export interface VendorDefinition {
  /** Machine id, lower camel case: `parley`, `parsleyRecipes`. Used in node/app names. */
  id: string;
  displayName: string;
  description: string;
  /** Vendor documentation; only set where the docs name a host (no invented addresses). */
  docsUrl?: string;
  /** How API calls authenticate; `none` for vendors configured by hand in their UI. */
  auth: ApiKeyAuth | ClientCredentialsAuth | NoAuth;
  /** The REST subscription API; absent when the vendor has none (paste-the-URL setup). */
  api?: RestApiDefinition;
  /** For vendors without an API: what the user does in the vendor's UI. */
  manualSetup?: ManualSetup;
  /** Extra options a subscription takes besides url and events (Parley facility_ids…). */
  subscriptionOptions: SubscriptionOption[];
  signature: SignatureDefinition;
  envelope: EnvelopeDefinition;
  events: EventDefinition[];
  delivery: DeliveryPolicy;
  /** A URL-verification handshake the vendor performs before it delivers; absent: none. */
  handshake?: HandshakeDefinition;
}

export interface ApiKeyAuth {
  kind: 'apiKey';
  /** `header`: sent as `<headerName>: <key>`; `bearer`: `Authorization: Bearer <key>`. */
  placement: 'header' | 'bearer';
  headerName?: string;
  /** Documented key prefixes, shown as hints and used to warn on a likely wrong paste. */
  keyPrefixes: string[];
  /** Where the user finds a key, for credential help text. */
  keyHelp: string;
  /** `header` vendors that also take `Authorization: Bearer <key>` (Parsley). */
  bearerAlsoAccepted?: boolean;
}
export interface NoAuth {
  kind: 'none';
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): the app's client id and secret are exchanged at
 * the token endpoint for a short-lived access token, sent as `Authorization: Bearer <token>`
 * (Microsoft Graph app-only access). Clients cache the token until shortly before it expires and
 * fetch a new one once when the API answers 401.
 */
export interface ClientCredentialsAuth {
  kind: 'clientCredentials';
  /** The documented token endpoint; `{name}` placeholders are `fields` of the credential (Graph's `{tenant}`). */
  tokenUrl: string;
  /** The scope to ask for (`https://graph.microsoft.com/.default`). */
  scope: string;
  /** Credential fields the token URL names, besides the client id and secret. */
  fields: AuthField[];
  /** Where the user finds the client id and secret, one sentence for help texts. */
  clientHelp: string;
}

export interface AuthField {
  /** The placeholder in `tokenUrl` and the credential field's name (`tenant`). */
  name: string;
  displayName: string;
  description: string;
  placeholder?: string;
}

export interface ManualSetup {
  /**
   * Where the user adds a webhook in the vendor's UI, one sentence naming the vendor as
   * `displayName` does: "In Parsley Recipes, open Settings → Webhooks and click Add."
   * Integrations add the rest (which URL, the same events, the secret) from the description.
   */
  instructions: string;
  /** The label of the signing-secret field in that form ("Signing Secret"), if it has one. */
  secretField?: string;
  /**
   * For a secret the vendor generates rather than the user choosing it (Slack's app Signing
   * Secret): where the user copies it from, one sentence. Integrations then say to copy it.
   */
  secretHelp?: string;
}

export interface SubscriptionOption {
  /** Key in `SubscriptionInput.options`, also the vendor field name (e.g. `facility_ids`). */
  name: string;
  displayName: string;
  description: string;
  type: 'string' | 'string[]' | 'boolean';
  required?: boolean;
  /** An example value, shown in empty inputs (`production`, `fac_1, fac_2`). */
  placeholder?: string;
  /**
   * For `string[]` filters (Parley facility_ids): dotted paths into an event's data; an event
   * matches a non-empty filter when the value at one of the paths is in the list.
   */
  matchesDataPaths?: string[];
}

/** Verb of the REST client; a vendor implements a subset. */
export type Operation =
  | 'create'
  | 'list'
  | 'get'
  | 'update'
  | 'delete'
  | 'test'
  | 'rotate'
  | 'me'
  /** Turns on signing of a subscription's deliveries (SendGrid's signed-webhook toggle); see `signature.publicKey`. */
  | 'signing'
  /** Reads a subscription's current public key; see `signature.publicKey`. */
  | 'publicKey'
  /** Extends an expiring subscription's lifetime (Airtable's refresh); see `api.expiry`. */
  | 'renew';

export interface EndpointDefinition {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path below baseUrl; `{id}` is replaced by the url-encoded subscription id. */
  path: string;
  /** Query parameters; values may contain `{id}` (ParseFlow deletes with `?id=`). */
  query?: Record<string, string>;
  /** True where the endpoint is not in the vendor's docs but we rely on it (say why in `note`). */
  assumed?: boolean;
  note?: string;
}

/** A subscription as hookpack sees it, whatever the vendor's field names. */
export interface Subscription {
  id: string;
  url: string;
  events: string[];
  /** False when paused or deactivated by the vendor (e.g. after failed deliveries). */
  active: boolean;
  /** Only present when the vendor returned it (create / rotate). */
  secret?: string;
  /**
   * The public key that verifies this subscription's deliveries, for vendors that sign with
   * their private key and hand the public key out through the API (`signature.publicKey`).
   * Not a secret; present after create where the answer (or the signing call) carried it.
   */
  publicKey?: string;
  createdAt?: string;
  /** When the vendor lets it lapse (ISO 8601), for vendors whose subscriptions expire (`api.expiry`). */
  expiresAt?: string;
  /** Vendor-specific options as stored (facility_ids, name…). */
  options: Record<string, unknown>;
  /** The vendor's object, untouched. */
  raw: unknown;
}

export interface SubscriptionInput {
  url: string;
  events: string[];
  options?: Record<string, unknown>;
}

export interface SubscriptionPatch {
  url?: string;
  events?: string[];
  active?: boolean;
  options?: Record<string, unknown>;
  /** A new expiry (ISO 8601), for vendors renewed by `{ kind: 'patch' }`. */
  expiresAt?: string;
}

export interface VendorErrorInfo {
  message?: string;
  /** Field-level validation details, keyed by field name. */
  details?: Record<string, unknown>;
}

export interface RestApiDefinition {
  /** Base URL as the docs show it; users may override it (staging, sandbox). */
  baseUrl: string;
  /**
   * `production` (default): the docs name `baseUrl` as the API's address, so integrations
   * default to it. `example`: the docs only use it in examples (a development deployment), so
   * integrations have no default: they ask for the user's address and show this one's form.
   */
  baseUrlRole?: 'production' | 'example';
  /** Vendor refuses non-HTTPS target URLs. */
  requiresHttpsTarget: boolean;
  /** Vendor honours an `Idempotency-Key` header on mutations (retries of POST are safe). */
  idempotencyKeys: boolean;
  /** Rate limit as documented, for clients and the sandbox. */
  rateLimit?: { requests: number; perSeconds: number };
  /**
   * Media type of request and response bodies (`Content-Type` / `Accept`); default
   * `application/json`. JSON:API vendors say `application/vnd.api+json`. Bodies are JSON either way.
   */
  mediaType?: string;
  endpoints: Partial<Record<Operation, EndpointDefinition>>;
  /**
   * The subscription resource, described once in both directions: core's client builds its
   * request bodies and reads the answers from it, and the sandbox serves the API from it.
   */
  resource: SubscriptionResource;
  /** How a list answer holds its items, and how it pages. */
  list?: ListFormat;
  /** The vendor's error document, read by clients and written by the sandbox. */
  errors: ErrorFormat;
  /** Event types that need a paid plan / credits (Parsley): used to word 403s. */
  paidEvents?: string[];
  /** Event the `test` endpoint sends: a fixed type, or the subscription's first event type. */
  testEvent?: { type: string } | { firstSubscribed: true };
  /** Answer of `me` (the key's identity), as documented; the sandbox serves it. */
  meBody?: Record<string, unknown>;
  /**
   * A free-text label the vendor stores with a subscription and returns on reads (Parlay's
   * `name`): `option` is the subscription option that carries it (read and written at its
   * path in `resource.fields.options`). Integrations write who owns the subscription into it,
   * so a by-URL sweep can prove a subscription is its own before deleting it. Absent →
   * ownership is known only from the integration's own stored state.
   */
  ownerLabel?: { option: string };
  /** Subscriptions lapse after a lifetime unless renewed; absent: they live until deleted. */
  expiry?: ExpiryDefinition;
  /**
   * Declared escape hatch for a document that paths cannot describe. Each function replaces
   * the derived one of the same name, so it must keep both directions in step (the sandbox
   * uses the server-side half). None of the shipped vendors needs it; a vendor that does says
   * why in a comment beside it.
   */
  codec?: Partial<ResourceCodec>;
}

/**
 * An expiring subscription: how long it lives, where the vendor says when it lapses, and how it
 * is renewed. Integrations renew it before it lapses without the user doing anything.
 */
export interface ExpiryDefinition {
  /** The longest lifetime the vendor grants (from create, or from the last renewal). */
  maxLifetimeMs: number;
  /** Where create, read and renew answers carry the expiry: a path into the resource, and its unit. */
  field: { path: string; unit: TimestampUnit };
  /**
   * `endpoint`: a call to the `renew` endpoint extends it (Airtable's refresh), its answer carries
   * the new expiry at `answerPath` (default `field.path`); `patch`: an update sets a new expiry at
   * `field` of the request body; `recreate`: a new subscription is created, then the old one deleted.
   */
  renew: { kind: 'endpoint'; answerPath?: string } | { kind: 'patch'; field: string } | { kind: 'recreate' };
  /** What the vendor does at expiry: deletes it (reads answer 404), or keeps it switched off. */
  afterExpiry: 'delete' | 'disable';
  /**
   * Create asks for its expiry and the vendor refuses a create without one (Microsoft Graph's
   * `expirationDateTime`): clients send a little less than `maxLifetimeMs` from now, at the `patch`
   * renewal's field (else `field.path`), never more than the vendor allows.
   */
  requestedOnCreate?: boolean;
}

export type TimestampUnit = 'iso' | 'unix-seconds' | 'unix-milliseconds';

/**
 * Where a subscription lives in the vendor's documents. Field paths are dotted (`a.b`) and
 * relative to the resource object: the body itself (`flat`), the object under `key`
 * (`wrapped`), or the `attributes` of the JSON:API resource object (`jsonApi`, whose `id` and
 * `type` sit beside `attributes`, as JSON:API has them).
 */
export interface SubscriptionResource {
  document: FlatDocument | WrappedDocument | JsonApiDocument;
  fields: SubscriptionFields;
  /** Prefix of subscription ids the vendor issues (`wh_`, `sub_`); the sandbox issues these. */
  idPrefix: string;
  /** Prefix of signing secrets (`whsec_`); vendor-issued secrets carry it. */
  secretPrefix: string;
  /**
   * What reads (get, list, update answers) show in place of the secret after create: nothing,
   * a redacted value (`whsec_9f8e…`), or only its prefix under another field (Parsley's list).
   * Clients never take a secret from a read; only create (and rotate) answers carry it.
   */
  secretOnReads: { kind: 'omit' } | { kind: 'redact' } | { kind: 'prefix'; field: string };
  /**
   * Fixed fields every create request carries, by path, where hookpack has no input for them
   * (SendGrid's `enabled: true`, else the webhook is created switched off; Shopify's
   * `format: "json"`: hookpack reads JSON deliveries only). Reads show them and the sandbox refuses
   * another value, except for a path that is also the on/off field, which follows the state.
   */
  createFields?: Record<string, string | number | boolean>;
  /**
   * How many events one subscription carries. `many` (default): a list at `fields.events`.
   * `one`: a single event type, a string at `fields.events` (Shopify's `topic`), so a trigger on
   * k events owns k subscriptions; the client's `subscribe` creates them all or none.
   */
  eventsPerSubscription?: 'many' | 'one';
}

export interface FlatDocument {
  kind: 'flat';
}
/** Parley: `{data: {...}}` around every answer; `requests` says whether request bodies are wrapped too. */
export interface WrappedDocument {
  kind: 'wrapped';
  key: string;
  requests: 'wrapped' | 'flat';
  /**
   * Where list answers put `list.key`: inside the wrapper (default, Parley's `{data: [...]}`), or
   * at the top level (`flat`: Shopify wraps one webhook as `{webhook: {…}}`, a list as `{webhooks: [...]}`).
   */
  lists?: 'wrapped' | 'flat';
}
/** JSON:API: `{data: {id, type, attributes}}` both ways; lists are `{data: [...]}`. */
export interface JsonApiDocument {
  kind: 'jsonApi';
  /** The resource `type` (`webhook_endpoints`). */
  type: string;
  /**
   * Subscription options a create request carries as a to-one relationship, not an attribute,
   * by relationship name: `{ store: { option: 'store_id', type: 'stores' } }` sends
   * `relationships: {store: {data: {type: 'stores', id: "<store_id>"}}}`. Answers are read as
   * usual (the option at its attribute path, `fields.options`); updates do not send it.
   */
  relationships?: Record<string, JsonApiRelationship>;
}
export interface JsonApiRelationship {
  /** The subscription option whose value is the related resource's id. */
  option: string;
  /** The related resource's `type` (`stores`). */
  type: string;
}

export interface SubscriptionFields {
  /** Default `id`. Not for `jsonApi`, whose id is the resource object's. */
  id?: string;
  url: string;
  /** Path of the list of event types. Absent when the vendor selects events by `eventFlags`. */
  events?: string;
  /**
   * The list at `events` is one string, its types joined by this separator (Microsoft Graph's
   * `changeType: "created,updated"`). Reads split it and drop blanks; writes join it.
   */
  eventsJoinedBy?: string;
  /**
   * Events selected by boolean fields instead of a list (SendGrid: `delivered: true, open:
   * false, …`), by event type → field path. A subscription's events are the types whose field
   * is true; create sends every listed field (true or false), updates of events too.
   */
  eventFlags?: Record<string, string>;
  /**
   * Where the signing secret travels: in the create (and rotate) answer for vendor-issued
   * secrets, in the create request for client-chosen ones. Absent: the API never carries it.
   */
  secret?: string;
  createdAt?: string;
  /**
   * The on/off state. `inverted`: the field means "off" (Parlay's `paused`). `readOnly`: the
   * vendor shows it but an update cannot set it. Absent: subscriptions are always active and
   * cannot be paused. A missing value in an answer reads as active.
   */
  active?: { path: string; inverted?: boolean; readOnly?: boolean };
  /** Paths of subscription options, by option name; an option not listed uses its name as path. */
  options?: Record<string, string>;
}

/** Lists: items in a bare array, or under `key` (inside the document wrapper, if any). */
export interface ListFormat {
  /** Absent → a bare array (for `jsonApi`: always `data`). */
  key?: string;
  /**
   * Where the docs do not show the list: other shapes a client also accepts (`'bare'` for an
   * array, or a key). The sandbox serves the first one, `key`.
   */
  readsAlso?: Array<'bare' | string>;
  pagination?: Pagination;
  /**
   * Query parameters that narrow a list to the subscriptions with one option's value, by
   * option name (Lemon Squeezy's `{ store_id: 'filter[store_id]' }`). Lookups by URL made for a
   * create send the create's option values, so they read one store's pages, not the account's.
   */
  filters?: Record<string, string>;
}

/** How a list pages; every reader stops after `maxPages` (default 50) and says so. */
export type Pagination = PageNumberPagination | CursorPagination | LinkHeaderPagination;

interface PaginationBase {
  /** Query parameter carrying the page size, when the vendor takes one. */
  sizeParam?: string;
  /** Page size to ask for (and the size the sandbox serves). */
  pageSize: number;
  maxPages?: number;
}
/** `?page=2`: the last page is the first one with fewer than `pageSize` items. */
export interface PageNumberPagination extends PaginationBase {
  kind: 'page';
  param: string;
  /** First page number (default 1). */
  firstPage?: number;
}
/**
 * `?cursor=…`: the next cursor is at `next` in the list body (empty/null/absent: last page), or,
 * Stripe style, the last item's id when the boolean at `hasMore` is true.
 */
export interface CursorPagination extends PaginationBase {
  kind: 'cursor';
  param: string;
  next: { path: string } | { lastItemId: true; hasMore: string };
}
/** RFC 8288 `Link: <…>; rel="next"` header, followed on the same origin only. */
export interface LinkHeaderPagination extends PaginationBase {
  kind: 'link';
  /**
   * Query parameter of the next-page link, for servers (the sandbox): an opaque cursor in it
   * (Shopify's `page_info`). Absent: a page number in `page`. Clients follow the link as given.
   */
  cursorParam?: string;
  /**
   * The next page's URL is in the list answer under this key, not in a `Link` header (OData's
   * `@odata.nextLink`, Microsoft Graph). One key, dots and all; absent on the last page.
   */
  bodyKey?: string;
}

/**
 * The error document. `object`: message and field details at paths (`error`,
 * `error.message`), plus fixed or per-status fields; `jsonApi`: `{errors: [{status, title,
 * detail, source: {pointer}}]}`.
 */
export type ErrorFormat = ObjectErrorFormat | JsonApiErrorFormat | ListErrorFormat;
export interface ObjectErrorFormat {
  kind: 'object';
  message: string;
  details?: string;
  /** Path of the first detail's field name (Stripe's `error.param`). */
  param?: string;
  /** Path of an error type chosen by status (Stripe's `error.type`); `default` otherwise. */
  type?: { path: string; byStatus: Record<number, string>; default: string; server?: string };
  /** Status of a validation error (default 400). */
  validationStatus?: number;
  /** Each field detail is a list of messages (Rails style: `{errors: {address: ["can't be blank"]}}`). */
  detailsAsLists?: boolean;
}
/**
 * A list of error objects under `key`, each with a message and the field it is about
 * (SendGrid: `{errors: [{field, message}]}`); messages are joined, fields become details.
 */
export interface ListErrorFormat {
  kind: 'list';
  key: string;
  /** Path of the message inside one error object. */
  message: string;
  /** Path of the field name inside one error object (null/absent for errors about no field). */
  field?: string;
  /** Status of a validation error (default 400). */
  validationStatus?: number;
}
export interface JsonApiErrorFormat {
  kind: 'jsonApi';
  /** Status of a validation error (default 422). */
  validationStatus?: number;
}

/** A subscription as the server side holds it; the sandbox's records carry at least this. */
export interface SubscriptionState {
  id: string;
  url: string;
  events: string[];
  options: Record<string, unknown>;
  secret: string | null;
  active: boolean;
  createdAt: string;
  /** ISO 8601; present for vendors whose subscriptions expire. */
  expiresAt?: string;
}

export interface ErrorDocumentInput {
  status: number;
  message: string;
  /** Field-level validation details, keyed by the vendor's field name. */
  details?: Record<string, string>;
}

/** A request body as the server side reads it (create requires url and events). */
export interface SubscriptionRequest {
  url?: string;
  events?: string[];
  active?: boolean;
  /** Client-chosen secret sent with create (or rotation by update). */
  secret?: string;
  /** A new expiry (ISO 8601) sent with an update, for vendors renewed by `{ kind: 'patch' }`. */
  expiresAt?: string;
  options: Record<string, unknown>;
}

export type RequestRead =
  { ok: true; value: SubscriptionRequest } | { ok: false; message: string; details: Record<string, string> };

/**
 * Everything derived from `RestApiDefinition.resource`, `list` and `errors`: the client half
 * and the server half. `@hookpack/core` derives it (`resourceCodec`); a vendor may replace
 * single functions through `codec`.
 */
export interface ResourceCodec {
  /** `expiresAt`: the expiry create asks for (`api.expiry.requestedOnCreate`). */
  createBody(input: SubscriptionInput & { secret?: string; expiresAt?: string }): Record<string, unknown>;
  updateBody(id: string, patch: SubscriptionPatch & { secret?: string }): Record<string, unknown>;
  /** A vendor answer → Subscription; `withSecret` for create/rotate answers. Throws on a body it does not recognise. */
  readSubscription(body: unknown, withSecret: boolean): Subscription;
  /** One page of a list answer → its items (still vendor objects). */
  listItems(body: unknown): unknown[];
  /** The new secret in a rotate answer. */
  rotatedSecret(body: unknown): string | undefined;
  errorInfo(body: unknown): VendorErrorInfo;
  // Server side (the sandbox):
  renderSubscription(state: SubscriptionState, withSecret: boolean): unknown;
  /** `nextUrl`: the next page's URL, for `link` paging that carries it in the body (`bodyKey`). */
  renderList(items: SubscriptionState[], page: { next?: string; hasMore: boolean; nextUrl?: string }): unknown;
  readRequest(body: unknown, mode: 'create' | 'update'): RequestRead;
  renderError(error: ErrorDocumentInput): unknown;
  /** Wraps any other answer (test, me) the way the vendor wraps documents. */
  wrap(body: unknown): unknown;
  unwrap(body: unknown): unknown;
}

export interface SignatureDefinition {
  scheme: SignatureScheme;
  /** False where the vendor lets the user leave the secret empty (Parsley Recipes). */
  secretRequired: boolean;
  /**
   * Who holds the signing secret: `subscription` — the vendor issues it and returns it once, in
   * the create (and rotate) answer; `client` — hookpack chooses it at create (see
   * `clientSecret`) and sends it in `resource.fields.secret`; `user` — entered by the user,
   * as set in the vendor's UI; `app` — the app's own secret (Shopify's client secret), entered
   * once in the credential, the same for every subscription and never carried by the API (see
   * `appSecret`).
   */
  secretSource: 'subscription' | 'client' | 'user' | 'app';
  /** For `app`: how integrations ask for the app's secret. */
  appSecret?: AppSecretField;
  /** For `client`: the secret hookpack generates. */
  clientSecret?: ClientSecretRule;
  /**
   * How the secret is replaced: `endpoint` — the `rotate` endpoint answers with a new one;
   * `update` — a client-chosen secret is sent again through `update`; `none`.
   * Default: `endpoint` when there is a rotate endpoint, else `none`.
   */
  rotation?: 'endpoint' | 'update' | 'none';
  /**
   * For public-key schemes (`scheme.kind === 'public-key'`): where a verifier gets the vendor's
   * public key. Required for them, refused for the others.
   */
  publicKey?: PublicKeySource;
}

/**
 * `api`: each subscription has its own key pair and the API hands out the public key — in the
 * answer of the `signing` call that turns signing on after create (when the vendor needs that
 * call), and from the `publicKey` endpoint at any time. Verifiers cache it and fetch it once
 * more when a signature fails (the vendor may have replaced the key). `user`: the user copies
 * the key from the vendor's UI into the credential (one key for the account or app).
 */
export type PublicKeySource = ApiPublicKey | UserPublicKey;

export interface ApiPublicKey {
  source: 'api';
  /** Path of the key in the answers of the `signing` and `publicKey` endpoints (`public_key`). */
  keyPath: string;
  /** Body of the `signing` call that turns signing on (`{ enabled: true }`); required with that endpoint. */
  enableBody?: Record<string, unknown>;
  /** How long a fetched key is used before it is fetched again. Default 1 hour. */
  maxAgeMs?: number;
}

export interface UserPublicKey {
  source: 'user';
  /** Where the user finds the key in the vendor's UI, for the credential's help text. */
  help: string;
}

export interface AppSecretField {
  /** The vendor's name for it, as a field label: "Client Secret", "API Secret Key". */
  label: string;
  /** Where the user finds it, one sentence for the credential's help text. */
  help: string;
}

export interface ClientSecretRule {
  /** Characters after the prefix. */
  length: number;
  alphabet: 'hex' | 'alphanumeric' | 'base64url';
  /** Fixed prefix the vendor expects (`whsec_`), if any. */
  prefix?: string;
}

/** How deliveries are wrapped, and how to turn one into a WebhookEvent. */
export interface EnvelopeDefinition {
  /**
   * zod schema of one event's envelope (the payload inside stays open: types evolve). For a
   * batch vendor, of each element of the batch.
   */
  schema: z.ZodType;
  /**
   * One request carries many events: the body is a JSON array of envelopes, or an object with
   * the array under `key`. The signature covers the whole body (verified once); each event then
   * has its own dedupe key, so a redelivered batch that partly overlaps runs only the new ones.
   * Absent: one envelope per request.
   */
  batch?: { kind: 'array' } | { kind: 'key'; key: string };
  /**
   * Where the parts of a WebhookEvent sit, as data; `read` and `build` derived from it by
   * `envelopeFields(paths)` (core). Absent only where a vendor writes `read`/`build` by hand (an
   * escape hatch: say why in the module).
   */
  fields?: EnvelopePaths;
  /** Parsed, schema-valid body → the parts of a WebhookEvent the envelope carries. */
  read(body: any): EnvelopeFields;
  /** Build a delivery body (the sandbox sends these). */
  build(fields: BuildFields): Record<string, unknown>;
}

/** Dotted paths of a WebhookEvent's parts in one envelope (`meta.event_name`, `created_at`). */
export interface EnvelopePaths {
  type: string;
  data: string;
  /** The event id; absent when the vendor sends none (dedupe then follows `delivery.dedupe`). */
  id?: string;
  /** ISO-8601 string at a path, or a Unix time in seconds / milliseconds. Absent: unknown (null). */
  createdAt?: string | { path: string; unit: TimestampUnit };
  livemode?: string;
  /** Fields every envelope carries with a fixed value (`object: "event"`): written, never read. */
  constants?: Record<string, unknown>;
}

export interface EnvelopeFields {
  id?: string;
  type: string;
  createdAt: string | null;
  data: unknown;
  livemode?: boolean;
}

export interface BuildFields {
  id: string;
  type: string;
  createdAt: string;
  data: unknown;
  livemode: boolean;
}

export interface EventDefinition {
  /** Vendor event type, exactly as sent. */
  type: string;
  /** Zapier-style title: "New Violation", "Case Updated". */
  displayName: string;
  /** "…when <this>": a lower-case clause, e.g. "a new violation is recorded for a watched facility". */
  description: string;
  /** zod schema of the event's `data` (payload). */
  schema: z.ZodType;
  /** A realistic payload that parses with `schema`. */
  sample: Record<string, unknown>;
  /** True when the vendor's docs do not specify the payload and we designed it. */
  designedPayload?: boolean;
  /** Requires a paid plan or credits (Parsley's high-signal events). */
  paid?: boolean;
}

export interface RetryHeaders {
  number: string;
  reason?: { header: string; timeout: string; httpError: string; connectionFailed: string };
}

/**
 * `eventId`: the envelope's event id; `deliveryId`: a stable delivery-id header; `bodyHash`: a
 * digest of the raw body (of a batch element's JSON): the same bytes again are a redelivery,
 * so two distinct events with identical bodies count as one.
 */
export type DedupeSource = 'eventId' | 'deliveryId' | 'bodyHash';

export interface DeliveryPolicy {
  /** Per-attempt timeout the vendor documents. */
  timeoutMs: number;
  /** Delays before retry 1, 2, … after a failed first attempt. */
  retryDelaysMs: number[];
  /** What happens after the last retry fails. */
  afterRetries: 'drop' | 'deactivate' | 'mark-failing';
  /** Consecutive failed deliveries after which the vendor deactivates the subscription. */
  deactivateAfterConsecutiveFailures?: number;
  /** Disabled after failing for this long (ParseFlow: 3 days). */
  deactivateAfterFailingForMs?: number;
  /** Headers the vendor always sends (User-Agent…), besides signature/event/delivery. */
  staticHeaders: Record<string, string>;
  /** Header carrying the event type (X-Parlay-Event…), if any. */
  eventHeader?: string;
  /** Header carrying the delivery id (X-ParseFlow-Delivery…), if any. */
  deliveryIdHeader?: string;
  /** True when the delivery id is the same on every retry, so it can serve as dedupe key. */
  deliveryIdIsStable: boolean;
  /**
   * Headers only retries carry (Slack's `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`): `number`
   * holds the retry's number (1 for the first retry); `reason` why the attempt before failed, in
   * the vendor's words for a timeout, a non-2xx answer and a connection that failed.
   */
  retryHeaders?: RetryHeaders;
  /**
   * What identifies a redelivery, in order of preference: the envelope's event id, the
   * delivery-id header (only where it is stable), or a digest of the raw body. Default:
   * `['eventId', 'deliveryId', 'bodyHash']`, skipping `deliveryId` unless it is stable.
   * `[]`: nothing identifies a redelivery (events carry no id and equal bodies are distinct
   * events): every delivery runs, and integrations say so where their redelivery check is set.
   */
  dedupe?: DedupeSource[];
  /** Paused subscriptions queue events for this long, then drop them (Parlay: 24 h). */
  pauseQueueMs?: number;
}

// ── URL-verification handshakes ────────────────────────────────────────────────────────────

/**
 * The vendor proves that a target URL wants its deliveries: it calls the URL once with a
 * challenge, and the receiver must echo the challenge within `deadlineMs`. Integrations answer it
 * (core's `answerHandshake`), never run a workflow for it, and the sandbox performs it.
 */
export interface HandshakeDefinition {
  /** Method of the verification request. Default `POST` (deliveries are POSTs too). */
  method?: 'GET' | 'POST';
  /** What tells the verification request apart from a delivery. */
  recognise: HandshakeMarker;
  /** Where the challenge is: a query parameter, or a dotted path into the JSON body. */
  challenge: { in: 'query' | 'body'; name: string };
  /** The answer, status 200: the challenge as `text/plain`, or a JSON object `{ [key]: challenge }`. */
  answer: { format: 'text' } | { format: 'json'; key: string };
  /** The request carries the same signature as deliveries: verify it before answering. */
  signed: boolean;
  /**
   * `during-create`: the vendor calls the URL while the create request waits, and answers create
   * only once the handshake succeeded (Microsoft Graph). `after-create`: create answers first and
   * the subscription stays unverified until the handshake succeeds (Twitch EventSub); for vendors
   * without an API, after the user saved the URL in the vendor's UI.
   */
  timing: 'during-create' | 'after-create';
  /** How long the vendor waits for the answer. */
  deadlineMs: number;
  /**
   * What the vendor says when the handshake fails: for `during-create`, the create call's error
   * (status and message, in the vendor's error document); for `after-create`, the subscription is
   * left switched off and `message` is the reason its reads give.
   */
  failure: { status: number; message: string };
}

/**
 * `query`: a query parameter is present (Graph's `validationToken`); `header`: a header has this
 * value (Twitch's `Twitch-Eventsub-Message-Type: webhook_callback_verification`); `bodyField`: the
 * JSON body has this value at a dotted path (Slack's `type: "url_verification"`).
 */
export type HandshakeMarker =
  { query: string } | { header: string; value: string } | { bodyField: string; value: string };
