import { assertVendorDescription, type VendorDefinition } from '@hookpack/core';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { webhookLifecycle } from './lifecycle.js';
import { namesFor } from './names.js';
import { nodeProperties, PARAM } from './parameters.js';
import type { SharedDedupe } from './shared-dedupe.js';
import { CLIENT_CREDENTIALS_TEST } from './credential.js';
import { clientCredentialsTest } from './client-credentials-test.js';
import { webhookHandler } from './webhook.js';
import { upkeepTrigger } from './upkeep.js';
import {
  ACKNOWLEDGEMENT,
  activationMessage,
  listeningHint,
  pickerDescription,
  subtitleExpression,
  testEventHelp,
} from './texts.js';

/**
 * Builds the n8n trigger node class of one vendor from its definition; `sharedDedupe` adds the
 * redelivery check shared by every n8n process (Redis), absent from n8n Cloud builds.
 */
export function buildTriggerNodeClass(vendor: VendorDefinition, sharedDedupe?: SharedDedupe): new () => INodeType {
  assertVendorDescription(vendor); // an inconsistent description fails the build, not an activation
  const names = namesFor(vendor);
  const clientCredentials = vendor.api !== undefined && vendor.auth.kind === 'clientCredentials';
  const credentialTest = {
    ...(clientCredentials ? { [CLIENT_CREDENTIALS_TEST]: clientCredentialsTest(vendor) } : {}),
    ...(sharedDedupe ? { [sharedDedupe.credential.testMethod]: sharedDedupe.testCredential } : {}),
  };
  const description: INodeTypeDescription = {
    displayName: names.nodeDisplayName,
    name: names.nodeName,
    icon: names.iconRef,
    group: ['trigger'],
    version: 1,
    subtitle: subtitleExpression(vendor),
    description: pickerDescription(vendor),
    eventTriggerDescription: listeningHint(vendor),
    activationMessage: activationMessage(vendor),
    // n8n 2.x's panel shows its own "Go to <vendor> and create an event" while listening and
    // ignores eventTriggerDescription there: the vendor-specific way to a test event goes under
    // "When will this node trigger my flow?", which the panel does take from the node.
    triggerPanel: {
      executionsHelp: { inactive: asHtml(testEventHelp(vendor)), active: asHtml(activationMessage(vendor)) },
    },
    defaults: { name: names.nodeDisplayName },
    inputs: [],
    outputs: ['main'],
    credentials: [
      {
        name: names.credentialName,
        required: true,
        // n8n cannot fetch an app's token for its declarative test: the node tests those credentials.
        ...(clientCredentials ? { testedBy: CLIENT_CREDENTIALS_TEST } : {}),
      },
      // A second credential, only when the user picks the shared redelivery check: the dedupe
      // store is not the vendor's, and one Redis serves every hookpack trigger.
      ...(sharedDedupe
        ? [
            {
              name: sharedDedupe.credential.name,
              required: true,
              testedBy: sharedDedupe.credential.testMethod,
              displayOptions: { show: { [PARAM.dedupeStore]: ['redis'] } },
            },
          ]
        : []),
    ],
    webhooks: [
      {
        name: 'default',
        httpMethod: 'POST',
        responseMode: 'onReceived',
        responseData: ACKNOWLEDGEMENT,
        path: 'webhook',
      },
    ],
    properties: nodeProperties(vendor, { sharedDedupe: sharedDedupe !== undefined }),
  };
  const webhookMethods = { default: webhookLifecycle(vendor) };
  const webhook = webhookHandler(vendor, sharedDedupe);
  // Keeps the registered subscriptions alive: renewal of expiring ones and a health check (upkeep.ts).
  const trigger = vendor.api ? upkeepTrigger(vendor) : undefined;
  const cls = class implements INodeType {
    description = description;
    webhookMethods = webhookMethods;
    webhook = webhook;
    trigger = trigger;
    methods = Object.keys(credentialTest).length > 0 ? { credentialTest } : {};
  };
  Object.defineProperty(cls, 'name', { value: names.nodeClass });
  return cls;
}

/** The panel renders these texts as HTML: plain text with its `<`, `>` and `&` kept visible. */
function asHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
