import { testOnlyEventType, type VendorDefinition } from '@hookpack/core';

// The node's own texts, each derived from the vendor description so a new vendor reads as
// well as the shipped ones. Neutral between n8n 1.x (Activate) and 2.x (Publish).

/** The node picker's one line. */
export function pickerDescription(vendor: VendorDefinition): string {
  return `Starts the workflow on ${vendor.displayName} webhook events`;
}

/** Canvas subtitle: the selected events by display name, not their raw types. */
export function subtitleExpression(vendor: VendorDefinition): string {
  const names = Object.fromEntries(vendor.events.map((e) => [e.type, e.displayName]));
  // One object literal inside the expression; `} }}` keeps n8n's template parser off the braces.
  return `={{ ($parameter["events"] || []).map(type => (${JSON.stringify(names)})[type] || type).join(", ") }}`;
}

/**
 * What the editor shows while it listens for a test event: how to make this vendor send one,
 * through its test endpoint where it has one.
 */
export function listeningHint(vendor: VendorDefinition): string {
  return testEventText(vendor, 'listening');
}

/**
 * The same, for before listening starts (n8n's "When will this node trigger my flow?"): what
 * listening for a test event does with this vendor, and how to make it send one.
 */
export function testEventHelp(vendor: VendorDefinition): string {
  return testEventText(vendor, 'help');
}

function testEventText(vendor: VendorDefinition, when: 'listening' | 'help'): string {
  const name = vendor.displayName;
  const api = vendor.api;
  if (!api) {
    const lead =
      when === 'listening'
        ? `Listening at this node's Test URL.`
        : `Listening for a test event uses this node's Test URL.`;
    return `${lead} Add the Test URL in ${name} as this node's setup notice says, then create, change or remove something there that matches the selected events.`;
  }
  const lead =
    when === 'listening'
      ? `Listening: the trigger registered its Test URL with ${name}.`
      : `When you listen for a test event, the trigger registers its Test URL with ${name}.`;
  const test = api.endpoints.test;
  if (!test) {
    return `${lead} ${when === 'listening' ? 'Now do' : 'Then do'} something in ${name} that sends one of the selected events.`;
  }
  const call = `${test.method} ${test.path.replace('{id}', '<webhook id>')}`;
  const list = api.endpoints.list
    ? ` (${name} lists it at ${api.endpoints.list.method} ${api.endpoints.list.path})`
    : '';
  const fixed = testOnlyEventType(vendor);
  const fixedName = vendor.events.find((e) => e.type === fixed)?.displayName ?? fixed;
  const sends = fixed
    ? `${name} then sends a "${fixedName}" event, which this node shows only when "${fixedName}" is among the selected events.`
    : `${name} then sends the first selected event type.`;
  const then = when === 'listening' ? 'Do' : 'Then do';
  return `${lead} ${then} something in ${name} that sends one of the selected events, or call ${name}'s test endpoint, ${call}, for the webhook just registered${list}. ${sends}`;
}

/** Shown once the workflow runs for real (published on 2.x, active on 1.x). */
export function activationMessage(vendor: VendorDefinition): string {
  return vendor.api
    ? `${vendor.displayName} now sends the selected events to this workflow's Production URL; the trigger registered it there.`
    : `This workflow now runs on ${vendor.displayName} events sent to its Production URL: check that ${vendor.displayName} has that URL, as the node's notice says.`;
}

/**
 * Answer to an accepted delivery. n8n otherwise sends the literal text `firstEntryJson` (its
 * default for a webhook description without `responseData`).
 */
export const ACKNOWLEDGEMENT = '={{ { "received": true } }}';
