import { redeliveryIdentity, type SubscriptionOption, type VendorDefinition } from '@hookpack/core';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** Node parameter names (the workflow JSON uses them). */
export const PARAM = {
  events: 'events',
  options: 'options',
  includeHeaders: 'includeHeaders',
  livemode: 'livemode',
  dedupeStore: 'dedupeStore',
  dedupeWindowHours: 'dedupeWindowHours',
  dedupeClaimSeconds: 'dedupeClaimSeconds',
  healthCheckMinutes: 'healthCheckMinutes',
  setupNotice: 'setupNotice',
} as const;

export type LivemodeFilter = 'any' | 'live' | 'test';
export type DedupeStoreChoice = 'memory' | 'redis';

export const DEDUPE_DEFAULTS = { windowHours: 72, claimSeconds: 30 } as const;
/** Minutes between checks of the subscriptions at the vendor, unless the user sets another. */
export const HEALTH_CHECK_DEFAULT_MINUTES = 60;

/**
 * Node parameters of one vendor's trigger, from its event catalog and subscription options.
 * `sharedDedupe`: the build has the Redis redelivery check (n8n Cloud builds do not).
 */
export function nodeProperties(vendor: VendorDefinition, build: { sharedDedupe: boolean }): INodeProperties[] {
  const properties: INodeProperties[] = [];
  if (!vendor.api) {
    properties.push({
      displayName: manualSetupNotice(vendor),
      name: PARAM.setupNotice,
      type: 'notice',
      default: '',
    });
  }
  properties.push({
    displayName: 'Events',
    name: PARAM.events,
    type: 'multiOptions',
    required: true,
    default: [],
    options: eventOptions(vendor),
    description: vendor.api
      ? `The ${vendor.displayName} events to subscribe to`
      : `The ${vendor.displayName} events that start the workflow; others are acknowledged and ignored`,
  });
  properties.push({
    displayName: 'Redelivery Check',
    name: PARAM.dedupeStore,
    type: 'options',
    default: 'memory',
    description: `Where this trigger remembers the deliveries it accepted, to ignore the same event delivered again. ${redeliveryHint(vendor)}`,
    options: [
      {
        name: 'In This n8n Process',
        value: 'memory',
        description:
          'The last 500 deliveries, in memory: forgotten on restart and not shared between n8n webhook processes (queue mode)',
      },
      ...(build.sharedDedupe
        ? [
            {
              name: 'In Redis',
              value: 'redis',
              description:
                'Shared by every n8n process using the same Redis and kept across n8n restarts, for the time set under Options. Never writes to the workflow.',
            },
          ]
        : []),
    ],
  });
  const apiOptions = vendor.api ? vendor.subscriptionOptions : [];
  checkOptionNames(vendor, apiOptions);
  // Required subscription options are parameters of their own (n8n marks them required);
  // optional ones join the single "Options" collection.
  for (const option of apiOptions.filter((o) => o.required)) {
    properties.push({ ...subscriptionOptionProperty(option), required: true });
  }
  const sharedDedupeOptions: INodeProperties[] = [
    {
      displayName: 'Remember Deliveries For (Hours)',
      name: PARAM.dedupeWindowHours,
      type: 'number',
      typeOptions: { minValue: 1 },
      default: DEDUPE_DEFAULTS.windowHours,
      displayOptions: { show: { [`/${PARAM.dedupeStore}`]: ['redis'] } },
      description: `How long Redis remembers an accepted delivery, so a redelivery within this time is ignored. ${retryHint(vendor)}`,
    },
    {
      displayName: 'In-Flight Window (Seconds)',
      name: PARAM.dedupeClaimSeconds,
      type: 'number',
      typeOptions: { minValue: 1 },
      default: DEDUPE_DEFAULTS.claimSeconds,
      displayOptions: { show: { [`/${PARAM.dedupeStore}`]: ['redis'] } },
      description:
        'While a delivery is being handed to n8n, copies of it are answered 503 so the vendor retries later. If n8n stops in that moment, a copy arriving after this many seconds runs the event.',
    },
  ];
  const options: INodeProperties[] = [
    ...apiOptions.filter((o) => !o.required).map(subscriptionOptionProperty),
    {
      displayName: 'Include Headers',
      name: PARAM.includeHeaders,
      type: 'boolean',
      default: false,
      description: 'Whether to add the request headers of each delivery to the output',
    },
    ...(build.sharedDedupe ? sharedDedupeOptions : []),
    ...(vendor.api ? [healthCheckOption(vendor)] : []),
  ];
  if (carriesLivemode(vendor)) {
    options.push({
      displayName: 'Mode',
      name: PARAM.livemode,
      type: 'options',
      default: 'any',
      description: 'Which deliveries start the workflow, by their livemode flag',
      options: [
        { name: 'Live and Test', value: 'any' },
        { name: 'Live Only', value: 'live' },
        { name: 'Test Only', value: 'test' },
      ],
    });
  }
  properties.push({
    displayName: 'Options',
    name: PARAM.options,
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    options,
  });
  return properties;
}

