// A throwaway redis-server on a free loopback port: no persistence (the queue and any dedupe
// keys live for one test run), its working dir a temp dir removed on stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, SERVICES_INSTALL_COMMAND } from './service-binaries.mjs';
import { startLocalServer } from './local-server.mjs';
import { freePort } from './n8n-instance.mjs';

/** True once the server answers PING with PONG (raw RESP, so no client library is needed). */
export function redisPing(host, port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export async function startRedis({ readyTimeoutMs = 30_000 } = {}) {
  const bin = findBinary('redis-server');
  if (!bin) throw new Error(`redis-server is not installed: run ${SERVICES_INSTALL_COMMAND}`);
  const dir = mkdtempSync(join(tmpdir(), 'hookpack-redis-'));
  const port = await freePort();
  const host = '127.0.0.1';
  try {
    const server = await startLocalServer({
      label: 'redis-server',
      cmd: bin,
      args: [
        '--port',
        String(port),
        '--bind',
        host,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--daemonize',
        'no',
      ],
      cwd: dir,
      readyTimeoutMs,
      ready: () => redisPing(host, port),
    });
    return {
      host,
      port,
      password: '',
      database: 0,
      log: server.log,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
