import { randomBytes } from 'node:crypto';
import { bodyBuffer, type RawBody } from './bytes.js';
import { headerValue, type HeaderInput } from './headers.js';
import { getPath, setPath } from './resource/path.js';
import type { HandshakeDefinition, VendorDefinition } from './vendor.js';

type HandshakeVendor = Pick<VendorDefinition, 'id' | 'displayName' | 'handshake' | 'signature'>;

/** A request as a receiver sees it. `query` as a parsed object (n8n, Zapier), URLSearchParams or a raw query string. */
export interface HandshakeRequestInput {
  method?: string;
  query?: Record<string, unknown> | URLSearchParams | string | null;
  headers?: HeaderInput;
  body?: RawBody | null;
  /** The signing secret(s), for vendors whose handshake is signed like deliveries. */
  secret?: string | readonly string[] | null;
  now?: Date | number;
}

export type HandshakeFailureReason = 'malformed_handshake' | 'unverified_handshake';

/**
 * What a receiver does with a request: not a handshake (handle it as a delivery); a handshake to
 * answer with exactly this; or a handshake that is not of the declared form or not signed as
 * declared (answer the 4xx, run nothing).
 */
export type HandshakeVerdict =
  | { handshake: false }
  | { handshake: true; ok: true; status: 200; contentType: string; body: string; headers: Record<string, string> }
  | { handshake: true; ok: false; status: 400 | 401; reason: HandshakeFailureReason; message: string };

/** Longest challenge echoed: vendors send tokens of a few hundred characters at most. */
export const MAX_CHALLENGE_LENGTH = 4096;

const NOT_A_HANDSHAKE: HandshakeVerdict = { handshake: false };

/**
 * Tells a vendor's URL-verification request from a delivery and says what to answer. Never
 * throws: input it cannot read is a malformed handshake (400) when the vendor's marker is on it,
 * else not a handshake. Signed handshakes are verified first and fail closed (401).
 */
export function answerHandshake(vendor: HandshakeVendor, request: HandshakeRequestInput): HandshakeVerdict {
  try {
    const handshake = vendor.handshake;
    if (!handshake || request === null || typeof request !== 'object') return NOT_A_HANDSHAKE;
    const { method, query, headers, body, secret, now } = request;
    if (typeof method === 'string' && method.toUpperCase() !== (handshake.method ?? 'POST')) return NOT_A_HANDSHAKE;
    const recognised = recognise(handshake, query, headers, body);
    if (recognised === false) return NOT_A_HANDSHAKE;
    const malformed = (message: string): HandshakeVerdict => ({
      handshake: true,
      ok: false,
      status: 400,
      reason: 'malformed_handshake',
      message: `${vendor.displayName} verification request: ${message}`,
    });
    if (typeof recognised === 'string') return malformed(recognised);
    if (handshake.signed) {
      const v = vendor.signature.scheme.verify({ body: body ?? '', headers, secret, now });
      if (!v.ok)
        return {
          handshake: true,
          ok: false,
          status: 401,
          reason: 'unverified_handshake',
          message: `${vendor.displayName} verification request is not signed as its deliveries are (${v.reason}: ${v.message})`,
        };
    }
    const challenge = readChallenge(handshake, query, body);
    if (typeof challenge !== 'string' || challenge === '') {
      const where = handshake.challenge.in === 'query' ? 'query parameter' : 'body field';
      return malformed(`no challenge in the ${where} "${handshake.challenge.name}"`);
    }
    if (challenge.length > MAX_CHALLENGE_LENGTH)
      return malformed(`the challenge is longer than ${MAX_CHALLENGE_LENGTH} characters`);
    return handshake.answer.format === 'json'
      ? {
          handshake: true,
          ok: true,
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ [handshake.answer.key]: challenge }),
          headers: {},
        }
      : {
          handshake: true,
          ok: true,
          status: 200,
          contentType: 'text/plain; charset=utf-8',
          body: challenge,
          // An echoed value must never be sniffed as HTML by a browser that opens the URL.
          headers: { 'X-Content-Type-Options': 'nosniff' },
        };
  } catch {
    return NOT_A_HANDSHAKE;
  }
}

