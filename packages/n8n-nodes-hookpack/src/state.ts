import type { IDataObject } from 'n8n-workflow';
import { sameOwner, type Owner } from './ownership.js';

/**
 * What the node keeps in n8n's per-node static data. Subscriptions are kept per webhook
 * kind, because "Listen for test event" registers the test URL next to an active
 * workflow's production URL and must not overwrite (or later delete) the production one.
 */
export interface StoredSubscription {
  id: string;
  url: string;
  /** The events this subscription carries: all of the trigger's, or one (vendors with one event per subscription). */
  events: string[];
  /**
   * The signing secret the vendor returned on create, sealed (seal.ts): readable only with the
   * credential's API key, by the owning workflow and node. Never logged, never in node output.
   * Absent for vendors that sign with the app's secret (it lives in the credential).
   */
  sealedSecret?: string;
  /** The secret in plain text, as versions before sealing stored it; sealed at the next reconcile. */
  secret?: string;
  /**
   * For vendors that sign with their private key: the public key the create answer carried (not
   * a secret). Deliveries are verified with it until it fails; then the key is fetched again.
   */
  publicKey?: string;
  /**
   * The workflow and node that created it. Absent in state written before ownership was
   * recorded: such a subscription is adopted by the first lifecycle call that finds it.
   */
  owner?: Owner;
  /** When the vendor lets it lapse (ISO 8601), for vendors whose subscriptions expire: the user sees it here. */
  expiresAt?: string;
  /** When that expiry was granted (epoch ms): the lifetime the upkeep schedule is cut from. */
  expiryGrantedAt?: number;
}

export type WebhookKind = 'production' | 'test';

/**
 * Per kind, the trigger's subscriptions: one object (every vendor whose subscription carries all
 * the trigger's events, the format older versions wrote and read), or a list of one per event.
 */
export interface NodeState {
  subscriptions?: Partial<Record<WebhookKind, StoredSubscription | StoredSubscription[]>>;
  /** The production webhook URL, kept for the upkeep (n8n's trigger context does not give it). */
  productionUrl?: string;
  /** What the last upkeep of the subscriptions found and did, for the user to read. */
  upkeep?: { at: string; outcome: string };
}

export function stateOf(staticData: IDataObject): NodeState {
  return staticData as NodeState;
}

/** Every stored subscription of a kind, whichever form the state holds. */
export function storedSubscriptions(staticData: IDataObject, kind: WebhookKind): StoredSubscription[] {
  const entry = stateOf(staticData).subscriptions?.[kind];
  if (!entry) return [];
  return (Array.isArray(entry) ? entry : [entry]).filter(
    (s): s is StoredSubscription => !!s && typeof s.id === 'string',
  );
}

/** Replaces a kind's subscriptions: none forgets the kind, one is kept as an object (the older format). */
export function storeSubscriptions(staticData: IDataObject, kind: WebhookKind, subs: StoredSubscription[]): void {
  const state = stateOf(staticData);
  const rest = { ...state.subscriptions };
  if (subs.length === 0) delete rest[kind];
  else rest[kind] = subs.length === 1 ? subs[0]! : subs;
  state.subscriptions = rest;
}

/** The first stored subscription of a kind (its URL tells test listening from production). */
export function storedSubscription(staticData: IDataObject, kind: WebhookKind): StoredSubscription | undefined {
  return storedSubscriptions(staticData, kind)[0];
}

/** Adds or replaces (by id) one stored subscription of a kind. */
export function storeSubscription(staticData: IDataObject, kind: WebhookKind, sub: StoredSubscription): void {
  const others = storedSubscriptions(staticData, kind).filter((s) => s.id !== sub.id);
  storeSubscriptions(staticData, kind, [...others, sub]);
}

/** Forgets one stored subscription of a kind by id, or (no id) all of them. */
export function forgetSubscription(staticData: IDataObject, kind: WebhookKind, id?: string): void {
  const state = stateOf(staticData);
  if (!state.subscriptions?.[kind]) return;
  storeSubscriptions(
    staticData,
    kind,
    id === undefined ? [] : storedSubscriptions(staticData, kind).filter((s) => s.id !== id),
  );
}

/**
 * Forgets every stored subscription another workflow or node owns: the state was copied with
 * an imported, duplicated or pasted workflow. The subscription itself is left alone at the
 * vendor — it is the original's. Unowned (older) entries are stamped as `owner`'s. Returns the
 * forgotten entries, for the log.
 */
export function dropForeignSubscriptions(staticData: IDataObject, owner: Owner): StoredSubscription[] {
  const state = stateOf(staticData);
  const dropped: StoredSubscription[] = [];
  for (const kind of Object.keys(state.subscriptions ?? {}) as WebhookKind[]) {
    const subs = storedSubscriptions(staticData, kind);
    const kept: StoredSubscription[] = [];
    for (const sub of subs) {
      if (!sub.owner) kept.push({ ...sub, owner });
      else if (sameOwner(sub.owner, owner)) kept.push(sub);
      else dropped.push(sub);
    }
    if (kept.length !== subs.length || kept.some((s, i) => s !== subs[i])) storeSubscriptions(staticData, kind, kept);
  }
  return dropped;
}

/**
 * The stored subscriptions this trigger owns (a delivery may be for the test or the
 * production URL). State copied from another workflow does not count.
 */
export function ownedSubscriptions(staticData: IDataObject, owner: Owner): StoredSubscription[] {
  const kinds = Object.keys(stateOf(staticData).subscriptions ?? {}) as WebhookKind[];
  return kinds
    .flatMap((kind) => storedSubscriptions(staticData, kind))
    .filter((s) => !s.owner || sameOwner(s.owner, owner));
}
