import { describe, expect, it } from 'vitest';
import {
  answerHandshake,
  checkVendorDescription,
  handshakeAnswerProblem,
  handshakeCall,
  MAX_CHALLENGE_LENGTH,
  newChallenge,
  zapierLimitations,
  type HandshakeDefinition,
  type HandshakeVerdict,
  type VendorDefinition,
} from '../src/index.js';
import { acmeVendor } from './client-fixtures.js';

const SECRET = 'sk_0123456789abcdef0123456789abcdef';

/** The handshake shapes public vendors use (Graph, Twitch, Slack, Dropbox), as data. */
const shapes: Record<string, HandshakeDefinition> = {
  'query token echoed as text (Graph)': {
    recognise: { query: 'validationToken' },
    challenge: { in: 'query', name: 'validationToken' },
    answer: { format: 'text' },
    signed: false,
    timing: 'during-create',
    deadlineMs: 10_000,
    failure: { status: 400, message: 'Subscription validation request failed.' },
  },
  'header marker, body challenge, signed (Twitch)': {
    recognise: { header: 'X-Acme-Message-Type', value: 'webhook_callback_verification' },
    challenge: { in: 'body', name: 'challenge' },
    answer: { format: 'text' },
    signed: true,
    timing: 'after-create',
    deadlineMs: 10_000,
    failure: { status: 200, message: 'webhook_callback_verification_failed' },
  },
  'body field marker, JSON answer, signed (Slack)': {
    recognise: { bodyField: 'type', value: 'url_verification' },
    challenge: { in: 'body', name: 'challenge' },
    answer: { format: 'json', key: 'challenge' },
    signed: true,
    timing: 'after-create',
    deadlineMs: 3_000,
    failure: { status: 200, message: 'Your URL did not respond with the value of the challenge parameter.' },
  },
  'GET with a query challenge (Dropbox)': {
    method: 'GET',
    recognise: { query: 'challenge' },
    challenge: { in: 'query', name: 'challenge' },
    answer: { format: 'text' },
    signed: false,
    timing: 'after-create',
    deadlineMs: 10_000,
    failure: { status: 200, message: 'verification failed' },
  },
};

function withHandshake(handshake: HandshakeDefinition): VendorDefinition {
  return { ...acmeVendor(), handshake };
}

/** The request a receiver sees for a vendor's call. */
function asReceived(call: ReturnType<typeof handshakeCall>, secret: string | null = SECRET) {
  return {
    method: call.method,
    query: new URLSearchParams(call.query),
    headers: Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: Buffer.from(call.body),
    secret,
  };
}

function answered(verdict: HandshakeVerdict) {
  if (!verdict.handshake || !verdict.ok) throw new Error(`not answered: ${JSON.stringify(verdict)}`);
  return verdict;
}

