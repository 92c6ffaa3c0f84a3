import type { IDataObject } from 'n8n-workflow';

/**
 * What the node keeps in n8n's per-node static data. Subscriptions are kept per webhook
 * kind, because "Listen for test event" registers the test URL next to an active
 * workflow's production URL and must not overwrite (or later delete) the production one.
 */
export interface StoredSubscription {
  id: string;
  url: string;
  events: string[];
  /** Signing secret the vendor returned on create. Never logged, never in node output. */
  secret: string;
}

export type WebhookKind = 'production' | 'test';

/** How many recent dedupe keys are remembered: the bounded redelivery window. */
export const DEDUPE_WINDOW = 500;

export interface NodeState {
  subscriptions?: Partial<Record<WebhookKind, StoredSubscription>>;
  /** Most recent dedupe keys of accepted deliveries, oldest first. */
  recentDeliveries?: string[];
}

export function stateOf(staticData: IDataObject): NodeState {
  return staticData as NodeState;
}

export function storedSubscription(staticData: IDataObject, kind: WebhookKind): StoredSubscription | undefined {
  return stateOf(staticData).subscriptions?.[kind];
}

export function storeSubscription(staticData: IDataObject, kind: WebhookKind, sub: StoredSubscription): void {
  const state = stateOf(staticData);
  state.subscriptions = { ...state.subscriptions, [kind]: sub };
}

export function forgetSubscription(staticData: IDataObject, kind: WebhookKind): void {
  const state = stateOf(staticData);
  if (!state.subscriptions?.[kind]) return;
  const rest = { ...state.subscriptions };
  delete rest[kind];
  state.subscriptions = rest;
}

/** Every signing secret the node holds (a delivery may be for the test or the production URL). */
export function storedSecrets(staticData: IDataObject): string[] {
  const subs = stateOf(staticData).subscriptions ?? {};
  return Object.values(subs)
    .map((s) => s?.secret)
    .filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/**
 * Records a dedupe key; false when it was already seen within the window (a redelivery).
 * The list is a bounded ring: the oldest keys fall out once DEDUPE_WINDOW is reached.
 */
export function rememberDelivery(staticData: IDataObject, key: string, window = DEDUPE_WINDOW): boolean {
  const state = stateOf(staticData);
  const recent = Array.isArray(state.recentDeliveries) ? state.recentDeliveries : [];
  if (recent.includes(key)) return false;
  recent.push(key);
  state.recentDeliveries = recent.length > window ? recent.slice(recent.length - window) : recent;
  return true;
}
