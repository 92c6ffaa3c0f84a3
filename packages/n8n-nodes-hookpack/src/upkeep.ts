import { HookpackApiError, renewalDueAt, type VendorDefinition } from '@hookpack/core';
import type {
  CronExpression,
  IHookFunctions,
  INodeExecutionData,
  ITriggerFunctions,
  ITriggerResponse,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { restLifecycle } from './lifecycle.js';
import { namesFor } from './names.js';
import { apiCredentials } from './api-credentials.js';
import { ownerOf, sameOwner } from './ownership.js';
import {
  stateOf,
  storeSubscription,
  storedSubscriptions,
  forgetSubscription,
  type StoredSubscription,
} from './state.js';
import { subscriptionApi } from './vendor-api.js';
import { HEALTH_CHECK_DEFAULT_MINUTES, PARAM, subscriptionOptionInput } from './parameters.js';
import { takeTestRunData } from './test-run-data.js';

/** Failed renewals in a row (one per upkeep tick) before the subscription is replaced instead. */
export const RENEW_ATTEMPTS = 3;
/** Upkeep ticks per lifetime: renewal at 60% leaves several ticks for retries before it lapses. */
const TICKS_PER_LIFETIME = 20;
const MIN_TICK_S = 1;
/** Without an expiry, or for long lifetimes: a health check at most this far apart (the node's option, 1 h by default). */
const MAX_TICK_S = 3600;

/** What the process remembers between ticks: failed renewals, and why a repair was asked for. */
interface UpkeepMemory {
  failedRenewals: number;
  repair?: string;
  /**
   * The subscription the repair replaces, remembered here too: n8n 1.x re-adds the workflow
   * with the static data it was activated with, which may not name it any more.
   */
  replace?: string;
  /** When the last check ran (epoch ms); the cron may tick more often than checks are due. */
  lastCheckAt?: number;
}
const memory = new Map<string, UpkeepMemory>();

/**
 * n8n's `trigger()` for a vendor with a REST API: keeps the subscriptions that `create`
 * registered alive while the workflow is active. n8n runs it on activation and after every
 * restart, only on the main (leader) instance, and `registerCron` ticks only there, so exactly
 * one process renews. Each tick checks the subscriptions at the vendor and renews an expiring
 * one at 60% of its lifetime; a subscription that is gone, switched off, or could not be renewed
 * is repaired through n8n: `emitError` makes n8n register the trigger again (2.x; 1.x reactivates
 * the whole workflow, which runs checkExists), that registration recreates it through the
 * lifecycle's reconcile and register steps, and n8n saves the node's state afterwards — a change
 * made in a tick alone would never reach the database, nor the webhook processes that read the
 * secret from it.
 */
export function upkeepTrigger(vendor: VendorDefinition) {
  return async function trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
    const key = `${String(this.getWorkflow().id)}/${String(this.getNode().id)}`;
    if (this.getMode() === 'manual') {
      // A test delivery's execution: hand n8n back what webhook() produced.
      const emit = (data: INodeExecutionData[][]) => this.emit(data);
      return {
        manualTriggerFunction: async () => {
          emit(takeTestRunData(key) ?? [[]]);
        },
      };
    }
    const state = memory.get(key) ?? { failedRenewals: 0 };
    memory.set(key, state);
    if (state.repair !== undefined) {
      const reason = state.repair;
      try {
        await repair(this, vendor, reason, state.replace);
      } catch (error) {
        // Thrown, the repair still pending: n8n retries the registration (which repairs again),
        // and its last failure shows on the workflow.
        throw new NodeOperationError(
          this.getNode(),
          `${vendor.displayName} trigger: ${reason}, and recreating it failed: ${(error as Error).message}`,
        );
      }
      delete state.repair;
      delete state.replace;
      state.failedRenewals = 0;
    }
    // n8n 2.x registers this trigger while create() is still running (in parallel), so the
    // subscription's lifetime is unknown here: an expiring vendor's cron ticks every second and
    // each tick checks only once a twentieth of the lifetime stored by then has passed.
    const healthCheckS = healthCheckSeconds(this);
    const cron = vendor.api?.expiry ? cronEvery(MIN_TICK_S) : cronEvery(Math.min(healthCheckS, MAX_TICK_S));
    this.helpers.registerCron({ expression: cron }, () => {
      const interval = Math.min(
        healthCheckS,
        tickSeconds(vendor, storedSubscriptions(this.getWorkflowStaticData('node'), 'production')),
      );
      const now = Date.now();
      if (state.lastCheckAt !== undefined && now - state.lastCheckAt < interval * 1000 - 500) return;
      state.lastCheckAt = now;
      void upkeepTick(this, vendor, state).catch((error: unknown) =>
        this.logger.warn(
          `${vendor.displayName} trigger: checking the subscription failed: ${(error as Error).message}`,
        ),
      );
    });
    return {
      closeFunction: async () => {
        // n8n closes the trigger before registering it again after emitError: a pending repair must survive that.
        if (state.repair === undefined) memory.delete(key);
      },
    };
  };
}

