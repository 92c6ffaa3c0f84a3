// The client over real sockets on 127.0.0.1 (no nock): a tiny in-memory vendor API whose
// misbehaviour we control, to check what nock cannot fake faithfully — a really refused
// connection, a request that was acted on but never answered, a socket closed mid-answer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSubscriptionClient, HookpackApiError } from '../src/index.js';
import { acmeVendor, fakeSleep, KEY } from './client-fixtures.js';

interface StoredHook {
  id: string;
  target: string;
  topics: string[];
  enabled: boolean;
  signing_key: string;
}

/** What the fake vendor does with the n-th POST /v2/hooks (1-based) after storing it. */
type PostBehaviour = 'answer' | 'hang' | 'destroy';

function fakeVendor(postBehaviour: (n: number) => PostBehaviour = () => 'answer') {
  const hooks = new Map<string, StoredHook>();
  let posts = 0;
  let nextId = 1;
  const held: ServerResponse[] = [];
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.headers['x-acme-key'] !== KEY) return send(res, 401, { error: 'bad key' });
    const url = new URL(req.url ?? '/', 'http://x');
    const idMatch = /^\/v2\/hooks\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/v2/hooks') {
      return send(res, 200, { data: { hooks: [...hooks.values()].map(({ signing_key: _k, ...h }) => h) } });
    }
    if (req.method === 'POST' && url.pathname === '/v2/hooks') {
      const body = JSON.parse(raw) as { target: string; topics: string[] };
      const hook: StoredHook = {
        id: `wh_${nextId++}`,
        target: body.target,
        topics: body.topics,
        enabled: true,
        signing_key: `sk_${nextId}_${Math.random().toString(36).slice(2)}`,
      };
      hooks.set(hook.id, hook);
      const behaviour = postBehaviour(++posts);
      if (behaviour === 'hang') return void held.push(res);
      if (behaviour === 'destroy') return void res.socket?.destroy();
      return send(res, 201, { data: hook });
    }
    if (idMatch && req.method === 'PATCH') {
      const hook = hooks.get(decodeURIComponent(idMatch[1]!));
      if (!hook) return send(res, 404, { error: 'No such hook' });
      const patch = JSON.parse(raw) as { enabled?: boolean };
      if (patch.enabled !== undefined) hook.enabled = patch.enabled;
      return send(res, 200, { data: hook });
    }
    if (idMatch && req.method === 'DELETE') {
      const existed = hooks.delete(decodeURIComponent(idMatch[1]!));
      return send(res, existed ? 204 : 404, existed ? undefined : { error: 'No such hook' });
    }
    send(res, 404, { error: 'no route' });
  };
  const server = createServer((req, res) => void handle(req, res));
  return {
    hooks,
    get posts() {
      return posts;
    },
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
    },
    async stop() {
      for (const res of held) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});
async function startVendor(behaviour?: (n: number) => PostBehaviour) {
  const vendor = fakeVendor(behaviour);
  running.push(vendor);
  return { vendor, baseUrl: await vendor.start() };
}
const clientFor = (baseUrl: string, extra: Record<string, unknown> = {}) =>
  createSubscriptionClient(acmeVendor(), {
    apiKey: KEY,
    baseUrl,
    allowInsecureTargetUrl: true,
    sleep: fakeSleep().sleep,
    ...extra,
  });
const INPUT = { url: 'https://app.example/hook', events: ['order.paid'] };

describe('REST client over real loopback HTTP', () => {
  it('create → list → pause → delete → delete again', async () => {
    const { vendor, baseUrl } = await startVendor();
    const c = clientFor(baseUrl);
    const sub = await c.create(INPUT);
    expect(sub.secret).toBe(vendor.hooks.get(sub.id)?.signing_key);
    expect((await c.list()).map((s) => s.id)).toEqual([sub.id]);
    expect((await c.update(sub.id, { active: false })).active).toBe(false);
    expect(vendor.hooks.get(sub.id)?.enabled).toBe(false);
    expect(await c.delete(sub.id)).toEqual({ deleted: true });
    expect(await c.delete(sub.id)).toEqual({ deleted: false });
    expect(vendor.hooks.size).toBe(0);
  });

  it('a really refused connection is classified as "not sent" and retried', async () => {
    const { vendor, baseUrl } = await startVendor();
    await vendor.stop(); // nothing listens on that port any more
    running.length = 0;
    const error = await clientFor(baseUrl)
      .create(INPUT)
      .catch((e: unknown) => e as HookpackApiError);
    expect(error).toBeInstanceOf(HookpackApiError);
    // The duplicate-check list is a GET: refused three times, never a POST.
    expect(error).toMatchObject({ code: 'network', operation: 'list', mayHaveActed: false, attempts: 3 });
    expect(error!.message).toContain('ECONNREFUSED');
  });

  it('a create the vendor stored but never answered (timeout): the orphan is deleted, exactly one remains', async () => {
    const { vendor, baseUrl } = await startVendor((n) => (n === 1 ? 'hang' : 'answer'));
    const sub = await clientFor(baseUrl, { timeoutMs: 1000 }).create(INPUT);
    expect(vendor.posts).toBe(2);
    expect([...vendor.hooks.keys()]).toEqual([sub.id]);
    expect(sub.secret).toBe(vendor.hooks.get(sub.id)?.signing_key);
  });

  it('a create whose connection closed before the answer: same — one subscription, with a known secret', async () => {
    const { vendor, baseUrl } = await startVendor((n) => (n === 1 ? 'destroy' : 'answer'));
    const sub = await clientFor(baseUrl).create(INPUT);
    expect(vendor.posts).toBe(2);
    expect([...vendor.hooks.keys()]).toEqual([sub.id]);
    expect(sub.secret).toBe(vendor.hooks.get(sub.id)?.signing_key);
  });

  it('every create attempt lost: no subscription is left behind', async () => {
    const { vendor, baseUrl } = await startVendor(() => 'destroy');
    const error = await clientFor(baseUrl)
      .create(INPUT)
      .catch((e: unknown) => e as HookpackApiError);
    expect(error).toMatchObject({ code: 'network', operation: 'create', mayHaveActed: true });
    expect(vendor.posts).toBe(3);
    expect(vendor.hooks.size).toBe(0);
  });
});
