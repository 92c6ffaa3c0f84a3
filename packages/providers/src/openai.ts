import { z } from 'zod';
import { standardWebhooksScheme, type VendorDefinition, envelopeFields } from '@hookpack/core';

// OpenAI: the webhook endpoints API of the OpenAI platform, signed with Standard Webhooks.
// Modelled on https://developers.openai.com/api/reference/resources/webhooks (create, list,
// retrieve, update, rotate_secret) and https://developers.openai.com/api/docs/guides/webhooks.
// From the docs: Bearer key; `POST /webhook_endpoints` {name, url, event_types} answers with
// `signing_secret` ("returned only when the endpoint is created or the secret is rotated"),
// reads show `signing_secret_hint`; update is `POST /webhook_endpoints/{id}`; url must match
// ^https://; lists are cursor-paged (`after` = id of the previous page's last endpoint,
// `limit` ≤ 100, `has_more`); deliveries follow the Standard Webhooks specification; an event
// is {id: "evt_…", type, created_at (unix seconds), data: {id}, object?: "event"}.
// Choices where the docs are silent are marked "choice:".

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

/** Every event's data is the id of the object it is about (a response, batch, job, run). */
const objectRef = z.object({ id: z.string().min(1) });

function event(type: string, displayName: string, description: string, id: string) {
  return { type, displayName, description, schema: objectRef, sample: { id } };
}

export const openAi: VendorDefinition = {
  id: 'openAi',
  displayName: 'OpenAI',
  description: 'OpenAI platform events: background responses, batches, fine-tuning jobs and evals finishing.',
  docsUrl: 'https://developers.openai.com/api/reference/resources/webhooks',
  auth: {
    kind: 'apiKey',
    placement: 'bearer',
    keyPrefixes: [], // choice: the pages read name no key prefix
    keyHelp: 'An OpenAI API key of the project whose webhook endpoints to manage, sent as a Bearer token.',
  },
  api: {
    baseUrl: 'https://api.openai.com/v1',
    requiresHttpsTarget: true, // url: "pattern: ^https://"
    idempotencyKeys: false, // choice: the webhook pages do not mention idempotency keys
    endpoints: {
      create: { method: 'POST', path: '/webhook_endpoints' },
      list: { method: 'GET', path: '/webhook_endpoints' },
      get: { method: 'GET', path: '/webhook_endpoints/{id}' },
      update: { method: 'POST', path: '/webhook_endpoints/{id}' },
      rotate: { method: 'POST', path: '/webhook_endpoints/{id}/rotate_secret' },
      delete: {
        method: 'DELETE',
        path: '/webhook_endpoints/{id}',
        assumed: true,
        note: 'the resource route of the other methods; the delete page was not read',
      },
      // Not declared: `POST /webhook_endpoints/{id}/test` needs an `event_type` in its body and
      // answers with a test result, not an event the client can wait for.
    },
    // `name` ("a human-readable name", 1–256 characters) is stored and returned on reads.
    ownerLabel: { option: 'name' },
    resource: {
      document: { kind: 'flat' },
      fields: {
        url: 'url',
        events: 'event_types',
        secret: 'signing_secret',
        options: { name: 'name' },
        // choice: created_at is unix seconds, not an ISO date: not mapped. No on/off field: an
        // endpoint cannot be paused through the API.
      },
      idPrefix: 'we_', // choice: the docs' examples show a placeholder id
      secretPrefix: 'whsec_',
      secretOnReads: { kind: 'prefix', field: 'signing_secret_hint' }, // "a masked hint"
    },
    list: {
      key: 'data',
      // "Returns the webhook endpoints … from newest to oldest"; limit defaults to 20, max 100.
      pagination: {
        kind: 'cursor',
        param: 'after',
        sizeParam: 'limit',
        pageSize: 100,
        next: { lastItemId: true, hasMore: 'has_more' },
      },
    },
    // choice: OpenAI's usual error object {error: {message, type, param, code}}, 400 for a
    // refused request; the webhook pages do not show an error body.
    errors: { kind: 'object', message: 'error.message', param: 'error.param' },
  },
  subscriptionOptions: [
    {
      name: 'name',
      displayName: 'Endpoint Name',
      description: 'A human-readable name for the webhook endpoint in OpenAI (1–256 characters).',
      type: 'string',
    },
  ],
  signature: {
    // "following the Standard Webhooks specification": webhook-id, webhook-timestamp,
    // webhook-signature: v1,<base64>; choice: the spec's 5-minute tolerance.
    scheme: standardWebhooksScheme({ toleranceSeconds: 300 }),
    secretRequired: true,
    secretSource: 'subscription',
    rotation: 'endpoint',
  },
  envelope: {
    schema: z.looseObject({
      id: z.string().min(1),
      type: z.string().min(1),
      created_at: z.number().int().nonnegative(),
      data: z.unknown(),
    }),
    ...envelopeFields({
      constants: { object: 'event' },
      id: 'id',
      createdAt: { path: 'created_at', unit: 'unix-seconds' },
      type: 'type',
      data: 'data',
    }),
  },
  events: [
    event('response.completed', 'Response Completed', 'a background response has been completed', 'resp_abc123'),
    event('response.failed', 'Response Failed', 'a background response has failed', 'resp_abc123'),
    event('response.cancelled', 'Response Cancelled', 'a background response has been cancelled', 'resp_abc123'),
    event('response.incomplete', 'Response Incomplete', 'a background response has been interrupted', 'resp_abc123'),
    event('batch.completed', 'Batch Completed', 'a batch API request has been completed', 'batch_abc123'),
    event('batch.failed', 'Batch Failed', 'a batch API request has failed', 'batch_abc123'),
    event('batch.expired', 'Batch Expired', 'a batch API request has expired', 'batch_abc123'),
    event('batch.cancelled', 'Batch Cancelled', 'a batch API request has been cancelled', 'batch_abc123'),
    event('fine_tuning.job.succeeded', 'Fine Tuning Job Succeeded', 'a fine-tuning job has succeeded', 'ftjob_abc123'),
    event('fine_tuning.job.failed', 'Fine Tuning Job Failed', 'a fine-tuning job has failed', 'ftjob_abc123'),
    event('eval.run.succeeded', 'Eval Run Succeeded', 'an eval run has succeeded', 'evalrun_abc123'),
    event('eval.run.failed', 'Eval Run Failed', 'an eval run has failed', 'evalrun_abc123'),
  ],
  delivery: {
    timeoutMs: 30 * SEC, // choice: the pages read state no per-attempt timeout
    // choice: the docs say failed deliveries are retried with backoff; this schedule is ours.
    retryDelaysMs: [5 * SEC, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 10 * HOUR],
    afterRetries: 'drop',
    staticHeaders: { 'Content-Type': 'application/json' },
    deliveryIdIsStable: false, // webhook-id is part of the signature scheme, not declared here
    dedupe: ['eventId', 'bodyHash'], // the envelope's evt_ id identifies a redelivery
  },
};
