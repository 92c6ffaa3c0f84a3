import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection, RedisUnavailableError, RespError, redisDedupeStore } from '@hookpack/core';
import { RespParser } from '../src/dedupe/resp.js';
import { freeLoopbackPort, startRedisServer, type RedisServer } from '../../../test/support/redis-server.js';

let redis: RedisServer;
let locked: RedisServer;
const connections: RedisConnection[] = [];
const conn = (options: Partial<ConstructorParameters<typeof RedisConnection>[0]> = {}) => {
  const c = new RedisConnection({ host: '127.0.0.1', port: redis.port, ...options });
  connections.push(c);
  return c;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  redis = await startRedisServer();
  locked = await startRedisServer(['--requirepass', 'right-password']);
});
afterAll(async () => {
  for (const c of connections) c.close();
  await redis?.stop();
  await locked?.stop();
});

describe('redisDedupeStore against a real redis-server', () => {
  it('claims once, blocks copies while claimed, remembers confirmed keys, forgets released ones', async () => {
    const store = redisDedupeStore(conn(), { prefix: `t1:${Date.now()}:`, windowMs: 60_000, claimMs: 60_000 });
    expect(await store.claim('evt_1')).toBe('new');
    expect(await store.claim('evt_1')).toBe('in_progress');
    await store.confirm('evt_1');
    expect(await store.claim('evt_1')).toBe('duplicate');
    expect(await store.claim('evt_2')).toBe('new');
    await store.release('evt_2');
    expect(await store.claim('evt_2')).toBe('new');
    // release never drops a key another copy confirmed
    await store.release('evt_1');
    expect(await store.claim('evt_1')).toBe('duplicate');
  });

  it('an unconfirmed claim expires after claimMs (a process that died never blocks for long); a confirmed key after windowMs', async () => {
    const store = redisDedupeStore(conn(), { prefix: `t2:${Date.now()}:`, windowMs: 150, claimMs: 100 });
    expect(await store.claim('k')).toBe('new');
    await sleep(250);
    expect(await store.claim('k')).toBe('new');
    await store.confirm('k');
    expect(await store.claim('k')).toBe('duplicate');
    await sleep(300);
    expect(await store.claim('k')).toBe('new');
  });

  it('exactly one of 100 concurrent claims of one key from 5 connections wins', async () => {
    const prefix = `t3:${Date.now()}:`;
    const stores = Array.from({ length: 5 }, () =>
      redisDedupeStore(conn(), { prefix, windowMs: 60_000, claimMs: 60_000 }),
    );
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => stores[i % 5]!.claim('same')));
    expect(results.filter((r) => r === 'new')).toHaveLength(1);
    expect(results.filter((r) => r === 'in_progress')).toHaveLength(99);
  });

  it('stores long keys as their SHA-256, so any vendor id fits', async () => {
    const c = conn();
    const prefix = `t4:${Date.now()}:`;
    const store = redisDedupeStore(c, { prefix, windowMs: 60_000, claimMs: 60_000 });
    const long = 'x'.repeat(5000);
    expect(await store.claim(long)).toBe('new');
    const keys = (await c.command(['KEYS', `${prefix}*`])) as string[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}sha256:[0-9a-f]{64}$`));
  });

  it('refuses nonsense options with a message', () => {
    expect(() => redisDedupeStore(conn(), { windowMs: 0, claimMs: 1 })).toThrow(/windowMs/);
    expect(() => redisDedupeStore(conn(), { windowMs: 1, claimMs: 1.5 })).toThrow(/claimMs/);
    expect(() => new RedisConnection({ host: '', port: 1 })).toThrow(/host/);
    expect(() => new RedisConnection({ host: 'h', port: 70_000 })).toThrow(/port/);
    expect(() => new RedisConnection({ host: 'h', port: 1, database: -1 })).toThrow(/database/);
  });
});

describe('RedisConnection failures name the server and what went wrong', () => {
  it('a wrong password, a right one, and a database', async () => {
    const wrong = conn({ port: locked.port, password: 'wrong' });
    await expect(wrong.command(['PING'])).rejects.toThrow(
      new RegExp(`Redis at 127\\.0\\.0\\.1:${locked.port} refused the credentials`),
    );
    const right = conn({ port: locked.port, password: 'right-password', database: 3 });
    expect(await right.command(['PING'])).toBe('PONG');
    await right.command(['SET', 'in-db-3', '1']);
    const db0 = conn({ port: locked.port, password: 'right-password' });
    expect(await db0.command(['GET', 'in-db-3'])).toBeNull();
    const noPassword = conn({ port: locked.port });
    await expect(noPassword.command(['GET', 'x'])).rejects.toBeInstanceOf(RespError);
  });

  it('nothing listening: RedisUnavailableError with ECONNREFUSED and host:port', async () => {
    const port = await freeLoopbackPort();
    const c = conn({ port });
    const error = await c.command(['PING']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toContain(`Redis at 127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('a server that accepts but never answers: fails within the command timeout, then recovers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    const c = conn({ port, commandTimeoutMs: 200 });
    const started = Date.now();
    await expect(c.command(['PING'])).rejects.toThrow(/no reply within 200 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('reconnects after the server went away and came back', async () => {
    const server = await startRedisServer();
    const c = conn({ port: server.port });
    expect(await c.command(['PING'])).toBe('PONG');
    await server.stop();
    await expect(c.command(['PING'])).rejects.toBeInstanceOf(RedisUnavailableError);
    await server.restart();
    expect(await c.command(['PING'])).toBe('PONG');
    await server.stop();
  });
});

describe('RESP parser', () => {
  it('parses replies split at every byte boundary', () => {
    const wire = Buffer.from('+OK\r\n$-1\r\n$5\r\nhello\r\n:42\r\n-ERR nope\r\n*2\r\n$1\r\na\r\n:1\r\n');
    for (let cut = 1; cut < wire.length; cut++) {
      const p = new RespParser();
      const got = [...p.push(wire.subarray(0, cut)), ...p.push(wire.subarray(cut))];
      expect(got.slice(0, 4)).toEqual(['OK', null, 'hello', 42]);
      expect(got[4]).toBeInstanceOf(RespError);
      expect(got[5]).toEqual(['a', 1]);
    }
  });

  it('refuses a malformed stream instead of guessing', () => {
    expect(() => new RespParser().push(Buffer.from('?what\r\n'))).toThrow(/unexpected Redis reply type/);
    expect(() => new RespParser().push(Buffer.from('$99999999\r\n'))).toThrow(/bad bulk length/);
  });
});
