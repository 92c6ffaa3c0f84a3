import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertVendorDescription, generateSigningKeyPair, publicKeyOf, type VendorDefinition } from '@hookpack/core';
import { describeHandshake, performHandshake } from './handshake.js';
import { getVendor, vendors as allVendors } from '@hookpack/providers';
import { DeliveryEngine, type DeliveryRecord, type FireResult } from './delivery.js';
import { sendJson } from './http-util.js';
import { handleInspection } from './inspect.js';
import { VendorApi } from './rest.js';
import { RequestLog, type ApiRequestRecord } from './request-log.js';
import { Store, type SubscriptionRecord } from './state.js';
import { lapseExpired, type ExpiryClock } from './expiry.js';
import { sandboxClientId, tokenPathOf } from './client-credentials.js';
import {
  FaultInjector,
  FaultSpecError,
  parseFaultSpec,
  type FaultSpec,
  type FaultsView,
  type InjectedFault,
} from './faults.js';

/** Longest delay a Node timer supports. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * Vendors to serve (default: all of @hookpack/providers): ids of shipped vendors, or
   * VendorDefinitions — a vendor being written is played from its description alone.
   */
  vendors?: (string | VendorDefinition)[];
  /** Multiplies every vendor delay (retry schedule, pause queue, failing window). 0.001: minutes → ms. */
  timeScale?: number;
  /** API keys to accept, by vendor id (default: generated, `<documented prefix>sandbox_…`). */
  apiKeys?: Record<string, string>;
  /** App signing secrets of vendors that sign with one (`secretSource: "app"`), by vendor id (default: generated). */
  appSecrets?: Record<string, string>;
  /** Enforce HTTPS-only target rules even for loopback URLs (default false: http://127.0.0.1 is fine). */
  strictHttps?: boolean;
  /** Apply documented rate limits (default true). */
  rateLimits?: boolean;
  /** JSON file that keeps accounts and subscriptions across restarts. */
  stateFile?: string;
  /** Floor of per-attempt delivery timeouts after scaling (default 2000 ms). */
  minDeliveryTimeoutMs?: number;
  /** Allow deliveries to non-loopback URLs (default false). */
  allowExternalTargets?: boolean;
  /** Faults to inject into vendor API calls (see README "Fault injection"); change later with setFaults(). */
  faults?: FaultSpec;
  /**
   * Multiplies the lifetime of expiring subscriptions (`api.expiry`); default `timeScale`.
   * 0.00001 lets a seven-day subscription lapse after six seconds.
   */
  expiryTimeScale?: number;
  /** The clock subscriptions expire by (default `Date.now`): tests move it by hand. */
  now?: () => number;
}

export interface SandboxVendorInfo {
  id: string;
  displayName: string;
  /** Base URL to give the REST client; null for vendors without an API. */
  baseUrl: string | null;
  apiKey: string | null;
  /** The app secret deliveries are signed with (vendors with `secretSource: "app"`), else null. */
  appSecret: string | null;
  credits: boolean;
  events: string[];
  /** What the sandbox does for the vendor's URL-verification handshake; only for vendors that declare one. */
  handshake?: string;
  /**
   * For client-credentials vendors: what to pass as `clientCredentials` (the secret is the
   * account's key; `tokenUrl` keeps the vendor's `{field}` placeholders, which take any value).
   */
  clientCredentials?: { clientId: string; clientSecret: string; tokenUrl: string };
}

/** A subscription as the inspection API shows it (secret included: this is a test tool). */
export interface SubscriptionView extends SubscriptionRecord {
  queued: number;
  /** For public-key vendors: the public half of `secret` (the private key it signs with), base64 SPKI. */
  publicKey?: string;
}

export interface DeliveryFilter {
  vendor?: string;
  subscriptionId?: string;
  eventId?: string;
  eventType?: string;
}

export interface FireOptions {
  /** Event data (payload); default: the event's documented sample. */
  data?: unknown;
  /** Only this subscription (default: every matching active one). */
  subscriptionId?: string;
}

export interface HookInput {
  vendor: string;
  url: string;
  events: string[];
  secret?: string | null;
}

export class SandboxInputError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const INSPECTION_PREFIX = '/_sandbox';

