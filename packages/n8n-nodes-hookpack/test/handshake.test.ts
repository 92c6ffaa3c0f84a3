import { describe, expect, it } from 'vitest';
import { checkVendorDescription, handshakeCall } from '@hookpack/core';
import { handshakeShapes } from '@hookpack/sandbox/testing';
import { vendors } from '@hookpack/providers';
import { webhookHandler } from '../src/webhook.js';
import { webhookContext } from './contexts.js';

// Of the form every HMAC scheme signs with (Standard Webhooks wants whsec_ + base64).
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const OTHER = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const shapes = Object.values(handshakeShapes);

// Every shipped vendor with an HMAC secret it keeps per subscription, with each handshake shape added.
const cases = vendors
  .filter((v) => v.api && v.signature.scheme.kind !== 'public-key' && v.signature.secretSource !== 'app')
  .flatMap((v) => shapes.map((h) => ({ ...v, handshake: h })))
  .filter((v) => checkVendorDescription(v).length === 0)
  .map((v) => [`${v.id}, ${v.handshake.answer.format} answer${v.handshake.signed ? ', signed' : ''}`, v] as const);

describe.each(cases)('n8n trigger answers the handshake: %s', (_name, vendor) => {
  const staticData = () => ({
    subscriptions: { production: { id: 'x_1', url: 'u', events: [vendor.events[0]!.type], secret: SECRET } },
  });
  const run = async (call: ReturnType<typeof handshakeCall>) => {
    const w = webhookContext({
      params: { events: vendor.events.map((e) => e.type) },
      staticData: staticData(),
      body: Buffer.from(call.body),
      headers: call.headers,
      query: call.query,
      method: call.method,
    });
    return { ...w, result: await webhookHandler(vendor).call(w.ctx) };
  };

  it('answers 200 with the challenge and starts no execution', async () => {
    const { result, sent } = await run(handshakeCall(vendor, { challenge: 'chal-123', secret: SECRET }));
    expect(result).toEqual({ noWebhookResponse: true });
    expect(sent.status).toBe(200);
    expect(sent.body).toBe(
      vendor.handshake.answer.format === 'json' ? JSON.stringify({ challenge: 'chal-123' }) : 'chal-123',
    );
  });

  it('refuses a malformed one with a 4xx and starts no execution', async () => {
    const call = handshakeCall(vendor, { challenge: 'chal-123', secret: SECRET });
    if (vendor.handshake.challenge.in === 'query') call.query[vendor.handshake.challenge.name] = '';
    else call.body = call.body.replace('"challenge":"chal-123"', '"challenge":""');
    if (vendor.handshake.signed)
      Object.assign(call.headers, vendor.signature.scheme.sign({ body: call.body, secret: SECRET }));
    const { result, sent } = await run(call);
    expect(result).toEqual({ noWebhookResponse: true });
    expect(sent.status).toBe(400);
  });

  it.runIf(vendor.handshake.signed)('refuses a handshake signed with another secret (401)', async () => {
    const { result, sent } = await run(handshakeCall(vendor, { challenge: 'c', secret: OTHER }));
    expect(result).toEqual({ noWebhookResponse: true });
    expect(sent.status).toBe(401);
  });
});

it('cases exist (the filter above found vendors to test)', () => {
  expect(cases.length).toBeGreaterThan(2);
});
