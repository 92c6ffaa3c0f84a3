// The node factory of n8n Cloud builds (`hookpack build n8n --cloud`), bundled on its own as
// dist/cloud.js: it imports nothing of the Redis redelivery check, so that bundle has no
// `node:net`, no timer globals and no global object (see @hookpack/cli's bundleToMemory).
import type { VendorDefinition } from '@hookpack/core';
import type { INodeType } from 'n8n-workflow';
import { buildTriggerNodeClass } from './trigger-node.js';

export { createCredentialClass } from './credential.js';
export { namesFor } from './names.js';

/**
 * The trigger node class of one vendor for n8n Cloud: the same node without the Redis
 * redelivery check (n8n Cloud refuses community nodes that open sockets with `node:net`).
 */
export function createCloudTriggerNodeClass(vendor: VendorDefinition): new () => INodeType {
  return buildTriggerNodeClass(vendor);
}
