import { handshakeAnswerProblem, handshakeCall, newChallenge, type VendorDefinition } from '@hookpack/core';
import type { SubscriptionRecord } from './state.js';

/** What became of the vendor's verification request to a subscription's URL. */
export interface HandshakeOutcome {
  ok: boolean;
  /** Why the vendor did not accept the answer (its words for the log, and reads of the subscription). */
  problem?: string;
  ms: number;
}

/**
 * Plays the vendor's URL-verification handshake against `sub.url`: a fresh challenge in the
 * declared place, signed with `secret` where the handshake is, and the answer judged as the
 * vendor does. Bounded by the vendor's deadline; never throws.
 */
export async function performHandshake(
  vendor: VendorDefinition,
  sub: SubscriptionRecord,
  secret: string | null,
): Promise<HandshakeOutcome> {
  const handshake = vendor.handshake!;
  const started = Date.now();
  // Real time, not the sandbox clock: the receiver's answer travels over real HTTP.
  const deadlineMs = handshake.deadlineMs;
  const challenge = newChallenge();
  try {
    const call = handshakeCall(vendor, {
      challenge,
      ...(secret ? { secret } : {}),
      extraBody: { subscription: { id: sub.id, events: sub.events } },
    });
    const url = new URL(sub.url);
    for (const [k, v] of Object.entries(call.query)) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method: call.method,
      headers: call.headers,
      ...(call.method === 'GET' ? {} : { body: call.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(deadlineMs),
    });
    const body = await res.text();
    const problem = handshakeAnswerProblem(vendor, challenge, { status: res.status, body });
    return { ok: problem === undefined, ...(problem ? { problem } : {}), ms: Date.now() - started };
  } catch (error) {
    const e = error as Error;
    const problem =
      e.name === 'TimeoutError' ? `no answer within ${deadlineMs} ms` : `the URL could not be called (${e.message})`;
    return { ok: false, problem, ms: Date.now() - started };
  }
}

/** One line for the CLI and explanations: what the sandbox does for this vendor's handshake. */
export function describeHandshake(vendor: VendorDefinition): string | undefined {
  const h = vendor.handshake;
  if (!h) return undefined;
  const marker =
    'query' in h.recognise
      ? `query parameter ${h.recognise.query}`
      : 'header' in h.recognise
        ? `${h.recognise.header}: ${h.recognise.value}`
        : `body field ${h.recognise.bodyField} = "${h.recognise.value}"`;
  const answer = h.answer.format === 'json' ? `JSON {"${h.answer.key}": <challenge>}` : 'the challenge as text/plain';
  const when =
    h.timing === 'during-create'
      ? `during create (create answers ${h.failure.status} "${h.failure.message}" when it fails)`
      : `right after create (a failed one switches the subscription off: "${h.failure.message}")`;
  return `verifies the URL ${when}: ${h.method ?? 'POST'} with ${marker}${h.signed ? ', signed like deliveries' : ''}; expects ${answer} with status 200 within ${h.deadlineMs / 1000} s`;
}