/** The running sandbox: REST APIs of the vendors, a delivery engine and the inspection API. */
export class Sandbox {
  readonly url: string;
  readonly port: number;
  readonly timeScale: number;
  /** @internal */ readonly store: Store;
  /** @internal */ readonly engine: DeliveryEngine;
  private readonly apis = new Map<string, VendorApi>();
  private readonly served: Map<string, VendorDefinition>;
  private readonly requestLog = new RequestLog();
  private readonly injector = new FaultInjector();
  /** @internal */ readonly clock: ExpiryClock;

  /** @internal use startSandbox */
  constructor(
    private readonly server: Server,
    served: VendorDefinition[],
    store: Store,
    options: Required<Pick<SandboxOptions, 'timeScale' | 'strictHttps' | 'rateLimits'>>,
    engineOptions: { minTimeoutMs: number; allowExternalTargets: boolean },
    clock: ExpiryClock = { now: Date.now, lifetimeScale: options.timeScale },
  ) {
    this.clock = clock;
    const address = server.address() as AddressInfo;
    this.port = address.port;
    this.url = `http://127.0.0.1:${this.port}`;
    this.timeScale = options.timeScale;
    this.store = store;
    this.served = new Map(served.map((v) => [v.id, v]));
    const onChange = () => store.save();
    this.engine = new DeliveryEngine(store, this.served, {
      timeScale: options.timeScale,
      minTimeoutMs: engineOptions.minTimeoutMs,
      allowExternalTargets: engineOptions.allowExternalTargets,
      maxDeliveryLog: 5000,
      maxQueuedPerSubscription: 1000,
      maxLiveDeliveries: 10_000,
      onStateChange: onChange,
    });
    for (const vendor of served) {
      if (!vendor.api) continue;
      this.apis.set(
        vendor.id,
        new VendorApi(vendor, {
          store,
          engine: this.engine,
          strictHttps: options.strictHttps,
          rateLimits: options.rateLimits,
          fireTo: (v, type, subs) => this.dispatch(v, type, undefined, subs, true),
          onChange,
          faults: this.injector,
          clock,
        }),
      );
    }
  }

  vendors(): SandboxVendorInfo[] {
    return [...this.served.values()].map((v) => this.vendor(v.id));
  }

  vendor(id: string): SandboxVendorInfo {
    const v = this.requireVendor(id);
    const api = this.apis.get(v.id);
    const account = this.store.ensureAccount(v);
    return {
      id: v.id,
      displayName: v.displayName,
      baseUrl: api ? `${this.url}/${v.id}${api.basePath}` : null,
      apiKey: v.auth.kind === 'apiKey' ? account.apiKey : null,
      ...(v.auth.kind === 'clientCredentials'
        ? {
            clientCredentials: {
              clientId: sandboxClientId(v),
              clientSecret: account.apiKey,
              tokenUrl: `${this.url}/${v.id}${tokenPathOf(v)}`,
            },
          }
        : {}),
      appSecret: account.appSecret ?? null,
      credits: account.credits,
      events: v.events.map((e) => e.type),
      ...(v.handshake ? { handshake: describeHandshake(v) } : {}),
    };
  }

  /** Base URL to pass to `createSubscriptionClient(vendor, { baseUrl, apiKey })`. */
  baseUrl(vendorId: string): string {
    const info = this.vendor(vendorId);
    if (!info.baseUrl) throw new SandboxInputError(`${info.displayName} has no REST API; add hooks with addHook()`);
    return info.baseUrl;
  }

  /** `clientCredentials` for `createSubscriptionClient(vendor, { baseUrl, clientCredentials })` (client-credentials vendors). */
  clientCredentials(vendorId: string): { clientId: string; clientSecret: string; tokenUrl: string } {
    const info = this.vendor(vendorId);
    if (!info.clientCredentials) throw new SandboxInputError(`${info.displayName} does not use client credentials`);
    return info.clientCredentials;
  }

  apiKey(vendorId: string): string {
    const info = this.vendor(vendorId);
    if (!info.apiKey) throw new SandboxInputError(`${info.displayName} uses no API key`);
    return info.apiKey;
  }

  /** The app secret the vendor signs deliveries with, for vendors whose secret is the app's (Shopify). */
  appSecret(vendorId: string): string {
    const info = this.vendor(vendorId);
    if (!info.appSecret)
      throw new SandboxInputError(`${info.displayName} signs with each subscription's secret, not an app secret`);
    return info.appSecret;
  }