describe.each(Object.entries(shapes))('handshake: %s', (_name, shape) => {
  const vendor = withHandshake(shape);

  it('is a valid description', () => {
    expect(checkVendorDescription(vendor).filter((p) => p.field.startsWith('handshake'))).toEqual([]);
  });

  it("answers the vendor's own call so that the vendor accepts the answer", () => {
    const challenge = newChallenge();
    const call = handshakeCall(vendor, { challenge, secret: SECRET, extraBody: { subscription: { id: 'hk_1' } } });
    const verdict = answered(answerHandshake(vendor, asReceived(call)));
    expect(verdict.status).toBe(200);
    expect(verdict.contentType).toMatch(shape.answer.format === 'json' ? /^application\/json/ : /^text\/plain/);
    expect(handshakeAnswerProblem(vendor, challenge, verdict)).toBeUndefined();
    // The vendor refuses an answer with another challenge or status.
    expect(handshakeAnswerProblem(vendor, `${challenge}x`, verdict)).toBeDefined();
    expect(handshakeAnswerProblem(vendor, challenge, { ...verdict, status: 202 })).toMatch(/202/);
  });

  it('leaves deliveries alone (not a handshake)', () => {
    const delivery = JSON.stringify({ id: 'evt_1', type: 'order.paid', data: {} });
    const verdict = answerHandshake(vendor, {
      method: 'POST',
      query: {},
      headers: {
        'content-type': 'application/json',
        ...vendor.signature.scheme.sign({ body: delivery, secret: SECRET }),
      },
      body: delivery,
      secret: SECRET,
    });
    expect(verdict).toEqual({ handshake: false });
  });

  it('refuses a handshake without its challenge with a 400 naming where it belongs', () => {
    const call = handshakeCall(vendor, { challenge: 'c', secret: SECRET });
    const received = asReceived(call);
    if (shape.challenge.in === 'query' && 'query' in shape.recognise) {
      received.query.set(shape.challenge.name, '');
    } else if (shape.challenge.in === 'body') {
      const body = JSON.parse(call.body) as Record<string, unknown>;
      body[shape.challenge.name] = 42;
      const text = JSON.stringify(body);
      received.body = Buffer.from(text);
      Object.assign(
        received.headers,
        Object.fromEntries(
          Object.entries(vendor.signature.scheme.sign({ body: text, secret: SECRET })).map(([k, v]) => [
            k.toLowerCase(),
            v,
          ]),
        ),
      );
    }
    const verdict = answerHandshake(vendor, received);
    expect(verdict).toMatchObject({ handshake: true, ok: false, status: 400, reason: 'malformed_handshake' });
    expect((verdict as { message: string }).message).toContain(shape.challenge.name);
  });

  it.runIf(shape.signed)('refuses a handshake signed with another secret, or with none configured (401)', () => {
    const call = handshakeCall(vendor, { challenge: 'c', secret: 'sk_another_secret_0123456789abcdef' });
    expect(answerHandshake(vendor, asReceived(call))).toMatchObject({ ok: false, status: 401 });
    const good = handshakeCall(vendor, { challenge: 'c', secret: SECRET });
    expect(answerHandshake(vendor, asReceived(good, null))).toMatchObject({ ok: false, status: 401 });
  });

  it('never throws on hostile input', () => {
    const hostile: unknown[] = [
      null,
      undefined,
      42,
      'x',
      {},
      { method: 42 },
      {
        query: new Proxy(
          {},
          {
            get: () => {
              throw new Error('trap');
            },
            has: () => {
              throw new Error('trap');
            },
          },
        ),
      },
      {
        headers: new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('trap');
            },
          },
        ),
        body: '{',
      },
      { method: shape.method ?? 'POST', body: Buffer.from([0xff, 0xfe]), query: 'a=%E0%A4%A' },
      { method: shape.method ?? 'POST', query: { [shape.challenge.name]: ['a', 'b'] } },
    ];
    for (const input of hostile) expect(() => answerHandshake(vendor, input as never)).not.toThrow();
  });
});

describe('handshake: limits and platform', () => {
  const vendor = withHandshake(shapes['query token echoed as text (Graph)']!);

  it('refuses a challenge longer than any vendor sends', () => {
    const verdict = answerHandshake(vendor, {
      method: 'POST',
      query: { validationToken: 'x'.repeat(MAX_CHALLENGE_LENGTH + 1) },
    });
    expect(verdict).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a repeated query challenge (which one would it echo?)', () => {
    expect(answerHandshake(vendor, { method: 'POST', query: 'validationToken=a&validationToken=b' })).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it('a vendor without a handshake never sees one', () => {
    expect(answerHandshake(acmeVendor(), { method: 'POST', query: { validationToken: 'a' } })).toEqual({
      handshake: false,
    });
  });

  it('Zapier: one line for a handshake vendor, none otherwise', () => {
    expect(zapierLimitations(acmeVendor())).toEqual([]);
    const lines = zapierLimitations(vendor);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Acme: .*handshake.*never verify/);
  });
});

describe('handshake: description checks name the vendor and the field', () => {
  const base = shapes['query token echoed as text (Graph)']!;
  const problems = (h: unknown, vendor: VendorDefinition = acmeVendor()) =>
    checkVendorDescription({ ...vendor, handshake: h as HandshakeDefinition });

  it.each([
    ['handshake.answer', { ...base, answer: undefined }],
    ['handshake.answer.key', { ...base, answer: { format: 'json' } }],
    ['handshake.answer.format', { ...base, answer: { format: 'html' } }],
    ['handshake.recognise', { ...base, recognise: undefined }],
    ['handshake.challenge', { ...base, challenge: { name: 'x' } }],
    ['handshake.deadlineMs', { ...base, deadlineMs: 0 }],
    ['handshake.timing', { ...base, timing: 'later' }],
    ['handshake.signed', { ...base, signed: 'yes' }],
    ['handshake.failure', { ...base, failure: { status: 200, message: 'x' } }],
    ['handshake.challenge', { ...base, method: 'GET', challenge: { in: 'body', name: 'challenge' } }],
  ])('%s', (field, handshake) => {
    const found = problems(handshake);
    expect(found.map((p) => p.field)).toContain(field);
    expect(found.every((p) => p.vendor === 'acme')).toBe(true);
  });

  it("a signed during-create handshake of a vendor whose secret comes in create's answer is impossible", () => {
    const vendor = acmeVendor();
    vendor.signature = { ...vendor.signature, secretSource: 'subscription' };
    expect(problems({ ...base, signed: true }, vendor).map((p) => p.field)).toContain('handshake.timing');
  });
});
