// Per-vendor facts from the vendor docs (shared seeds), used to check the apps send exactly
// the documented requests and read exactly the documented deliveries. Data, not code.

export interface RestFixture {
  /** App directory name. */
  dir: string;
  /** Documented host + path prefix (what the Base URL field defaults to). */
  origin: string;
  createPath: string;
  /** The event the subscribe test uses. */
  event: string;
  /** Input fields the user fills in on the trigger. */
  inputData: Record<string, unknown>;
  /** The documented create body for that event and input. `{{url}}` = the target URL. */
  createBody: Record<string, unknown>;
  /** The vendor's create answer (the only time the secret is shown). */
  createReply: { status: number; body: unknown };
  secret: string;
  id: string;
  deletePath: string;
  deleteQuery?: Record<string, string>;
  /** How the key travels: header name and the value for key `key`. */
  authHeader: (key: string) => [string, string];
  /** Whether mutations carry an Idempotency-Key. */
  idempotency: boolean;
  /** Auth-test request path (GET /me or the list). */
  testPath: string;
  testReply: unknown;
  /** A delivery body as the docs show it (payload from the docs where they give one). */
  delivery: { type: string; body: string; headers: Record<string, string>; expectId: string };
}

const TARGET = 'https://hooks.zapier.com/hooks/standard/1234567/abcdef0123456789/';
export const targetUrl = TARGET;