  /** Turns the account's paid plan / credit balance on or off (Parsley's paid events). */
  setCredits(vendorId: string, credits: boolean): void {
    this.store.ensureAccount(this.requireVendor(vendorId)).credits = credits;
    this.store.save();
  }

  /**
   * Fires an event: every active subscription of the vendor that subscribed to `type` (and whose
   * option filters match, e.g. Parley facility_ids) gets a signed delivery. Returns at once;
   * use `settle()` or `deliveries()` to see the outcome.
   */
  fire(vendorId: string, type: string, options: FireOptions = {}): FireResult {
    const vendor = this.requireVendor(vendorId);
    const known = vendor.events.some((e) => e.type === type);
    if (!known) {
      throw new SandboxInputError(
        `${vendor.displayName} has no event "${type}"; known: ${vendor.events.map((e) => e.type).join(', ')}`,
      );
    }
    this.lapseExpired(vendor);
    let subs = this.store.subscriptionsOf(vendor.id).filter((s) => s.events.includes(type));
    if (options.subscriptionId !== undefined) {
      const sub = this.store.subscriptions.get(options.subscriptionId);
      if (!sub || sub.vendor !== vendor.id)
        throw new SandboxInputError(`no ${vendor.displayName} subscription ${options.subscriptionId}`, 404);
      subs = [sub];
    }
    return this.dispatch(vendor, type, options.data, subs, false);
  }

  /**
   * A hook configured by hand in the vendor's UI (Parsley Recipes): URL, events, optional secret.
   * For a vendor that verifies the URL first (Slack), use saveHook: this one refuses it.
   */
  addHook(input: HookInput): SubscriptionView {
    const vendor = this.requireVendor(input.vendor);
    if (vendor.handshake)
      throw new SandboxInputError(
        `${vendor.displayName} verifies the URL before it saves it: use saveHook() (POST ${INSPECTION_PREFIX}/hooks), which performs the handshake`,
      );
    return this.view(this.newHook(vendor, input));
  }

  /**
   * What the vendor's UI does when the user saves the URL: for a vendor with a URL-verification
   * handshake, the URL is called first (signed with the hook's secret where the handshake is) and
   * the hook is saved only when it answered as declared; otherwise nothing is saved and the error
   * carries the vendor's failure message and why. Other vendors: the same as addHook.
   */
  async saveHook(input: HookInput): Promise<SubscriptionView> {
    const vendor = this.requireVendor(input.vendor);
    const sub = this.newHook(vendor, input, false);
    if (vendor.handshake) {
      const outcome = await performHandshake(vendor, sub, sub.secret);
      if (!outcome.ok) throw new SandboxInputError(`${vendor.handshake.failure.message} (${outcome.problem})`, 422);
      sub.handshake = { ok: true, at: new Date().toISOString() };
    }
    this.store.subscriptions.set(sub.id, sub);
    this.store.save();
    return this.view(sub);
  }