/** The node's "Check Subscription Every (Minutes)", in seconds (1 min … 1 day; 1 h when unset or not a number). */
function healthCheckSeconds(fns: ITriggerFunctions): number {
  const options = fns.getNodeParameter(PARAM.options, {}) as Record<string, unknown>;
  const minutes = Number(options[PARAM.healthCheckMinutes] ?? HEALTH_CHECK_DEFAULT_MINUTES);
  const valid = Number.isFinite(minutes) && minutes >= 1 ? Math.min(minutes, 1440) : HEALTH_CHECK_DEFAULT_MINUTES;
  return Math.round(valid * 60);
}

/** Seconds between upkeep ticks: a twentieth of the shortest lifetime, within 1 s … 1 h. */
export function tickSeconds(vendor: VendorDefinition, stored: StoredSubscription[]): number {
  if (!vendor.api?.expiry) return MAX_TICK_S;
  const lifetimes = stored
    .filter((s) => s.expiresAt)
    .map(
      (s) =>
        Date.parse(s.expiresAt!) - (s.expiryGrantedAt ?? Date.parse(s.expiresAt!) - vendor.api!.expiry!.maxLifetimeMs),
    );
  const lifetime = lifetimes.length > 0 ? Math.min(...lifetimes) : vendor.api.expiry.maxLifetimeMs;
  return Math.min(MAX_TICK_S, Math.max(MIN_TICK_S, Math.floor(lifetime / TICKS_PER_LIFETIME / 1000)));
}

/** n8n's six-field cron expression for "every `seconds`" (rounded down to what cron can say). */
export function cronEvery(seconds: number): CronExpression {
  if (seconds < 60) return `*/${seconds} * * * * *`;
  if (seconds < 3600) return `0 */${Math.floor(seconds / 60)} * * * *` as CronExpression;
  return '0 0 * * * *';
}

export type TickOutcome =
  | { kind: 'healthy' }
  | { kind: 'renewed'; id: string; expiresAt: string }
  | { kind: 'renewal-failed'; id: string; attempt: number; message: string }
  /** `replace`: the subscription at fault, deleted once a repair no longer holds it (it was ours). */
  | { kind: 'repair'; reason: string; replace?: string };

/**
 * One upkeep tick: read each production subscription at the vendor, renew what is due, and ask
 * n8n for a repair (see upkeepTrigger) when one is gone, switched off, or its renewal failed
 * RENEW_ATTEMPTS times, was refused as unknown (404), or can only be done by recreating it.
 */
export async function upkeepTick(
  fns: ITriggerFunctions,
  vendor: VendorDefinition,
  memo: UpkeepMemory,
): Promise<TickOutcome> {
  const outcome = await checkOnce(fns, vendor, memo);
  const staticData = fns.getWorkflowStaticData('node');
  const text = describeOutcome(vendor, outcome);
  if (outcome.kind !== 'healthy') {
    stateOf(staticData).upkeep = { at: new Date().toISOString(), outcome: text };
    (outcome.kind === 'renewed' ? fns.logger.info : fns.logger.warn).call(
      fns.logger,
      `${vendor.displayName} trigger: ${text}`,
    );
  }
  if (outcome.kind === 'repair') {
    memo.repair = outcome.reason;
    if (outcome.replace !== undefined) memo.replace = outcome.replace;
    else delete memo.replace;
    fns.emitError(new NodeOperationError(fns.getNode(), `${vendor.displayName} trigger: ${text}`));
  }
  return outcome;
}

