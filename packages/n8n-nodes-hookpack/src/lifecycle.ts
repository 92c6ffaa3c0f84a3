import type { Subscription, SubscriptionInput, VendorDefinition } from '@hookpack/core';
import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';
import { actionableError, insecureUrlError } from './api-errors.js';
import { CREDENTIAL_FIELDS } from './credential.js';
import { namesFor } from './names.js';
import { PARAM, subscriptionOptionValues } from './parameters.js';
import {
  forgetSubscription,
  storeSubscription,
  storedSubscription,
  type StoredSubscription,
  type WebhookKind,
} from './state.js';
import { subscriptionApi, type SubscriptionApi } from './vendor-api.js';

type WebhookMethod = (this: IHookFunctions) => Promise<boolean>;

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
  // Every failure reaches n8n as a NodeOperationError naming this node, with the actionable text.
  const guarded = (step: (fns: IHookFunctions) => Promise<boolean>): WebhookMethod =>
    async function (this: IHookFunctions) {
      try {
        return await step(this);
      } catch (error) {
        throw error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
      }
    };
  return {
    checkExists: guarded(steps.reconcile),
    create: guarded(steps.register),
    delete: guarded(steps.unregister),
  };
}

function restLifecycle(vendor: VendorDefinition) {
  return {
    async reconcile(fns: IHookFunctions) {
      const ctx = await hookContext(fns, vendor);
      const stored = storedSubscription(ctx.staticData, ctx.kind);
      let keep: Subscription | undefined;
      if (stored) keep = await reconcileStored(ctx, stored);
      // Anything else at the vendor pointing at this URL is ours but unusable: its secret
      // was never stored (lost static data, a create that failed after the vendor saved it).
      await deleteOthersWithUrl(ctx, keep?.id);
      return keep !== undefined;
    },

    async register(fns: IHookFunctions) {
      const ctx = await hookContext(fns, vendor);
      const input: SubscriptionInput = { url: ctx.url, events: ctx.events, options: ctx.options };
      let created: Subscription;
      try {
        created = await ctx.api.create(input);
      } catch (error) {
        // The vendor may have saved it before the failure reached us (timeout, 5xx on the way back).
        const failure = actionableError(vendor, 'create the webhook subscription', error, ctx.events);
        await deleteOthersWithUrl(ctx, undefined).catch((cleanup: unknown) => {
          failure.message += ` Cleaning up afterwards also failed: ${(cleanup as Error).message}`;
        });
        throw failure;
      }
      // core's client already refused (and deleted) a create answer without a secret.
      storeSubscription(ctx.staticData, ctx.kind, {
        id: created.id,
        url: ctx.url,
        events: ctx.events,
        secret: created.secret!,
      });
      return true;
    },

    async unregister(fns: IHookFunctions) {
      const ctx = await hookContext(fns, vendor);
      const stored = storedSubscription(ctx.staticData, ctx.kind);
      if (stored) {
        try {
          await ctx.api.delete(stored.id); // "already gone" counts as deleted
        } catch (error) {
          throw actionableError(vendor, 'delete the webhook subscription', error, ctx.events);
        }
        forgetSubscription(ctx.staticData, ctx.kind);
      }
      await deleteOthersWithUrl(ctx, undefined);
      return true;
    },
  };
}

interface HookContext {
  vendor: VendorDefinition;
  api: SubscriptionApi;
  staticData: IDataObject;
  kind: WebhookKind;
  url: string;
  events: string[];
  options: Record<string, unknown>;
}

async function hookContext(fns: IHookFunctions, vendor: VendorDefinition): Promise<HookContext> {
  const names = namesFor(vendor);
  const credentials = await fns.getCredentials(names.credentialName);
  const url = fns.getNodeWebhookUrl('default');
  if (!url) throw new Error('n8n did not provide a webhook URL for this node');
  const allowHttp = credentials[CREDENTIAL_FIELDS.allowHttpWebhookUrl] === true;
  if (vendor.api?.requiresHttpsTarget && url.startsWith('http://') && !allowHttp) {
    throw insecureUrlError(vendor, url);
  }
  const events = fns.getNodeParameter(PARAM.events, []) as string[];
  if (!Array.isArray(events) || events.length === 0) {
    throw new Error(`Select at least one ${vendor.displayName} event in the node's "Events" parameter`);
  }
  const rawOptions = fns.getNodeParameter(PARAM.subscription, {}) as Record<string, unknown>;
  const staticData = fns.getWorkflowStaticData('node');
  return {
    vendor,
    api: subscriptionApi(vendor, {
      apiKey: String(credentials[CREDENTIAL_FIELDS.apiKey] ?? ''),
      baseUrl: String(credentials[CREDENTIAL_FIELDS.baseUrl] ?? vendor.api!.baseUrl),
      allowInsecureTargetUrl: allowHttp,
    }),
    staticData,
    kind: webhookKind(fns.getMode(), url, staticData),
    url,
    events: [...events].sort(),
    options: subscriptionOptionValues(vendor, rawOptions ?? {}),
  };
}

/** The stored subscription if it can stay (reactivated or updated as needed), else undefined. */
async function reconcileStored(ctx: HookContext, stored: StoredSubscription): Promise<Subscription | undefined> {
  const { api, vendor } = ctx;
  try {
    const current = await api.findById(stored.id);
    if (!current) {
      // Deleted at the vendor: forget it so create() registers a fresh one.
      forgetSubscription(ctx.staticData, ctx.kind);
      return undefined;
    }
    if (!api.sameUrl(current.url, ctx.url) || !stored.secret) {
      // Our own subscription for an old URL (WEBHOOK_URL changed) or one we cannot verify.
      await api.delete(current.id);
      forgetSubscription(ctx.staticData, ctx.kind);
      return undefined;
    }
    const eventsChanged = !sameSet(current.events, ctx.events);
    if (eventsChanged || !current.active) {
      if (!api.supports('update')) {
        await api.delete(current.id);
        forgetSubscription(ctx.staticData, ctx.kind);
        return undefined;
      }
      // Reactivates a subscription the vendor paused after failed deliveries, and keeps
      // events in line with the node; the secret survives an update.
      const updated = await api.update(current.id, {
        ...(eventsChanged ? { events: ctx.events, options: ctx.options } : {}),
        ...(!current.active ? { active: true } : {}),
      });
      storeSubscription(ctx.staticData, ctx.kind, { ...stored, events: ctx.events });
      return updated;
    }
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

async function deleteOthersWithUrl(ctx: HookContext, keepId: string | undefined): Promise<void> {
  if (!ctx.api.supports('list')) return;
  try {
    const matches = await ctx.api.findByUrl(ctx.url);
    for (const sub of matches) {
      if (sub.id !== keepId) await ctx.api.delete(sub.id);
    }
  } catch (error) {
    throw actionableError(ctx.vendor, 'clean up old webhook subscriptions', error, ctx.events);
  }
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}