  private newHook(vendor: VendorDefinition, input: HookInput, store = true): SubscriptionRecord {
    if (vendor.api)
      throw new SandboxInputError(
        `${vendor.displayName} has a REST API: create subscriptions through it (${this.vendor(vendor.id).baseUrl})`,
      );
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new SandboxInputError(`url "${String(input.url)}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SandboxInputError('url must be http(s)');
    const known = new Set(vendor.events.map((e) => e.type));
    if (!Array.isArray(input.events) || input.events.length === 0)
      throw new SandboxInputError('events must be a non-empty array');
    const unknown = input.events.filter((e) => !known.has(e));
    if (unknown.length)
      throw new SandboxInputError(
        `unknown ${vendor.displayName} event(s): ${unknown.join(', ')}; known: ${[...known].join(', ')}`,
      );
    if (input.secret != null && typeof input.secret !== 'string')
      throw new SandboxInputError('secret must be a string');
    if (vendor.signature.secretRequired && !input.secret?.trim() && !vendor.signature.scheme.publicKeyAlgorithm)
      throw new SandboxInputError(`${vendor.displayName} signs every delivery: give the hook's secret`);
    // A public-key vendor signs with a private key of its own; the view shows the public key to paste.
    const signingKey = vendor.signature.scheme.publicKeyAlgorithm
      ? input.secret || generateSigningKeyPair(vendor.signature.scheme.publicKeyAlgorithm).privateKey
      : undefined;
    if (signingKey !== undefined && publicKeyOf(signingKey) === undefined)
      throw new SandboxInputError(`secret must be a private key (base64 PKCS#8 or PEM) for ${vendor.displayName}`);
    const sub: SubscriptionRecord = {
      vendor: vendor.id,
      id: this.store.newSubscriptionId('hook_'),
      url: url.href,
      events: [...new Set(input.events)],
      options: {},
      secret: signingKey ?? (input.secret ? input.secret : null),
      active: true,
      failing: false,
      consecutiveFailures: 0,
      createdAt: new Date().toISOString(),
      manual: true,
    };
    if (store) {
      this.store.subscriptions.set(sub.id, sub);
      this.store.save();
    }
    return sub;
  }

  /**
   * Replaces a public-key vendor's key pair for one subscription, as a vendor rotating its keys
   * does: deliveries are signed with the new private key from now on, and the API serves the new
   * public key. Returns the new public key.
   */
  rotateSigningKey(id: string): string {
    const sub = this.store.subscriptions.get(id);
    if (!sub) throw new SandboxInputError(`no subscription ${id}`, 404);
    const vendor = this.requireVendor(sub.vendor);
    const algorithm = vendor.signature.scheme.publicKeyAlgorithm;
    if (!algorithm)
      throw new SandboxInputError(`${vendor.displayName} signs with a shared secret, not a key pair`, 409);
    const pair = generateSigningKeyPair(algorithm);
    sub.secret = pair.privateKey;
    this.store.save();
    return pair.publicKey;
  }

  /**
   * Lets an expiring subscription lapse now, as the vendor would at its expiry: deleted, or
   * switched off (`api.expiry.afterExpiry`). False when there is no such expiring subscription.
   */
  expire(id: string): boolean {
    const sub = this.store.subscriptions.get(id);
    const vendor = sub ? this.served.get(sub.vendor) : undefined;
    if (!sub || !vendor?.api?.expiry) return false;
    sub.expiresAt = new Date(this.clock.now()).toISOString();
    this.lapseExpired(vendor);
    return true;
  }

  /** @internal */
  lapseExpired(vendor: VendorDefinition): void {
    lapseExpired(this.store, this.engine, vendor, this.clock, () => this.store.save());
  }

  removeHook(id: string): boolean {
    const sub = this.store.subscriptions.get(id);
    if (!sub?.manual) return false;
    this.store.subscriptions.delete(id);
    this.engine.forget(id, 'subscription deleted');
    this.store.save();
    return true;
  }

  subscriptions(vendorId?: string): SubscriptionView[] {
    const id = vendorId === undefined ? undefined : this.requireVendor(vendorId).id;
    for (const vendor of this.served.values()) if (id === undefined || vendor.id === id) this.lapseExpired(vendor);
    return [...this.store.subscriptions.values()]
      .filter((s) => id === undefined || s.vendor === id)
      .map((s) => this.view(s));
  }

  subscription(id: string): SubscriptionView | undefined {
    const known = this.store.subscriptions.get(id);
    if (known) this.lapseExpired(this.requireVendor(known.vendor));
    const s = this.store.subscriptions.get(id);
    return s ? this.view(s) : undefined;
  }

  deliveries(filter: DeliveryFilter = {}): DeliveryRecord[] {
    const vendor = filter.vendor === undefined ? undefined : this.requireVendor(filter.vendor).id;
    return this.engine
      .deliveries()
      .filter(
        (d) =>
          (vendor === undefined || d.vendor === vendor) &&
          (filter.subscriptionId === undefined || d.subscriptionId === filter.subscriptionId) &&
          (filter.eventId === undefined || d.eventId === filter.eventId) &&
          (filter.eventType === undefined || d.eventType === filter.eventType),
      )
      .map((d) => structuredClone(d));
  }

  /** Waits until no delivery is scheduled or in flight; false if `timeoutMs` passed first. */
  settle(timeoutMs = 10_000): Promise<boolean> {
    // Node fires a timer above 2^31-1 ms at once: such a wait would silently report "not settled".
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || timeoutMs > MAX_TIMER_MS) {
      return Promise.reject(
        new SandboxInputError(`settle timeoutMs must be 0..${MAX_TIMER_MS} milliseconds, got ${String(timeoutMs)}`),
      );
    }
    return this.engine.settle(timeoutMs);
  }