async function checkOnce(fns: ITriggerFunctions, vendor: VendorDefinition, memo: UpkeepMemory): Promise<TickOutcome> {
  const staticData = fns.getWorkflowStaticData('node');
  const owner = ownerOf(fns);
  const stored = storedSubscriptions(staticData, 'production').filter((s) => !s.owner || sameOwner(s.owner, owner));
  const url = stateOf(staticData).productionUrl ?? stored[0]?.url;
  if (!url) return { kind: 'healthy' }; // nothing registered: nothing to keep alive
  if (stored.length === 0) return { kind: 'repair', reason: 'this trigger holds no subscription' };
  const api = await apiFor(fns, vendor);
  const expiry = vendor.api?.expiry;
  for (const sub of stored) {
    const current = await api.findById(sub.id);
    if (!current)
      return {
        kind: 'repair',
        reason: `subscription ${sub.id} is gone at ${vendor.displayName} (deleted or expired there)`,
      };
    if (!current.active)
      return {
        kind: 'repair',
        reason: `subscription ${sub.id} is switched off at ${vendor.displayName}`,
        replace: sub.id,
      };
    const expiresAt = current.expiresAt ?? sub.expiresAt;
    if (!expiry || !expiresAt) continue;
    if (Date.now() < renewalDueAt(expiry, expiresAt, sub.expiryGrantedAt)) continue;
    if (expiry.renew.kind === 'recreate')
      return {
        kind: 'repair',
        reason: `subscription ${sub.id} expires at ${expiresAt} and is renewed by replacing it`,
        replace: sub.id,
      };
    try {
      const result = await api.renew(sub.id, { url, events: sub.events, options: optionsOf(fns, vendor) });
      if (result.kind !== 'extended') throw new Error('internal: an extending renewal replaced the subscription');
      storeSubscription(staticData, 'production', { ...sub, expiresAt: result.expiresAt, expiryGrantedAt: Date.now() });
      memo.failedRenewals = 0;
      return { kind: 'renewed', id: sub.id, expiresAt: result.expiresAt };
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof HookpackApiError && error.code === 'not_found')
        return { kind: 'repair', reason: `renewing subscription ${sub.id} failed: ${message}` };
      memo.failedRenewals += 1;
      // Retried on the next ticks; replaced after the last attempt, or when it would lapse first.
      const lapsesSoon = Date.parse(expiresAt) - Date.now() < 2 * tickSeconds(vendor, stored) * 1000;
      if (memo.failedRenewals >= RENEW_ATTEMPTS || lapsesSoon)
        return {
          kind: 'repair',
          reason: `renewing subscription ${sub.id} failed ${memo.failedRenewals} time(s) (last: ${message})`,
          replace: sub.id,
        };
      return { kind: 'renewal-failed', id: sub.id, attempt: memo.failedRenewals, message };
    }
  }
  return { kind: 'healthy' };
}

function describeOutcome(vendor: VendorDefinition, outcome: TickOutcome): string {
  switch (outcome.kind) {
    case 'healthy':
      return 'subscriptions are healthy';
    case 'renewed':
      return `renewed subscription ${outcome.id}; it now expires at ${outcome.expiresAt}.`;
    case 'renewal-failed':
      return `renewing subscription ${outcome.id} failed (attempt ${outcome.attempt} of ${RENEW_ATTEMPTS}, retried at the next check): ${outcome.message}`;
    case 'repair':
      return `${outcome.reason}; n8n registers the trigger again, which recreates the ${vendor.displayName} subscription.`;
  }
}

/**
 * Run while n8n registers the trigger after a tick asked for a repair: drops what cannot be
 * kept (gone, switched off and not resumable, or not renewable), then the lifecycle's own
 * reconcile and register steps recreate it, with the ownership rules of activation.
 */
