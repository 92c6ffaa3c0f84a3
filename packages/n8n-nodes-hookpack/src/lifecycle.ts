import {
  leftBehindOf,
  oneEventPerSubscription,
  usesAppSecret,
  type Subscription,
  type VendorDefinition,
} from '@hookpack/core';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import {
  actionableError,
  activationFailure,
  insecureUrlError,
  rateLimitBudgetSpent,
  rateLimitOf,
  settingsProblem,
  waitProblem,
} from './api-errors.js';
import { budgetKey, chargeRateLimited, clearRateLimited, waitBeforeCalling } from './rate-limit-budget.js';
import { namesFor } from './names.js';
import { apiCredentials } from './api-credentials.js';
import { PARAM, subscriptionOptionInput } from './parameters.js';
import { labelWithOwner, ownerInLabel, ownerOf, sameOwner, type Owner } from './ownership.js';
import { openSecret, sealSecret } from './seal.js';
import {
  dropForeignSubscriptions,
  stateOf,
  forgetSubscription,
  storeSubscription,
  storeSubscriptions,
  storedSubscription,
  storedSubscriptions,
  type StoredSubscription,
  type WebhookKind,
} from './state.js';
import { subscriptionApi, type SubscriptionApi } from './vendor-api.js';

type WebhookMethod = (this: IHookFunctions) => Promise<boolean>;

/** Longest Retry-After the client sleeps through within one of n8n's activation attempts. */
const LIFECYCLE_MAX_RETRY_AFTER_MS = 5_000;

/**
 * n8n's webhook lifecycle for one vendor. checkExists reconciles what the vendor holds with
 * what the node stored, so activate/deactivate, test listening, restarts and half-failed
 * creates leave exactly one subscription per active node and none behind.
 */
export function webhookLifecycle(vendor: VendorDefinition): Record<'checkExists' | 'create' | 'delete', WebhookMethod> {
  if (!vendor.api) {
    // Set up by hand in the vendor's UI: nothing to register, nothing to remove.
    return {
      async checkExists() {
        return true;
      },
      async create() {
        return true;
      },
      async delete() {
        return true;
      },
    };
  }
  const steps = restLifecycle(vendor);
  // Every failure reaches n8n naming this node, with the actionable text; permanent ones stop n8n's retries.
  // During activation a vendor's 429 is waited out and budgeted across n8n's own attempts
  // (rate-limit-budget.ts); deactivation is not retried by n8n, so it always calls the vendor.
  const guarded = (step: (fns: IHookFunctions) => Promise<boolean>, activation = true): WebhookMethod =>
    async function (this: IHookFunctions) {
      const node = this.getNode();
      if (!activation) {
        try {
          return await step(this);
        } catch (error) {
          throw activationFailure(vendor, node, error);
        }
      }
      const budget = budgetKey(vendor.id, this.getWorkflow().id, node.id);
      const waitMs = waitBeforeCalling(budget);
      if (waitMs > 0) throw activationFailure(vendor, node, waitProblem(vendor, waitMs));
      try {
        const done = await step(this);
        // true: the trigger is registered (checkExists found it, or create made it).
        if (done) clearRateLimited(budget);
        return done;
      } catch (error) {
        const limited = rateLimitOf(error);
        if (limited) {
          const spent = chargeRateLimited(budget, limited.requests, limited.retryAfterMs);
          if (spent.exhausted) {
            this.logger?.warn(
              `${vendor.displayName} trigger: ${spent.requests} requests answered 429 during this activation; stopped trying.`,
            );
            throw activationFailure(vendor, node, rateLimitBudgetSpent(vendor, spent.requests, spent.waitMs));
          }
        }
        throw activationFailure(vendor, node, error);
      }
    };
  return {
    checkExists: guarded(steps.reconcile),
    create: guarded(steps.register),
    delete: guarded(steps.unregister, false),
  };
}