  /** Forgets subscriptions, deliveries, rate-limit and idempotency state (API keys stay). */
  /** Calls made to the vendors' REST APIs (not to the inspection API), oldest first; the last 5000. */
  requests(vendorId?: string): ApiRequestRecord[] {
    if (vendorId !== undefined) this.requireVendor(vendorId);
    return this.requestLog.list(vendorId);
  }

  /**
   * Replaces the fault spec (null: no faults). The spec is validated first: a bad one throws
   * SandboxInputError naming the field and leaves the current one in place. Counters, the PRNG
   * sequence and key revocations start again.
   */
  setFaults(spec: unknown): FaultsView {
    if (spec === null || spec === undefined) this.injector.set(null);
    else {
      try {
        this.injector.set(parseFaultSpec(spec, [...this.served.values()]));
      } catch (e) {
        if (e instanceof FaultSpecError) throw new SandboxInputError(e.message);
        throw e;
      }
    }
    return this.injector.view();
  }

  /** The fault spec in force, every fault injected since it was set (last 5000), and revoked keys. */
  faults(): FaultsView {
    return this.injector.view();
  }

  reset(): void {
    this.injector.restart();
    this.requestLog.clear();
    this.engine.clear();
    this.store.subscriptions.clear();
    for (const api of this.apis.values()) api.reset();
    this.store.save();
  }

  async stop(): Promise<void> {
    this.engine.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** @internal */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      sendJson(res, 400, { error: 'bad request target' });
      return;
    }
    const path = url.pathname;
    if (path === INSPECTION_PREFIX || path.startsWith(`${INSPECTION_PREFIX}/`)) {
      await handleInspection(this, req, res, path.slice(INSPECTION_PREFIX.length) || '/', url.searchParams);
      return;
    }
    const [, first = ''] = path.split('/');
    const api = this.apis.get(first);
    if (!api) {
      sendJson(res, 404, {
        error: `No vendor at /${first}. Served: ${[...this.apis.keys()].map((id) => `/${id}`).join(', ')}; inspection at ${INSPECTION_PREFIX}.`,
      });
      return;
    }
    const apiPath = path.slice(first.length + 1) || '/';
    const note: { fault?: InjectedFault } = {};
    // 'close' also comes for a request whose answer a fault dropped: status 0, no answer.
    res.once('close', () =>
      this.requestLog.add({
        vendor: first,
        method: req.method ?? 'GET',
        path: apiPath + url.search,
        status: res.writableFinished ? res.statusCode : 0,
        at: new Date().toISOString(),
        ...(note.fault ? { fault: { rule: note.fault.rule, kind: note.fault.fault, detail: note.fault.detail } } : {}),
      }),
    );
    await api.handle(req, res, apiPath, url.searchParams, note);
  }

  private dispatch(
    vendor: VendorDefinition,
    type: string,
    data: unknown,
    subs: SubscriptionRecord[],
    force: boolean,
  ): FireResult {
    const definition = vendor.events.find((e) => e.type === type);
    const event = this.engine.newEvent(type, data === undefined ? structuredClone(definition?.sample ?? {}) : data);
    const paid = vendor.api?.paidEvents?.includes(type) ?? definition?.paid === true;
    const account = this.store.ensureAccount(vendor);
    const targets: SubscriptionRecord[] = [];
    const dropped: DeliveryRecord[] = [];
    for (const sub of subs) {
      if (!force && !matchesOptions(vendor, sub, event.data)) continue;
      // Parsley: "events fired while you're out of credits are dropped silently rather than queued".
      if (paid && !account.credits)
        dropped.push(this.engine.recordDropped(vendor, event, sub, 'paid event without credits'));
      else targets.push(sub);
    }
    const result = this.engine.dispatch(vendor, event, targets, force);
    return { ...result, deliveries: [...result.deliveries, ...dropped].map((d) => structuredClone(d)) };
  }

  private view(sub: SubscriptionRecord): SubscriptionView {
    const queued = this.engine.deliveries().filter((d) => d.subscriptionId === sub.id && d.state === 'queued').length;
    const publicKey =
      sub.secret && this.served.get(sub.vendor)?.signature.scheme.publicKeyAlgorithm
        ? publicKeyOf(sub.secret)
        : undefined;
    return { ...structuredClone(sub), queued, ...(publicKey ? { publicKey } : {}) };
  }

  private requireVendor(id: string): VendorDefinition {
    const key = typeof id === 'string' ? normalId(id) : undefined;
    const v = [...this.served.values()].find((x) => normalId(x.id) === key);
    if (!v) {
      throw new SandboxInputError(
        `unknown vendor "${String(id)}"; this sandbox serves: ${[...this.served.keys()].join(', ')}`,
        404,
      );
    }
    return v;
  }
}

