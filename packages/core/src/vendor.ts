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
  auth: ApiKeyAuth | NoAuth;
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

export interface ManualSetup {
  /** Steps shown to the user, e.g. "In Parsley → Settings → Webhooks, click Add …". */
  instructions: string;
}

export interface SubscriptionOption {
  /** Key in `SubscriptionInput.options`, also the vendor field name (e.g. `facility_ids`). */
  name: string;
  displayName: string;
  description: string;
  type: 'string' | 'string[]' | 'boolean';
  required?: boolean;
  /**
   * For `string[]` filters (Parley facility_ids): dotted paths into an event's data; an event
   * matches a non-empty filter when the value at one of the paths is in the list.
   */
  matchesDataPaths?: string[];
}

/** Verb of the REST client; a vendor implements a subset. */
export type Operation = 'create' | 'list' | 'get' | 'update' | 'delete' | 'test' | 'rotate' | 'me';

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
  createdAt?: string;
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
}

export interface VendorErrorInfo {
  message?: string;
  /** Field-level validation details, keyed by field name. */
  details?: Record<string, unknown>;
}

export interface RestApiDefinition {
  /** Documented production base URL; users may override it (staging, sandbox). */
  baseUrl: string;
  /** Vendor refuses non-HTTPS target URLs. */
  requiresHttpsTarget: boolean;
  /** Vendor honours an `Idempotency-Key` header on mutations (retries of POST are safe). */
  idempotencyKeys: boolean;
  /** Rate limit as documented, for clients and the sandbox. */
  rateLimit?: { requests: number; perSeconds: number };
  endpoints: Partial<Record<Operation, EndpointDefinition>>;
  /**
   * Vendor object → Subscription (after unwrapping a `{data}` wrapper, if any). May throw on
   * an object it does not recognise (e.g. a zod parse): the client reports that as an
   * `invalid_response` error naming the operation, never as a crash.
   */
  toSubscription(raw: unknown): Subscription;
  /** Unwrap a response body (Parley: `{data: …}`). Identity when absent. */
  unwrap?(body: unknown): unknown;
  /** Lists come back as an array, or inside a wrapper; returns the array. */
  listItems?(body: unknown): unknown[];
  createBody(input: SubscriptionInput): Record<string, unknown>;
  updateBody(patch: SubscriptionPatch): Record<string, unknown>;
  /**
   * The new secret in a `rotate` response (after `unwrap`). Absent → the client reads
   * `toSubscription(body).secret`, for vendors that answer with the whole subscription.
   */
  rotatedSecret?(body: unknown): string | undefined;
  /** Pull the vendor's error message and field details out of an error body. */
  errorInfo(body: unknown): VendorErrorInfo;
  /** Event types that need a paid plan / credits (Parsley): used to word 403s. */
  paidEvents?: string[];
  /**
   * A free-text label the vendor stores with a subscription and returns on reads (Parlay's
   * `name`): `option` is the subscription option that carries it. Integrations write who owns
   * the subscription into it, so a by-URL sweep can prove a subscription is its own before
   * deleting it. Absent → ownership is known only from the integration's own stored state.
   */
  ownerLabel?: { option: string };
  /**
   * The API seen from the server side (the opposite direction of createBody/toSubscription),
   * so a server can speak it from this definition alone: the hookpack sandbox uses it.
   */
  wire?: WireFormat;
}

/** Vendor field names of a subscription object; requests and responses use the same names. */
export interface WireFieldNames {
  id: string;
  url: string;
  events: string;
  secret: string;
  createdAt: string;
  /** Field holding the on/off state (`is_active`, `active`, `paused`, `isActive`). */
  active: string;
  /** True when the field means "off" (Parlay's `paused: true`). */
  activeInverted?: boolean;
}

export interface WireError {
  status: number;
  message: string;
  /** Field-level validation details, keyed by the vendor's field name. */
  details?: Record<string, string>;
}

export interface WireFormat {
  fields: WireFieldNames;
  /** Prefix of subscription ids (`wh_`, `sub_`). */
  idPrefix: string;
  /** Prefix of generated signing secrets (`whsec_`). */
  secretPrefix: string;
  /**
   * What reads (get, list) show in place of the secret after create: nothing, a redacted
   * value (`whsec_9f8e…`), or only its prefix under another field (Parsley's list).
   */
  secretOnReads: { kind: 'omit' } | { kind: 'redact' } | { kind: 'prefix'; field: string };
  /** Every response body is wrapped as `{<key>: …}` (Parley: `data`). */
  responseWrapper?: string;
  /** Lists come as `{<key>: [...]}`; absent → a bare array (inside `responseWrapper`, if any). */
  listKey?: string;
  /** The vendor's error body for a status and message. */
  errorBody(error: WireError): unknown;
  /** Event the `test` endpoint sends: a fixed type, or the subscription's first event type. */
  testEvent?: { type: string } | { firstSubscribed: true };
  /** Answer of `me` (the key's identity), as documented. */
  meBody?: Record<string, unknown>;
}

export interface SignatureDefinition {
  scheme: SignatureScheme;
  /** False where the vendor lets the user leave the secret empty (Parsley Recipes). */
  secretRequired: boolean;
  /** Where the secret comes from, for help text. */
  secretSource: 'subscription' | 'user';
}

/** How deliveries are wrapped, and how to turn one into a WebhookEvent. */
export interface EnvelopeDefinition {
  /** zod schema of the whole delivery body (the payload inside stays open: types evolve). */
  schema: z.ZodType;
  /** Parsed, schema-valid body → the parts of a WebhookEvent the envelope carries. */
  read(body: any): EnvelopeFields;
  /** Build a delivery body (the sandbox sends these). */
  build(fields: BuildFields): Record<string, unknown>;
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
  /** Paused subscriptions queue events for this long, then drop them (Parlay: 24 h). */
  pauseQueueMs?: number;
}
