import type { Subscription, VendorDefinition } from '@hookpack/core';

/**
 * Which trigger a subscription belongs to: n8n's workflow id and the node's id. A workflow
 * that is imported, duplicated or pasted carries the original's static data and webhook id,
 * so neither the stored state nor the URL alone says whose subscription it is.
 */
export interface Owner {
  workflowId: string;
  nodeId: string;
}

export function ownerOf(fns: { getWorkflow(): { id?: unknown }; getNode(): { id?: unknown } }): Owner {
  return { workflowId: String(fns.getWorkflow().id ?? ''), nodeId: String(fns.getNode().id ?? '') };
}

export function sameOwner(a: Owner, b: Owner): boolean {
  return a.workflowId === b.workflowId && a.nodeId === b.nodeId;
}

// Ids are n8n's (alphanumeric workflow ids, UUID node ids): no spaces, slashes or parentheses.
const MARK = /hookpack n8n:([^\s/()]+)\/([^\s/()]+)/;

/** The vendor label to send: the user's own label (if any) followed by the ownership mark. */
export function labelWithOwner(userLabel: unknown, owner: Owner): string {
  const mark = `hookpack n8n:${owner.workflowId || '-'}/${owner.nodeId || '-'}`;
  const own = typeof userLabel === 'string' ? userLabel.trim() : '';
  return own ? `${own} (${mark})` : mark;
}

/** The owner written into a subscription's label, where the vendor stores one. */
export function ownerInLabel(vendor: VendorDefinition, sub: Subscription): Owner | undefined {
  const option = vendor.api?.ownerLabel?.option;
  const label = option ? sub.options[option] : undefined;
  const match = typeof label === 'string' ? MARK.exec(label) : null;
  return match ? { workflowId: match[1]!, nodeId: match[2]! } : undefined;
}