/** How often the trigger checks its subscriptions at the vendor while the workflow is active. */
function healthCheckOption(vendor: VendorDefinition): INodeProperties {
  const name = vendor.displayName;
  const expiring = vendor.api?.expiry
    ? ` Expiring subscriptions are also checked a twentieth of their lifetime apart, and renewed at 60% of it.`
    : '';
  return {
    displayName: 'Check Subscription Every (Minutes)',
    name: PARAM.healthCheckMinutes,
    type: 'number',
    typeOptions: { minValue: 1, maxValue: 1440 },
    default: HEALTH_CHECK_DEFAULT_MINUTES,
    description: `How often this trigger asks ${name} whether its subscription still exists and is switched on, and recreates it if not (n8n 2.x itself never registers a webhook again until you unpublish and publish). One ${name} API call per subscription each time.${expiring}`,
  };
}

/** What tells a redelivery apart for this vendor, from its description — said, not silently assumed. */
export function redeliveryHint(vendor: VendorDefinition): string {
  const name = vendor.displayName;
  switch (redeliveryIdentity(vendor)) {
    case 'eventId':
      return `${name} gives every event an id: an event whose id was seen before is a redelivery.`;
    case 'deliveryId':
      return `${name} sends the same delivery id on every retry: a delivery id seen before is a redelivery.`;
    case 'bodyHash':
      return `${name}'s deliveries carry no event id, so a redelivery is recognised by a digest of its body: the same bytes again count as the same event (two different events with identical bodies too).`;
    case 'none':
      return `${name}'s deliveries carry nothing that identifies a redelivery, so this check cannot recognise one: every delivery runs the workflow.`;
  }
}

/** "Parley retries a failed delivery for up to 15 hours." — from the vendor's retry schedule. */
function retryHint(vendor: VendorDefinition): string {
  const totalMs = vendor.delivery.retryDelaysMs.reduce((a, b) => a + b, 0);
  if (totalMs <= 0) return '';
  const hours = Math.ceil(totalMs / 3_600_000);
  return `${vendor.displayName} retries a failed delivery for up to ${hours} hour${hours === 1 ? '' : 's'}.`;
}

