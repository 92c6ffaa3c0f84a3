import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  generateSigningKeyPair,
  mediaTypeOf,
  publicKeyOf,
  setPath,
  resourceCodec,
  secretRuleProblem,
  validationStatusOf,
  type EndpointDefinition,
  type Operation,
  type ResourceCodec,
  type RestApiDefinition,
  type VendorDefinition,
} from '@hookpack/core';
import { BodyTooLargeError, header, isLoopbackUrl, parseJson, readBody, safeEqual, sendJson } from './http-util.js';
import { IdempotencyCache } from './idempotency.js';
import { RateLimiter } from './rate-limit.js';
import { MAX_SUBSCRIPTIONS, type Store, type SubscriptionRecord } from './state.js';
import { pageOf } from './pages.js';
import { performHandshake } from './handshake.js';
import type { DeliveryEngine, FireResult } from './delivery.js';
import type { FaultInjector, InjectedFault } from './faults.js';
import {
  grantedExpiry,
  grantedRequest,
  lapseExpired,
  latestAllowedExpiry,
  renewAnswer,
  type ExpiryClock,
} from './expiry.js';
import { requestedExpiryPath } from '@hookpack/core';
import { TokenIssuer } from './client-credentials.js';

export interface RestContext {
  store: Store;
  engine: DeliveryEngine;
  /** Enforce the vendor's HTTPS-only target rule for loopback URLs too. */
  strictHttps: boolean;
  rateLimits: boolean;
  /** Sends an event to the given subscriptions (the /test endpoint). */
  fireTo(vendor: VendorDefinition, type: string, subs: SubscriptionRecord[]): FireResult;
  onChange(): void;
  faults: FaultInjector;
  /** The clock expiring subscriptions live by. */
  clock: ExpiryClock;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The subscription a create made: its URL is verified where the vendor declares a handshake. */
  created?: SubscriptionRecord;
}

class VendorHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Path under the vendor prefix: the documented base URL's path (`/api/v1` for Parsley). */
export function basePathOf(vendor: VendorDefinition): string {
  return vendor.api ? new URL(vendor.api.baseUrl).pathname.replace(/\/+$/, '') : '';
}

/** Serves one vendor's REST API, as interpreted from its VendorDefinition. */
export class VendorApi {
  private readonly limiter: RateLimiter | undefined;
  private readonly idempotency = new IdempotencyCache();
  /** The token endpoint, for a client-credentials vendor. */
  private readonly tokens: TokenIssuer | undefined;
  readonly basePath: string;
  private readonly api: RestApiDefinition;
  private readonly codec: ResourceCodec;
  private readonly mediaType: string;

  constructor(
    readonly vendor: VendorDefinition,
    private readonly ctx: RestContext,
  ) {
    if (!vendor.api) throw new Error(`${vendor.displayName} has no REST API for the sandbox to serve`);
    this.api = vendor.api;
    this.codec = resourceCodec(vendor); // fail at startup, not on the first request
    this.mediaType = mediaTypeOf(vendor.api);
    const rl = vendor.api?.rateLimit;
    this.limiter = rl ? new RateLimiter(rl.requests, rl.perSeconds * 1000) : undefined;
    this.basePath = basePathOf(vendor);
    this.tokens = vendor.auth.kind === 'clientCredentials' ? new TokenIssuer(vendor) : undefined;
  }

  reset(): void {
    this.limiter?.reset();
    this.idempotency.clear();
  }