/** Option filters (Parley facility_ids): a non-empty list must contain a value found in the event data. */
function matchesOptions(vendor: VendorDefinition, sub: SubscriptionRecord, data: unknown): boolean {
  for (const option of vendor.subscriptionOptions) {
    const filter = sub.options[option.name];
    if (!option.matchesDataPaths || !Array.isArray(filter) || filter.length === 0) continue;
    const values = option.matchesDataPaths.map((p) => valueAt(data, p)).filter((v) => v !== undefined);
    if (!values.some((v) => filter.includes(v))) return false;
  }
  return true;
}

function valueAt(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Starts the sandbox on 127.0.0.1. Rejects with a clear message on a bad option or a busy port. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const timeScale = options.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0)
    throw new SandboxInputError(`timeScale must be a positive number, got ${String(options.timeScale)}`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new SandboxInputError(`port must be an integer 0–65535, got ${String(options.port)}`);
  const served = resolveVendors(options.vendors);
  const store = new Store(options.stateFile);
  store.load();
  for (const vendor of served)
    store.ensureAccount(vendor, options.apiKeys?.[vendor.id], options.appSecrets?.[vendor.id]);
  for (const key of Object.keys(options.appSecrets ?? {})) {
    const vendor = served.find((v) => v.id === key);
    if (!vendor || vendor.signature.secretSource !== 'app')
      throw new SandboxInputError(
        `appSecrets has an entry for "${key}", which is not a served vendor signing with an app secret`,
      );
  }
  for (const key of Object.keys(options.apiKeys ?? {})) {
    if (!served.some((v) => v.id === key))
      throw new SandboxInputError(`apiKeys has an entry for "${key}", which is not a served vendor id`);
  }
  store.save();
  // Assigned once the server listens (it needs the server); a request before that gets 503.
  // eslint-disable-next-line prefer-const
  let sandbox: Sandbox | undefined;
  const server = createServer((req, res) => {
    if (!sandbox) {
      sendJson(res, 503, { error: 'sandbox starting' });
      return;
    }
    sandbox.handle(req, res).catch((e: unknown) => {
      sendJson(res, 500, { error: `internal sandbox error: ${(e as Error).message}` });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new SandboxInputError(
              `port ${port} on 127.0.0.1 is already in use: pick another with --port (0 = any free port)`,
            )
          : e,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const lifetimeScale = options.expiryTimeScale ?? timeScale;
  if (!Number.isFinite(lifetimeScale) || lifetimeScale <= 0)
    throw new SandboxInputError(`expiryTimeScale must be a positive number, got ${String(options.expiryTimeScale)}`);
  if (options.now !== undefined && typeof options.now !== 'function')
    throw new SandboxInputError('now must be a function returning epoch milliseconds');
  const created = new Sandbox(
    server,
    served,
    store,
    { timeScale, strictHttps: options.strictHttps ?? false, rateLimits: options.rateLimits ?? true },
    { minTimeoutMs: options.minDeliveryTimeoutMs ?? 2000, allowExternalTargets: options.allowExternalTargets ?? false },
    { now: options.now ?? Date.now, lifetimeScale },
  );
  if (options.faults !== undefined) {
    try {
      created.setFaults(options.faults);
    } catch (e) {
      await created.stop();
      throw e;
    }
  }
  sandbox = created;
  return sandbox;
}

function normalId(id: string): string {
  return id.toLowerCase().replace(/[-_\s]/g, '');
}

function resolveVendors(ids: (string | VendorDefinition)[] | undefined): VendorDefinition[] {
  if (ids === undefined || ids.length === 0) return [...allVendors];
  const out = ids.map((id) => {
    if (typeof id === 'object' && id !== null) return id;
    const v = getVendor(id);
    if (!v) throw new SandboxInputError(`unknown vendor "${id}"; known: ${allVendors.map((x) => x.id).join(', ')}`);
    return v;
  });
  const seen = new Set<string>();
  for (const v of out) {
    assertVendorDescription(v);
    if (seen.has(normalId(v.id))) throw new SandboxInputError(`vendor "${v.id}" is listed twice`);
    seen.add(normalId(v.id));
  }
  return out;
}