/** The reconcile / register / unregister steps over the vendor's API, also run by the upkeep (upkeep.ts). */
export function restLifecycle(vendor: VendorDefinition) {
  return {
    async reconcile(fns: IHookFunctions) {
      const ctx = await hookContext(fns, vendor);
      const kept: Subscription[] = [];
      const covered = new Set<string>();
      for (const stored of storedSubscriptions(ctx.staticData, ctx.kind)) {
        // One event per subscription: one for an event no longer selected, or a second one for
        // the same event, is ours and not needed.
        const surplus =
          ctx.perEvent &&
          (stored.events.length !== 1 || !ctx.events.includes(stored.events[0]!) || covered.has(stored.events[0]!));
        const keep = surplus ? await dropStored(ctx, stored) : await reconcileStored(ctx, stored);
        if (!keep) continue;
        kept.push(keep);
        for (const e of keep.events) covered.add(e);
      }
      // Other subscriptions to this URL: ours but unusable (their secret was never stored) —
      // deleted only where the vendor's label proves they are ours.
      await sweepStrays(ctx, new Set(kept.map((s) => s.id)));
      // Every selected event has its subscription; else create() adds the missing ones.
      return kept.length > 0 && ctx.events.every((e) => covered.has(e));
    },

    async register(fns: IHookFunctions) {
      const ctx = await hookContext(fns, vendor);
      // What reconcile kept stays; only the events without a subscription get one (all of
      // them, or one subscription carrying all, for the other vendors).
      const kept = storedSubscriptions(ctx.staticData, ctx.kind);
      const covered = new Set(kept.flatMap((s) => s.events));
      const missing = ctx.perEvent ? ctx.events.filter((e) => !covered.has(e)) : kept.length > 0 ? [] : ctx.events;
      if (missing.length === 0) return true;
      // What already points at this URL is not this activation's work, whatever happens next.
      const before = await idsAtUrl(ctx, 'create the webhook subscription');
      let created: Subscription[];
      try {
        // All or nothing: core deletes what it made when a later create fails.
        created = await ctx.api.subscribe({ url: ctx.url, events: missing, options: ctx.options });
      } catch (error) {
        // The vendor may have saved it before the failure reached us (timeout, 5xx on the way back).
        const failure = actionableError(vendor, 'create the webhook subscription', error, missing);
        const leftBehind = leftBehindOf(error);
        await sweepStrays(ctx, new Set(kept.map((s) => s.id)), before).then(
          () => {
            // Created during this activation, so provably ours: the sweep deleted them after all.
            if (leftBehind.length > 0)
              failure.message += ` hookpack deleted ${leftBehind.join(', ')} afterwards, so nothing is left behind.`;
          },
          (cleanup: unknown) => {
            const why = (cleanup as Error).message;
            // The same cause (a revoked key refuses the clean-up too) is said once.
            if (why !== failure.message) failure.message += ` Cleaning up afterwards also failed: ${why}`;
            ctx.fns.logger?.warn(`${vendor.displayName} trigger: cleaning up after a failed create failed: ${why}`);
          },
        );
        throw failure;
      }
      // core's client already refused (and deleted) a create answer without a secret or public key.
      storeSubscriptions(ctx.staticData, ctx.kind, [
        ...kept,
        ...created.map((sub): StoredSubscription => ({
          id: sub.id,
          url: ctx.url,
          events: ctx.perEvent ? [...sub.events] : ctx.events,
          ...(keyFromApi(vendor)
            ? { publicKey: sub.publicKey! }
            : ctx.appSigned
              ? {}
              : { sealedSecret: sealSecret(sub.secret!, ctx.sealKey, ctx.owner) }),
          owner: ctx.owner,
          ...expiryOf(sub),
        })),
      ]);
      for (const sub of created)
        if (sub.expiresAt)
          ctx.fns.logger?.info(
            `${vendor.displayName} trigger: subscription ${sub.id} expires at ${sub.expiresAt}; hookpack renews it before then.`,
          );
      return true;
    },

    async unregister(fns: IHookFunctions) {
      // n8n also calls this after refusing an activation (1.x: "the URL path is already
      // taken" for an imported or pasted copy): only what this trigger owns may go.
      const ctx = await hookContext(fns, vendor);
      const stored = storedSubscriptions(ctx.staticData, ctx.kind);
      if (stored.length > 0) {
        // Every one is tried; "already gone" counts as deleted. Those that failed stay in the
        // node's state, so the next activation with a working key reuses or deletes them.
        const { failed } = await ctx.api.deleteEach(stored.map((s) => s.id));
        const failedIds = new Set(failed.map((f) => f.id));
        storeSubscriptions(
          ctx.staticData,
          ctx.kind,
          stored.filter((s) => failedIds.has(s.id)),
        );
        if (failed.length > 0) {
          const failure = actionableError(vendor, 'delete the webhook subscription', failed[0]!.error, ctx.events);
          const ids = [...failedIds].join(', ');
          const one = failed.length === 1;
          if (stored.length > 1)
            failure.message += ` ${failed.length} of this trigger's ${stored.length} subscriptions could not be deleted.`;
          failure.message +=
            ` ${one ? `Subscription ${ids} is` : `Subscriptions ${ids} are`} still at ${vendor.displayName} and keep${one ? 's' : ''} sending events to this workflow's URL:` +
            ` once the credential works, publish the workflow again (hookpack then reuses or deletes ${one ? 'it' : 'them'}),` +
            ` or delete ${one ? 'it' : 'them'} by hand in the ${vendor.displayName} dashboard.`;
          ctx.fns.logger?.warn(`${vendor.displayName} trigger: ${failure.message}`);
          throw failure;
        }
      }
      await sweepStrays(ctx, undefined);
      return true;
    },
  };
}

