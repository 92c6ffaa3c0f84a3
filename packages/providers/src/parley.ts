import { z } from 'zod';
import { hmacHexScheme, type VendorDefinition, envelopeFields } from '@hookpack/core';
import { flatErrors, isoDate, isoDateTime } from './mapping.js';

// Parley: environmental-compliance data (violations, enforcement cases, facilities).
// Spec: shared seeds 000 (Parley webhooks docs).

const MIN = 60_000;
const HOUR = 60 * MIN;

const facilityId = z.string().min(1);

const violationPayload = z.object({
  violation: z.object({
    id: z.string(),
    facility_id: facilityId,
    facility_name: z.string(),
    program: z.string(), // CAA, CWA, RCRA, …
    violation_type: z.string(),
    violation_date: isoDate,
    severity: z.enum(['LOW', 'MEDIUM', 'HIGH']),
  }),
});

// Designed (the docs show only violation.new's payload): cases mirror the violation shape.
const casePayload = z.object({
  case: z.object({
    id: z.string(),
    case_number: z.string(),
    facility_id: facilityId,
    facility_name: z.string(),
    program: z.string(),
    status: z.enum(['filed', 'active', 'settled', 'closed']),
    previous_status: z.enum(['filed', 'active', 'settled', 'closed']).nullable().optional(),
    filed_date: isoDate,
    penalty_amount_usd: z.number().nonnegative().nullable(),
  }),
});

const facilityStatusPayload = z.object({
  facility: z.object({
    id: facilityId,
    name: z.string(),
    previous_status: z.string(),
    status: z.string(), // e.g. "In Compliance", "Significant Violation"
    changed_at: isoDateTime,
  }),
});

const FACILITY = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

export const parley: VendorDefinition = {
  id: 'parley',
  displayName: 'Parley',
  description: 'Environmental compliance: new violations, enforcement cases and facility status changes.',
  docsUrl: 'https://api.parley.dev',
  auth: {
    kind: 'apiKey',
    placement: 'header',
    headerName: 'X-API-Key',
    keyPrefixes: ['prl_'],
    keyHelp: 'Your Parley API key (starts with prl_). Webhooks need the Pro tier.',
  },
  api: {
    baseUrl: 'https://api.parley.dev',
    requiresHttpsTarget: true,
    idempotencyKeys: false,
    endpoints: {
      create: { method: 'POST', path: '/v1/webhooks' },
      list: { method: 'GET', path: '/v1/webhooks' },
      get: { method: 'GET', path: '/v1/webhooks/{id}' },
      update: { method: 'PATCH', path: '/v1/webhooks/{id}' },
      delete: { method: 'DELETE', path: '/v1/webhooks/{id}' },
    },
    resource: {
      // Every answer is `{data: …}`; requests are the bare object.
      document: { kind: 'wrapped', key: 'data', requests: 'flat' },
      fields: {
        url: 'url',
        events: 'events',
        secret: 'secret',
        createdAt: 'created_at',
        // Auto-deactivated after 5 failed deliveries; PATCH is_active: true reactivates.
        active: { path: 'is_active' },
        options: { facility_ids: 'facility_ids' },
      },
      idPrefix: 'wh_',
      secretPrefix: 'whsec_',
      secretOnReads: { kind: 'redact' }, // "secret is redacted"
    },
    list: { readsAlso: ['webhooks'] }, // {data: [...]}; the list is not shown in the docs
    errors: flatErrors, // not documented
  },
  subscriptionOptions: [
    {
      name: 'facility_ids',
      displayName: 'Facility IDs',
      description: 'Facility UUIDs to watch. Leave empty to watch all facilities.',
      type: 'string[]',
      placeholder: 'f47ac10b-58cc-4372-a567-0e02b2c3d479, …',
      matchesDataPaths: ['violation.facility_id', 'case.facility_id', 'facility.id'],
    },
  ],
  signature: {
    scheme: hmacHexScheme({ header: 'X-Parley-Signature', prefix: 'sha256=' }),
    secretRequired: true,
    secretSource: 'subscription',
  },
  envelope: {
    schema: z.looseObject({
      id: z.string().min(1),
      type: z.string().min(1),
      created_at: z.string(),
      data: z.unknown(),
    }),
    ...envelopeFields({ id: 'id', type: 'type', createdAt: 'created_at', data: 'data' }),
  },
  events: [
    {
      type: 'violation.new',
      displayName: 'New Violation',
      description: 'a new violation is recorded for a watched facility',
      schema: violationPayload,
      sample: {
        violation: {
          id: 'a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          facility_id: FACILITY,
          facility_name: 'ACME CHEMICAL PLANT',
          program: 'CAA',
          violation_type: 'High Priority Violation',
          violation_date: '2025-11-22',
          severity: 'HIGH',
        },
      },
    },
    {
      type: 'case.new',
      displayName: 'New Case',
      description: 'a new enforcement case is filed involving a watched facility',
      schema: casePayload,
      designedPayload: true,
      sample: {
        case: {
          id: 'c0a8012e-7d4b-4f1e-9a63-2b5c8d9e0f11',
          case_number: '05-2026-0142',
          facility_id: FACILITY,
          facility_name: 'ACME CHEMICAL PLANT',
          program: 'CAA',
          status: 'filed',
          previous_status: null,
          filed_date: '2026-03-18',
          penalty_amount_usd: null,
        },
      },
    },
    {
      type: 'case.updated',
      displayName: 'Case Updated',
      description: 'an enforcement case changes status (for example settled or closed)',
      schema: casePayload,
      designedPayload: true,
      sample: {
        case: {
          id: 'c0a8012e-7d4b-4f1e-9a63-2b5c8d9e0f11',
          case_number: '05-2026-0142',
          facility_id: FACILITY,
          facility_name: 'ACME CHEMICAL PLANT',
          program: 'CAA',
          status: 'settled',
          previous_status: 'active',
          filed_date: '2026-03-18',
          penalty_amount_usd: 187500,
        },
      },
    },
    {
      type: 'facility.status_changed',
      displayName: 'Facility Status Changed',
      description: "a watched facility's compliance status changes",
      schema: facilityStatusPayload,
      designedPayload: true,
      sample: {
        facility: {
          id: FACILITY,
          name: 'ACME CHEMICAL PLANT',
          previous_status: 'In Compliance',
          status: 'Significant Violation',
          changed_at: '2026-03-20T12:00:00Z',
        },
      },
    },
  ],
  delivery: {
    timeoutMs: 10_000, // not documented; 10 s is the common default
    retryDelaysMs: [1 * MIN, 5 * MIN, 30 * MIN, 2 * HOUR, 12 * HOUR],
    afterRetries: 'deactivate',
    deactivateAfterConsecutiveFailures: 5,
    staticHeaders: { 'Content-Type': 'application/json', 'User-Agent': 'Parley-Webhooks/1.0' },
    deliveryIdIsStable: false,
  },
};