/** true: the marker is there; false: not a handshake; a string: the marker is there but unusable. */
function recognise(
  handshake: HandshakeDefinition,
  query: HandshakeRequestInput['query'],
  headers: HeaderInput,
  body: RawBody | null | undefined,
): boolean | string {
  const marker = handshake.recognise;
  if ('query' in marker) {
    const value = queryValue(query, marker.query);
    if (value === undefined) return false;
    return value === MULTIPLE ? `the query parameter "${marker.query}" is given more than once` : true;
  }
  if ('header' in marker) return headerValue(headers, marker.header)?.trim() === marker.value;
  const json = jsonBody(body);
  return json !== undefined && getPath(json, marker.bodyField) === marker.value;
}

function readChallenge(
  handshake: HandshakeDefinition,
  query: HandshakeRequestInput['query'],
  body: RawBody | null | undefined,
): unknown {
  if (handshake.challenge.in === 'query') return queryValue(query, handshake.challenge.name);
  const json = jsonBody(body);
  return json === undefined ? undefined : getPath(json, handshake.challenge.name);
}

const MULTIPLE = Symbol('multiple');

function queryValue(query: HandshakeRequestInput['query'], name: string): string | typeof MULTIPLE | undefined {
  if (query === null || query === undefined) return undefined;
  if (typeof query === 'string' || query instanceof URLSearchParams) {
    const params = typeof query === 'string' ? new URLSearchParams(query.replace(/^\?/, '')) : query;
    const all = params.getAll(name);
    return all.length === 0 ? undefined : all.length > 1 ? MULTIPLE : all[0];
  }
  if (!Object.prototype.hasOwnProperty.call(query, name)) return undefined;
  const value = query[name];
  if (Array.isArray(value)) return value.length === 1 && typeof value[0] === 'string' ? value[0] : MULTIPLE;
  return typeof value === 'string' ? value : undefined;
}

function jsonBody(body: RawBody | null | undefined): unknown {
  if (body === null || body === undefined) return undefined;
  const bytes = bodyBuffer(body);
  if (typeof bytes === 'string' || bytes.length === 0) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

// ── The vendor's side: what the sandbox and vendorConformance send, and how they judge the answer.

/** A fresh challenge, as vendors make them (random, URL-safe). */
export function newChallenge(): string {
  return randomBytes(24).toString('base64url');
}

export interface HandshakeCall {
  method: 'GET' | 'POST';
  /** Query parameters to add to the target URL. */
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The exact body bytes (empty for GET). */
  body: string;
}

/**
 * The verification request the vendor sends for `challenge`, signed with `secret` where the
 * handshake is signed. `extraBody` adds fields the vendor sends beside the challenge (the
 * subscription), by dotted path.
 */
export function handshakeCall(
  vendor: HandshakeVendor,
  options: { challenge: string; secret?: string; extraBody?: Record<string, unknown> },
): HandshakeCall {
  const handshake = vendor.handshake;
  if (!handshake) throw new TypeError(`${vendor.id} declares no handshake`);
  const method = handshake.method ?? 'POST';
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  const doc: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(options.extraBody ?? {})) setPath(doc, path, value);
  const marker = handshake.recognise;
  if ('query' in marker) query[marker.query] = options.challenge;
  else if ('header' in marker) headers[marker.header] = marker.value;
  else setPath(doc, marker.bodyField, marker.value);
  if (handshake.challenge.in === 'query') query[handshake.challenge.name] = options.challenge;
  else setPath(doc, handshake.challenge.name, options.challenge);
  const body = method === 'GET' ? '' : JSON.stringify(doc);
  if (method === 'POST') headers['Content-Type'] = 'application/json';
  if (handshake.signed) {
    if (!options.secret) throw new TypeError(`${vendor.id} signs its handshake: give the subscription's secret`);
    Object.assign(headers, vendor.signature.scheme.sign({ body, secret: options.secret }));
  }
  return { method, query, headers, body };
}

/** Why an answer to the handshake for `challenge` does not pass, as the vendor judges it; undefined when it does. */
export function handshakeAnswerProblem(
  vendor: HandshakeVendor,
  challenge: string,
  answer: { status: number; body: string },
): string | undefined {
  const handshake = vendor.handshake;
  if (!handshake) return `${vendor.id} declares no handshake`;
  if (answer.status !== 200) return `answered HTTP ${answer.status}, not 200`;
  if (handshake.answer.format === 'text') {
    return answer.body === challenge
      ? undefined
      : `answered ${JSON.stringify(answer.body.slice(0, 80))}, not the challenge`;
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return `answered ${JSON.stringify(answer.body.slice(0, 80))}, not JSON`;
  }
  const key = handshake.answer.key;
  const echoed = json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[key] : undefined;
  return echoed === challenge ? undefined : `the JSON answer has no "${key}" equal to the challenge`;
}
