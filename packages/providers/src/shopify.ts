import { z } from 'zod';
import { hmacHexScheme, type VendorDefinition } from '@hookpack/core';

// Shopify: webhook subscriptions of the Admin REST API, one topic per webhook, deliveries
// signed with the app's client secret.
// Modelled on shopify.dev: the "Webhook" REST resource
// (https://shopify.dev/docs/api/admin-rest/latest/resources/webhook), "Deliver webhooks through
// HTTPS" / "Verify webhooks" (https://shopify.dev/docs/apps/build/webhooks/subscribe/https),
// "REST Admin API rate limits" and cursor-based pagination ("Make paginated requests to the REST
// Admin API"), and the changelog "Updates to webhook retry mechanism" (2024-09-10).
// From the docs: `POST /admin/api/<version>/webhooks.json` with
// `{"webhook": {"topic": "orders/create", "address": "https://…", "format": "json"}}`, one topic
// per webhook; `GET /webhooks.json` answers `{"webhooks": [...]}`, paged by a `Link` header whose
// `rel="next"` URL carries `page_info` (limit ≤ 250); `GET|PUT|DELETE /webhooks/{id}.json`; the
// `X-Shopify-Access-Token` header authenticates; a refused request answers 422 with
// `{"errors": {"<field>": ["<message>", …]}}`, other errors `{"errors": "<message>"}`; every
// delivery carries `X-Shopify-Topic`, `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the raw
// body, keyed with the app's client secret), `X-Shopify-Webhook-Id`, `X-Shopify-Shop-Domain`,
// `X-Shopify-API-Version` and `X-Shopify-Triggered-At`; the body is the resource itself (the
// order, the product), not an envelope; a delivery fails without a 2xx within 5 seconds, and
// is retried 8 times over 4 hours with exponential backoff.
// Choices where the docs are silent or that hookpack makes are marked "choice:".
//
// Not modelled: Shopify deletes an Admin-API subscription after 8 consecutive failed deliveries
// (the sandbox can only deactivate); it refuses a second webhook for the same topic and address
// (422 "address for this topic has already been taken"), which the sandbox allows; webhooks set up
// in the Shopify admin or in shopify.app.toml are not visible to the API at all; ids are integers
// at Shopify (the client reads them as strings; the sandbox issues string ids).

const SEC = 1000;
const MIN = 60 * SEC;