export const restFixtures: RestFixture[] = [
  {
    dir: 'parley',
    origin: 'https://api.parley.dev',
    createPath: '/v1/webhooks',
    event: 'violation.new',
    inputData: { facility_ids: ['f47ac10b-58cc-4372-a567-0e02b2c3d479', ' '] },
    createBody: { url: TARGET, events: ['violation.new'], facility_ids: ['f47ac10b-58cc-4372-a567-0e02b2c3d479'] },
    createReply: {
      status: 201,
      body: {
        data: {
          id: 'wh_a1b2c3d4',
          url: TARGET,
          events: ['violation.new'],
          facility_ids: ['f47ac10b-58cc-4372-a567-0e02b2c3d479'],
          secret: 'whsec_9f8e7d6c5b4a3210',
          is_active: true,
          created_at: '2026-03-20T12:00:00Z',
        },
      },
    },
    secret: 'whsec_9f8e7d6c5b4a3210',
    id: 'wh_a1b2c3d4',
    deletePath: '/v1/webhooks/wh_a1b2c3d4',
    authHeader: (key) => ['x-api-key', key],
    idempotency: false,
    testPath: '/v1/webhooks',
    testReply: { data: [] },
    delivery: {
      type: 'violation.new',
      body: '{ "id": "evt_a1b2c3d4", "type": "violation.new", "created_at": "2026-03-20T12:00:00Z", "data": { "violation": { "id": "a1b2c3d4-9f00", "facility_id": "f47ac10b-58cc", "facility_name": "ACME CHEMICAL PLANT", "program": "CAA", "violation_type": "High Priority Violation", "violation_date": "2025-11-22", "severity": "HIGH" } }}',
      headers: { 'Content-Type': 'application/json' },
      expectId: 'evt_a1b2c3d4',
    },
  },
  {
    dir: 'parlay',
    origin: 'https://parlay-api-dev-o7nogixtqq-uc.a.run.app',
    createPath: '/v1/webhooks',
    event: 'analysis.completed',
    inputData: { name: 'production' },
    createBody: { url: TARGET, name: 'production', enabled_events: ['analysis.completed'] },
    createReply: {
      status: 200,
      body: {
        id: 'wh_2k4xJzaB',
        url: TARGET,
        enabled_events: ['analysis.completed'],
        signing_secret: 'whsec_parlay_long_string',
        created_at: '2026-04-24T18:53:17.867123+00:00',
      },
    },
    secret: 'whsec_parlay_long_string',
    id: 'wh_2k4xJzaB',
    deletePath: '/v1/webhooks/wh_2k4xJzaB',
    authHeader: (key) => ['authorization', `Bearer ${key}`],
    idempotency: true,
    testPath: '/v1/webhooks',
    testReply: { data: [] },
    delivery: {
      type: 'analysis.completed',
      body: '{\n  "id": "evt_2k4xJzaB",\n  "event": "analysis.completed",\n  "livemode": false,\n  "created_at": "2026-04-24T18:53:17.867123+00:00",\n  "data": {\n    "analysis_id": "f2782fc7-5355-48bf-a314-d6bf90bc4907",\n    "org_id": "demo-acme",\n    "rep_id": "alex-smith",\n    "status": "completed",\n    "scores": { "clarity": 94, "influence": 95, "objection": 92 }\n  }\n}',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'parlay-webhook/1',
        'X-Parlay-Event': 'analysis.completed',
        'X-Parlay-Delivery': '0b9c7a52-3a1e-4d2f-9a57-7c2f0d6e8b11',
      },
      expectId: 'evt_2k4xJzaB',
    },
  },
  {
    dir: 'parsley',
    origin: 'https://www.parsley.id',
    createPath: '/api/v1/webhooks',
    event: 'lead.scored',
    inputData: {},
    createBody: { url: TARGET, events: ['lead.scored'] },
    createReply: {
      status: 201,
      body: {
        id: 'sub_abc123',
        url: TARGET,
        events: ['lead.scored'],
        secret: 'whsec_a1b2c3',
        active: true,
        createdAt: '2026-05-07T14:30:00Z',
      },
    },
    secret: 'whsec_a1b2c3',
    id: 'sub_abc123',
    deletePath: '/api/v1/webhooks/sub_abc123',
    authHeader: (key) => ['x-api-key', key],
    idempotency: false,
    testPath: '/api/v1/me',
    testReply: {
      userId: 'user_abc123',
      email: 'you@yourcompany.com',
      name: 'Your Name',
      organisation: 'Your Company',
      tier: 'business',
      availableEvents: ['profile.viewed', 'lead.scored'],
    },
    delivery: {
      type: 'lead.scored',
      body: '', // filled from the catalog sample: the docs defer payloads to guides we lack
      headers: {
        'Content-Type': 'application/json',
        'X-Parsley-Event': 'lead.scored',
        'X-Parsley-Delivery': 'evt_abc123',
        'User-Agent': 'Parsley-Webhooks/1.0',
      },
      expectId: 'evt_abc123',
    },
  },
  {
    dir: 'parse-flow',
    origin: 'https://parseflow.dev',
    createPath: '/api/webhooks/notifications',
    event: 'extraction.completed',
    inputData: {},
    createBody: { url: TARGET, events: ['extraction.completed'] },
    createReply: {
      status: 201,
      body: {
        id: 'wh_a1b2c3d4e5f6g7h8',
        url: TARGET,
        events: ['extraction.completed'],
        secret: 'whsec_AbCdEfGhIjKlMnOpQrStUvWxYz123456',
        isActive: true,
        createdAt: '2026-04-14T10:00:00Z',
      },
    },
    secret: 'whsec_AbCdEfGhIjKlMnOpQrStUvWxYz123456',
    id: 'wh_a1b2c3d4e5f6g7h8',
    deletePath: '/api/webhooks/notifications',
    deleteQuery: { id: 'wh_a1b2c3d4e5f6g7h8' },
    authHeader: (key) => ['x-api-key', key],
    idempotency: false,
    testPath: '/api/webhooks/notifications',
    testReply: [],
    delivery: {
      type: 'extraction.completed',
      body: '{"event":"extraction.completed","timestamp":"2026-04-14T10:05:00Z","data":{"id":"ext_7f3a2b1c-4d5e-6f78-9a0b-cdef12345678","status":"completed","documentType":"invoice","confidence":0.94,"data":{"invoiceNumber":"INV-2044","vendor":"Fabrikam Inc","total":310.25,"currency":"USD"},"metadata":{"fileName":"invoice.pdf","fileSize":145230,"mimeType":"application/pdf"},"processingTimeMs":1240}}',
      headers: {
        'Content-Type': 'application/json',
        'X-ParseFlow-Event': 'extraction.completed',
        'X-ParseFlow-Delivery': 'dlv_5e1f0c2a',
      },
      expectId: 'dlv_5e1f0c2a',
    },
  },
];
