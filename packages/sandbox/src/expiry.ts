import { setPath, writeTimestamp, type VendorDefinition } from '@hookpack/core';
import type { DeliveryEngine } from './delivery.js';
import type { Store, SubscriptionRecord } from './state.js';

/** What the sandbox needs to play expiring subscriptions: its clock and how fast lifetimes pass. */
export interface ExpiryClock {
  now(): number;
  /** Multiplies the vendor's lifetime (0.00001: seven days → six seconds). */
  lifetimeScale: number;
}

/** The expiry a create or renewal grants now: the vendor's longest lifetime, scaled. */
export function grantedExpiry(vendor: VendorDefinition, clock: ExpiryClock): string | undefined {
  const expiry = vendor.api?.expiry;
  if (!expiry) return undefined;
  return new Date(clock.now() + Math.round(expiry.maxLifetimeMs * clock.lifetimeScale)).toISOString();
}

/**
 * The longest expiry a client may ask for now (a `patch` renewal, a create that asks), with a
 * second of slack for clocks: the vendor's longest lifetime as documented, unscaled — clients
 * ask in real time.
 */
export function latestAllowedExpiry(vendor: VendorDefinition, clock: ExpiryClock): number {
  return clock.now() + vendor.api!.expiry!.maxLifetimeMs + 1000;
}

/** What the sandbox grants for an expiry a client asked for: the asked lifetime, scaled like every other. */
export function grantedRequest(requested: string, clock: ExpiryClock): string {
  const now = clock.now();
  return new Date(now + Math.round((Date.parse(requested) - now) * clock.lifetimeScale)).toISOString();
}

/** True once the subscription's expiry has passed. */
export function hasLapsed(sub: SubscriptionRecord, clock: ExpiryClock): boolean {
  return sub.expiresAt !== undefined && Date.parse(sub.expiresAt) <= clock.now();
}

/**
 * Does what the vendor does to subscriptions whose expiry has passed: deletes them, or switches
 * them off (`deactivatedReason: "expired"`). Run before every read and every delivery, so the
 * sandbox needs no timers and an expired subscription never receives another event.
 */
export function lapseExpired(
  store: Store,
  engine: DeliveryEngine,
  vendor: VendorDefinition,
  clock: ExpiryClock,
  onChange: () => void,
): void {
  const expiry = vendor.api?.expiry;
  if (!expiry) return;
  let changed = false;
  for (const sub of store.subscriptionsOf(vendor.id)) {
    if (!hasLapsed(sub, clock)) continue;
    if (expiry.afterExpiry === 'delete') {
      store.subscriptions.delete(sub.id);
      engine.forget(sub.id, 'subscription expired');
      changed = true;
    } else if (sub.active || sub.deactivatedReason !== 'expired') {
      sub.active = false;
      sub.deactivatedReason = 'expired';
      changed = true;
    }
  }
  if (changed) onChange();
}

/** The renew endpoint's answer: the new expiry at the declared path (a document of its own). */
export function renewAnswer(vendor: VendorDefinition, expiresAt: string): Record<string, unknown> {
  const expiry = vendor.api!.expiry!;
  const path = expiry.renew.kind === 'endpoint' ? (expiry.renew.answerPath ?? expiry.field.path) : expiry.field.path;
  const body: Record<string, unknown> = {};
  setPath(body, path, writeTimestamp(expiresAt, expiry.field.unit));
  return body;
}