/** The documented payloads are the full REST resources; these schemas require the few fields read here. */
const order = z.looseObject({
  id: z.number().int(),
  admin_graphql_api_id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  created_at: z.string(),
  currency: z.string(),
  total_price: z.string(),
  financial_status: z.string().nullable(),
  line_items: z.array(z.looseObject({ id: z.number().int(), title: z.string(), quantity: z.number().int() })),
});
const orderSample = {
  id: 450789469,
  admin_graphql_api_id: 'gid://shopify/Order/450789469',
  name: '#9999',
  email: 'jon@example.com',
  created_at: '2026-05-07T10:30:00-04:00',
  currency: 'USD',
  total_price: '403.00',
  financial_status: 'paid',
  line_items: [{ id: 466157049, title: 'IPod Nano - 8GB', quantity: 1 }],
};
const product = z.looseObject({
  id: z.number().int(),
  admin_graphql_api_id: z.string(),
  title: z.string(),
  handle: z.string(),
  status: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
const productSample = {
  id: 632910392,
  admin_graphql_api_id: 'gid://shopify/Product/632910392',
  title: 'Example T-Shirt',
  handle: 'example-t-shirt',
  status: 'active',
  created_at: '2026-05-07T10:30:00-04:00',
  updated_at: '2026-05-07T10:30:00-04:00',
};
/** products/delete sends only the id. */
const deleted = z.looseObject({ id: z.number().int() });
const customer = z.looseObject({
  id: z.number().int(),
  admin_graphql_api_id: z.string(),
  email: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  created_at: z.string(),
});
const customerSample = {
  id: 207119551,
  admin_graphql_api_id: 'gid://shopify/Customer/207119551',
  email: 'bob@biller.com',
  first_name: 'Bob',
  last_name: 'Biller',
  created_at: '2026-05-07T10:30:00-04:00',
};
const shop = z.looseObject({ id: z.number().int(), name: z.string(), domain: z.string() });

export const shopify: VendorDefinition = {
  id: 'shopify',
  displayName: 'Shopify',
  description: 'Shopify store events: orders, products and customers created, changed or deleted.',
  docsUrl: 'https://shopify.dev/docs/api/admin-rest/latest/resources/webhook',
  auth: {
    kind: 'apiKey',
    placement: 'header',
    headerName: 'X-Shopify-Access-Token',
    // Admin API access tokens of custom apps start with shpat_ (choice: the older shpca_/shppa_ too).
    keyPrefixes: ['shpat_', 'shpca_', 'shppa_'],
    keyHelp:
      "The Admin API access token of your app's installation on the store (custom app: Settings → Apps and sales channels → Develop apps → API credentials), sent as X-Shopify-Access-Token. It needs the read scope of each topic's resource (read_orders, read_products, read_customers).",
  },
  api: {
    // The docs' examples use a development store and an API version: every store has its own
    // address, so integrations ask for it (choice: version 2025-07, one the REST reference covers).
    baseUrl: 'https://your-development-store.myshopify.com/admin/api/2025-07',
    baseUrlRole: 'example',
    requiresHttpsTarget: true, // "Deliver webhooks through HTTPS": the address is an HTTPS endpoint
    idempotencyKeys: false,
    // choice: the REST limit is a leaky bucket (40 requests, 2 leak per second for standard
    // plans); as a window: 40 requests per 20 seconds.
    rateLimit: { requests: 40, perSeconds: 20 },
    endpoints: {
      create: { method: 'POST', path: '/webhooks.json' },
      list: { method: 'GET', path: '/webhooks.json' },
      get: { method: 'GET', path: '/webhooks/{id}.json' },
      update: { method: 'PUT', path: '/webhooks/{id}.json' },
      delete: { method: 'DELETE', path: '/webhooks/{id}.json' },
      // Not declared: `GET /shop.json` identifies the store but answers `{shop: …}`, not a
      // webhook document; the credential is tested with the list.
    },
    resource: {
      // `{"webhook": {…}}` both ways; lists are `{"webhooks": [...]}` beside, not inside, that key.
      document: { kind: 'wrapped', key: 'webhook', requests: 'wrapped', lists: 'flat' },
      fields: {
        url: 'address',
        events: 'topic',
        createdAt: 'created_at',
        // No secret field: Shopify signs with the app's client secret, never sent by the API.
        // No on/off field: a webhook cannot be paused, only deleted.
      },
      eventsPerSubscription: 'one',
      // hookpack reads JSON deliveries only (Shopify's other format is xml).
      createFields: { format: 'json' },
      idPrefix: '', // ids are plain integers
      secretPrefix: '',
      secretOnReads: { kind: 'omit' },
    },
    list: {
      key: 'webhooks',
      // "limit: default 50, maximum 250"; the next page is the Link header's rel="next" URL.
      pagination: { kind: 'link', cursorParam: 'page_info', sizeParam: 'limit', pageSize: 250 },
    },
    errors: { kind: 'object', message: 'errors', details: 'errors', detailsAsLists: true, validationStatus: 422 },
  },
  subscriptionOptions: [],
  signature: {
    scheme: hmacHexScheme({ header: 'X-Shopify-Hmac-Sha256', prefix: '', encoding: 'base64' }),
    secretRequired: true,
    secretSource: 'app',
    appSecret: {
      label: 'Client Secret',
      help: "Your app's client secret (called API secret key in older Shopify docs), from your app's settings in the Shopify Partner or Dev Dashboard (custom apps: API credentials). Shopify signs every webhook with it.",
    },
  },
  envelope: {
    // The body is the resource itself; the topic travels in X-Shopify-Topic (delivery.eventHeader).
    schema: z.looseObject({}),
    read: (b: Record<string, unknown>) => ({
      type: '', // from X-Shopify-Topic
      // choice: the event time is in the X-Shopify-Triggered-At header, which the envelope does
      // not see; a resource's created_at is not the event's time (orders/updated), so none.
      createdAt: null,
      data: b,
    }),
    build: ({ data }) => data as Record<string, unknown>,
  },
  events: [
    {
      type: 'orders/create',
      displayName: 'New Order',
      description: 'an order is created in the store',
      schema: order,
      sample: orderSample,
    },
    {
      type: 'orders/updated',
      displayName: 'Order Updated',
      description: 'an order is changed',
      schema: order,
      sample: orderSample,
    },
    {
      type: 'orders/paid',
      displayName: 'Order Paid',
      description: "an order's payment is completed",
      schema: order,
      sample: orderSample,
    },
    {
      type: 'orders/cancelled',
      displayName: 'Order Cancelled',
      description: 'an order is cancelled',
      schema: order,
      sample: { ...orderSample, financial_status: 'refunded' },
    },
    {
      type: 'products/create',
      displayName: 'New Product',
      description: 'a product is created',
      schema: product,
      sample: productSample,
    },
    {
      type: 'products/update',
      displayName: 'Product Updated',
      description: 'a product is changed',
      schema: product,
      sample: productSample,
    },
    {
      type: 'products/delete',
      displayName: 'Product Deleted',
      description: 'a product is deleted',
      schema: deleted,
      sample: { id: 632910392 },
    },
    {
      type: 'customers/create',
      displayName: 'New Customer',
      description: 'a customer is created',
      schema: customer,
      sample: customerSample,
    },
    {
      type: 'app/uninstalled',
      displayName: 'App Uninstalled',
      description: 'the app is uninstalled from the store',
      schema: shop,
      sample: { id: 548380009, name: 'Super Toys', domain: 'super.toys' },
    },
  ],
  delivery: {
    timeoutMs: 5 * SEC, // "If your app doesn't respond within five seconds, then the delivery fails."
    // "retried a total of 8 times over 4 hours using an exponential backoff schedule"; choice:
    // doubling from 1 minute (1 + 2 + … + 64 + 112 = 239 minutes).
    retryDelaysMs: [1, 2, 4, 8, 16, 32, 64, 112].map((m) => m * MIN),
    afterRetries: 'drop',
    staticHeaders: { 'Content-Type': 'application/json', 'X-Shopify-API-Version': '2025-07' },
    eventHeader: 'X-Shopify-Topic',
    // The same id on every retry of a delivery: what identifies a redelivery. The body's `id` is
    // the resource's (an order updated twice has the same one), so it is never a dedupe key.
    deliveryIdHeader: 'X-Shopify-Webhook-Id',
    deliveryIdIsStable: true,
    dedupe: ['deliveryId', 'bodyHash'],
  },
};
