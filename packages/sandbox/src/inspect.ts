import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, isPlainObject, parseJson, readBody, sendJson } from './http-util.js';
import { SandboxInputError, type Sandbox } from './sandbox.js';

/**
 * The sandbox's own JSON API under /_sandbox, for tests and tools in other languages:
 *   GET    /                         vendors, base URLs, API keys, time scale
 *   GET    /subscriptions?vendor=
 *   GET    /deliveries?vendor=&subscription=&event=&type=
 *   GET    /requests?vendor=                                       calls made to the vendor APIs
 *   POST   /events        {vendor, type, data?, subscriptionId?}   fire an event
 *   POST   /hooks         {vendor, url, events, secret?}           hand-configured hook (URL verified first where
 *                                                                   the vendor has a handshake; 422 when it fails)
 *   DELETE /hooks/<id>
 *   POST   /subscriptions/<id>/rotate-key                          new key pair (public-key vendors)
 *   PATCH  /accounts/<vendor> {credits}
 *   GET    /faults                                                 spec, injected faults, revoked keys
 *   PUT    /faults        {seed?, rules}                           replace the fault spec
 *   DELETE /faults                                                 no more faults
 *   POST   /settle        {timeoutMs?}                             wait for deliveries
 *   POST   /reset
 */
export async function handleInspection(
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? 'GET';
  try {
    const raw = await readBody(req);
    const parsed = parseJson(raw);
    if (!parsed.ok) throw new SandboxInputError(parsed.message);
    const body = parsed.value ?? {};
    const route = `${method} ${path.replace(/\/+$/, '') || '/'}`;
    const segments = path.split('/').filter(Boolean);
    if (route === 'GET /') {
      sendJson(res, 200, { url: sandbox.url, timeScale: sandbox.timeScale, vendors: sandbox.vendors() });
    } else if (route === 'GET /subscriptions') {
      sendJson(res, 200, sandbox.subscriptions(query.get('vendor') ?? undefined));
    } else if (route === 'GET /deliveries') {
      const filter: Parameters<Sandbox['deliveries']>[0] = {};
      if (query.get('vendor')) filter.vendor = query.get('vendor')!;
      if (query.get('subscription')) filter.subscriptionId = query.get('subscription')!;
      if (query.get('event')) filter.eventId = query.get('event')!;
      if (query.get('type')) filter.eventType = query.get('type')!;
      sendJson(res, 200, sandbox.deliveries(filter));
    } else if (route === 'GET /requests') {
      sendJson(res, 200, sandbox.requests(query.get('vendor') ?? undefined));
    } else if (route === 'POST /events') {
      const b = object(body);
      const vendor = str(b, 'vendor');
      const type = str(b, 'type');
      const opts: { data?: unknown; subscriptionId?: string } = {};
      if (b.data !== undefined) opts.data = b.data;
      if (b.subscriptionId !== undefined) opts.subscriptionId = str(b, 'subscriptionId');
      sendJson(res, 202, sandbox.fire(vendor, type, opts));
    } else if (route === 'POST /hooks') {
      const b = object(body);
      const events = b.events;
      if (!Array.isArray(events) || !events.every((e) => typeof e === 'string'))
        throw new SandboxInputError('events must be an array of strings');
      const secret = b.secret;
      if (secret != null && typeof secret !== 'string') throw new SandboxInputError('secret must be a string or null');
      sendJson(
        res,
        201,
        await sandbox.saveHook({ vendor: str(b, 'vendor'), url: str(b, 'url'), events, secret: secret ?? null }),
      );
    } else if (method === 'DELETE' && segments[0] === 'hooks' && segments.length === 2) {
      if (!sandbox.removeHook(decodeURIComponent(segments[1]!)))
        throw new SandboxInputError(`no hand-configured hook ${segments[1]}`, 404);
      sendJson(res, 204, undefined);
    } else if (
      method === 'POST' &&
      segments[0] === 'subscriptions' &&
      segments[2] === 'rotate-key' &&
      segments.length === 3
    ) {
      sendJson(res, 200, { publicKey: sandbox.rotateSigningKey(decodeURIComponent(segments[1]!)) });
    } else if (method === 'PATCH' && segments[0] === 'accounts' && segments.length === 2) {
      const b = object(body);
      if (typeof b.credits !== 'boolean') throw new SandboxInputError('credits must be true or false');
      sandbox.setCredits(decodeURIComponent(segments[1]!), b.credits);
      sendJson(res, 200, sandbox.vendor(decodeURIComponent(segments[1]!)));
    } else if (route === 'GET /faults') {
      sendJson(res, 200, sandbox.faults());
    } else if (route === 'PUT /faults') {
      sendJson(res, 200, sandbox.setFaults(object(body)));
    } else if (route === 'DELETE /faults') {
      sendJson(res, 200, sandbox.setFaults(null));
    } else if (route === 'POST /settle') {
      const b = object(body);
      const timeoutMs = b.timeoutMs === undefined ? 10_000 : b.timeoutMs;
      if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || timeoutMs > 600_000)
        throw new SandboxInputError('timeoutMs must be a number of milliseconds up to 600000');
      sendJson(res, 200, { settled: await sandbox.settle(timeoutMs) });
    } else if (route === 'POST /reset') {
      sandbox.reset();
      sendJson(res, 200, { reset: true });
    } else {
      throw new SandboxInputError(
        `no inspection route ${method} /_sandbox${path}; see GET /_sandbox and the package README`,
        404,
      );
    }
  } catch (e) {
    if (e instanceof SandboxInputError) sendJson(res, e.status, { error: e.message });
    else if (e instanceof BodyTooLargeError) sendJson(res, 413, { error: e.message });
    else sendJson(res, 500, { error: `internal sandbox error: ${(e as Error).message}` });
  }
}

function object(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw new SandboxInputError('request body must be a JSON object');
  return body;
}

function str(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new SandboxInputError(`${key} must be a non-empty string`);
  return v;
}
