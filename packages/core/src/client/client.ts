import type {
  Operation,
  RestApiDefinition,
  Subscription,
  SubscriptionInput,
  SubscriptionPatch,
  VendorDefinition,
} from '../vendor.js';
import { canPause, resourceCodec } from '../resource/codec.js';
import { firstPage, maxPagesOf, nextPage, pageKey, type PageRequest } from '../resource/pagination.js';
import { generateSecret } from '../resource/secret.js';
import { getPath } from '../resource/path.js';
import { oneEventPerSubscription, subscriptionGroups } from '../resource/events.js';
import { readTimestamp, requestedExpiry } from '../resource/expiry.js';
import { backoffDelay } from './backoff.js';
import { resolveClientConfig, type ClientRuntime, type SubscriptionClientOptions } from './config.js';
import { defaultRuntime } from './default-runtime.js';
import { HookpackApiError, HookpackInputError, UnsupportedOperationError } from './errors.js';
import { Transport, type AttemptBudget, type RawResponse, type RequestSpec } from './transport.js';
import {
  checkId,
  checkInput,
  checkPatch,
  checkTargetUrl,
  invalidResponse,
  readResponse,
  sameUrl,
  subscriptionProblem,
} from './validate.js';

/** How this vendor's signing secret is replaced. */
export function rotationOf(vendor: VendorDefinition): 'endpoint' | 'update' | 'none' {
  return vendor.signature.rotation ?? (vendor.api?.endpoints.rotate ? 'endpoint' : 'none');
}

export interface SubscriptionClient {
  readonly vendor: VendorDefinition;
  /** Base URL in use, normalised (no trailing slash). */
  readonly baseUrl: string;
  /** True when the vendor documents this operation (calling it will not throw UnsupportedOperationError). */
  supports(operation: Operation): boolean;
  /** Creates a subscription; the result carries the signing secret where the vendor returns one. */
  create(input: SubscriptionInput): Promise<Subscription>;
  /**
   * Every subscription a trigger on `input.events` owns: one, or one per event where the vendor's
   * subscriptions carry one event each. All or nothing: when a create fails part-way the ones
   * already created are deleted again; any that could not be are named in the error's message
   * and in `leftBehindOf(error)`.
   */
  subscribe(input: SubscriptionInput): Promise<Subscription[]>;
  /** Deletes each of `ids` (already gone counts as deleted), going on past failures; says which failed. */
  deleteEach(ids: readonly string[]): Promise<DeleteEachResult>;
  /** Every page; `options` narrow it where the description declares list filters for them. */
  list(options?: Record<string, unknown>): Promise<Subscription[]>;
  /** Throws HookpackApiError `not_found` when the vendor does not know the id. */
  get(id: string): Promise<Subscription>;
  /** `get` where the vendor has it, else list + find; undefined when the subscription is gone. */
  findById(id: string): Promise<Subscription | undefined>;
  /** First subscription whose target URL is `url` (list + find); undefined when none. */
  findByUrl(url: string, options?: Record<string, unknown>): Promise<Subscription | undefined>;
  /** Change url, events, options, or pause (`active: false`) / reactivate (`active: true`). */
  update(id: string, patch: SubscriptionPatch): Promise<Subscription>;
  /** Deletes; an id the vendor no longer knows (404) counts as success with `deleted: false`. */
  delete(id: string): Promise<{ deleted: boolean }>;
  /** Asks the vendor to send a test event; returns the vendor's answer (unwrapped). */
  test(id: string): Promise<{ raw: unknown }>;
  /** Rotates the signing secret and returns the new one. */
  rotate(id: string): Promise<string>;
  /** Identity of the API key (the vendor's object, unwrapped): a credential test. */
  me(): Promise<unknown>;
  /**
   * The subscription's current public key, for vendors whose API hands it out
   * (`signature.publicKey.source: 'api'`): from the `publicKey` endpoint, else by turning
   * signing on again through `signing` where that answers with the key.
   */
  publicKey(id: string): Promise<string>;
  /**
   * Renews an expiring subscription (`api.expiry`) the way the vendor documents: its renew
   * endpoint, an update carrying a new expiry, or a new subscription for `input` (the one the
   * old was created with) after which the old one is deleted. Says which happened.
   */
  renew(id: string, input: SubscriptionInput): Promise<RenewResult>;
}