interface HookContext {
  vendor: VendorDefinition;
  fns: IHookFunctions;
  owner: Owner;
  /** Seals the signing secrets in the node's state: the credential's API key (or client secret). */
  sealKey: string;
  api: SubscriptionApi;
  staticData: IDataObject;
  kind: WebhookKind;
  url: string;
  events: string[];
  options: Record<string, unknown>;
  /** The vendor's subscriptions carry one event each: this trigger owns one per selected event. */
  perEvent: boolean;
  /** Deliveries are signed with the app's secret from the credential: no secret per subscription. */
  appSigned: boolean;
}

async function hookContext(fns: IHookFunctions, vendor: VendorDefinition): Promise<HookContext> {
  const names = namesFor(vendor);
  const credentials = await fns.getCredentials(names.credentialName);
  const url = fns.getNodeWebhookUrl('default');
  if (!url) throw new Error('n8n did not provide a webhook URL for this node');
  const fromCredential = apiCredentials(vendor, credentials);
  const allowHttp = fromCredential.allowHttpWebhookUrl;
  if (vendor.api?.requiresHttpsTarget && url.startsWith('http://') && !allowHttp) {
    throw insecureUrlError(vendor, url);
  }
  const events = fns.getNodeParameter(PARAM.events, []) as string[];
  if (!Array.isArray(events) || events.length === 0) {
    throw settingsProblem(`Select at least one ${vendor.displayName} event in the node's "Events" parameter.`);
  }

  const staticData = fns.getWorkflowStaticData('node');
  const owner = ownerOf(fns);
  const kind = webhookKind(fns.getMode(), url, staticData);
  if (kind === 'production' && vendor.api?.expiry !== undefined) stateOf(staticData).productionUrl = url;
  const copied = dropForeignSubscriptions(staticData, owner);
  if (copied.length > 0) {
    fns.logger?.info(
      `${vendor.displayName} trigger: this workflow's state names subscription ${copied.map((s) => s.id).join(', ')} ` +
        `of another workflow (an imported, duplicated or pasted copy); forgot it and left it alone at ${vendor.displayName}.`,
    );
  }
  const options = subscriptionOptionInput(vendor, (name, fallback) => fns.getNodeParameter(name, fallback));
  const label = vendor.api?.ownerLabel?.option;
  if (label) options[label] = labelWithOwner(options[label], owner);
  return {
    vendor,
    fns,
    owner,
    sealKey: fromCredential.sealKey,
    api: subscriptionApi(vendor, {
      auth: fromCredential.auth,
      baseUrl: fromCredential.baseUrl,
      allowInsecureTargetUrl: allowHttp,
      // A longer Retry-After is not slept through inside n8n's activation: the budget waits it out.
      maxRetryAfterMs: LIFECYCLE_MAX_RETRY_AFTER_MS,
    }),
    staticData,
    kind,
    url,
    events: [...events].sort(),
    options,
    perEvent: oneEventPerSubscription(vendor),
    appSigned: usesAppSecret(vendor),
  };
}

/** Deletes one of this trigger's own subscriptions it no longer needs, and forgets it. */
async function dropStored(ctx: HookContext, stored: StoredSubscription): Promise<undefined> {
  try {
    await ctx.api.delete(stored.id);
  } catch (error) {
    throw actionableError(ctx.vendor, 'delete a webhook subscription no longer needed', error, stored.events);
  }
  forgetSubscription(ctx.staticData, ctx.kind, stored.id);
  return undefined;
}

