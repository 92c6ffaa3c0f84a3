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
  events: string[];
  /**
   * The signing secret the vendor returned on create, sealed (seal.ts): readable only with the
   * credential's API key, by the owning workflow and node. Never logged, never in node output.
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
}

export type WebhookKind = 'production' | 'test';

export interface NodeState {
  subscriptions?: Partial<Record<WebhookKind, StoredSubscription>>;
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
    const sub = state.subscriptions![kind];
    if (!sub) continue;
    if (!sub.owner) storeSubscription(staticData, kind, { ...sub, owner });
    else if (!sameOwner(sub.owner, owner)) {
      dropped.push(sub);
      forgetSubscription(staticData, kind);
    }
  }
  return dropped;
}

/**
 * The stored subscriptions this trigger owns (a delivery may be for the test or the
 * production URL). State copied from another workflow does not count.
 */
export function ownedSubscriptions(staticData: IDataObject, owner: Owner): StoredSubscription[] {
  const subs = stateOf(staticData).subscriptions ?? {};
  return Object.values(subs).filter((s): s is StoredSubscription => !!s && (!s.owner || sameOwner(s.owner, owner)));
}
