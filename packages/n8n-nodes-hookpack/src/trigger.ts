import type { VendorDefinition } from '@hookpack/core';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { webhookLifecycle } from './lifecycle.js';
import { namesFor } from './names.js';
import { nodeProperties } from './parameters.js';
import { webhookHandler } from './webhook.js';

/** Builds the n8n trigger node class of one vendor from its definition. */
export function createTriggerNodeClass(vendor: VendorDefinition): new () => INodeType {
  const names = namesFor(vendor);
  const description: INodeTypeDescription = {
    displayName: names.nodeDisplayName,
    name: names.nodeName,
    icon: names.iconRef,
    group: ['trigger'],
    version: 1,
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: `Starts the workflow when ${vendor.displayName} sends a webhook: ${vendor.description}`,
    defaults: { name: names.nodeDisplayName },
    inputs: [],
    outputs: ['main'],
    credentials: [{ name: names.credentialName, required: true }],
    webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
    properties: nodeProperties(vendor),
  };
  const webhookMethods = { default: webhookLifecycle(vendor) };
  const webhook = webhookHandler(vendor);
  const cls = class implements INodeType {
    description = description;
    webhookMethods = webhookMethods;
    webhook = webhook;
  };
  Object.defineProperty(cls, 'name', { value: names.nodeClass });
  return cls;
}
