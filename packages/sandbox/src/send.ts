import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { deliveryDocument, type VendorDefinition } from '@hookpack/core';

/** One event as the vendor would send it: the envelope's inputs. */
export interface OutgoingEvent {
  id: string;
  type: string;
  createdAt: string;
  data: unknown;
  livemode: boolean;
}

export function newEventId(): string {
  return `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/**
 * The exact body bytes the vendor sends for an event (built by the vendor's envelope; for a
 * batch vendor, a batch of that one event), or for several events in one batch.
 */
export function deliveryBody(vendor: VendorDefinition, event: OutgoingEvent | OutgoingEvent[]): Buffer {
  const events = Array.isArray(event) ? event : [event];
  return Buffer.from(
    JSON.stringify(
      deliveryDocument(
        vendor,
        events.map((e) => vendor.envelope.build(e)),
      ),
    ),
    'utf8',
  );
}

/**
 * Headers of one delivery attempt: the vendor's static headers, event and delivery-id headers,
 * and its signature (none when no secret is set — only vendors whose secret is optional).
 */
export function deliveryHeaders(
  vendor: VendorDefinition,
  input: { body: Buffer; type: string; secret: string | null | undefined; deliveryId: string; timestamp?: number },
): Record<string, string> {
  const { staticHeaders, eventHeader, deliveryIdHeader } = vendor.delivery;
  const headers: Record<string, string> = { ...staticHeaders };
  if (eventHeader) headers[eventHeader] = input.type;
  if (deliveryIdHeader) headers[deliveryIdHeader] = input.deliveryId;
  if (input.secret) {
    Object.assign(
      headers,
      vendor.signature.scheme.sign({
        body: input.body,
        secret: input.secret,
        timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
      }),
    );
  }
  return headers;
}

export interface SendResult {
  /** HTTP status, absent when no response came back. */
  status?: number;
  /** Network error or timeout, when there was no response. */
  error?: string;
  /** First 2 KiB of the response body. */
  responseBody: string;
  durationMs: number;
}

const RESPONSE_PREVIEW_BYTES = 2048;

/**
 * POSTs one delivery with exactly the given headers (plus Host and Content-Length, as any HTTP
 * client must) — node:http rather than fetch, which would add Accept, User-Agent and others the
 * vendors do not send. Never throws; reads only a small preview of the response.
 */
export function postDelivery(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, durationMs: elapsed() });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: `"${url}" is not a URL`, responseBody: '', durationMs: 0 });
      return;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      resolve({ error: `"${url}" is not an http(s) URL`, responseBody: '', durationMs: 0 });
      return;
    }
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ReturnType<typeof httpRequest>;
    try {
      req = request(target, {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(body.length) },
        agent: false,
      });
    } catch (e) {
      // node:http validates header names and values synchronously (e.g. a line break in a value)
      resolve({ error: `request not sent: ${(e as Error).message}`, responseBody: '', durationMs: 0 });
      return;
    }
    const timer = setTimeout(() => {
      done({ error: `timed out after ${timeoutMs} ms`, responseBody: '' });
      req.destroy();
    }, timeoutMs);
    const onAbort = () => {
      done({ error: 'aborted: sandbox stopped', responseBody: '' });
      req.destroy();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({ error: e.code ? `${e.code}: ${e.message}` : e.message, responseBody: '' }),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () =>
        done({
          status: res.statusCode ?? 0,
          responseBody: Buffer.concat(chunks).subarray(0, RESPONSE_PREVIEW_BYTES).toString('utf8'),
        });
      res.on('data', (c: Buffer) => {
        if (size < RESPONSE_PREVIEW_BYTES) chunks.push(c);
        size += c.length;
        if (size >= RESPONSE_PREVIEW_BYTES) {
          finish();
          res.destroy();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.end(body);
  });
}
