import {
  renewalDueAt,
  createSubscriptionClient,
  HookpackApiError,
  HookpackInputError,
  testOnlyEventType,
  usesAppSecret,
  verifyDelivery,
  type EventDefinition,
  type SubscriptionOption,
  type VendorDefinition,
  type VerifyDeliveryInput,
} from '@hookpack/core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import {
  baseUrlFor,
  endpointRequest,
  hasRestApi,
  isSuccess,
  operationError,
  sentence,
  type RestVendor,
} from './api.js';
import { verifyWithApiKey } from './public-keys.js';
import { APP_SECRET_FIELD, authError } from './auth.js';
import { zapierFetch } from './transport.js';
import { docsLink, triggerDescription, triggerKey, triggerNoun } from './names.js';
import { outputFieldsFor, sampleOutput, toTriggerOutput, type OutputField, type TriggerOutput } from './output.js';

/** What performSubscribe stores in Zapier's `bundle.subscribeData`. */
export interface SubscribeData {
  id: string;
  /** The signing secret the vendor returned once, at creation; null where the app's secret (in the connection) signs. */
  secret: string | null;
  /** For vendors that sign with their private key: the public key the API handed out at creation. */
  publicKey?: string | null;
  events: string[];
  url: string;
  /**
   * For vendors whose subscriptions expire: when Zapier should subscribe again (ISO 8601). Zapier
   * "will automatically attempt to resubscribe after the expiration date" the subscribe answer
   * carries (https://docs.zapier.com/platform/build/cli-hook-trigger): hookpack gives the time at
   * which a renewal is due (60% of the lifetime), so the new subscription exists before the vendor
   * lets this one lapse. The vendor's own expiry is in `expiresAt`.
   */
  expiration_date?: string;
  expiresAt?: string;
}

/** Zapier's `expiration_date` (and the vendor's expiry) for a subscription that expires. */
function resubscribeAt(vendor: VendorDefinition, expiresAt: string | undefined): Partial<SubscribeData> {
  const expiry = vendor.api?.expiry;
  if (!expiry || !expiresAt) return {};
  return { expiration_date: new Date(renewalDueAt(expiry, expiresAt, Date.now())).toISOString(), expiresAt };
}

/** Key of the static-hook input that holds the user's signing secret. */
export const SIGNING_SECRET_FIELD = 'signingSecret';

/** Key of the input that holds a public key the user copied from the vendor (`signature.publicKey.source: 'user'`). */
export const PUBLIC_KEY_FIELD = 'publicKey';

function publicKeyFields(vendor: VendorDefinition): InputField[] {
  const source = vendor.signature.publicKey;
  if (source?.source !== 'user') return [];
  return [
    {
      key: PUBLIC_KEY_FIELD,
      label: 'Public Key',
      type: 'string',
      required: true,
      helpText: `The public key ${vendor.displayName} verifies its deliveries with. ${source.help}${docsLink(vendor, 'webhook')}`,
    },
  ];
}

type InputField = Record<string, unknown> & { key: string };

function optionField(vendor: VendorDefinition, option: SubscriptionOption): InputField {
  return {
    key: option.name,
    label: option.displayName,
    required: option.required ?? false,
    type: option.type === 'boolean' ? 'boolean' : 'string',
    ...(option.type === 'string[]' ? { list: true } : {}),
    ...(option.placeholder !== undefined ? { placeholder: option.placeholder } : {}),
    helpText: `${option.description}${docsLink(vendor, 'webhook')}`,
  };
}

/**
 * The trigger's description (D021: "Triggers when … .") and what its test data is: no vendor
 * keeps a list of past events to read, so Zapier's test step gets the documented sample.
 */
function describeTrigger(vendor: VendorDefinition, event: EventDefinition): string {
  return `${triggerDescription(event)} Test data is a sample: ${vendor.displayName} keeps no list of past events to load.`;
}

/** Events only the vendor's test endpoint sends (Parlay's webhook.test) stay hidden from the trigger list. */
function hiddenFromUsers(vendor: VendorDefinition, event: EventDefinition): boolean {
  return testOnlyEventType(vendor) === event.type;
}

/** The user's option values, cleaned: empty strings and empty lists are left out. */
function optionValues(vendor: VendorDefinition, inputData: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const option of vendor.subscriptionOptions) {
    const value = inputData[option.name];
    if (option.type === 'string[]') {
      const list = (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [])
        .map((v) => String(v).trim())
        .filter((v) => v !== '');
      if (list.length) out[option.name] = list;
    } else if (option.type === 'boolean') {
      if (value !== undefined && value !== '') out[option.name] = value === true || value === 'true';
    } else if (typeof value === 'string' && value.trim() !== '') {
      out[option.name] = value.trim();
    }
  }
  return out;
}

