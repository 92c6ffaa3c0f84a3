// HAProxy on loopback, round-robin over n8n's webhook processes, the way a queue-mode setup
// puts a load balancer in front of them: health checks on /healthz take a dead process out,
// a refused connection is retried on the other server. Each answer names the server that gave
// it (X-Hookpack-Backend), and the stats page counts requests and answers per server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, SERVICES_INSTALL_COMMAND } from './service-binaries.mjs';
import { startLocalServer } from './local-server.mjs';
import { freePort } from './n8n-instance.mjs';

export const BACKEND_HEADER = 'x-hookpack-backend';

function config({ port, statsPort, servers }) {
  return `global
  maxconn 4000

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # a connection refused by a dead process is retried, and the retry goes to another server
  retries 2
  option redispatch 1

frontend webhooks
  bind 127.0.0.1:${port}
  default_backend n8n_webhook

backend n8n_webhook
  balance roundrobin
  option httpchk GET /healthz
  default-server inter 500ms fall 2 rise 2
  http-response set-header X-Hookpack-Backend %s
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`).join('\n')}

frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
}

/** Starts HAProxy on `port` (default: a free one) in front of `servers` [{name, port}]; resolves once every server is UP. */
export async function startHaproxy({ servers, port: wantedPort, readyTimeoutMs = 30_000 }) {
  const bin = findBinary('haproxy');
  if (!bin) throw new Error(`haproxy is not installed: run ${SERVICES_INSTALL_COMMAND}`);
  const dir = mkdtempSync(join(tmpdir(), 'hookpack-haproxy-'));
  const port = wantedPort ?? (await freePort());
  const statsPort = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, config({ port, statsPort, servers }));
  const statsUrl = `http://127.0.0.1:${statsPort}/stats;csv`;

  /** Per server: state (UP/DOWN), requests sent to it (stot) and 2xx/4xx/5xx answers. */
  async function stats() {
    const csv = await (await fetch(statsUrl, { signal: AbortSignal.timeout(5000) })).text();
    const [header, ...rows] = csv.trim().split('\n');
    const cols = header.replace(/^# /, '').split(',');
    const result = {};
    for (const row of rows) {
      const v = Object.fromEntries(row.split(',').map((x, i) => [cols[i], x]));
      if (v.pxname !== 'n8n_webhook' || v.svname === 'BACKEND') continue;
      result[v.svname] = {
        status: v.status,
        requests: Number(v.stot),
        '2xx': Number(v.hrsp_2xx),
        '4xx': Number(v.hrsp_4xx),
        '5xx': Number(v.hrsp_5xx),
      };
    }
    return result;
  }

  try {
    const server = await startLocalServer({
      label: 'haproxy',
      cmd: bin,
      args: ['-db', '-f', cfg],
      cwd: dir,
      readyTimeoutMs,
      ready: async () => {
        const s = await stats();
        return servers.every((x) => s[x.name]?.status === 'UP');
      },
    });
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      statsUrl,
      stats,
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