function eventOptions(vendor: VendorDefinition): INodePropertyOptions[] {
  return vendor.events
    .map((e) => ({
      name: e.displayName,
      value: e.type,
      description: `Triggers when ${e.description}${e.paid ? ' (needs a paid plan)' : ''}`,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function subscriptionOptionProperty(option: SubscriptionOption): INodeProperties {
  const base = {
    displayName: option.displayName,
    name: option.name,
    ...(option.placeholder !== undefined ? { placeholder: option.placeholder } : {}),
  };
  switch (option.type) {
    case 'boolean':
      return { ...base, type: 'boolean', default: false, description: option.description };
    case 'string[]':
      return { ...base, type: 'string', default: '', description: `${option.description} Comma-separated.` };
    default:
      return { ...base, type: 'string', default: '', description: option.description };
  }
}

/** Subscription options share the node's parameter names: refuse a vendor whose option would shadow one. */
function checkOptionNames(vendor: VendorDefinition, options: SubscriptionOption[]): void {
  const taken = new Set<string>(Object.values(PARAM));
  for (const option of options) {
    if (taken.has(option.name)) {
      throw new Error(
        `${vendor.id}: subscription option "${option.name}" has the name of a node parameter; rename the option`,
      );
    }
  }
}

/**
 * The setup notice of a vendor without an API, from its description: where to add the URL,
 * which URL, the same events, and the secret — neutral between n8n's Activate and Publish.
 */
export function manualSetupNotice(vendor: VendorDefinition): string {
  const name = vendor.displayName;
  const where = sentence(vendor.manualSetup?.instructions ?? `Open ${name}'s webhook settings and add a webhook.`);
  const field = vendor.manualSetup?.secretField ?? 'signing secret';
  const copyFrom = vendor.manualSetup?.secretHelp;
  const secret = vendor.signature.publicKey
    ? `Copy the public key ${name} shows there into this node's credential.`
    : copyFrom
      ? `${sentence(copyFrom)} Copy its ${field} into this node's credential.`
      : vendor.signature.secretRequired
        ? `Set a ${field} there and enter the same value in this node's credential.`
        : `Set a ${field} there (recommended) and enter the same value in this node's credential; without one, deliveries are accepted unsigned.`;
  return (
    `${name} has no API to register webhooks, so add this trigger there by hand. ${where} ` +
    `Paste this node's Production URL (under "Webhook URLs" above; while listening for a test event, its Test URL) ` +
    `and select the same events as in Events below. ${secret}`
  );
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * The subscription option values the user set: required options are top-level parameters,
 * optional ones sit in "Options" (earlier versions kept them in a "Subscription Options"
 * collection, still read so saved workflows keep their settings).
 */
export function subscriptionOptionInput(
  vendor: VendorDefinition,
  parameter: (name: string, fallback: unknown) => unknown,
): Record<string, unknown> {
  const legacy = asObject(parameter(LEGACY_SUBSCRIPTION_PARAM, {}));
  const options = asObject(parameter(PARAM.options, {}));
  const raw: Record<string, unknown> = {};
  for (const option of vendor.subscriptionOptions) {
    const value = option.required ? parameter(option.name, undefined) : (options[option.name] ?? legacy[option.name]);
    if (value !== undefined) raw[option.name] = value;
  }
  return subscriptionOptionValues(vendor, raw);
}

const LEGACY_SUBSCRIPTION_PARAM = 'subscriptionOptions';

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** Cleans option values: lists split, empties dropped. */
export function subscriptionOptionValues(
  vendor: VendorDefinition,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of vendor.subscriptionOptions) {
    const value = raw[option.name];
    if (value === undefined || value === '' || value === null) continue;
    if (option.type === 'string[]') {
      const list = (Array.isArray(value) ? value.map(String) : String(value).split(','))
        .map((s) => s.trim())
        .filter(Boolean);
      if (list.length) values[option.name] = list;
    } else if (option.type === 'boolean') {
      values[option.name] = value === true;
    } else {
      values[option.name] = String(value).trim();
    }
  }
  return values;
}

/**
 * Whether the vendor's envelope carries a livemode flag: built from data by round-tripping
 * one sample delivery through the vendor's own envelope, so no vendor is named here.
 */
export function carriesLivemode(vendor: VendorDefinition): boolean {
  const sample = vendor.events[0];
  if (!sample) return false;
  const body = vendor.envelope.build({
    id: 'probe',
    type: sample.type,
    createdAt: '2020-01-01T00:00:00.000Z',
    data: sample.sample,
    livemode: true,
  });
  const parsed = vendor.envelope.schema.safeParse(body);
  return parsed.success && vendor.envelope.read(parsed.data).livemode !== undefined;
}
