import { z } from 'zod';
import { hmacHexScheme, type VendorDefinition, envelopeFields } from '@hookpack/core';

// Lemon Squeezy: merchant of record for digital products (orders, subscriptions, license keys).
// Modelled on its public webhooks API, https://docs.lemonsqueezy.com/api/webhooks (create,
// retrieve, list, update) and https://docs.lemonsqueezy.com/help/webhooks (signing, retries).
// From the docs: JSON:API documents in `application/vnd.api+json`, Bearer key, a webhook
// belongs to a store (create sends `relationships.store`, reads show `attributes.store_id`),
// the client chooses the signing secret ("between 6 and 40 characters", "never returned in the
// API"), lists are paged (`page[number]`, `page[size]`), `X-Signature` = hex HMAC-SHA256 of
// the body, `X-Event-Name`, retries "up to three more times … 5 secs, 25 secs, 125 secs".
// Choices where the docs are silent are marked "choice:".

const SEC = 1000;

const orderAttributes = z.looseObject({
  store_id: z.number().int(),
  identifier: z.string(),
  order_number: z.number().int(),
  user_name: z.string(),
  user_email: z.string(),
  currency: z.string(),
  subtotal: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  status: z.string(),
});
const subscriptionAttributes = z.looseObject({
  store_id: z.number().int(),
  customer_id: z.number().int(),
  order_id: z.number().int(),
  product_id: z.number().int(),
  variant_id: z.number().int(),
  product_name: z.string(),
  variant_name: z.string(),
  user_name: z.string(),
  user_email: z.string(),
  status: z.string(),
  cancelled: z.boolean(),
});
/** The event's `data`: the JSON:API resource object the event is about. */
const resource = (type: string, attributes: z.ZodType) =>
  z.looseObject({ type: z.literal(type), id: z.string(), attributes });

// From the docs' order_created example (amounts in cents).
const order = (status: string, refunded: boolean) => ({
  type: 'orders',
  id: '1',
  attributes: {
    store_id: 1,
    identifier: '636f855c-1fb9-4c07-b75c-3a10afef010a',
    order_number: 1,
    user_name: 'Darlene Daugherty',
    user_email: 'gernser@yahoo.com',
    currency: 'USD',
    currency_rate: '1.0000',
    subtotal: 999,
    discount_total: 0,
    tax: 200,
    total: 1199,
    tax_name: 'VAT',
    tax_rate: '20.00',
    status,
    refunded,
  },
});
// From the docs' subscription_created example.
const subscription = (status: string, cancelled: boolean) => ({
  type: 'subscriptions',
  id: '1',
  attributes: {
    store_id: 2,
    customer_id: 2,
    order_id: 2,
    order_item_id: 2,
    product_id: 2,
    variant_id: 2,
    product_name: 'Subscription One',
    variant_name: 'Default',
    user_name: 'Dan R',
    user_email: 'dan@example.com',
    status,
    status_formatted: status.charAt(0).toUpperCase() + status.slice(1),
    card_brand: 'visa',
    card_last_four: '4242',
    pause: null,
    cancelled,
    trial_ends_at: '2023-01-24T12:43:48.000000Z',
    billing_anchor: 24,
  },
});

