import { z } from 'zod';
import { hmacHexScheme, type VendorDefinition, envelopeFields } from '@hookpack/core';
import { flatErrors, isoDateTime } from './mapping.js';

// Parsley (parsley.id): AI profile chatbot — profile views, conversations, leads, MEDDIC signals.
// Spec: shared seeds 002. The docs defer the payloads to other guides ("the shapes are
// identical across every consumer") that we do not have: every payload below is designed
// from the hints the docs give (data.leadEmail, data.profileUserId) and marked as such.

const SEC = 1000;

const PAID_EVENTS = ['chatbot.conversation.completed', 'lead.captured', 'lead.scored', 'signal.detected'];

const PROFILE_USER = 'user_abc123';
const CONVERSATION = 'conv_9KxQ2mWp';

const conversationRef = {
  conversationId: z.string(),
  profileUserId: z.string(),
  leadEmail: z.email().nullable(),
};

export const parsley: VendorDefinition = {
  id: 'parsley',
  displayName: 'Parsley',
  description: 'AI profile chatbot: profile views, conversations, captured and scored leads, buying signals.',
  docsUrl: 'https://www.parsley.id',
  auth: {
    kind: 'apiKey',
    placement: 'header', // Authorization: Bearer is accepted too; X-API-Key is the documented default
    headerName: 'X-API-Key',
    keyPrefixes: ['pk_live_'],
    keyHelp: 'A Parsley API key from Hub > API Keys (starts with pk_live_).',
    bearerAlsoAccepted: true,
  },
  api: {
    baseUrl: 'https://www.parsley.id/api/v1',
    requiresHttpsTarget: true,
    idempotencyKeys: false,
    rateLimit: { requests: 100, perSeconds: 60 },
    endpoints: {
      me: { method: 'GET', path: '/me' },
      create: { method: 'POST', path: '/webhooks' },
      list: { method: 'GET', path: '/webhooks' },
      update: { method: 'PATCH', path: '/webhooks/{id}' },
      delete: { method: 'DELETE', path: '/webhooks/{id}' },
      test: { method: 'POST', path: '/webhooks/{id}/test' },
    },
    resource: {
      document: { kind: 'flat' },
      fields: { url: 'url', events: 'events', secret: 'secret', createdAt: 'createdAt', active: { path: 'active' } },
      idPrefix: 'sub_',
      secretPrefix: 'whsec_',
      secretOnReads: { kind: 'prefix', field: 'secretPrefix' }, // "only its prefix" (field name designed)
    },
    list: { key: 'data', readsAlso: ['bare', 'webhooks', 'subscriptions'] }, // list shape not documented
    errors: flatErrors, // "{ error: "…" }", validation errors add `details`
    paidEvents: PAID_EVENTS,
    testEvent: { firstSubscribed: true }, // "using the subscription's first registered event type"
    meBody: {
      userId: 'user_abc123',
      email: 'you@yourcompany.com',
      name: 'Your Name',
      organisation: 'Your Company',
      tier: 'business',
      availableEvents: ['profile.viewed', ...PAID_EVENTS],
    },
  },
  subscriptionOptions: [],
  signature: {
    scheme: hmacHexScheme({ header: 'X-Parsley-Signature', prefix: 'sha256=' }),
    secretRequired: true,
    secretSource: 'subscription',
  },
  envelope: {
    schema: z.looseObject({
      id: z.string().min(1),
      type: z.string().min(1),
      createdAt: z.string(),
      data: z.unknown(),
    }),
    ...envelopeFields({ id: 'id', type: 'type', createdAt: 'createdAt', data: 'data' }),
  },
  events: [
    {
      type: 'profile.viewed',
      displayName: 'Profile Viewed',
      description: 'a visitor lands on your profile',
      designedPayload: true,
      schema: z.object({
        profileUserId: z.string(),
        visitorId: z.string(),
        viewedAt: isoDateTime,
        referrer: z.string().nullable(),
        country: z.string().length(2).nullable(),
      }),
      sample: {
        profileUserId: PROFILE_USER,
        visitorId: 'vis_7TfR3kLm',
        viewedAt: '2026-05-07T14:29:41Z',
        referrer: 'https://www.linkedin.com/',
        country: 'GB',
      },
    },
    {
      type: 'chatbot.conversation.completed',
      displayName: 'Conversation Completed',
      description: 'a chatbot conversation ends',
      designedPayload: true,
      paid: true,
      schema: z.object({
        ...conversationRef,
        visitorId: z.string(),
        messageCount: z.number().int().nonnegative(),
        durationSeconds: z.number().int().nonnegative(),
        summary: z.string(),
      }),
      sample: {
        conversationId: CONVERSATION,
        profileUserId: PROFILE_USER,
        leadEmail: 'jordan.lee@northwind.example',
        visitorId: 'vis_7TfR3kLm',
        messageCount: 12,
        durationSeconds: 384,
        summary: 'Asked about onboarding timelines and SSO; wants a demo next week.',
      },
    },
    {
      type: 'lead.captured',
      displayName: 'Lead Captured',
      description: 'a visitor shares their contact details',
      designedPayload: true,
      paid: true,
      schema: z.object({
        ...conversationRef,
        leadEmail: z.email(),
        leadId: z.string(),
        leadName: z.string().nullable(),
        company: z.string().nullable(),
        phone: z.string().nullable(),
      }),
      sample: {
        leadId: 'lead_4Hn8VcXs',
        conversationId: CONVERSATION,
        profileUserId: PROFILE_USER,
        leadEmail: 'jordan.lee@northwind.example',
        leadName: 'Jordan Lee',
        company: 'Northwind Traders',
        phone: null,
      },
    },
    {
      type: 'lead.scored',
      displayName: 'Lead Scored',
      description: 'a lead receives a Hot, Warm or Cold quality score',
      designedPayload: true,
      paid: true,
      schema: z.object({
        ...conversationRef,
        score: z.enum(['Hot', 'Warm', 'Cold']),
        scoreValue: z.number().min(0).max(100),
        turn: z.number().int().positive(),
        reasons: z.array(z.string()),
      }),
      sample: {
        conversationId: CONVERSATION,
        profileUserId: PROFILE_USER,
        leadEmail: 'jordan.lee@northwind.example',
        score: 'Hot',
        scoreValue: 86,
        turn: 7,
        reasons: ['Named a budget', 'Decision maker', 'Timeline under 30 days'],
      },
    },
    {
      type: 'signal.detected',
      displayName: 'Signal Detected',
      description: 'a MEDDIC buying signal is detected during a conversation',
      designedPayload: true,
      paid: true,
      schema: z.object({
        ...conversationRef,
        signal: z.enum([
          'metrics',
          'economic_buyer',
          'decision_criteria',
          'decision_process',
          'identify_pain',
          'champion',
        ]),
        excerpt: z.string(),
        confidence: z.number().min(0).max(1),
      }),
      sample: {
        conversationId: CONVERSATION,
        profileUserId: PROFILE_USER,
        leadEmail: null,
        signal: 'economic_buyer',
        excerpt: 'I sign off on anything under fifty thousand myself.',
        confidence: 0.91,
      },
    },
  ],
  delivery: {
    timeoutMs: 10 * SEC,
    retryDelaysMs: [1 * SEC, 5 * SEC, 30 * SEC],
    afterRetries: 'drop',
    staticHeaders: { 'Content-Type': 'application/json', 'User-Agent': 'Parsley-Webhooks/1.0' },
    eventHeader: 'X-Parsley-Event',
    deliveryIdHeader: 'X-Parsley-Delivery',
    deliveryIdIsStable: true, // the docs' example value is the event id (evt_…)
  },
};