  /**
   * `path` is below the vendor prefix (`/v1/webhooks/wh_1`). `note.fault` is set when a fault
   * of the spec hit this request (the request log records it).
   */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
    note: { fault?: InjectedFault } = {},
  ): Promise<void> {
    const extraHeaders: Record<string, string> = {};
    // A fault that lets the vendor act but loses the answer: after the work, drop the connection.
    let dropAnswerAfterMs: number | undefined;
    const answer = async (status: number, body: unknown, headers: Record<string, string>): Promise<void> => {
      if (dropAnswerAfterMs !== undefined) {
        await holdFor(dropAnswerAfterMs, res);
        res.destroy();
        return;
      }
      sendJson(res, status, body, headers, this.mediaType);
    };
    try {
      if (this.tokens?.isTokenPath(req.method ?? 'GET', path)) {
        const account = this.ctx.store.ensureAccount(this.vendor);
        const revoked = this.ctx.faults.isRevoked(this.vendor.id);
        if (revoked) this.tokens.revokeAll();
        const reply = this.tokens.answer((await readBody(req)).toString('utf8'), account.apiKey, revoked);
        sendJson(res, reply.status, reply.body, {}, 'application/json');
        return;
      }
      const inPrefix = path.startsWith(this.basePath + '/') || path === this.basePath;
      let route: { op: Operation; id?: string } | undefined;
      let routeError: unknown;
      if (inPrefix) {
        try {
          route = this.route(req.method ?? 'GET', path.slice(this.basePath.length) || '/', query);
        } catch (e) {
          routeError = e;
        }
      }
      const injected = route ? this.ctx.faults.decide(this.vendor.id, route.op) : undefined;
      if (injected) {
        note.fault = injected.record;
        const action = injected.action;
        switch (action.kind) {
          case 'server-error':
            if (action.retryAfterSeconds !== undefined) extraHeaders['Retry-After'] = String(action.retryAfterSeconds);
            throw new VendorHttpError(
              action.status,
              `${STATUS_TEXT[action.status] ?? 'Server error'} (sandbox fault).`,
            );
          case 'rate-limit':
            extraHeaders['Retry-After'] = String(action.retryAfterSeconds);
            throw new VendorHttpError(
              429,
              `Rate limit exceeded. Retry after ${action.retryAfterSeconds} s (sandbox fault).`,
            );
          case 'timeout':
            if (action.perform) {
              dropAnswerAfterMs = action.holdMs;
              break;
            }
            await holdFor(action.holdMs, res);
            res.destroy();
            return;
          case 'reset-after-store':
            dropAnswerAfterMs = 0;
            break;
          case 'slow':
            await holdFor(action.delayMs, res);
            if (res.destroyed) return;
            break;
          case 'revoke-key':
            break; // the key check below now fails
        }
      }
      const account = this.ctx.store.ensureAccount(this.vendor);
      if (!this.authorized(req, account.apiKey)) throw new VendorHttpError(401, this.authMessage(req));
      if (this.limiter && this.ctx.rateLimits) {
        const r = this.limiter.take(account.apiKey);
        extraHeaders['X-RateLimit-Limit'] = String(this.limiter.limit);
        extraHeaders['X-RateLimit-Remaining'] = String(r.remaining);
        if (!r.allowed) {
          extraHeaders['Retry-After'] = String(r.retryAfterSeconds);
          throw new VendorHttpError(
            429,
            `Rate limit exceeded: ${this.limiter.limit} requests per ${this.limiter.windowMs / 1000} seconds. Retry after ${r.retryAfterSeconds} s.`,
          );
        }
      }
      if (!inPrefix) throw new VendorHttpError(404, `No route ${req.method} ${path}.`);
      if (!route) throw routeError;
      const send = (reply: Reply, headers: Record<string, string>) =>
        answer(reply.status, reply.body, { ...headers, ...reply.headers });
      const raw = await readBody(req);
      const idemKey =
        this.vendor.api?.idempotencyKeys && req.method !== 'GET' ? header(req, 'idempotency-key') : undefined;
      if (idemKey) {
        const fingerprint = `${req.method} ${path}?${query.toString()} ${raw.toString('base64')}`;
        const stored = this.idempotency.get(idemKey);
        if (stored) {
          if (stored.fingerprint !== fingerprint) {
            throw new VendorHttpError(
              400,
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
              { 'Idempotency-Key': 'reused with different parameters' },
            );
          }
          await send(stored, { ...extraHeaders, 'Idempotent-Replayed': 'true' });
          return;
        }
        const reply = await this.verifiedCreate(this.perform(route.op, route.id, raw, query, req));
        // Like Stripe, only answers that did something are replayed; errors can be retried.
        if (reply.status < 400) this.idempotency.set(idemKey, { fingerprint, status: reply.status, body: reply.body });
        await send(reply, extraHeaders);
        this.verifyAfterCreate(reply);
        return;
      }
      const reply = await this.verifiedCreate(this.perform(route.op, route.id, raw, query, req));
      await send(reply, extraHeaders);
      this.verifyAfterCreate(reply);
    } catch (e) {
      const err =
        e instanceof VendorHttpError
          ? e
          : e instanceof BodyTooLargeError
            ? new VendorHttpError(413, 'Request body too large.')
            : new VendorHttpError(500, `Internal sandbox error: ${(e as Error).message}`);
      const body = this.codec.renderError({
        status: err.status,
        message: err.message,
        ...(err.details ? { details: err.details } : {}),
      });
      await answer(err.status, body, extraHeaders);
    }
  }

  private authorized(req: IncomingMessage, apiKey: string): boolean {
    const auth = this.vendor.auth;
    const bearer = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1]?.trim();
    if (auth.kind === 'clientCredentials') {
      if (this.ctx.faults.isRevoked(this.vendor.id)) this.tokens!.revokeAll();
      return this.tokens!.accepts(bearer);
    }
    if (auth.kind !== 'apiKey') return true;
    const candidates: (string | undefined)[] = [];
    if (auth.placement === 'bearer') candidates.push(bearer);
    else {
      candidates.push(header(req, auth.headerName ?? 'X-API-Key')?.trim());
      if (auth.bearerAlsoAccepted) candidates.push(bearer);
    }
    if (this.ctx.faults.isRevoked(this.vendor.id)) return false;
    return candidates.some((c) => c !== undefined && safeEqual(c, apiKey));
  }

  private authMessage(req: IncomingMessage): string {
    const auth = this.vendor.auth;
    if (auth.kind === 'clientCredentials')
      return header(req, 'authorization')
        ? 'Access token is invalid or expired.'
        : 'Missing access token: send Authorization: Bearer <token> from the token endpoint.';
    if (auth.kind !== 'apiKey') return 'Unauthorized.';
    const where =
      auth.placement === 'bearer' ? 'Authorization: Bearer <key>' : `${auth.headerName ?? 'X-API-Key'}: <key>`;
    const sent =
      auth.placement === 'bearer' ? header(req, 'authorization') : header(req, auth.headerName ?? 'X-API-Key');
    return sent ? 'Invalid or revoked API key.' : `Missing API key: send it as ${where}.`;
  }

  private route(method: string, path: string, query: URLSearchParams): { op: Operation; id?: string } {
    const endpoints = Object.entries(this.vendor.api?.endpoints ?? {}) as [Operation, EndpointDefinition][];
    let pathMatched = false;
    // Endpoints that need a query id (ParseFlow's DELETE ?id=) are tried with the query too.
    for (const [op, ep] of endpoints) {
      const m = matchPath(ep.path, path);
      if (!m) continue;
      let id = m.id;
      if (ep.query) {
        for (const [k, template] of Object.entries(ep.query)) {
          if (template.includes('{id}')) id = query.get(k) ?? undefined;
        }
      }
      pathMatched = true;
      if (ep.method !== method) continue;
      if ((ep.path.includes('{id}') || Object.values(ep.query ?? {}).some((t) => t.includes('{id}'))) && !id) {
        throw new VendorHttpError(
          400,
          `Missing webhook id: ${method} ${path} needs ${
            Object.keys(ep.query ?? {})
              .map((k) => `?${k}=`)
              .join('') || 'an id'
          }.`,
          { id: 'is required' },
        );
      }
      return id === undefined ? { op } : { op, id };
    }
    if (pathMatched) throw new VendorHttpError(405, `Method ${method} not allowed on ${path}.`);
    throw new VendorHttpError(404, `No route ${method} ${path}.`);
  }

  private perform(
    op: Operation,
    id: string | undefined,
    raw: Buffer,
    query: URLSearchParams,
    req: IncomingMessage,
  ): Reply {
    const codec = this.codec;
    const vendor = this.vendor;
    const store = this.ctx.store;
    const find = (): SubscriptionRecord => {
      const sub = id === undefined ? undefined : store.subscriptions.get(id);
      if (!sub || sub.vendor !== vendor.id || sub.manual)
        throw new VendorHttpError(404, `Webhook ${id ?? ''} not found.`);
      return sub;
    };
    const body = (): unknown => {
      const parsed = parseJson(raw);
      if (!parsed.ok) throw new VendorHttpError(400, parsed.message, { body: 'invalid JSON' });
      return parsed.value;
    };
    // What the vendor did to subscriptions whose expiry passed shows in every answer.
    lapseExpired(store, this.ctx.engine, vendor, this.ctx.clock, this.ctx.onChange);
    switch (op) {
      case 'me':
        return { status: 200, body: codec.wrap(this.api.meBody ?? { vendor: vendor.id }) };
      case 'list': {
        const all = store
          .subscriptionsOf(vendor.id)
          .filter((s) => !s.manual && matchesListFilters(this.api.list?.filters, s.options, query));
        const page = pageOf(this.api, all, query, `http://${header(req, 'host') ?? '127.0.0.1'}${req.url ?? ''}`);
        if ('error' in page) throw new VendorHttpError(validationStatusOf(this.api.errors), page.error, page.details);
        return {
          status: 200,
          body: codec.renderList(page.items, {
            hasMore: page.next !== undefined,
            ...(page.next ? { next: page.next } : {}),
            ...(page.nextUrl ? { nextUrl: page.nextUrl } : {}),
          }),
          // The next page's link travels in the body instead for vendors that say so (bodyKey).
          ...(page.link && !(this.api.list?.pagination?.kind === 'link' && this.api.list.pagination.bodyKey)
            ? { headers: { Link: page.link } }
            : {}),
        };
      }
      case 'get':
        return { status: 200, body: codec.renderSubscription(find(), false) };
      case 'create':
        return this.create(body());
      case 'update':
        return this.update(find(), body());
      case 'delete': {
        const sub = find();
        store.subscriptions.delete(sub.id);
        this.ctx.engine.forget(sub.id, 'subscription deleted');
        this.ctx.onChange();
        return { status: 204 };
      }
      case 'rotate': {
        const sub = find();
        sub.secret = newSecret(vendor); // the old secret stops working at once
        this.ctx.onChange();
        return { status: 200, body: codec.renderSubscription(sub, true) };
      }
      case 'signing':
        return this.signing(find(), body());
      case 'publicKey':
        return { status: 200, body: this.keyAnswer(find()) };
      case 'renew':
        return this.renew(find());
      case 'test': {
        const sub = find();
        const testEvent = this.api.testEvent;
        const type = testEvent && 'type' in testEvent ? testEvent.type : sub.events[0]!;
        const fired = this.ctx.fireTo(vendor, type, [sub]);
        const delivery = fired.deliveries[0];
        return {
          status: 200,
          body: codec.wrap({
            ok: true,
            event_id: fired.eventId,
            event_type: type,
            delivery_id: delivery?.id ?? null,
          }),
        };
      }
    }
  }

  /**
   * A `during-create` handshake: the create waits for it, and a failed one removes the new
   * subscription and answers the vendor's documented error.
   */
  private async verifiedCreate(reply: Reply): Promise<Reply> {
    const sub = reply.created;
    const handshake = this.vendor.handshake;
    if (!sub || handshake?.timing !== 'during-create') return reply;
    const outcome = await this.handshake(sub);
    if (outcome.ok) return reply;
    this.ctx.store.subscriptions.delete(sub.id);
    this.ctx.onChange();
    throw new VendorHttpError(handshake.failure.status, `${handshake.failure.message} (${outcome.problem})`);
  }

  /** An `after-create` handshake, once create has answered: a failed one switches the subscription off. */
  private verifyAfterCreate(reply: Reply): void {
    const sub = reply.created;
    const handshake = this.vendor.handshake;
    if (!sub || handshake?.timing !== 'after-create') return;
    void this.handshake(sub).then((outcome) => {
      if (outcome.ok || !this.ctx.store.subscriptions.has(sub.id)) return;
      sub.active = false;
      sub.deactivatedReason = `${handshake.failure.message} (${outcome.problem})`;
      this.ctx.onChange();
    });
  }

  private async handshake(sub: SubscriptionRecord) {
    const secret =
      this.vendor.signature.secretSource === 'app'
        ? (this.ctx.store.ensureAccount(this.vendor).appSecret ?? null)
        : sub.secret;
    const outcome = await performHandshake(this.vendor, sub, secret);
    sub.handshake = {
      ok: outcome.ok,
      ...(outcome.problem ? { problem: outcome.problem } : {}),
      at: new Date().toISOString(),
    };
    this.ctx.onChange();
    return outcome;
  }

  private create(input: unknown): Reply {
    const vendor = this.vendor;
    const read = this.codec.readRequest(input, 'create');
    if (!read.ok) throw new VendorHttpError(this.validationStatus, read.message, read.details);
    const { url, events, options } = read.value;
    // A vendor whose create asks for the expiry (Graph): at most its longest lifetime, in the future.
    if (read.value.expiresAt !== undefined) this.checkRequestedExpiry(read.value.expiresAt);
    // A vendor that signs only once signing is turned on (the `signing` endpoint) starts unsigned;
    // an app-signed vendor (Shopify) issues no secret per subscription: deliveries use the app's.
    const secret =
      this.acceptSecret(read.value.secret, true) ??
      (this.api.endpoints.signing || vendor.signature.secretSource === 'app' ? null : newSecret(vendor));
    this.checkUrl(url!);
    this.checkEvents(events!);
    if (this.ctx.store.subscriptions.size >= MAX_SUBSCRIPTIONS)
      throw new VendorHttpError(this.validationStatus, `Sandbox limit of ${MAX_SUBSCRIPTIONS} webhooks reached.`);
    const sub: SubscriptionRecord = {
      vendor: vendor.id,
      id: this.ctx.store.newSubscriptionId(this.api.resource.idPrefix),
      url: url!,
      events: events!,
      options,
      secret,
      active: true,
      failing: false,
      consecutiveFailures: 0,
      createdAt: new Date(this.ctx.clock.now()).toISOString(),
      manual: false,
    };
    const expiresAt =
      read.value.expiresAt !== undefined
        ? grantedRequest(read.value.expiresAt, this.ctx.clock)
        : grantedExpiry(vendor, this.ctx.clock);
    if (expiresAt !== undefined) sub.expiresAt = expiresAt;
    this.ctx.store.subscriptions.set(sub.id, sub);
    this.ctx.onChange();
    return { status: 201, body: this.codec.renderSubscription(sub, true), created: sub };
  }

  private update(sub: SubscriptionRecord, input: unknown): Reply {
    const read = this.codec.readRequest(input, 'update');
    if (!read.ok) throw new VendorHttpError(this.validationStatus, read.message, read.details);
    const { url, events, active, options, expiresAt } = read.value;
    if (expiresAt !== undefined) this.checkRequestedExpiry(expiresAt);
    const secret = this.acceptSecret(read.value.secret, false);
    if (secret !== undefined) sub.secret = secret; // rotation by update: the old secret stops working
    if (url !== undefined) this.checkUrl(url);
    if (events !== undefined) this.checkEvents(events);
    if (url !== undefined) sub.url = url;
    if (events !== undefined) sub.events = events;
    Object.assign(sub.options, options);
    if (expiresAt !== undefined) sub.expiresAt = grantedRequest(expiresAt, this.ctx.clock);
    const resumed = active === true && !sub.active;
    if (active !== undefined) {
      sub.active = active;
      if (active) {
        delete sub.deactivatedReason;
        sub.consecutiveFailures = 0;
        sub.failing = false;
        delete sub.failingSince;
      }
    }
    this.ctx.onChange();
    if (resumed) this.ctx.engine.resume(sub);
    return { status: 200, body: this.codec.renderSubscription(sub, false) };
  }

  /**
   * The renew endpoint: a fresh lifetime from now. A subscription switched off at expiry
   * (`afterExpiry: "disable"`) comes back on, as renewing a lapsed one does at such vendors.
   */
  private renew(sub: SubscriptionRecord): Reply {
    const expiresAt = grantedExpiry(this.vendor, this.ctx.clock)!;
    const lapsed = !sub.active && sub.deactivatedReason === 'expired';
    sub.expiresAt = expiresAt;
    if (lapsed) {
      sub.active = true;
      delete sub.deactivatedReason;
    }
    this.ctx.onChange();
    return { status: 200, body: this.codec.wrap(renewAnswer(this.vendor, expiresAt)) };
  }

  /** A `patch` renewal or a create may ask for at most the vendor's longest lifetime, and not for the past. */
  private checkRequestedExpiry(expiresAt: string): void {
    const expiry = this.api.expiry;
    const field = expiry ? requestedExpiryPath(expiry) : 'expiresAt';
    const at = Date.parse(expiresAt);
    if (at <= this.ctx.clock.now())
      throw new VendorHttpError(this.validationStatus, `${field} must be in the future.`, {
        [field]: 'is in the past',
      });
    if (at > latestAllowedExpiry(this.vendor, this.ctx.clock))
      throw new VendorHttpError(this.validationStatus, `${field} is beyond the longest lifetime of a webhook.`, {
        [field]: 'is too far in the future',
      });
  }

  /**
   * The signing toggle: the declared enable body turns signing on (a fresh key pair, unless it
   * is on already), any other body turns it off. Answers with the id and the public key.
   */
  private signing(sub: SubscriptionRecord, input: unknown): Reply {
    const source = this.vendor.signature.publicKey;
    const enable = source?.source === 'api' ? source.enableBody : undefined;
    if (input === null || typeof input !== 'object' || Array.isArray(input))
      throw new VendorHttpError(this.validationStatus, 'Request body must be a JSON object.', {
        body: 'expected a JSON object',
      });
    if (isDeepStrictEqual(input, enable)) sub.secret ??= newSecret(this.vendor);
    else sub.secret = null;
    this.ctx.onChange();
    return { status: 200, body: this.keyAnswer(sub) };
  }

  /** `{id, <keyPath>: <base64 SPKI>}` as the vendor wraps documents; an empty key while unsigned. */
  private keyAnswer(sub: SubscriptionRecord): unknown {
    const source = this.vendor.signature.publicKey;
    const answer: Record<string, unknown> = {};
    setPath(answer, this.api.resource.fields.id ?? 'id', sub.id);
    setPath(
      answer,
      source?.source === 'api' ? source.keyPath : 'public_key',
      sub.secret ? (publicKeyOf(sub.secret) ?? '') : '',
    );
    return this.codec.wrap(answer);
  }

  private get validationStatus(): number {
    return validationStatusOf(this.api.errors);
  }

  /**
   * A secret in a create/update body: only where the client chooses secrets, and then it must
   * follow the declared rule. Create requires one.
   */
  private acceptSecret(secret: string | undefined, create: boolean): string | undefined {
    const signature = this.vendor.signature;
    const field = this.api.resource.fields.secret ?? 'secret';
    if (signature.secretSource !== 'client') {
      if (secret !== undefined)
        throw new VendorHttpError(this.validationStatus, `${field} is chosen by ${this.vendor.displayName}.`, {
          [field]: 'cannot be set',
        });
      return undefined;
    }
    if (secret === undefined) {
      if (!create) return undefined;
      throw new VendorHttpError(this.validationStatus, `Invalid ${field}: is required.`, { [field]: 'is required' });
    }
    const problem = signature.clientSecret ? secretRuleProblem(signature.clientSecret, secret) : undefined;
    if (problem)
      throw new VendorHttpError(this.validationStatus, `Invalid ${field}: ${problem}.`, { [field]: problem });
    return secret;
  }

  private checkUrl(url: string): void {
    const f = this.api.resource.fields;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new VendorHttpError(this.validationStatus, `Invalid ${f.url}: "${url}" is not a URL.`, {
        [f.url]: 'must be a valid URL',
      });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new VendorHttpError(this.validationStatus, `Invalid ${f.url}: only http(s) URLs can receive webhooks.`, {
        [f.url]: 'must be an http(s) URL',
      });
    }
    const loopbackAllowed = !this.ctx.strictHttps && isLoopbackUrl(parsed);
    if (this.vendor.api?.requiresHttpsTarget && parsed.protocol !== 'https:' && !loopbackAllowed) {
      throw new VendorHttpError(this.validationStatus, `Invalid ${f.url}: must be an HTTPS URL.`, {
        [f.url]: 'must use https',
      });
    }
  }

  private checkEvents(events: string[]): void {
    const f = this.api.resource.fields;
    const known = new Set(this.vendor.events.map((e) => e.type));
    const unknown = events.filter((e) => !known.has(e));
    if (unknown.length > 0) {
      throw new VendorHttpError(
        this.validationStatus,
        `Unknown event type(s): ${unknown.join(', ')}. Known: ${[...known].join(', ')}.`,
        {
          [f.events ?? 'events']: `unknown event type(s): ${unknown.join(', ')}`,
        },
      );
    }
    const paid = this.vendor.api?.paidEvents ?? [];
    const account = this.ctx.store.ensureAccount(this.vendor);
    const needsCredits = events.filter((e) => paid.includes(e));
    if (needsCredits.length > 0 && !account.credits) {
      throw new VendorHttpError(403, `Event requires a paid plan or credit balance: ${needsCredits.join(', ')}.`, {
        [f.events ?? 'events']: `paid event(s) without credits: ${needsCredits.join(', ')}`,
      });
    }
  }
}

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