export const lemonSqueezy: VendorDefinition = {
  id: 'lemonSqueezy',
  displayName: 'Lemon Squeezy',
  description: 'Merchant of record for digital products: orders, subscriptions and license keys.',
  docsUrl: 'https://docs.lemonsqueezy.com/api/webhooks',
  auth: {
    kind: 'apiKey',
    placement: 'bearer',
    keyPrefixes: [], // choice: the docs name no key prefix
    keyHelp: 'A Lemon Squeezy API key (Settings » API in your dashboard), sent as a Bearer token.',
  },
  api: {
    baseUrl: 'https://api.lemonsqueezy.com',
    // The docs verify certificates "if a webhook is configured to send a request to an HTTPS
    // URL": plain http targets are allowed.
    requiresHttpsTarget: false,
    idempotencyKeys: false,
    mediaType: 'application/vnd.api+json',
    endpoints: {
      create: { method: 'POST', path: '/v1/webhooks' },
      list: { method: 'GET', path: '/v1/webhooks' },
      get: { method: 'GET', path: '/v1/webhooks/{id}' },
      // The update page's example shows /v1/customers/:id (a copy-paste slip in the docs); its
      // title, attributes and answer are the webhook's.
      update: { method: 'PATCH', path: '/v1/webhooks/{id}' },
      delete: {
        method: 'DELETE',
        path: '/v1/webhooks/{id}',
        assumed: true,
        note: 'the JSON:API route of the resource; the delete page was not read',
      },
    },
    resource: {
      document: { kind: 'jsonApi', type: 'webhooks', relationships: { store: { option: 'store_id', type: 'stores' } } },
      fields: {
        url: 'url',
        events: 'events',
        secret: 'secret', // sent on create (required) and update; "never returned in the API"
        createdAt: 'created_at',
        options: { store_id: 'store_id', test_mode: 'test_mode' },
        // No on/off field: Lemon Squeezy webhooks cannot be paused through the API.
      },
      idPrefix: '', // ids are plain numbers as strings ("1")
      secretPrefix: '',
      secretOnReads: { kind: 'omit' },
    },
    // "Returns a paginated list … ordered by created_at in descending order"; page size 1–100
    // (default 10). choice: 100 per page, the fewest requests.
    // The list endpoint filters by store (`filter[store_id]`), as Lemon Squeezy's list endpoints do.
    list: {
      pagination: { kind: 'page', param: 'page[number]', sizeParam: 'page[size]', pageSize: 100 },
      filters: { store_id: 'filter[store_id]' },
    },
    errors: { kind: 'jsonApi' }, // choice: JSON:API error objects, 422 for validation (JSON:API's convention)
  },
  subscriptionOptions: [
    {
      name: 'store_id',
      displayName: 'Store ID',
      description: 'The ID of the Lemon Squeezy store whose events this webhook receives.',
      type: 'string',
      // "A webhook belongs to a Store" and the create example sends the store relationship, but
      // the docs mark only url, events and secret "Required". choice: optional, so a key
      // whose account has one store needs no setting (sent only when given).
    },
    {
      name: 'test_mode',
      displayName: 'Test Mode',
      description: 'Create the webhook in test mode: it then receives test-mode events only.',
      type: 'boolean',
    },
  ],
  signature: {
    scheme: hmacHexScheme({ header: 'X-Signature', prefix: '' }),
    secretRequired: true,
    secretSource: 'client',
    // choice: 32 letters and digits, inside the documented 6–40 characters.
    clientSecret: { length: 32, alphabet: 'alphanumeric' },
    rotation: 'update', // the update endpoint takes a new `secret`
  },
  envelope: {
    // `{meta: {event_name, custom_data?}, data: <the JSON:API resource object>}`; no event id
    // and no timestamp of its own.
    // The payload stays open (each event's schema checks its resource object).
    schema: z.looseObject({ meta: z.looseObject({ event_name: z.string().min(1) }), data: z.unknown() }),
    // No event id and no event time in the envelope (the resource's own timestamps are in data).
    ...envelopeFields({ type: 'meta.event_name', data: 'data' }),
  },
  events: [
    {
      type: 'order_created',
      displayName: 'New Order',
      description: 'a new order is placed in the store',
      schema: resource('orders', orderAttributes),
      sample: order('paid', false),
    },
    {
      type: 'order_refunded',
      displayName: 'Order Refunded',
      description: 'an order is refunded',
      schema: resource('orders', orderAttributes),
      sample: order('refunded', true),
    },
    {
      type: 'subscription_created',
      displayName: 'New Subscription',
      description: 'a new subscription is created',
      schema: resource('subscriptions', subscriptionAttributes),
      sample: subscription('on_trial', false),
    },
    {
      type: 'subscription_updated',
      displayName: 'Subscription Updated',
      description: 'a subscription changes in any way',
      schema: resource('subscriptions', subscriptionAttributes),
      sample: subscription('active', false),
    },
    {
      type: 'subscription_cancelled',
      displayName: 'Subscription Cancelled',
      description: 'a subscription is cancelled',
      schema: resource('subscriptions', subscriptionAttributes),
      sample: subscription('cancelled', true),
    },
    {
      type: 'subscription_expired',
      displayName: 'Subscription Expired',
      description: 'a subscription ends',
      schema: resource('subscriptions', subscriptionAttributes),
      sample: subscription('expired', true),
    },
    {
      type: 'license_key_created',
      displayName: 'New License Key',
      description: 'a license key is created from a new order',
      designedPayload: true, // the docs name the event; these attributes are illustrative
      schema: resource(
        'license-keys',
        z.looseObject({
          store_id: z.number().int(),
          order_id: z.number().int(),
          key_short: z.string(),
          status: z.string(),
        }),
      ),
      sample: {
        type: 'license-keys',
        id: '1',
        attributes: { store_id: 1, order_id: 1, key_short: 'XXXX-4E6A1D0D', status: 'inactive' },
      },
    },
  ],
  delivery: {
    timeoutMs: 30 * SEC, // choice: the docs state no per-attempt timeout
    retryDelaysMs: [5 * SEC, 25 * SEC, 125 * SEC],
    afterRetries: 'drop', // "considered failed and will no longer be retried"
    staticHeaders: { 'Content-Type': 'application/json' },
    eventHeader: 'X-Event-Name',
    deliveryIdIsStable: false,
    // Nothing in a delivery identifies it (no event id, no delivery id): a redelivery is the
    // same bytes, so the body digest is the dedupe key.
    dedupe: ['bodyHash'],
  },
};
