import type { VendorDefinition } from '@hookpack/core';
import type { INodeType } from 'n8n-workflow';
import { redisSharedDedupe } from './redis-dedupe.js';
import { buildTriggerNodeClass } from './trigger-node.js';

/** The trigger node class of one vendor, with the Redis redelivery check for queue mode (self-hosted n8n). */
export function createTriggerNodeClass(vendor: VendorDefinition): new () => INodeType {
  return buildTriggerNodeClass(vendor, redisSharedDedupe);
}
