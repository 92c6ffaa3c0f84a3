import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerHandshake, verifyDelivery } from '@hookpack/core';
import { slack } from '@hookpack/providers';

// What the Slack docs show, computed here with node:crypto rather than through the module's own
// scheme: the module must read Slack's requests as Slack sends them.
const secret = 'slack_signing_secret_example';
const now = 1_767_225_600; // unix seconds
const sign = (body: string, t = now) => ({
  'X-Slack-Request-Timestamp': String(t),
  'X-Slack-Signature': `v0=${createHmac('sha256', secret).update(`v0:${t}:${body}`).digest('hex')}`,
  'Content-Type': 'application/json',
});

describe('slack (the Events API as documented)', () => {
  it('answers the url_verification request with its challenge as text, only when signed with the Signing Secret', () => {
    const body = JSON.stringify({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      challenge: '3eZbrw1aBm2rZ',
      type: 'url_verification',
    });
    const request = { method: 'POST', headers: sign(body), body, now: now * 1000 };
    expect(answerHandshake(slack, { ...request, secret })).toMatchObject({
      handshake: true,
      ok: true,
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: '3eZbrw1aBm2rZ',
    });
    expect(answerHandshake(slack, { ...request, secret: 'another_secret' })).toMatchObject({ ok: false, status: 401 });
    // Six minutes old: outside the five minutes the docs allow.
    const stale = { ...request, headers: sign(body, now - 360) };
    expect(answerHandshake(slack, { ...stale, secret })).toMatchObject({ ok: false, status: 401 });
  });

  it('verifies an event_callback and reads event_id, event.type, event_time and the inner event', () => {
    const body = JSON.stringify({
      token: 'XXYYZZ',
      team_id: 'T123ABC456',
      api_app_id: 'A123ABC456',
      event: {
        type: 'reaction_added',
        user: 'U123ABC456',
        reaction: 'thumbsup',
        item: { type: 'message' },
        event_ts: '1.2',
      },
      type: 'event_callback',
      authorizations: [{ enterprise_id: 'E123ABC456', team_id: 'T123ABC456', user_id: 'U123ABC456', is_bot: false }],
      event_id: 'Ev123ABC456',
      event_time: 1_234_567_890,
    });
    const result = verifyDelivery(slack, { body, headers: sign(body), secret, now: now * 1000 });
    expect(result).toMatchObject({
      ok: true,
      event: { id: 'Ev123ABC456', type: 'reaction_added', createdAt: '2009-02-13T23:31:30.000Z' },
    });
    if (result.ok) expect((result.event.data as { reaction: string }).reaction).toBe('thumbsup');
    // A delivery is never taken for a handshake.
    expect(answerHandshake(slack, { method: 'POST', headers: sign(body), body, secret, now: now * 1000 })).toEqual({
      handshake: false,
    });
  });
});