/**
 * perform: verify the raw delivery with the secret, then normalize it. A delivery that fails
 * verification (forged, unsigned, signed with a rotated-away secret, stale) or is not this
 * trigger's event returns `[]`: no Zap run. We do not throw HaltedError because anyone who
 * knows the hook URL could then fill the user's Zap history with halted runs; the reason
 * goes to the app's logs instead (no secrets in it).
 */
function performFor(vendor: VendorDefinition, event: EventDefinition, secretOf: (bundle: Bundle) => unknown) {
  return async (z: ZObject, bundle: Bundle): Promise<TriggerOutput[]> => {
    const raw = bundle.rawRequest ?? {};
    const body = typeof raw.content === 'string' ? raw.content : '';
    const headers = raw.headers ?? {};
    const result =
      vendor.signature.publicKey?.source === 'api' && hasRestApi(vendor)
        ? await verifyWithApiKey(z, vendor, bundle, { body, headers })
        : verifyDelivery(vendor, {
            body,
            headers,
            // Passed as stored: core treats only undefined/null/blank as "no secret", so a value of
            // the wrong type fails closed instead of letting an optional-secret vendor go unsigned.
            secret: secretOf(bundle) as VerifyDeliveryInput['secret'],
          });
    if (!result.ok) {
      z.console.log(`${vendor.displayName} delivery rejected, no run started (${result.reason}): ${result.message}`);
      return [];
    }
    // One event, or each event of a verified batch; Zapier dedupes the items by their id.
    const mine = result.events.filter((e) => e.event.type === event.type);
    if (mine.length === 0) {
      const types = [...new Set(result.events.map((e) => e.event.type))].join('", "');
      z.console.log(`${vendor.displayName} delivery of "${types}" ignored by the ${event.type} trigger.`);
      return [];
    }
    return mine.map((e) => toTriggerOutput(vendor, e.event));
  };
}

function sampleParts(
  vendor: VendorDefinition,
  event: EventDefinition,
): { sample: TriggerOutput; outputFields: OutputField[] } {
  const sample = sampleOutput(vendor, event);
  return { sample, outputFields: outputFieldsFor(sample as unknown as Record<string, unknown>) };
}

/** A Zapier error for a failed call of core's client, worded like the app's other errors. */
function zapierErrorFor(z: ZObject, vendor: RestVendor, what: string, events: string[], err: unknown): Error {
  if (err instanceof HookpackInputError) return new z.errors.Error(err.message, 'InvalidInput', 400);
  if (!(err instanceof HookpackApiError)) return err instanceof Error ? err : new Error(String(err));
  const status = err.status;
  if (status === 401 || status === 403 || status === 429) {
    return authError(z, vendor, {
      status,
      said: err.vendorMessage,
      events,
      retryAfterSeconds: err.retryAfterMs === undefined ? undefined : Math.ceil(err.retryAfterMs / 1000),
    });
  }
  const server = status === undefined || status >= 500 || err.code === 'invalid_response';
  const hint = status === 404 ? ' Check the Base URL of this connection.' : server ? ' Try again later.' : '';
  // core's message already names the status and quotes the vendor, once.
  return new z.errors.Error(
    `${vendor.displayName} could not ${what}: ${sentence(err.message)}${hint}`,
    server ? 'VendorServerError' : 'VendorRequestError',
    status ?? 502,
  );
}

