import { z } from 'zod';
import { publicKeyScheme, type EventDefinition, type VendorDefinition } from '@hookpack/core';

// Twilio SendGrid's Event Webhook, as its public docs describe it:
// - "Getting Started with the Event Webhook" and the "Event" reference
//   (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook,
//   …/tracking-events/event): one POST carries a JSON array of events; each has `email`,
//   `timestamp` (unix seconds), `event` (the type) and `sg_event_id` (unique per event), plus
//   event-specific fields (sg_message_id, reason, url, …).
// - "Getting Started with the Event Webhook Security Features"
//   (…/tracking-events/getting-started-event-webhook-security-features): SendGrid makes an ECDSA
//   key pair; it signs timestamp + raw body and sends `X-Twilio-Email-Event-Webhook-Signature`
//   (base64 signature) and `X-Twilio-Email-Event-Webhook-Timestamp`; the public key is base64 DER.
// - v3 API "Webhooks: Event" (multiple Event Webhooks,
//   https://www.twilio.com/docs/sendgrid/api-reference/webhooks): Bearer API key;
//   POST /v3/user/webhooks/event/settings, GET …/settings/all ({max_allowed, webhooks: [...]}),
//   GET/PATCH/DELETE …/settings/{id}; PATCH …/settings/signed/{id} {enabled} toggles signing,
//   GET …/settings/signed/{id} answers {id, public_key}. Events are selected by boolean fields of
//   the settings body (delivered, open, click, spam_report, …); `friendly_name` is stored and
//   returned; `enabled` switches the webhook on and off; errors are {errors: [{field, message}]}.
// Choices where the docs read are silent or ambiguous are marked "choice:".

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

/** Fields every event carries besides the envelope's (`event`, `sg_event_id`, `timestamp`). */
const messageFields = {
  email: z.string(),
  sg_message_id: z.string().optional(),
  category: z.union([z.string(), z.array(z.string())]).optional(),
};

const message = z.looseObject(messageFields);

