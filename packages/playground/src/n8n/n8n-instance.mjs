// Starts a real n8n on 127.0.0.1 with a given user folder, and talks to it the way its editor
// does (owner cookie + internal REST API): credentials, workflows, activation, executions.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { n8nBin } from './install-n8n.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns `n8n start` (or, in queue mode, `n8n worker` / `n8n webhook`). Resolves once it is
 * ready: for `start` /healthz/readiness and the editor's REST API on `port`; for the others
 * `readyUrl` (a webhook process's port, a worker's health port). The returned handle keeps the
 * log tail for error messages, and `logFile` (if given) gets the whole log.
 */
export async function startN8n({
  dir,
  userFolder,
  port,
  env = {},
  readyTimeoutMs = 180_000,
  command = 'start',
  readyUrl,
  logFile,
}) {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [n8nBin(dir), command], {
    cwd: userFolder,
    env: {
      // Not the test runner's env: n8n treats NODE_ENV=test (set by vitest) as its own unit tests.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV')),
      NODE_ENV: 'production',
      N8N_USER_FOLDER: userFolder,
      N8N_PORT: String(port),
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      N8N_HOST: '127.0.0.1',
      N8N_PROTOCOL: 'http',
      WEBHOOK_URL: `${url}/`, // n8n 1.x
      N8N_WEBHOOK_URL: `${url}/`, // n8n 2.x
      N8N_EDITOR_BASE_URL: `${url}/`,
      N8N_ENCRYPTION_KEY: 'hookpack-e2e-encryption-key',
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      N8N_TEMPLATES_ENABLED: 'false',
      ...offlineModules(dir),
      N8N_PERSONALIZATION_ENABLED: 'false',
      N8N_RUNNERS_ENABLED: 'false',
      N8N_EXPRESSION_ENGINE: 'legacy',
      N8N_SECURE_COOKIE: 'false',
      N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
      N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
      DB_SQLITE_POOL_SIZE: '2',
      EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
      N8N_LOG_LEVEL: 'info',
      N8N_LOG_OUTPUT: 'console',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const file = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const keep = (c) => {
    log = (log + c.toString()).slice(-20_000);
    file?.write(c);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = signal ?? `exit ${code}`;
      file?.end();
      resolve();
    }),
  );
  const handle = {
    url,
    port,
    command,
    child,
    log: () => log,
    exited: () => exited,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exitPromise;
      clearTimeout(killer);
    },
    /** kill -9: no shutdown of any kind, as when a machine dies. */
    async kill() {
      if (exited) return;
      child.kill('SIGKILL');
      await exitPromise;
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`n8n ${command} exited during startup (${exited}):\n${log.slice(-4000)}`);
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`n8n ${command} did not become ready within ${readyTimeoutMs / 1000}s:\n${log.slice(-4000)}`);
    }
    try {
      if (readyUrl) {
        if ((await fetch(readyUrl, { signal: AbortSignal.timeout(5000) })).ok) return handle;
      } else {
        const health = await fetch(`${url}/healthz/readiness`);
        const settings = await fetch(`${url}/rest/settings`);
        if (health.ok && settings.ok) return handle;
      }
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
}

/** The editor's REST API, logged in as the instance owner (set up on first use). */
/**
 * n8n 2.x's MCP registry module fetches https://api.n8n.io at startup and on a timer: turned
 * off, so tests and the playground talk to loopback only. Only where the installed n8n knows the
 * module (an unknown name in N8N_DISABLED_MODULES stops n8n from starting).
 */
function offlineModules(dir) {
  let known = '';
  try {
    known = readFileSync(
      join(dir, 'node_modules', '@n8n', 'backend-common', 'dist', 'modules', 'modules.config.js'),
      'utf8',
    );
  } catch {
    return {};
  }
  return known.includes("'mcp-registry'") ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {};
}

export class N8nRest {
  constructor(url) {
    this.url = url;
    this.cookie = '';
  }

  async request(method, path, body) {
    const res = await fetch(`${this.url}/rest${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    if (!res.ok) throw new Error(`n8n ${method} /rest${path} → ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text).data : undefined;
  }

  static OWNER = { email: 'owner@hookpack.test', firstName: 'Hook', lastName: 'Pack', password: 'Hookpack-e2e-1' };

  async login() {
    try {
      await this.request('POST', '/owner/setup', N8nRest.OWNER);
    } catch (e) {
      if (!/already setup|400/.test(e.message)) throw e;
      await this.request('POST', '/login', {
        emailOrLdapLoginId: N8nRest.OWNER.email,
        password: N8nRest.OWNER.password,
      });
    }
  }

  createCredential(name, type, data) {
    return this.request('POST', '/credentials', { name, type, data });
  }

  createWorkflow(workflow) {
    return this.request('POST', '/workflows', workflow);
  }

  getWorkflow(id) {
    return this.request('GET', `/workflows/${id}`);
  }

  async activate(id) {
    const wf = await this.getWorkflow(id);
    return this.request('POST', `/workflows/${id}/activate`, { versionId: wf.versionId });
  }

  deactivate(id) {
    return this.request('POST', `/workflows/${id}/deactivate`, {});
  }

  /**
   * What the editor's "Listen for test event" / "Test workflow" button sends in n8n 1.123:
   * POST /rest/workflows/:id/run with the workflow and the trigger to start from. For a
   * webhook trigger without pinned data n8n registers the test webhook and answers
   * `{ waitingForWebhook: true }`; the run starts when the /webhook-test/ URL is called.
   */
  async runManually(id, triggerNodeName) {
    const workflowData = await this.getWorkflow(id);
    return this.request('POST', `/workflows/${id}/run`, {
      workflowData,
      triggerToStartFrom: { name: triggerNodeName },
    });
  }

  /** The editor's "stop listening": removes the workflow's test webhooks; true if there were any. */
  stopTestWebhook(workflowId) {
    return this.request('DELETE', `/test-webhook/${workflowId}`);
  }

  async executions(workflowId) {
    const filter = encodeURIComponent(JSON.stringify({ workflowId }));
    const data = await this.request('GET', `/executions?filter=${filter}&limit=100`);
    return data.results;
  }

  async executionData(id) {
    return this.request('GET', `/executions/${id}`);
  }
}