/** One REST-hook trigger: subscribe on Zap on, unsubscribe on Zap off, verify every delivery. */
export function restHookTrigger(vendor: RestVendor, event: EventDefinition) {
  const { sample, outputFields } = sampleParts(vendor, event);
  const key = triggerKey(event.type);
  return {
    key,
    noun: triggerNoun(event),
    display: {
      label: event.displayName,
      description: describeTrigger(vendor, event),
      ...(hiddenFromUsers(vendor, event) ? { hidden: true } : {}),
    },
    operation: {
      type: 'hook' as const,
      inputFields: [...vendor.subscriptionOptions.map((o) => optionField(vendor, o)), ...publicKeyFields(vendor)],

      performSubscribe: async (z: ZObject, bundle: Bundle): Promise<SubscribeData> => {
        const targetUrl = bundle.targetUrl;
        if (!targetUrl) throw new z.errors.Error('Zapier gave no target URL to subscribe.', 'MissingTargetUrl', 400);
        const events = [event.type];
        // core's create — duplicates, orphans, unusable answers and retries handled once, for
        // n8n and Zapier alike — over z.request, so the app's middleware sees every call.
        const baseUrl = baseUrlFor(z, vendor, bundle);
        const options = optionValues(vendor, bundle.inputData ?? {});
        let subscription;
        try {
          const client = createSubscriptionClient(vendor, {
            apiKey: String(bundle.authData?.apiKey ?? ''),
            baseUrl,
            fetch: zapierFetch(z, { events }),
            allowInsecureTargetUrl: true, // Zapier's own target URLs are https; the sandbox's are not
            userAgent: 'hookpack-zapier/0.1',
            // Zapier gives a subscribe call 30 s: keep retries few and short.
            retry: { maxAttempts: 2, maxRetryAfterMs: 5_000 },
            timeoutMs: 20_000,
          });
          subscription = await client.create({ url: targetUrl, events, options });
        } catch (err) {
          throw zapierErrorFor(z, vendor, `subscribe to ${event.displayName}`, events, err);
        }
        return {
          id: subscription.id,
          secret: subscription.secret ?? null,
          ...(subscription.publicKey ? { publicKey: subscription.publicKey } : {}),
          events: subscription.events,
          url: subscription.url,
          ...resubscribeAt(vendor, subscription.expiresAt),
        };
      },

      performUnsubscribe: async (z: ZObject, bundle: Bundle) => {
        const id = (bundle.subscribeData as Partial<SubscribeData> | undefined)?.id;
        if (!id)
          throw new z.errors.Error('Nothing to unsubscribe: this Zap has no stored subscription id.', 'MissingId', 400);
        let response;
        try {
          response = await z.request(endpointRequest(z, vendor, bundle, 'delete', { id }));
        } catch (err) {
          // No answer (timeout, reset): the vendor may or may not have deleted it.
          throw new z.errors.Error(
            `${vendor.displayName} did not answer the request to delete webhook ${id} (${(err as Error).message.split('\n')[0]}). ` +
              `It may be deleted anyway: turn the Zap on and off again to retry, or delete webhook ${id} in ${vendor.displayName} by hand.`,
            'VendorServerError',
            502,
          );
        }
        // Already deleted (by hand, or by the vendor) is what we wanted.
        if (response.status === 404 || response.status === 410) return { id, deleted: true, alreadyGone: true };
        if (!isSuccess(response)) throw operationError(z, vendor, `delete webhook ${id}`, response);
        return { id, deleted: true, alreadyGone: false };
      },

      perform: performFor(vendor, event, (bundle) =>
        vendor.signature.publicKey?.source === 'user'
          ? (bundle.inputData as Record<string, unknown> | undefined)?.[PUBLIC_KEY_FIELD]
          : // An app-signed vendor (Shopify) signs with the connection's app secret, the same for every Zap.
            usesAppSecret(vendor)
            ? (bundle.authData as Record<string, unknown> | undefined)?.[APP_SECRET_FIELD]
            : (bundle.subscribeData as Partial<SubscribeData> | undefined)?.secret,
      ),
      // No vendor has a polling endpoint; the test endpoints send to a URL rather than
      // return data. So samples come from the event catalog, through perform's parser.
      performList: async (): Promise<TriggerOutput[]> => [sampleOutput(vendor, event)],
      sample,
      outputFields,
    },
  };
}

/** One static-hook trigger: the user pastes the Zap's URL into the vendor's UI. */
export function staticHookTrigger(vendor: VendorDefinition, event: EventDefinition) {
  const { sample, outputFields } = sampleParts(vendor, event);
  const setup = vendor.manualSetup?.instructions;
  if (!setup) throw new Error(`${vendor.id}: a vendor without api needs manualSetup.instructions`);
  const copyFrom = vendor.manualSetup?.secretHelp;
  const secretHelp = copyFrom
    ? `The signing secret ${vendor.displayName} signs its deliveries with. ${copyFrom}`
    : vendor.signature.secretRequired
      ? `The signing secret you set in ${vendor.displayName}.`
      : `Optional but recommended: the signing secret you set in ${vendor.displayName}. When set, deliveries without a valid signature start no Zap; when empty, unsigned deliveries are accepted.`;
  return {
    key: triggerKey(event.type),
    noun: triggerNoun(event),
    display: {
      label: event.displayName,
      description: describeTrigger(vendor, event),
      directions: `${setup} Select the "${event.type}" event.${docsLink(vendor, 'webhook')}`.slice(0, 1000),
    },
    operation: {
      type: 'hook' as const,
      inputFields: vendor.signature.publicKey
        ? publicKeyFields(vendor)
        : [
            {
              key: SIGNING_SECRET_FIELD,
              label: 'Signing Secret',
              type: 'password',
              required: vendor.signature.secretRequired,
              helpText: `${secretHelp}${docsLink(vendor, 'webhook')}`,
            },
          ],
      perform: performFor(
        vendor,
        event,
        (bundle) =>
          (bundle.inputData as Record<string, unknown> | undefined)?.[
            vendor.signature.publicKey ? PUBLIC_KEY_FIELD : SIGNING_SECRET_FIELD
          ],
      ),
      performList: async (): Promise<TriggerOutput[]> => [sampleOutput(vendor, event)],
      sample,
      outputFields,
    },
  };
}
