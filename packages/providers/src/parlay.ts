import { z } from 'zod';
import { timestampedScheme, type VendorDefinition, envelopeFields } from '@hookpack/core';
import { isoDateTime, stripeErrors } from './mapping.js';

// Parlay: sales-conversation analysis (analyses, personas, playbooks, insights).
// Spec: shared seeds 001. Stripe conventions throughout (Bearer key, Idempotency-Key,
// `t=…,v1=…` signatures, `livemode`).

const MIN = 60_000;
const HOUR = 60 * MIN;

const orgRep = { org_id: z.string(), rep_id: z.string() };
const jobResult = z.object({ ...orgRep, job_id: z.string(), result: z.record(z.string(), z.unknown()) });

const ANALYSIS = 'f2782fc7-5355-48bf-a314-d6bf90bc4907';

export const parlay: VendorDefinition = {
  id: 'parlay',
  displayName: 'Parlay',
  description: 'Sales-conversation analysis: analyses, persona and methodology jobs, playbooks and insights.',
  docsUrl: 'https://parlay-api-dev-o7nogixtqq-uc.a.run.app',
  auth: {
    kind: 'apiKey',
    placement: 'bearer',
    keyPrefixes: ['pk_sandbox_', 'pk_live_'],
    keyHelp: 'Your Parlay API key, sent as a Bearer token (pk_sandbox_… or pk_live_…).',
  },
  api: {
    // The only host the docs name is a dev deployment in their curl examples: no default,
    // integrations ask for the user's address.
    baseUrl: 'https://parlay-api-dev-o7nogixtqq-uc.a.run.app',
    baseUrlRole: 'example',
    requiresHttpsTarget: true,
    idempotencyKeys: true,
    endpoints: {
      create: { method: 'POST', path: '/v1/webhooks' },
      test: { method: 'POST', path: '/v1/webhooks/{id}/test' },
      rotate: { method: 'POST', path: '/v1/webhooks/{id}/rotate' },
      update: { method: 'PATCH', path: '/v1/webhooks/{id}' },
      // The docs show create/test/rotate/pause only. Parlay follows Stripe's REST layout in
      // everything else, so list/get/delete are taken to be the Stripe-style routes.
      list: { method: 'GET', path: '/v1/webhooks', assumed: true, note: 'Stripe-style route, not in the docs' },
      get: { method: 'GET', path: '/v1/webhooks/{id}', assumed: true, note: 'Stripe-style route, not in the docs' },
      delete: {
        method: 'DELETE',
        path: '/v1/webhooks/{id}',
        assumed: true,
        note: 'Stripe-style route, not in the docs',
      },
    },
    // `name` is stored and listed back: integrations record there which workflow owns the webhook.
    ownerLabel: { option: 'name' },
    resource: {
      document: { kind: 'flat' },
      fields: {
        url: 'url',
        events: 'enabled_events',
        // Returned by create and rotate ("returns a new signing_secret"), never again.
        secret: 'signing_secret',
        createdAt: 'created_at',
        active: { path: 'paused', inverted: true }, // PATCH {paused: true}
        options: { name: 'name' },
      },
      idPrefix: 'wh_',
      secretPrefix: 'whsec_',
      secretOnReads: { kind: 'omit' }, // "there's no API to retrieve it again"
    },
    list: { key: 'data', readsAlso: ['webhooks'] }, // Stripe-style list object
    errors: stripeErrors,
    testEvent: { type: 'webhook.test' },
  },
  subscriptionOptions: [
    {
      name: 'name',
      displayName: 'Webhook Name',
      description: 'A label for this webhook in Parlay, e.g. "production" or "staging".',
      type: 'string',
      placeholder: 'production',
    },
  ],
  signature: {
    scheme: timestampedScheme({ header: 'X-Parlay-Signature', toleranceSeconds: 300 }),
    secretRequired: true,
    secretSource: 'subscription',
  },
  envelope: {
    schema: z.looseObject({
      id: z.string().min(1),
      event: z.string().min(1),
      livemode: z.boolean(),
      created_at: z.string(),
      data: z.unknown(),
    }),
    ...envelopeFields({ id: 'id', type: 'event', livemode: 'livemode', createdAt: 'created_at', data: 'data' }),
  },
  events: [
    {
      type: 'analysis.completed',
      displayName: 'Analysis Completed',
      description: 'an analysis finishes successfully',
      schema: z.object({
        analysis_id: z.string(),
        ...orgRep,
        status: z.string(),
        scores: z.record(z.string(), z.number()),
      }),
      sample: {
        analysis_id: ANALYSIS,
        org_id: 'demo-acme',
        rep_id: 'alex-smith',
        status: 'completed',
        scores: { clarity: 94, influence: 95, objection: 92 },
      },
    },
    {
      type: 'analysis.failed',
      displayName: 'Analysis Failed',
      description: 'an analysis fails to complete',
      schema: z.object({ analysis_id: z.string(), ...orgRep, error: z.string() }),
      sample: {
        analysis_id: '9c1d3e5f-7a2b-4c6d-8e0f-1a2b3c4d5e6f',
        org_id: 'demo-acme',
        rep_id: 'alex-smith',
        error: 'transcript_too_short: the call transcript has fewer than 50 words',
      },
    },
    {
      type: 'persona.assigned',
      displayName: 'Persona Assigned',
      description: 'a persona assignment job completes',
      schema: jobResult,
      sample: {
        org_id: 'demo-acme',
        rep_id: 'alex-smith',
        job_id: 'job_7Hq2LmZx',
        result: { persona: 'Challenger', confidence: 0.87 },
      },
    },
    {
      type: 'methodology.assigned',
      displayName: 'Methodology Assigned',
      description: 'a methodology assignment job completes',
      schema: jobResult,
      sample: {
        org_id: 'demo-acme',
        rep_id: 'alex-smith',
        job_id: 'job_3Kd9PwQe',
        result: { methodology: 'MEDDIC', coverage: { metrics: true, champion: false } },
      },
    },
    {
      type: 'profile.synthesized',
      displayName: 'Profile Synthesized',
      description: 'a profile synthesis job completes',
      schema: jobResult,
      sample: {
        org_id: 'demo-acme',
        rep_id: 'alex-smith',
        job_id: 'job_5Rt8NvYu',
        result: { strengths: ['discovery', 'pacing'], focus_areas: ['closing'] },
      },
    },
    {
      type: 'playbook.draft.completed',
      displayName: 'Playbook Draft Completed',
      description: 'a playbook draft finishes generating',
      schema: z.object({
        draft_id: z.string(),
        source_count: z.number().int().nonnegative(),
        gemini_input_tokens: z.number().int().nonnegative(),
        gemini_output_tokens: z.number().int().nonnegative(),
        cost_usd_cents: z.number().nonnegative(),
      }),
      sample: {
        draft_id: 'draft_8Fj2KsLq',
        source_count: 14,
        gemini_input_tokens: 48213,
        gemini_output_tokens: 6120,
        cost_usd_cents: 37,
      },
    },
    {
      type: 'playbook.published',
      displayName: 'Playbook Published',
      description: 'a playbook draft is promoted to the active playbook',
      schema: z.object({ playbook_id: z.string(), draft_id: z.string(), version: z.number().int().positive() }),
      sample: { playbook_id: 'pb_2Wc6TgHn', draft_id: 'draft_8Fj2KsLq', version: 3 },
    },
    {
      type: 'insights.generated',
      displayName: 'Insights Generated',
      description: 'an organization insights snapshot completes',
      schema: z.object({ org_id: z.string(), snapshot_id: z.string() }),
      sample: { org_id: 'demo-acme', snapshot_id: 'snap_4Lp9XeRb' },
    },
    {
      type: 'webhook.test',
      displayName: 'Test Event',
      description: 'someone calls the test endpoint of the webhook',
      schema: z.object({ note: z.literal('test'), timestamp: isoDateTime }),
      sample: { note: 'test', timestamp: '2026-04-24T18:53:17.867123+00:00' },
    },
  ],
  delivery: {
    timeoutMs: 30_000,
    // "~1 min, 5 min, 25 min, 2 hr, 8 hr (5 attempts total)": read as five retries.
    retryDelaysMs: [1 * MIN, 5 * MIN, 25 * MIN, 2 * HOUR, 8 * HOUR],
    afterRetries: 'drop', // the docs say nothing about deactivation
    staticHeaders: { 'Content-Type': 'application/json', 'User-Agent': 'parlay-webhook/1' },
    eventHeader: 'X-Parlay-Event',
    deliveryIdHeader: 'X-Parlay-Delivery',
    deliveryIdIsStable: false, // "UUID of this delivery attempt": new on every retry
    pauseQueueMs: 24 * HOUR,
  },
};
