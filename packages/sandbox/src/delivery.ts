import { randomUUID } from 'node:crypto';
import type { VendorDefinition } from '@hookpack/core';
import { deliveryBody, deliveryHeaders, newEventId, postDelivery, type OutgoingEvent } from './send.js';
import type { Store, SubscriptionRecord } from './state.js';
import { isLoopbackUrl } from './http-util.js';

export type DeliveryState = 'scheduled' | 'in-flight' | 'queued' | 'delivered' | 'failed' | 'dropped';

export interface AttemptRecord {
  /** 1 = first attempt, 2 = first retry, … */
  number: number;
  startedAt: string;
  /** Value of the vendor's delivery-id header on this attempt, when it has one. */
  deliveryId: string;
  statusCode?: number;
  error?: string;
  durationMs: number;
  ok: boolean;
}

export interface DeliveryRecord {
  id: string;
  vendor: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  url: string;
  state: DeliveryState;
  /** Why it was dropped or failed. */
  reason?: string;
  attempts: AttemptRecord[];
  /** When the next attempt is due (scheduled deliveries). */
  nextAttemptAt?: string;
}

export interface FireResult {
  eventId: string;
  type: string;
  /** One per matching subscription. */
  deliveries: DeliveryRecord[];
}

export interface EngineOptions {
  timeScale: number;
  /** Floor of the scaled per-attempt timeout, so a real HTTP round trip still fits. */
  minTimeoutMs: number;
  /** Deliver to non-loopback URLs (off: the sandbox only ever talks to this machine). */
  allowExternalTargets: boolean;
  maxDeliveryLog: number;
  maxQueuedPerSubscription: number;
  /** Deliveries scheduled or in flight at once; beyond it new ones are dropped, never buffered. */
  maxLiveDeliveries: number;
  onStateChange: () => void;
}

interface LiveDelivery {
  record: DeliveryRecord;
  vendor: VendorDefinition;
  body: Buffer;
  /** Fixed for vendors whose delivery id is stable across retries. */
  stableDeliveryId?: string;
  timer?: NodeJS.Timeout;
  expiry?: NodeJS.Timeout;
}

const FINAL: ReadonlySet<DeliveryState> = new Set(['delivered', 'failed', 'dropped']);

/**
 * Delivers events to subscriptions the way each vendor does: signed, with its timeout, its
 * retry schedule (scaled by `timeScale`), queueing while paused, and auto-deactivation.
 */
