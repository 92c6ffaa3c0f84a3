import {
  resourceCodec,
  verifyDelivery,
  type EventDefinition,
  type SubscriptionOption,
  type VendorDefinition,
  type VerifyDeliveryInput,
} from '@hookpack/core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { endpointRequest, isSuccess, operationError, responseBody, type RestVendor } from './api.js';
import type { HookpackMiddlewareData } from './auth.js';
import { docsLink, triggerDescription, triggerKey, triggerNoun } from './names.js';
import { outputFieldsFor, sampleOutput, toTriggerOutput, type OutputField, type TriggerOutput } from './output.js';

/** What performSubscribe stores in Zapier's `bundle.subscribeData`. */
export interface SubscribeData {
  id: string;
  /** The signing secret the vendor returned once, at creation. */
  secret: string | null;
  events: string[];
  url: string;
}

/** Key of the static-hook input that holds the user's signing secret. */
export const SIGNING_SECRET_FIELD = 'signingSecret';

type InputField = Record<string, unknown> & { key: string };

function optionField(vendor: VendorDefinition, option: SubscriptionOption): InputField {
  return {
    key: option.name,
    label: option.displayName,
    required: option.required ?? false,
    type: option.type === 'boolean' ? 'boolean' : 'string',
    ...(option.type === 'string[]' ? { list: true } : {}),
    helpText: `${option.description}${docsLink(vendor, 'webhook')}`,
  };
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
    const secret = secretOf(bundle);
    const result = verifyDelivery(vendor, {
      body: typeof raw.content === 'string' ? raw.content : '',
      headers: raw.headers ?? {},
      // Passed as stored: core treats only undefined/null/blank as "no secret", so a value of
      // the wrong type fails closed instead of letting an optional-secret vendor go unsigned.
      secret: secret as VerifyDeliveryInput['secret'],
    });
    if (!result.ok) {
      z.console.log(`${vendor.displayName} delivery rejected, no run started (${result.reason}): ${result.message}`);
      return [];
    }
    if (result.event.type !== event.type) {
      z.console.log(`${vendor.displayName} delivery of "${result.event.type}" ignored by the ${event.type} trigger.`);
      return [];
    }
    return [toTriggerOutput(vendor, result.event)];
  };
}

function sampleParts(
  vendor: VendorDefinition,
  event: EventDefinition,
): { sample: TriggerOutput; outputFields: OutputField[] } {
  const sample = sampleOutput(vendor, event);
  return { sample, outputFields: outputFieldsFor(sample as unknown as Record<string, unknown>) };
}

/** One REST-hook trigger: subscribe on Zap on, unsubscribe on Zap off, verify every delivery. */
export function restHookTrigger(vendor: RestVendor, event: EventDefinition) {
  const { sample, outputFields } = sampleParts(vendor, event);
  const key = triggerKey(event.type);
  return {
    key,
    noun: triggerNoun(event),
    display: { label: event.displayName, description: triggerDescription(event) },
    operation: {
      type: 'hook' as const,
      inputFields: vendor.subscriptionOptions.map((o) => optionField(vendor, o)),

      performSubscribe: async (z: ZObject, bundle: Bundle): Promise<SubscribeData> => {
        const targetUrl = bundle.targetUrl;
        if (!targetUrl) throw new z.errors.Error('Zapier gave no target URL to subscribe.', 'MissingTargetUrl', 400);
        const events = [event.type];
        const body = resourceCodec(vendor).createBody({
          url: targetUrl,
          events,
          options: optionValues(vendor, bundle.inputData ?? {}),
        });
        const request = endpointRequest(z, vendor, bundle, 'create', { body });
        request.middlewareData = { events } satisfies HookpackMiddlewareData;
        const response = await z.request(request);
        if (!isSuccess(response)) throw operationError(z, vendor, `subscribe to ${event.displayName}`, response);
        let subscription;
        try {
          const answer = responseBody(response);
          subscription = resourceCodec(vendor).readSubscription(answer, true);
        } catch (err) {
          throw new z.errors.Error(
            `${vendor.displayName} answered the subscription request with something hookpack does not understand: ${(err as Error).message}`,
            'UnexpectedResponse',
            502,
          );
        }
        if (!subscription.secret && vendor.signature.secretRequired) {
          // Without the secret no delivery could ever be verified: undo, and say whether that worked.
          const undone = await z.request(endpointRequest(z, vendor, bundle, 'delete', { id: subscription.id })).then(
            (r) => isSuccess(r) || r.status === 404 || r.status === 410,
            () => false,
          );
          throw new z.errors.Error(
            `${vendor.displayName} created the webhook but returned no signing secret, so deliveries could not be verified; ` +
              (undone
                ? 'it was deleted again.'
                : `deleting it failed: delete webhook ${subscription.id} in ${vendor.displayName} by hand.`),
            'MissingSecret',
            502,
          );
        }
        return {
          id: subscription.id,
          secret: subscription.secret ?? null,
          events: subscription.events,
          url: subscription.url,
        };
      },

      performUnsubscribe: async (z: ZObject, bundle: Bundle) => {
        const id = (bundle.subscribeData as Partial<SubscribeData> | undefined)?.id;
        if (!id)
          throw new z.errors.Error('Nothing to unsubscribe: this Zap has no stored subscription id.', 'MissingId', 400);
        const response = await z.request(endpointRequest(z, vendor, bundle, 'delete', { id }));
        // Already deleted (by hand, or by the vendor) is what we wanted.
        if (response.status === 404 || response.status === 410) return { id, deleted: true, alreadyGone: true };
        if (!isSuccess(response)) throw operationError(z, vendor, `delete webhook ${id}`, response);
        return { id, deleted: true, alreadyGone: false };
      },

      perform: performFor(
        vendor,
        event,
        (bundle) => (bundle.subscribeData as Partial<SubscribeData> | undefined)?.secret,
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
  const secretHelp = vendor.signature.secretRequired
    ? `The signing secret you set in ${vendor.displayName}.`
    : `Optional but recommended: the signing secret you set in ${vendor.displayName}. When set, deliveries without a valid signature start no Zap; when empty, unsigned deliveries are accepted.`;
  return {
    key: triggerKey(event.type),
    noun: triggerNoun(event),
    display: {
      label: event.displayName,
      description: triggerDescription(event),
      directions: `${setup} Select the "${event.type}" event.${docsLink(vendor, 'webhook')}`.slice(0, 1000),
    },
    operation: {
      type: 'hook' as const,
      inputFields: [
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
        (bundle) => (bundle.inputData as Record<string, unknown> | undefined)?.[SIGNING_SECRET_FIELD],
      ),
      performList: async (): Promise<TriggerOutput[]> => [sampleOutput(vendor, event)],
      sample,
      outputFields,
    },
  };
}
