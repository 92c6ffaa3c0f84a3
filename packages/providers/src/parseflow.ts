import { z } from 'zod';
import { hmacHexScheme, type VendorDefinition, envelopeFields } from '@hookpack/core';
import { flatErrors, isoDateTime } from './mapping.js';

// ParseFlow: document extraction (single documents, batches, quota). Spec: shared seeds 004.
// Note: the docs' Node sample verifies JSON.stringify(req.body) — a bug (re-serialized JSON
// differs from the signed bytes). hookpack always verifies the raw body.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const documentMetadata = z.object({
  fileName: z.string(),
  fileSize: z.number().int().nonnegative(),
  mimeType: z.string(),
});
const batch = { batchId: z.string(), documentCount: z.number().int().nonnegative() };
const quota = {
  plan: z.string(),
  used: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  percentUsed: z.number().nonnegative(),
  periodEnd: isoDateTime,
};

export const parseFlow: VendorDefinition = {
  id: 'parseFlow',
  displayName: 'ParseFlow',
  description: 'Document extraction: documents and batches processed, quota warnings.',
  docsUrl: 'https://parseflow.dev',
  auth: {
    kind: 'apiKey',
    placement: 'header',
    headerName: 'X-API-Key',
    keyPrefixes: ['dm_live_', 'dm_test_'],
    keyHelp: 'A ParseFlow API key (dm_live_…). Webhooks need the Pro or Enterprise plan.',
  },
  api: {
    baseUrl: 'https://parseflow.dev',
    // The docs only show https URLs but state no rule; ParseFlow is not known to refuse http.
    requiresHttpsTarget: false,
    idempotencyKeys: false,
    endpoints: {
      create: { method: 'POST', path: '/api/webhooks/notifications' },
      list: { method: 'GET', path: '/api/webhooks/notifications' },
      delete: { method: 'DELETE', path: '/api/webhooks/notifications', query: { id: '{id}' } },
    },
    resource: {
      document: { kind: 'flat' },
      fields: {
        url: 'url',
        events: 'events',
        secret: 'secret', // "only shown once"
        createdAt: 'createdAt',
        // Disabled by ParseFlow after 3 days of failures; there is no update to switch it back.
        active: { path: 'isActive', readOnly: true },
      },
      idPrefix: 'wh_',
      secretPrefix: 'whsec_',
      secretOnReads: { kind: 'omit' },
    },
    // The list response is not shown in the docs: a bare array, or one of the usual wrappers.
    list: { readsAlso: ['webhooks', 'data', 'notifications'] },
    errors: flatErrors, // the docs' own handler answers {error: '…'}
  },
  subscriptionOptions: [],
  signature: {
    scheme: hmacHexScheme({ header: 'X-ParseFlow-Signature', prefix: '' }),
    secretRequired: true,
    secretSource: 'subscription',
  },
  envelope: {
    schema: z.looseObject({ event: z.string().min(1), timestamp: z.string(), data: z.unknown() }),
    ...envelopeFields({ type: 'event', createdAt: 'timestamp', data: 'data' }),
  },
  events: [
    {
      type: 'extraction.completed',
      displayName: 'Extraction Completed',
      description: 'a single document extraction finishes successfully',
      schema: z.object({
        id: z.string(),
        status: z.literal('completed'),
        documentType: z.string(),
        confidence: z.number().min(0).max(1),
        data: z.record(z.string(), z.unknown()),
        metadata: documentMetadata,
        processingTimeMs: z.number().int().nonnegative(),
      }),
      sample: {
        id: 'ext_7f3a2b1c-4d5e-6f78-9a0b-cdef12345678',
        status: 'completed',
        documentType: 'invoice',
        confidence: 0.94,
        // The docs elide the extracted fields ("{ ... }"); these are illustrative.
        data: { invoiceNumber: 'INV-2026-0418', vendor: 'Contoso Ltd', total: 1249.5, currency: 'EUR' },
        metadata: { fileName: 'invoice.pdf', fileSize: 145230, mimeType: 'application/pdf' },
        processingTimeMs: 1240,
      },
    },
    {
      type: 'extraction.failed',
      displayName: 'Extraction Failed',
      description: 'a document extraction fails (corrupt file, unsupported format)',
      designedPayload: true,
      schema: z.object({
        id: z.string(),
        status: z.literal('failed'),
        error: z.object({ code: z.string(), message: z.string() }),
        metadata: documentMetadata,
      }),
      sample: {
        id: 'ext_0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e',
        status: 'failed',
        error: { code: 'unsupported_format', message: 'HEIC images are not supported' },
        metadata: { fileName: 'receipt.heic', fileSize: 2301442, mimeType: 'image/heic' },
      },
    },
    {
      type: 'batch.completed',
      displayName: 'Batch Completed',
      description: 'all documents in a batch have been processed',
      designedPayload: true,
      schema: z.object({
        ...batch,
        status: z.literal('completed'),
        succeeded: z.number().int().nonnegative(),
        failed: z.number().int().nonnegative(),
        processingTimeMs: z.number().int().nonnegative(),
      }),
      sample: {
        batchId: 'bat_5e4d3c2b-1a09-4f8e-7d6c-5b4a39281706',
        documentCount: 25,
        status: 'completed',
        succeeded: 24,
        failed: 1,
        processingTimeMs: 31870,
      },
    },
    {
      type: 'batch.failed',
      displayName: 'Batch Failed',
      description: 'a batch processing job fails',
      designedPayload: true,
      schema: z.object({
        ...batch,
        status: z.literal('failed'),
        error: z.object({ code: z.string(), message: z.string() }),
      }),
      sample: {
        batchId: 'bat_1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
        documentCount: 40,
        status: 'failed',
        error: { code: 'storage_unavailable', message: 'Source bucket could not be read' },
      },
    },
    {
      type: 'quota.warning',
      displayName: 'Quota Warning',
      description: 'usage reaches 80% of the monthly quota',
      designedPayload: true,
      schema: z.object(quota),
      sample: { plan: 'pro', used: 8000, limit: 10000, percentUsed: 80, periodEnd: '2026-04-30T23:59:59Z' },
    },
    {
      type: 'quota.exceeded',
      displayName: 'Quota Exceeded',
      description: 'the monthly quota is exceeded',
      designedPayload: true,
      schema: z.object(quota),
      sample: { plan: 'pro', used: 10001, limit: 10000, percentUsed: 100.01, periodEnd: '2026-04-30T23:59:59Z' },
    },
  ],
  delivery: {
    timeoutMs: 10_000, // not documented
    retryDelaysMs: [30_000, 2 * MIN, 15 * MIN, 1 * HOUR, 4 * HOUR],
    afterRetries: 'mark-failing',
    deactivateAfterFailingForMs: 3 * DAY,
    staticHeaders: { 'Content-Type': 'application/json', 'User-Agent': 'ParseFlow-Webhooks/1.0' },
    eventHeader: 'X-ParseFlow-Event',
    deliveryIdHeader: 'X-ParseFlow-Delivery',
    deliveryIdIsStable: true, // "Unique delivery ID for deduplication": the same on every retry
  },
};