async function repair(
  fns: ITriggerFunctions,
  vendor: VendorDefinition,
  reason: string,
  replace: string | undefined,
): Promise<void> {
  const staticData = fns.getWorkflowStaticData('node');
  const url = stateOf(staticData).productionUrl ?? storedSubscriptions(staticData, 'production')[0]?.url;
  if (!url) return;
  // Kept: reconcile may forget the last stored subscription before a create that fails.
  stateOf(staticData).productionUrl = url;
  const hook = asHookFunctions(fns, url);
  const steps = restLifecycle(vendor);
  const expiry = vendor.api?.expiry;
  const replaced: string[] = [];
  if (expiry) {
    // A subscription whose renewal is due but cannot be done in place is replaced: a new one is
    // registered first, then the old one deleted, so deliveries never stop in between.
    const api = await apiFor(fns, vendor);
    for (const sub of storedSubscriptions(staticData, 'production')) {
      const current = await api.findById(sub.id);
      if (!current) continue; // gone: reconcile forgets it, register creates a new one
      const expiresAt = current.expiresAt ?? sub.expiresAt;
      // Lapsed (switched off at or after its expiry): switching it on again would not renew it.
      const lapsed = !current.active || (expiresAt !== undefined && Date.parse(expiresAt) <= Date.now());
      const due = expiresAt !== undefined && Date.now() >= renewalDueAt(expiry, expiresAt, sub.expiryGrantedAt);
      if (!lapsed && !due) continue;
      if (!lapsed && expiry.renew.kind !== 'recreate') {
        try {
          const result = await api.renew(sub.id, { url, events: sub.events, options: optionsOf(fns, vendor) });
          if (result.kind === 'extended') {
            storeSubscription(staticData, 'production', {
              ...sub,
              expiresAt: result.expiresAt,
              expiryGrantedAt: Date.now(),
            });
            continue;
          }
        } catch (error) {
          fns.logger.warn(
            `${vendor.displayName} trigger: renewing subscription ${sub.id} failed again (${(error as Error).message}); replacing it.`,
          );
        }
      }
      forgetSubscription(staticData, 'production', sub.id);
      replaced.push(sub.id);
    }
  }
  const kept = await steps.reconcile(hook);
  if (!kept) await steps.register(hook);
  // The one at fault, if this repair did not keep it (reactivated in place), is ours to delete.
  const held = new Set(storedSubscriptions(staticData, 'production').map((s) => s.id));
  if (replace !== undefined && !held.has(replace) && !replaced.includes(replace)) replaced.push(replace);
  if (replaced.length > 0) {
    const { failed } = await (await apiFor(fns, vendor)).deleteEach(replaced);
    for (const f of failed)
      fns.logger.warn(
        `${vendor.displayName} trigger: the replaced subscription ${f.id} could not be deleted (${(f.error as Error).message}); it lapses at its expiry.`,
      );
  }
  const ids = storedSubscriptions(staticData, 'production').map(
    (s) => `${s.id}${s.expiresAt ? ` (expires ${s.expiresAt})` : ''}`,
  );
  const outcome = `${reason}: repaired; the trigger holds ${ids.join(', ')}.`;
  stateOf(staticData).upkeep = { at: new Date().toISOString(), outcome };
  fns.logger.info(`${vendor.displayName} trigger: ${outcome}`);
}

async function apiFor(fns: ITriggerFunctions, vendor: VendorDefinition) {
  const { auth, baseUrl, allowHttpWebhookUrl } = apiCredentials(
    vendor,
    await fns.getCredentials(namesFor(vendor).credentialName),
  );
  return subscriptionApi(vendor, { auth, baseUrl, allowInsecureTargetUrl: allowHttpWebhookUrl });
}

function optionsOf(fns: ITriggerFunctions, vendor: VendorDefinition): Record<string, unknown> {
  return subscriptionOptionInput(vendor, (name, fallback) => fns.getNodeParameter(name, fallback));
}

/** The lifecycle steps need a hook context: the trigger context, with the production URL n8n gave create. */
function asHookFunctions(fns: ITriggerFunctions, url: string): IHookFunctions {
  return {
    getCredentials: (type: string) => fns.getCredentials(type),
    getNodeParameter: (name: string, fallback?: unknown) => fns.getNodeParameter(name, fallback),
    getWorkflowStaticData: (type: string) => fns.getWorkflowStaticData(type),
    getWorkflow: () => fns.getWorkflow(),
    getNode: () => fns.getNode(),
    getMode: () => 'trigger',
    getActivationMode: () => fns.getActivationMode(),
    getNodeWebhookUrl: () => url,
    logger: fns.logger,
  } as unknown as IHookFunctions;
}