/** `extended`: the same subscription lives on until `expiresAt`; `replaced`: a new one (new id and secret) took its place. */
export type RenewResult =
  { kind: 'extended'; expiresAt: string } | { kind: 'replaced'; subscription: Subscription; oldDeleted: boolean };

export interface DeleteEachResult {
  /** Deleted now, or already gone. */
  deleted: string[];
  failed: { id: string; error: unknown }[];
}

/** Subscriptions a failed `subscribe` created and could not delete again (empty for other errors). */
export function leftBehindOf(error: unknown): string[] {
  const ids = (error as { leftBehind?: unknown } | null)?.leftBehind;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * A REST client for one vendor's webhook-subscription API, driven entirely by its
 * VendorDefinition. Configuration problems (missing key, bad base URL) throw here, before
 * any request.
 */
export function createSubscriptionClient(
  vendor: VendorDefinition,
  options: SubscriptionClientOptions,
): SubscriptionClient {
  return createSubscriptionClientWith(vendor, options, defaultRuntime);
}

/**
 * `createSubscriptionClient` on the host's HTTP and timers (`options.fetch`/`options.sleep`
 * still win): for hosts such as n8n Cloud that give code their own and refuse the globals.
 */
export function createSubscriptionClientWith(
  vendor: VendorDefinition,
  options: SubscriptionClientOptions,
  runtime: ClientRuntime,
): SubscriptionClient {
  const config = resolveClientConfig(vendor, options, runtime);
  const transport = new Transport(vendor, config);
  const name = vendor.displayName;

  const supports = (op: Operation) => {
    const endpoints = vendor.api?.endpoints;
    if (op === 'renew') {
      const renew = vendor.api?.expiry?.renew;
      if (!renew) return false;
      return renew.kind === 'endpoint'
        ? endpoints?.renew !== undefined
        : renew.kind === 'patch'
          ? endpoints?.update !== undefined
          : endpoints?.create !== undefined && endpoints.delete !== undefined;
    }
    if (op !== 'rotate') return endpoints?.[op] !== undefined;
    const rotation = rotationOf(vendor);
    return rotation === 'update'
      ? endpoints?.update !== undefined
      : rotation !== 'none' && endpoints?.rotate !== undefined;
  };

  const requireApi = (op: Operation, reason?: string): RestApiDefinition => {
    const api = vendor.api;
    if (!api) {
      throw new UnsupportedOperationError(
        name,
        op,
        'it has no REST API; subscriptions are set up by hand in its UI' +
          (vendor.manualSetup ? ` (${vendor.manualSetup.instructions})` : ''),
      );
    }
    if (!api.endpoints[op]) throw new UnsupportedOperationError(name, op, reason);
    return api;
  };

  /** A fresh secret for vendors whose client chooses it; undefined for the others. */
  const clientSecret = (): string | undefined => {
    if (vendor.signature.secretSource !== 'client') return undefined;
    const rule = vendor.signature.clientSecret;
    if (!rule)
      throw new HookpackInputError(`${name} lets the client choose the secret but declares no clientSecret rule`);
    return generateSecret(rule);
  };

  const parseBody = (op: Operation, response: RawResponse): unknown => {
    if (response.text.trim() === '') return undefined;
    try {
      return JSON.parse(response.text);
    } catch {
      throw invalidResponse(vendor, op, `body is not JSON (status ${response.status})`);
    }
  };

  const codec = () => resourceCodec(vendor);

  const unwrap = (op: Operation, body: unknown): unknown => readResponse(vendor, op, body, (b) => codec().unwrap(b));

  const toSubscription = (op: Operation, body: unknown, withSecret = false): Subscription => {
    if (body === undefined) throw invalidResponse(vendor, op, 'empty body where a subscription was expected');
    return readResponse(vendor, op, body, (b) => codec().readSubscription(b, withSecret), subscriptionProblem);
  };

  const call = (spec: RequestSpec, budget?: AttemptBudget) => transport.execute(spec, budget);

  /** Every page, up to the description's bound: a subscription beyond page 1 is still found. */
  const list = async (budget?: AttemptBudget, options?: Record<string, unknown>): Promise<Subscription[]> => {
    const api = requireApi('list');
    const pagination = api.list?.pagination;
    const filter = listFilter(api.list?.filters, options);
    const limit = maxPagesOf(pagination);
    const all: Subscription[] = [];
    const seen = new Set<string>();
    let page: PageRequest | undefined = firstPage(pagination);
    for (let n = 1; page !== undefined; n++) {
      if (n > limit || seen.has(pageKey(page))) {
        throw invalidResponse(
          vendor,
          'list',
          n > limit
            ? `more than ${limit} pages of subscriptions (the description's maxPages); hookpack stopped rather than miss some`
            : 'the vendor sent the same page again; hookpack stopped rather than loop',
        );
      }
      seen.add(pageKey(page));
      const spec: RequestSpec = { operation: 'list', retryAmbiguous: true };
      if ('url' in page) spec.url = page.url;
      else if (Object.keys(page.query).length + Object.keys(filter).length > 0)
        spec.query = { ...filter, ...page.query };
      const response = await call(spec, budget);
      const body = parseBody('list', response);
      const items = readResponse(vendor, 'list', body, (b) => codec().listItems(b));
      const subs = items.map((item) =>
        readResponse(
          vendor,
          'list',
          item,
          (i) => codec().readSubscription(codec().wrap(i), false),
          subscriptionProblem,
        ),
      );
      all.push(...subs);
      const current: PageRequest = page;
      page = readResponse(vendor, 'list', body, (b) =>
        nextPage(
          api,
          current,
          { body: b, headers: response.headers, itemCount: items.length, lastItemId: subs[subs.length - 1]?.id },
          config.baseUrl,
        ),
      );
    }
    return all;
  };

  const get = async (id: string): Promise<Subscription> => {
    requireApi('get');
    checkId(vendor, id);
    const response = await call({ operation: 'get', id, retryAmbiguous: true });
    return toSubscription('get', parseBody('get', response));
  };

  const findById = async (id: string): Promise<Subscription | undefined> => {
    checkId(vendor, id);
    if (supports('get')) {
      try {
        return await get(id);
      } catch (e) {
        if (e instanceof HookpackApiError && e.code === 'not_found') return undefined;
        throw e;
      }
    }
    requireApi('list', 'it can neither get nor list subscriptions');
    return (await list()).find((s) => s.id === id);
  };

  const findByUrl = async (url: string, options?: Record<string, unknown>): Promise<Subscription | undefined> => {
    if (typeof url !== 'string' || url === '') throw new HookpackInputError(`${name} findByUrl needs a URL`);
    requireApi('list', 'it cannot list subscriptions, so they cannot be found by URL');
    return (await list(undefined, options)).find((s) => sameUrl(s.url, url));
  };

  const deleteById = async (id: string, budget?: AttemptBudget): Promise<{ deleted: boolean }> => {
    requireApi('delete');
    checkId(vendor, id);
    // DELETE is idempotent: repeating it after an ambiguous failure ends in the same state.
    const response = await call({ operation: 'delete', id, retryAmbiguous: true, acceptStatuses: [404, 410] }, budget);
    return { deleted: response.status !== 404 && response.status !== 410 };
  };

  /** Deletes subscriptions to `url` that were not there before our create: they are ours, secret unknown. */
  const removeOrphans = async (
    url: string,
    before: Set<string>,
    options?: Record<string, unknown>,
  ): Promise<string[]> => {
    const orphans = (await list(undefined, options)).filter((s) => sameUrl(s.url, url) && !before.has(s.id));
    for (const orphan of orphans) await deleteById(orphan.id);
    return orphans.map((o) => o.id);
  };

  /**
   * A retried create must never leave two subscriptions (the vendor would deliver twice, and
   * the first one's secret is unknown). So a POST is repeated only when the vendor provably
   * did not act (429, connection refused) or dedupes by Idempotency-Key (same key on every
   * attempt). After an ambiguous failure (5xx, timeout, reset, unreadable 2xx) on a vendor
   * without keys, we list: subscriptions to this URL that were not in the list taken just
   * before the POST were created by it, and their secret is lost — we delete them and POST
   * again. The snapshot costs one GET per create and means a subscription that already
   * existed for the same URL is never touched. A vendor without list+delete gets no retry:
   * the error says the subscription may exist.
   */
  const create = async (input: SubscriptionInput): Promise<Subscription> => {
    const api = requireApi('create');
    checkInput(vendor, input, config.allowInsecureTargetUrl);
    if (oneEventPerSubscription(vendor) && input.events.length !== 1)
      throw new HookpackInputError(
        `${name} subscriptions carry one event each, but create got ${input.events.length}: use subscribe() to create one per event`,
      );
    // A client-chosen secret is made once per create call: every attempt sends the same one.
    const chosenSecret = clientSecret();
    const expiry = vendor.api?.expiry;
    const body = codec().createBody({
      ...input,
      ...(chosenSecret !== undefined && { secret: chosenSecret }),
      ...(expiry?.requestedOnCreate && { expiresAt: requestedExpiry(expiry, config.now()) }),
    });
    // Counts POST attempts only; the lookups around them have their own retries.
    const budget: AttemptBudget = { used: 0 };
    // A create whose answer we lost may still have happened (with idempotency keys too, once the
    // transport's retries with the same key are spent). We can only tell which subscriptions are
    // ours if we know which ones existed before.
    const canRecover = supports('list') && supports('delete');
    const before = canRecover
      ? new Set((await list(undefined, input.options)).filter((s) => sameUrl(s.url, input.url)).map((s) => s.id))
      : undefined;
    let retryNumber = 0;
    for (;;) {
      let response: RawResponse;
      try {
        // The transport itself retries only what is provably safe for a POST: 429, refused
        // connections, and anything when the vendor honours Idempotency-Key.
        response = await call({ operation: 'create', body, events: input.events, retryAmbiguous: false }, budget);
      } catch (e) {
        if (!(e instanceof HookpackApiError) || !e.mayHaveActed) throw e;
        if (!before) {
          e.message +=
            ` ${name} may have created the subscription anyway; hookpack cannot check and clean up` +
            ` (${name} documents no ${supports('list') ? 'delete' : 'list'} endpoint), so it did not retry:` +
            ' look in the vendor dashboard before trying again.';
          throw e;
        }
        // The vendor may have acted, but then its secret is lost: delete what it created, then retry.
        let removed: string[];
        try {
          removed = await removeOrphans(input.url, before, input.options);
        } catch (lookup) {
          e.message +=
            ` ${name} may have created the subscription anyway, and hookpack could not check:` +
            ` ${lookup instanceof Error ? lookup.message : String(lookup)}`;
          throw e;
        }
        if (removed.length > 0) {
          e.message += ` hookpack deleted the subscription ${name} had created anyway (${removed.join(', ')}), because its secret was lost.`;
        }
        // With idempotency keys the transport already retried with the same key, within budget.
        if (api.idempotencyKeys || budget.used >= config.retry.maxAttempts) throw e;
        await config.sleep(backoffDelay(++retryNumber, config.retry, config.random));
        continue;
      }
      let created: Subscription | undefined;
      try {
        created = toSubscription('create', parseBody('create', response), true);
        if (chosenSecret !== undefined) created.secret = chosenSecret;
        if (vendor.signature.publicKey?.source === 'api') created.publicKey = await signingKey(created);
        if (
          vendor.signature.secretSource === 'subscription' &&
          vendor.signature.secretRequired &&
          !vendor.signature.publicKey &&
          !created.secret
        ) {
          throw invalidResponse(
            vendor,
            'create',
            'no signing secret in the answer, so deliveries could not be verified',
          );
        }
      } catch (e) {
        // It was created but we cannot use it: do not leave it behind, and say whether that worked.
        const createdId = created?.id;
        const undone =
          createdId !== undefined
            ? await deleteById(createdId).then(
                () => true,
                () => false,
              )
            : before
              ? await removeOrphans(input.url, before, input.options).then(
                  () => true,
                  () => false,
                )
              : false;
        if (e instanceof HookpackApiError && createdId !== undefined) {
          if (!e.message.endsWith('.')) e.message += '.';
          e.message += undone
            ? ` ${name} had created it (${createdId}); hookpack deleted it again.`
            : ` ${name} had created it, and deleting it failed: delete subscription ${createdId} in ${name} by hand.`;
        }
        throw e;
      }
      return created;
    }
  };

  const subscribe = async (input: SubscriptionInput): Promise<Subscription[]> => {
    requireApi('create');
    checkInput(vendor, input, config.allowInsecureTargetUrl);
    const created: Subscription[] = [];
    for (const events of subscriptionGroups(vendor, input.events)) {
      try {
        created.push(await create({ ...input, events }));
      } catch (error) {
        if (created.length === 0) throw error;
        // All or nothing: take back what this call created; name what could not be taken back.
        const { failed } = await deleteEach(created.map((s) => s.id));
        const leftBehind = failed.map((f) => f.id);
        if (error instanceof Error) {
          if (!/[.!?]$/.test(error.message)) error.message += '.';
          error.message +=
            leftBehind.length === 0
              ? ` hookpack deleted the ${created.length} ${name} subscription(s) it had created for the other events (${created.map((s) => s.id).join(', ')}), so none is left half-made.`
              : ` hookpack could not delete ${leftBehind.length} of the ${name} subscriptions it had created for the other events: delete ${leftBehind.join(', ')} in ${name} by hand.`;
          Object.assign(error, { leftBehind });
        }
        throw error;
      }
    }
    return created;
  };

  const deleteEach = async (ids: readonly string[]): Promise<DeleteEachResult> => {
    const out: DeleteEachResult = { deleted: [], failed: [] };
    for (const id of ids) {
      try {
        await deleteById(id);
        out.deleted.push(id);
      } catch (error) {
        out.failed.push({ id, error });
      }
    }
    return out;
  };

  const update = async (id: string, patch: SubscriptionPatch): Promise<Subscription> => {
    requireApi('update');
    checkId(vendor, id);
    checkPatch(vendor, patch, config.allowInsecureTargetUrl);
    if (patch.active !== undefined && !canPause(vendor)) {
      throw new UnsupportedOperationError(name, 'update', 'its subscriptions cannot be paused or resumed');
    }
    const spec: RequestSpec = { operation: 'update', id, body: codec().updateBody(id, patch), retryAmbiguous: true };
    if (patch.events) spec.events = patch.events;
    // Setting fields twice gives the same result, so an ambiguous failure may be retried.
    const body = parseBody('update', await call(spec));
    if (body !== undefined) return toSubscription('update', body);
    // 204 No Content: read the subscription back.
    const found = supports('get') || supports('list') ? await findById(id) : undefined;
    if (!found) throw invalidResponse(vendor, 'update', 'empty answer and the subscription could not be read back');
    return found;
  };

  const test = async (id: string): Promise<{ raw: unknown }> => {
    requireApi('test');
    checkId(vendor, id);
    // A repeated test would send the user a second test event: only safe retries.
    const body = parseBody('test', await call({ operation: 'test', id, retryAmbiguous: false }));
    return { raw: body === undefined ? undefined : unwrap('test', body) };
  };

  const rotate = async (id: string): Promise<string> => {
    checkId(vendor, id);
    const rotation = rotationOf(vendor);
    if (rotation === 'update') {
      // The client chooses secrets: send a new one. A repeat after a lost answer sends the same.
      requireApi('update');
      const secret = clientSecret()!;
      await call({ operation: 'update', id, body: codec().updateBody(id, { secret }), retryAmbiguous: true });
      return secret;
    }
    requireApi('rotate', vendor.signature.rotation === 'none' ? 'its signing secret cannot be rotated' : undefined);
    // Repeating a rotation whose answer was lost is what the caller needs anyway: the lost
    // secret already replaced the old one, and the repeat yields one we know.
    const body = parseBody('rotate', await call({ operation: 'rotate', id, retryAmbiguous: true }));
    if (body === undefined) throw invalidResponse(vendor, 'rotate', 'empty body where the new secret was expected');
    return readResponse(
      vendor,
      'rotate',
      body,
      (b) => codec().rotatedSecret(b) as string,
      (s) => (typeof s === 'string' && s !== '' ? undefined : 'no new secret in the answer'),
    );
  };

  /** The key at the declared path of a signing/publicKey answer (inside the document wrapper, if any). */
  const keyIn = (op: Operation, body: unknown): string => {
    const source = vendor.signature.publicKey;
    const path = source?.source === 'api' ? source.keyPath : 'public_key';
    return readResponse(
      vendor,
      op,
      body,
      (b) => {
        const unwrapped = codec().unwrap(b);
        return (getPath(unwrapped, path) ?? getPath(b, path)) as string;
      },
      (k) => (typeof k === 'string' && k.trim() !== '' ? undefined : `no public key at "${path}" in the answer`),
    );
  };

  const fetchPublicKey = async (id: string): Promise<string> => {
    checkId(vendor, id);
    const source = vendor.signature.publicKey;
    if (source?.source !== 'api')
      throw new UnsupportedOperationError(name, 'publicKey', 'its API does not hand out a public key');
    if (supports('publicKey')) {
      const body = parseBody('publicKey', await call({ operation: 'publicKey', id, retryAmbiguous: true }));
      return keyIn('publicKey', body);
    }
    requireApi('signing', 'it declares neither a publicKey nor a signing endpoint');
    // Turning signing on again is idempotent and answers with the current key.
    const response = await call({ operation: 'signing', id, body: source.enableBody ?? {}, retryAmbiguous: true });
    return keyIn('signing', parseBody('signing', response));
  };

  /**
   * After create: turn signing on where the vendor needs a call for it, and learn the key —
   * from that call's answer, the publicKey endpoint, or the create answer itself.
   */
  const signingKey = async (created: Subscription): Promise<string> => {
    const source = vendor.signature.publicKey;
    if (source?.source !== 'api') throw new Error('internal: no API public key');
    if (supports('signing')) {
      const response = await call({
        operation: 'signing',
        id: created.id,
        body: source.enableBody ?? {},
        retryAmbiguous: true, // turning signing on twice leaves it on
      });
      const answer = parseBody('signing', response);
      if (answer !== undefined) {
        try {
          return keyIn('signing', answer);
        } catch (e) {
          if (!supports('publicKey')) throw e;
        }
      }
      return fetchPublicKey(created.id);
    }
    if (supports('publicKey')) return fetchPublicKey(created.id);
    const key = getPath(created.raw, source.keyPath);
    if (typeof key === 'string' && key.trim() !== '') return key;
    throw invalidResponse(vendor, 'create', `no public key at "${source.keyPath}" in the answer`);
  };

  const renew = async (id: string, input: SubscriptionInput): Promise<RenewResult> => {
    checkId(vendor, id);
    const expiry = vendor.api?.expiry;
    if (!expiry) throw new UnsupportedOperationError(name, 'renew', 'its subscriptions do not expire');
    if (expiry.renew.kind === 'recreate') {
      const subscription = await create(input);
      const oldDeleted = await deleteById(id).then(
        () => true,
        () => false,
      );
      return { kind: 'replaced', subscription, oldDeleted };
    }
    if (expiry.renew.kind === 'patch') {
      const wanted = requestedExpiry(expiry, config.now());
      const updated = await update(id, { expiresAt: wanted });
      return { kind: 'extended', expiresAt: updated.expiresAt ?? wanted };
    }
    requireApi('renew');
    // Extending twice ends in the same state, so an ambiguous failure may be retried.
    const body = parseBody('renew', await call({ operation: 'renew', id, retryAmbiguous: true }));
    const path = expiry.renew.answerPath ?? expiry.field.path;
    const fromAnswer =
      body === undefined
        ? undefined
        : (readTimestamp(getPath(codec().unwrap(body), path), expiry.field.unit) ??
          readTimestamp(getPath(body, path), expiry.field.unit));
    if (fromAnswer !== undefined) return { kind: 'extended', expiresAt: fromAnswer };
    // An answer without the new expiry: read it back.
    const current = await findById(id);
    if (!current?.expiresAt)
      throw invalidResponse(vendor, 'renew', `no new expiry at "${path}" in the answer, nor on the subscription`);
    return { kind: 'extended', expiresAt: current.expiresAt };
  };

  const me = async (): Promise<unknown> => {
    requireApi('me');
    const body = parseBody('me', await call({ operation: 'me', retryAmbiguous: true }));
    return body === undefined ? undefined : unwrap('me', body);
  };

  return {
    vendor,
    baseUrl: config.baseUrl,
    supports,
    create,
    subscribe,
    deleteEach,
    list: (options) => list(undefined, options),
    get,
    findById,
    findByUrl: (url, options) => {
      checkTargetUrl(vendor, url, true);
      return findByUrl(url, options);
    },
    update,
    delete: (id) => deleteById(id),
    test,
    rotate,
    me,
    publicKey: fetchPublicKey,
    renew,
  };
}

/** The declared list filters that `options` give a value for, as query parameters. */
function listFilter(filters: Record<string, string> | undefined, options: Record<string, unknown> | undefined) {
  const query: Record<string, string> = {};
  for (const [option, param] of Object.entries(filters ?? {})) {
    const value = options?.[option];
    if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)))
      query[param] = String(value);
  }
  return query;
}
