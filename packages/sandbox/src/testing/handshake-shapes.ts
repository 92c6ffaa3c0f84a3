import type { HandshakeDefinition } from '@hookpack/core';

/**
 * The handshake shapes public vendors use, for tests of the machinery while a vendor module is
 * written: added to a shipped vendor's description, the sandbox and the integrations play them.
 */
export const handshakeShapes: Record<string, HandshakeDefinition> = {
  // Microsoft Graph style: a query token, echoed as text while create waits.
  'during create, query token echoed as text': {
    recognise: { query: 'validationToken' },
    challenge: { in: 'query', name: 'validationToken' },
    answer: { format: 'text' },
    signed: false,
    timing: 'during-create',
    deadlineMs: 2_000,
    failure: { status: 400, message: 'Subscription validation request failed.' },
  },
  // Slack style: a body field marks it, signed like deliveries, answered as JSON.
  'after create, body marker, signed, JSON answer': {
    recognise: { bodyField: 'type', value: 'url_verification' },
    challenge: { in: 'body', name: 'challenge' },
    answer: { format: 'json', key: 'challenge' },
    signed: true,
    timing: 'after-create',
    deadlineMs: 2_000,
    failure: { status: 200, message: 'verification failed' },
  },
  // Twitch EventSub style: a message-type header marks it, signed, the challenge echoed as text.
  'after create, header marker, signed, text answer': {
    recognise: { header: 'X-Message-Type', value: 'webhook_callback_verification' },
    challenge: { in: 'body', name: 'challenge' },
    answer: { format: 'text' },
    signed: true,
    timing: 'after-create',
    deadlineMs: 2_000,
    failure: { status: 200, message: 'webhook_callback_verification_failed' },
  },
};