const base = { email: 'example@test.com', sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0' };

function event(
  type: string,
  displayName: string,
  description: string,
  sample: Record<string, unknown>,
  schema: z.ZodType = message,
): EventDefinition {
  return { type, displayName, description, schema, sample: { ...base, ...sample } };
}

/** The event types, as the `event` field names them, with the settings field that selects each. */
const events: EventDefinition[] = [
  event('processed', 'Message Processed', 'a message has been received by SendGrid and is ready to be delivered', {}),
  event('dropped', 'Message Dropped', 'a message is dropped without being sent', {
    reason: 'Bounced Address',
  }),
  event('delivered', 'Message Delivered', "a message has been accepted by the recipient's server", {
    response: '250 OK',
  }),
  event('deferred', 'Message Deferred', "the recipient's server temporarily refused a message", {
    response: '400 try again later',
    attempt: '5',
  }),
  event('bounce', 'Message Bounced', 'a receiving server refused a message (bounced or blocked)', {
    reason: '500 unknown recipient',
    type: 'bounce',
  }),
  event('open', 'Message Opened', 'a recipient opens a message', { useragent: 'Mozilla/5.0', ip: '255.255.255.255' }),
  event(
    'click',
    'Link Clicked',
    'a recipient clicks a tracked link in a message',
    { url: 'http://www.sendgrid.com/', useragent: 'Mozilla/5.0', ip: '255.255.255.255' },
    z.looseObject({ ...messageFields, url: z.string() }),
  ),
  event('spamreport', 'Marked As Spam', 'a recipient marks a message as spam', {}),
  event('unsubscribe', 'Recipient Unsubscribed', 'a recipient unsubscribes from all messages', {}),
  event('group_unsubscribe', 'Group Unsubscribed', 'a recipient unsubscribes from an unsubscribe group', {
    asm_group_id: 10,
  }),
  event('group_resubscribe', 'Group Resubscribed', 'a recipient resubscribes to an unsubscribe group', {
    asm_group_id: 10,
  }),
];

export const sendGrid: VendorDefinition = {
  id: 'sendGrid',
  displayName: 'SendGrid',
  description: 'Twilio SendGrid email events: processed, delivered, opened, clicked, bounced and more.',
  docsUrl: 'https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook',
  auth: {
    kind: 'apiKey',
    placement: 'bearer',
    keyPrefixes: ['SG.'],
    // The security page: "Make sure your API Key Permissions are set to Full Access".
    keyHelp: 'A SendGrid API key (Settings → API Keys) with Full Access, sent as a Bearer token.',
  },
  api: {
    // Also https://api.eu.sendgrid.com for EU regional subusers: the Base URL field takes it.
    baseUrl: 'https://api.sendgrid.com/v3',
    requiresHttpsTarget: false, // choice: the pages read do not require an https:// target URL
    idempotencyKeys: false,
    endpoints: {
      create: { method: 'POST', path: '/user/webhooks/event/settings' },
      // Before `get`: "all" would otherwise read as an id.
      list: { method: 'GET', path: '/user/webhooks/event/settings/all' },
      get: { method: 'GET', path: '/user/webhooks/event/settings/{id}' },
      update: { method: 'PATCH', path: '/user/webhooks/event/settings/{id}' },
      delete: { method: 'DELETE', path: '/user/webhooks/event/settings/{id}' },
      signing: { method: 'PATCH', path: '/user/webhooks/event/settings/signed/{id}' },
      publicKey: { method: 'GET', path: '/user/webhooks/event/settings/signed/{id}' },
      // Not declared: POST /user/webhooks/event/test takes the webhook's settings in its body
      // and sends a fixed sample; hookpack's test operation sends only the id.
    },
    // `friendly_name` is stored and returned on reads: it carries the owning trigger's mark.
    ownerLabel: { option: 'friendly_name' },
    resource: {
      document: { kind: 'flat' },
      fields: {
        url: 'url',
        eventFlags: {
          processed: 'processed',
          dropped: 'dropped',
          delivered: 'delivered',
          deferred: 'deferred',
          bounce: 'bounce',
          open: 'open',
          click: 'click',
          spamreport: 'spam_report', // the event is "spamreport", its setting "spam_report"
          unsubscribe: 'unsubscribe',
          group_unsubscribe: 'group_unsubscribe',
          group_resubscribe: 'group_resubscribe',
        },
        active: { path: 'enabled' },
        createdAt: 'created_date',
        options: { friendly_name: 'friendly_name' },
      },
      // choice: SendGrid ids are UUIDs with no prefix; the sandbox issues short random ids.
      idPrefix: '',
      secretPrefix: '',
      secretOnReads: { kind: 'omit' }, // nothing secret: SendGrid holds the private key
      createFields: { enabled: true },
    },
    list: { key: 'webhooks' }, // at most `max_allowed` (5) webhooks: no paging
    errors: { kind: 'list', key: 'errors', message: 'message', field: 'field' },
  },
  subscriptionOptions: [
    {
      name: 'friendly_name',
      displayName: 'Friendly Name',
      description: 'A name for the Event Webhook, shown in SendGrid.',
      type: 'string',
    },
  ],
  signature: {
    scheme: publicKeyScheme({
      algorithm: 'ecdsa-p256-sha256',
      header: 'X-Twilio-Email-Event-Webhook-Signature',
      encoding: 'base64',
      timestampHeader: 'X-Twilio-Email-Event-Webhook-Timestamp',
      signed: ['timestamp', 'body'],
      ecdsaEncoding: 'der', // what SendGrid's own libraries verify (ASN.1 signatures)
      // choice: the docs state no tolerance and do not say whether a retry is signed anew. A
      // short window could refuse every retry of a delivery, so it spans the 24 h retry period
      // (plus an hour); a replayed delivery inside it is caught by sg_event_id dedupe.
      toleranceSeconds: 25 * 3600,
    }),
    secretRequired: true,
    secretSource: 'subscription', // SendGrid makes the key pair of each webhook
    rotation: 'none',
    // Signing is off on a new webhook until the signed toggle turns it on; that answer (and
    // GET …/signed/{id}) carries the public key.
    publicKey: { source: 'api', keyPath: 'public_key', enableBody: { enabled: true } },
  },
  envelope: {
    schema: z.looseObject({
      event: z.string().min(1),
      sg_event_id: z.string().min(1),
      timestamp: z.number().int().nonnegative(),
    }),
    batch: { kind: 'array' },
    read: ({ event: type, sg_event_id, timestamp, ...data }: Record<string, unknown>) => ({
      id: sg_event_id as string,
      type: type as string,
      createdAt: new Date((timestamp as number) * 1000).toISOString(),
      data,
    }),
    build: ({ id, type, createdAt, data }) => ({
      ...(data as Record<string, unknown>),
      timestamp: Math.floor(Date.parse(createdAt) / 1000),
      event: type,
      sg_event_id: id,
    }),
  },
  events,
  delivery: {
    timeoutMs: 10 * SEC, // choice: the pages read state no per-attempt timeout
    // The docs: non-2xx answers are retried for up to 24 hours; choice: this schedule within it.
    retryDelaysMs: [1 * MIN, 5 * MIN, 30 * MIN, 2 * HOUR, 6 * HOUR, 15 * HOUR],
    afterRetries: 'drop',
    staticHeaders: { 'Content-Type': 'application/json' },
    deliveryIdIsStable: false, // no delivery id header
    dedupe: ['eventId', 'bodyHash'], // sg_event_id identifies an event across retries
  },
};
