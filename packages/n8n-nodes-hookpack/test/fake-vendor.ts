// A stateful fake of a Parley-shaped subscription API (`{data}` wrapper, `is_active`) on a
// real loopback HTTP server, so lifecycle tests can assert what is left at the vendor.
// (nock 15 hangs on function replies to fetch POSTs with a body, so a real server is used.)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VendorDefinition } from '@hookpack/core';

export interface FakeSubscription {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  secret: string;
}

export interface FakeVendor {
  baseUrl: string;
  subs: Map<string, FakeSubscription>;
  calls: string[];
  /** Next answer to force, by operation: [status, body]. One-shot. */
  failNext: Partial<Record<'create' | 'list' | 'get' | 'update' | 'delete', [number, unknown]>>;
  /** Create answers without the secret (a half-usable create). */
  createWithoutSecret: boolean;
  /** Every create stores the subscription, then answers this (an answer lost on the way back). */
  createStoresThenAnswers?: [number, unknown];
  close(): Promise<void>;
}

let counter = 0;

export async function startFakeParleyApi(vendor: VendorDefinition): Promise<FakeVendor> {
  const endpoints = vendor.api!.endpoints;
  const collection = endpoints.list!.path;
  const itemPrefix = endpoints.get!.path.replace('{id}', '');
  const toWire = (s: FakeSubscription, withSecret: boolean) => ({
    id: s.id,
    url: s.url,
    events: s.events,
    is_active: s.active,
    ...(withSecret ? { secret: s.secret } : {}),
  });
  const fake: FakeVendor = {
    baseUrl: '',
    subs: new Map(),
    calls: [],
    failNext: {},
    createWithoutSecret: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = ([status, body]: [number, unknown]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 204 ? '' : JSON.stringify(body));
      };
      const forced = (op: keyof FakeVendor['failNext']) => {
        const f = fake.failNext[op];
        delete fake.failNext[op];
        return f;
      };
      const path = (req.url ?? '').split('?')[0]!;
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      if (path === collection && req.method === 'POST') {
        fake.calls.push('create');
        const f = forced('create');
        if (f) return send(f);
        const id = `wh_${++counter}`;
        const sub = { id, url: body.url, events: body.events, active: true, secret: `whsec_test_${counter}` };
        fake.subs.set(id, sub);
        if (fake.createStoresThenAnswers) return send(fake.createStoresThenAnswers);
        return send([201, { data: toWire(sub, !fake.createWithoutSecret) }]);
      }
      if (path === collection && req.method === 'GET') {
        fake.calls.push('list');
        return send(forced('list') ?? [200, { data: [...fake.subs.values()].map((s) => toWire(s, false)) }]);
      }
      if (path.startsWith(itemPrefix)) {
        const id = decodeURIComponent(path.slice(itemPrefix.length));
        const sub = fake.subs.get(id);
        const missing: [number, unknown] = [404, { error: 'webhook not found' }];
        if (req.method === 'GET') {
          fake.calls.push(`get ${id}`);
          return send(forced('get') ?? (sub ? [200, { data: toWire(sub, false) }] : missing));
        }
        if (req.method === 'PATCH') {
          fake.calls.push(`update ${id} ${JSON.stringify(body)}`);
          const f = forced('update');
          if (f) return send(f);
          if (!sub) return send(missing);
          if (body.events) sub.events = body.events;
          if (body.is_active !== undefined) sub.active = body.is_active;
          if (body.url) sub.url = body.url;
          return send([200, { data: toWire(sub, false) }]);
        }
        if (req.method === 'DELETE') {
          fake.calls.push(`delete ${id}`);
          const f = forced('delete');
          if (f) return send(f);
          return send(fake.subs.delete(id) ? [204, ''] : missing);
        }
      }
      send([404, { error: `no route ${req.method} ${path}` }]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