/** Waits `ms`, or less if the client hangs up first (a held request never outlives its connection). */
function holdFor(ms: number, res: ServerResponse): Promise<void> {
  if (ms <= 0 || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

export function newSecret(vendor: VendorDefinition): string {
  // Public-key vendors sign with a private key; verifiers get its public half (publicKeyOf).
  const algorithm = vendor.signature.scheme.publicKeyAlgorithm;
  if (algorithm) return generateSigningKeyPair(algorithm).privateKey;
  return `${vendor.api?.resource.secretPrefix ?? 'whsec_'}${secretBody(vendor)}`;
}

/**
 * 24 random bytes as the vendor's scheme needs them: standard base64 for Standard Webhooks
 * (the key is the base64-decoded secret; base64url's `-`/`_` would not decode), else base64url.
 */
export function secretBody(vendor: Pick<VendorDefinition, 'signature'>): string {
  const bytes = randomBytes(24);
  return vendor.signature.scheme.kind === 'standard-webhooks' ? bytes.toString('base64') : bytes.toString('base64url');
}

/** Matches `/webhooks/{id}/test` against a path; returns the decoded id when the template has one. */
function matchPath(template: string, path: string): { id?: string } | undefined {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  if (t.length !== p.length) return undefined;
  let id: string | undefined;
  for (let i = 0; i < t.length; i++) {
    // `{id}` alone or inside a segment (Shopify's `{id}.json`).
    const at = t[i]!.indexOf('{id}');
    if (at >= 0) {
      const before = t[i]!.slice(0, at);
      const after = t[i]!.slice(at + 4);
      const segment = p[i]!;
      if (segment.length <= before.length + after.length || !segment.startsWith(before) || !segment.endsWith(after))
        return undefined;
      try {
        id = decodeURIComponent(segment.slice(before.length, segment.length - after.length));
      } catch {
        return undefined;
      }
    } else if (t[i] !== p[i]) return undefined;
  }
  return id === undefined ? {} : { id };
}

/** The description's list filters (`filter[store_id]`): a record matches when every given one equals. */
function matchesListFilters(
  filters: Record<string, string> | undefined,
  options: Record<string, unknown>,
  query: URLSearchParams,
): boolean {
  return Object.entries(filters ?? {}).every(([option, param]) => {
    const wanted = query.get(param);
    return wanted === null || String(options[option] ?? '') === wanted;
  });
}
