import type { VendorDefinition } from '../vendor.js';

type Add = (field: string, problem: string, fix: string) => void;

const PATH = /^[^.\s]+(\.[^.\s]+)*$/;
/** Vendors wait seconds, not minutes (Graph: 10 s); a longer deadline is a typo. */
const MAX_DEADLINE_MS = 5 * 60_000;

/**
 * A declared handshake must say how it is recognised, where the challenge is and how to answer
 * it — else no integration can answer it, and the vendor never delivers. Read as untyped data:
 * descriptions may come from JavaScript.
 */
export function checkHandshake(vendor: VendorDefinition, add: Add): void {
  if (vendor.handshake === undefined) return;
  const h = vendor.handshake as unknown as Record<string, unknown>;
  if (h === null || typeof h !== 'object') {
    add(
      'handshake',
      'is not an object',
      'declare { recognise, challenge, answer, signed, timing, deadlineMs, failure }',
    );
    return;
  }
  const method = h.method ?? 'POST';
  if (method !== 'GET' && method !== 'POST')
    add('handshake.method', `"${String(method)}" is not GET or POST`, 'use the method the vendor documents');

  const marker = h.recognise as Record<string, unknown> | undefined;
  const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  if (!marker || typeof marker !== 'object')
    add(
      'handshake.recognise',
      'nothing says how the verification request is told apart from a delivery',
      'declare { query }, { header, value } or { bodyField, value }',
    );
  else if ('query' in marker) {
    if (!isText(marker.query)) add('handshake.recognise.query', 'no parameter name', 'name the query parameter');
  } else if ('header' in marker) {
    if (!isText(marker.header) || !isText(marker.value))
      add('handshake.recognise', 'a header marker needs a name and a value', 'declare { header, value }');
  } else if ('bodyField' in marker) {
    if (!isText(marker.bodyField) || !PATH.test(marker.bodyField) || !isText(marker.value))
      add('handshake.recognise', 'a body marker needs a dotted field path and a value', 'declare { bodyField, value }');
    if (method === 'GET')
      add(
        'handshake.recognise',
        'a GET request has no body to recognise',
        'recognise it by a query parameter or header',
      );
  } else
    add(
      'handshake.recognise',
      'is none of the known markers',
      'declare { query }, { header, value } or { bodyField, value }',
    );

  const challenge = h.challenge as Record<string, unknown> | undefined;
  if (!challenge || typeof challenge !== 'object' || (challenge.in !== 'query' && challenge.in !== 'body'))
    add('handshake.challenge', 'nothing says where the challenge is', 'declare { in: "query" | "body", name }');
  else if (!isText(challenge.name) || (challenge.in === 'body' && !PATH.test(challenge.name)))
    add('handshake.challenge.name', 'no parameter name or field path', 'name where the vendor puts the challenge');
  else if (challenge.in === 'body' && method === 'GET')
    add('handshake.challenge', 'a GET request has no body to carry the challenge', 'read it from the query');

  const answer = h.answer as Record<string, unknown> | undefined;
  if (!answer || typeof answer !== 'object')
    add(
      'handshake.answer',
      'the handshake does not say how to answer it',
      'declare { format: "text" } (the challenge as text/plain) or { format: "json", key }',
    );
  else if (answer.format === 'json') {
    if (!isText(answer.key))
      add('handshake.answer.key', 'a JSON answer without a key', 'name the key, e.g. "challenge"');
  } else if (answer.format !== 'text')
    add('handshake.answer.format', `"${String(answer.format)}" is not "text" or "json"`, 'use one of them');

  if (typeof h.signed !== 'boolean')
    add(
      'handshake.signed',
      'does not say whether the request is signed',
      'set true when it carries the delivery signature',
    );
  if (h.timing !== 'during-create' && h.timing !== 'after-create')
    add('handshake.timing', 'does not say when the vendor calls', 'use "during-create" or "after-create"');
  const deadline = h.deadlineMs;
  if (typeof deadline !== 'number' || !Number.isFinite(deadline) || deadline < 100 || deadline > MAX_DEADLINE_MS)
    add(
      'handshake.deadlineMs',
      'missing or outside 100 ms … 5 min',
      "give the vendor's documented wait in milliseconds",
    );
  const failure = h.failure as Record<string, unknown> | undefined;
  if (
    !failure ||
    typeof failure !== 'object' ||
    !Number.isInteger(failure.status) ||
    !isText(failure.message) ||
    (h.timing === 'during-create' && !((failure.status as number) >= 400 && (failure.status as number) <= 599))
  )
    add(
      'handshake.failure',
      'nothing says what the vendor answers when the handshake fails',
      'declare { status, message } as documented (a 4xx/5xx for during-create)',
    );

  const signature = vendor.signature;
  if (h.signed === true && signature.scheme.kind === 'public-key')
    add(
      'handshake.signed',
      'a signed handshake is verified with a shared secret, not a public key',
      'use a secret scheme, or set signed: false',
    );
  if (h.signed === true && h.timing === 'during-create' && signature.secretSource === 'subscription')
    add(
      'handshake.timing',
      "a handshake signed with the subscription's secret cannot come before create answered with that secret",
      'use "after-create", or check the docs again',
    );
  if (!vendor.api && h.timing === 'during-create')
    add(
      'handshake.timing',
      'a vendor without an API has no create call',
      'use "after-create" (after the user saves the URL)',
    );
}