export class DeliveryEngine {
  private readonly log = new Map<string, DeliveryRecord>();
  private readonly live = new Map<string, LiveDelivery>();
  private readonly aborter = new AbortController();
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly vendors: Map<string, VendorDefinition>,
    private readonly options: EngineOptions,
  ) {}

  scaled(ms: number): number {
    return Math.max(0, Math.round(ms * this.options.timeScale));
  }

  /** Sends `event` to each given subscription; returns right after scheduling first attempts. */
  dispatch(vendor: VendorDefinition, event: OutgoingEvent, subs: SubscriptionRecord[], force = false): FireResult {
    const body = deliveryBody(vendor, event);
    const deliveries = subs.map((sub) => {
      const record: DeliveryRecord = {
        id: `dlv_${randomUUID()}`,
        vendor: vendor.id,
        subscriptionId: sub.id,
        eventId: event.id,
        eventType: event.type,
        url: sub.url,
        state: 'scheduled',
        attempts: [],
      };
      const live: LiveDelivery = { record, vendor, body };
      if (vendor.delivery.deliveryIdIsStable)
        live.stableDeliveryId = vendor.delivery.deliveryIdHeader ? randomUUID() : event.id;
      this.remember(record);
      if (this.live.size >= this.options.maxLiveDeliveries) this.finish(live, 'dropped', 'sandbox delivery queue full');
      else if (!force && !sub.active) this.enqueueOrDrop(live, sub);
      else this.schedule(live, 0);
      return record;
    });
    return { eventId: event.id, type: event.type, deliveries };
  }

  newEvent(type: string, data: unknown): OutgoingEvent {
    return { id: newEventId(), type, createdAt: new Date().toISOString(), data, livemode: false };
  }

  /** Records an event that reached no one because of the vendor's rules (paid event, no credits). */
  recordDropped(
    vendor: VendorDefinition,
    event: OutgoingEvent,
    sub: SubscriptionRecord,
    reason: string,
  ): DeliveryRecord {
    const record: DeliveryRecord = {
      id: `dlv_${randomUUID()}`,
      vendor: vendor.id,
      subscriptionId: sub.id,
      eventId: event.id,
      eventType: event.type,
      url: sub.url,
      state: 'dropped',
      reason,
      attempts: [],
    };
    this.remember(record);
    return record;
  }

  /** A paused subscription was resumed: its queued events go out now, in order. */
  resume(sub: SubscriptionRecord): void {
    for (const live of this.live.values()) {
      if (live.record.subscriptionId === sub.id && live.record.state === 'queued') {
        if (live.expiry) clearTimeout(live.expiry);
        delete live.expiry;
        live.record.url = sub.url;
        this.schedule(live, 0);
      }
    }
  }

  /** Subscription deleted: nothing more goes to it. */
  forget(subscriptionId: string, reason: string): void {
    for (const live of [...this.live.values()]) {
      if (live.record.subscriptionId === subscriptionId) this.finish(live, 'dropped', reason);
    }
  }

  deliveries(): DeliveryRecord[] {
    return [...this.log.values()];
  }

  pendingCount(): number {
    let n = 0;
    for (const live of this.live.values()) if (live.record.state !== 'queued') n++;
    return n;
  }

  /** Resolves true once nothing is scheduled or in flight (queued events of paused hooks do not count). */
  settle(timeoutMs: number): Promise<boolean> {
    if (this.pendingCount() === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  clear(): void {
    for (const live of [...this.live.values()]) this.finish(live, 'dropped', 'sandbox reset');
    this.log.clear();
  }

  stop(): void {
    this.stopped = true;
    this.aborter.abort();
    for (const live of this.live.values()) {
      if (live.timer) clearTimeout(live.timer);
      if (live.expiry) clearTimeout(live.expiry);
    }
    this.live.clear();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private remember(record: DeliveryRecord): void {
    this.log.set(record.id, record);
    if (this.log.size <= this.options.maxDeliveryLog) return;
    // Oldest finished records go first; live ones are kept (they are bounded by the queues).
    for (const [id, r] of this.log) {
      if (this.log.size <= this.options.maxDeliveryLog) break;
      if (FINAL.has(r.state)) this.log.delete(id);
    }
  }

  private enqueueOrDrop(live: LiveDelivery, sub: SubscriptionRecord): void {
    const pauseQueueMs = live.vendor.delivery.pauseQueueMs;
    if (pauseQueueMs === undefined || sub.deactivatedReason) {
      this.finish(
        live,
        'dropped',
        sub.deactivatedReason ? `subscription deactivated (${sub.deactivatedReason})` : 'subscription inactive',
      );
      return;
    }
    const queued = [...this.live.values()].filter(
      (l) => l.record.subscriptionId === sub.id && l.record.state === 'queued',
    );
    if (queued.length >= this.options.maxQueuedPerSubscription) this.finish(queued[0]!, 'dropped', 'pause queue full');
    live.record.state = 'queued';
    delete live.record.nextAttemptAt;
    this.live.set(live.record.id, live);
    live.expiry = setTimeout(
      () => this.finish(live, 'dropped', 'queued longer than the vendor keeps paused events'),
      this.scaled(pauseQueueMs),
    );
    live.expiry.unref?.();
  }

  private schedule(live: LiveDelivery, delayMs: number): void {
    if (this.stopped) return;
    live.record.state = 'scheduled';
    live.record.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    this.live.set(live.record.id, live);
    live.timer = setTimeout(() => {
      delete live.timer;
      void this.attempt(live);
    }, delayMs);
  }

  private async attempt(live: LiveDelivery): Promise<void> {
    const { record, vendor } = live;
    const sub = this.store.subscriptions.get(record.subscriptionId);
    if (!sub) return this.finish(live, 'dropped', 'subscription deleted');
    // Retries owed to a subscription that was paused or deactivated meanwhile.
    if (!sub.active && record.attempts.length > 0) return this.enqueueOrDrop(live, sub);
    record.url = sub.url;
    record.state = 'in-flight';
    delete record.nextAttemptAt;
    const deliveryId = live.stableDeliveryId ?? randomUUID();
    const headers = deliveryHeaders(vendor, {
      body: live.body,
      type: record.eventType,
      // An app-signed vendor (Shopify) signs every delivery with the app's secret, not the subscription's.
      secret:
        vendor.signature.secretSource === 'app' ? (this.store.ensureAccount(vendor).appSecret ?? null) : sub.secret,
      deliveryId,
    });
    Object.assign(headers, retryHeaders(vendor, record.attempts));
    const timeoutMs = Math.max(this.scaled(vendor.delivery.timeoutMs), this.options.minTimeoutMs);
    const startedAt = new Date().toISOString();
    let target: URL | undefined;
    try {
      target = new URL(sub.url);
    } catch {
      target = undefined;
    }
    const result =
      !target || (target.protocol !== 'http:' && target.protocol !== 'https:')
        ? { error: 'target URL is not an http(s) URL', responseBody: '', durationMs: 0 }
        : !this.options.allowExternalTargets && !isLoopbackUrl(target)
          ? {
              error:
                'the sandbox only delivers to loopback addresses (start it with allowExternalTargets to change that)',
              responseBody: '',
              durationMs: 0,
            }
          : await postDelivery(sub.url, live.body, headers, timeoutMs, this.aborter.signal);
    if (this.stopped) return;
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    const attempt: AttemptRecord = {
      number: record.attempts.length + 1,
      startedAt,
      deliveryId,
      durationMs: result.durationMs,
      ok,
    };
    if (result.status !== undefined) attempt.statusCode = result.status;
    if (result.error !== undefined) attempt.error = result.error;
    record.attempts.push(attempt);
    if (!this.live.has(record.id)) return; // dropped while in flight (subscription deleted, reset)
    if (ok) {
      sub.consecutiveFailures = 0;
      sub.failing = false;
      delete sub.failingSince;
      this.options.onStateChange();
      return this.finish(live, 'delivered');
    }
    if (!this.store.subscriptions.has(sub.id)) return this.finish(live, 'dropped', 'subscription deleted');
    const delays = vendor.delivery.retryDelaysMs;
    const retryIndex = record.attempts.length - 1;
    if (retryIndex < delays.length) return this.schedule(live, this.scaled(delays[retryIndex]!));
    this.exhausted(vendor, sub);
    this.finish(live, 'failed', `all ${record.attempts.length} attempts failed`);
  }

  /** A delivery used up its retries: apply the vendor's consequence. */
  private exhausted(vendor: VendorDefinition, sub: SubscriptionRecord): void {
    const policy = vendor.delivery;
    sub.consecutiveFailures += 1;
    const now = Date.now();
    if (policy.afterRetries === 'mark-failing') {
      sub.failing = true;
      sub.failingSince ??= now;
    }
    const tooManyFailures =
      policy.afterRetries === 'deactivate' ||
      (policy.deactivateAfterConsecutiveFailures !== undefined &&
        sub.consecutiveFailures >= policy.deactivateAfterConsecutiveFailures);
    const failingTooLong =
      policy.deactivateAfterFailingForMs !== undefined &&
      sub.failingSince !== undefined &&
      now - sub.failingSince >= this.scaled(policy.deactivateAfterFailingForMs);
    if (sub.active && (tooManyFailures || failingTooLong)) {
      sub.active = false;
      sub.deactivatedReason = 'failures';
    }
    this.options.onStateChange();
  }

  private finish(live: LiveDelivery, state: 'delivered' | 'failed' | 'dropped', reason?: string): void {
    if (live.timer) clearTimeout(live.timer);
    if (live.expiry) clearTimeout(live.expiry);
    live.record.state = state;
    delete live.record.nextAttemptAt;
    if (reason) live.record.reason = reason;
    this.live.delete(live.record.id);
    if (this.pendingCount() === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}

/** The headers a retry carries where the vendor declares them (none on a first attempt). */
export function retryHeaders(vendor: VendorDefinition, earlier: readonly AttemptRecord[]): Record<string, string> {
  const declared = vendor.delivery.retryHeaders;
  const last = earlier.at(-1);
  if (!declared || !last) return {};
  const out: Record<string, string> = { [declared.number]: String(earlier.length) };
  const reason = declared.reason;
  if (reason)
    out[reason.header] =
      last.statusCode !== undefined
        ? reason.httpError
        : last.error?.startsWith('timed out')
          ? reason.timeout
          : reason.connectionFailed;
  return out;
}