/** The stored subscription if it can stay (reactivated or updated as needed), else undefined. */
async function reconcileStored(ctx: HookContext, found: StoredSubscription): Promise<Subscription | undefined> {
  let stored = found;
  const { api, vendor } = ctx;
  try {
    const current = await api.findById(stored.id);
    if (!current) {
      // Deleted at the vendor: forget it so create() registers a fresh one.
      forgetSubscription(ctx.staticData, ctx.kind, stored.id);
      return undefined;
    }
    // A public key is fetched again whenever it fails, and an app-signed vendor's deliveries
    // verify with the credential's app secret: such a subscription needs no stored secret.
    const noStoredSecret = keyFromApi(vendor) || ctx.appSigned;
    const secret = noStoredSecret
      ? undefined
      : stored.sealedSecret
        ? openSecret(stored.sealedSecret, ctx.sealKey, ctx.owner)
        : stored.secret;
    if (!api.sameUrl(current.url, ctx.url) || (!noStoredSecret && !secret)) {
      // Our own subscription for an old URL (WEBHOOK_URL changed) or one we cannot verify with:
      // no secret, or one sealed with an API key the credential no longer holds.
      if (stored.sealedSecret && !secret) {
        ctx.fns.logger?.info(
          `${vendor.displayName} trigger: the signing secret of subscription ${stored.id} was sealed with another API key than the credential holds now; replacing the subscription.`,
        );
      }
      await api.delete(current.id);
      forgetSubscription(ctx.staticData, ctx.kind, stored.id);
      return undefined;
    }
    if (!stored.sealedSecret && secret) {
      // Written in plain text by an older version: seal it now.
      stored = { ...stored, sealedSecret: sealSecret(secret, ctx.sealKey, ctx.owner) };
      delete stored.secret;
      storeSubscription(ctx.staticData, ctx.kind, stored);
    }
    const label = vendor.api?.ownerLabel?.option;
    // The events this subscription should carry: all selected, or its own one (checked by the caller).
    const wanted = ctx.perEvent ? stored.events : ctx.events;
    // Events changed in the node, or a subscription created before ownership was recorded.
    const eventsChanged =
      !sameSet(current.events, wanted) || (label !== undefined && current.options[label] !== ctx.options[label]);
    if (eventsChanged || !current.active) {
      if (!api.supports('update')) {
        await api.delete(current.id);
        forgetSubscription(ctx.staticData, ctx.kind, stored.id);
        return undefined;
      }
      // Reactivates a subscription the vendor paused after failed deliveries, and keeps
      // events in line with the node; the secret survives an update.
      const updated = await api.update(current.id, {
        ...(eventsChanged ? { events: wanted, options: ctx.options } : {}),
        ...(!current.active ? { active: true } : {}),
      });
      storeSubscription(ctx.staticData, ctx.kind, { ...stored, events: wanted });
      return updated;
    }
    if (current.expiresAt && current.expiresAt !== stored.expiresAt)
      storeSubscription(ctx.staticData, ctx.kind, { ...stored, ...expiryOf(current) });
    return current;
  } catch (error) {
    throw actionableError(vendor, 'check the webhook subscription', error, ctx.events);
  }
}

/**
 * Which stored subscription a call is about. Test listening registers in 'manual' mode, but n8n
 * ends it with a delete in 'internal' mode: the URL (the test URL) is what tells them apart.
 */
function webhookKind(mode: string, url: string, staticData: IDataObject): WebhookKind {
  if (mode === 'manual') return 'test';
  return storedSubscription(staticData, 'test')?.url === url ? 'test' : 'production';
}

/** Ids of the subscriptions that point at this URL now; undefined when the vendor cannot list. */
async function idsAtUrl(ctx: HookContext, doing: string): Promise<Set<string> | undefined> {
  if (!ctx.api.supports('list')) return undefined;
  try {
    return new Set((await ctx.api.findByUrl(ctx.url)).map((s) => s.id));
  } catch (error) {
    throw actionableError(ctx.vendor, doing, error, ctx.events);
  }
}

/**
 * Deletes other subscriptions to this URL that are provably this trigger's: its mark is in
 * the vendor's label, or (`before` given) they appeared during this activation's create. A
 * subscription to the same URL proves nothing by itself — an imported or pasted copy has the
 * original's URL — so anything else is left alone and logged.
 */
async function sweepStrays(ctx: HookContext, keepIds: Set<string> | undefined, before?: Set<string>): Promise<void> {
  if (!ctx.api.supports('list')) return;
  try {
    const strays = (await ctx.api.findByUrl(ctx.url)).filter((sub) => !keepIds?.has(sub.id));
    const unproven: string[] = [];
    for (const sub of strays) {
      const markedOwner = ownerInLabel(ctx.vendor, sub);
      const ours = markedOwner ? sameOwner(markedOwner, ctx.owner) : before !== undefined && !before.has(sub.id);
      if (ours) await ctx.api.delete(sub.id);
      else unproven.push(sub.id);
    }
    if (unproven.length > 0) {
      ctx.fns.logger?.warn(
        `${ctx.vendor.displayName} trigger: left subscription ${unproven.join(', ')} at ${ctx.vendor.displayName} alone: ` +
          'it points at this URL but nothing shows this workflow owns it. Delete it in the vendor dashboard if it is unwanted.',
      );
    }
  } catch (error) {
    throw actionableError(ctx.vendor, 'clean up old webhook subscriptions', error, ctx.events);
  }
}

/** The expiry fields to store for a subscription just read or created (none for vendors without expiry). */
function expiryOf(sub: Subscription): Pick<StoredSubscription, 'expiresAt' | 'expiryGrantedAt'> {
  return sub.expiresAt ? { expiresAt: sub.expiresAt, expiryGrantedAt: Date.now() } : {};
}

/** The vendor hands out a public key per subscription through its API (nothing to seal). */
function keyFromApi(vendor: VendorDefinition): boolean {
  return vendor.signature.publicKey?.source === 'api';
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}
