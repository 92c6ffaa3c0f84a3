// n8n in queue mode on loopback, as users scale it out: Postgres and Redis shared by a main
// process (editor, activation), one worker (executions) and two webhook processes (production
// webhook requests) behind HAProxy. All of them use one user folder, so the packed
// n8n-nodes-hookpack is installed once, as a community package, the way the e2e installs it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingServices, SERVICES_INSTALL_COMMAND } from './service-binaries.mjs';
import { startHaproxy } from './haproxy-lb.mjs';
import { freePort, N8nRest, startN8n } from './n8n-instance.mjs';
import { installCommunityPackage } from './package-install.mjs';
import { startPostgres } from './postgres-cluster.mjs';
import { startRedis } from './redis-instance.mjs';

const WEBHOOK_LOG_LINE = /Received webhook "POST" for path "([^"]+)"/g;

/**
 * Starts the whole setup; resolves with its parts. `stop()` ends every process and removes
 * every temp dir; a failure while starting stops what was already started.
 */
export async function startQueueMode({
  n8nDir,
  tarball,
  moreTarballs = [],
  webhookProcesses = 2,
  readyTimeoutMs = 180_000,
}) {
  const missing = missingServices();
  if (missing.length) {
    throw new Error(
      `queue mode needs ${missing.join(', ')} (Debian packages): run ${SERVICES_INSTALL_COMMAND} as root`,
    );
  }
  const workDir = mkdtempSync(join(tmpdir(), 'hookpack-queue-'));
  const started = [];
  const setup = { workDir, webhooks: [] };
  const stop = async () => {
    const errors = [];
    // Load balancer and n8n first (they hold connections to the databases), then the databases.
    for (const part of started.reverse()) {
      try {
        await part.stop();
      } catch (e) {
        errors.push(`${part.label}: ${e.message}`);
      }
    }
    started.length = 0;
    rmSync(workDir, { recursive: true, force: true });
    if (errors.length) throw new Error(`queue-mode stop: ${errors.join('; ')}`);
  };
  const track = (label, part) => {
    started.push({ label, stop: () => part.stop() });
    return part;
  };
  try {
    const userFolder = join(workDir, 'user');
    const logDir = join(workDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    installCommunityPackage(userFolder, tarball, ...moreTarballs);
    const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    track('postgres', postgres);
    track('redis', redis);
    const lbPort = await freePort();
    const lbUrl = `http://127.0.0.1:${lbPort}`;
    const common = {
      EXECUTIONS_MODE: 'queue',
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: postgres.host,
      DB_POSTGRESDB_PORT: String(postgres.port),
      DB_POSTGRESDB_DATABASE: postgres.database,
      DB_POSTGRESDB_USER: postgres.user,
      DB_POSTGRESDB_PASSWORD: '',
      DB_POSTGRESDB_POOL_SIZE: '10',
      QUEUE_BULL_REDIS_HOST: redis.host,
      QUEUE_BULL_REDIS_PORT: String(redis.port),
      // The URL n8n registers at the vendor is the load balancer's, for every process.
      WEBHOOK_URL: `${lbUrl}/`,
      N8N_WEBHOOK_URL: `${lbUrl}/`,
      // Production webhooks go to the webhook processes only, as in a scaled-out setup.
      N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
      N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
    };
    /** One n8n process of the setup: its own ports, task-runner broker port and event log file. */
    const processEnv = async (name, extra = {}) => ({
      ...common,
      N8N_RUNNERS_BROKER_PORT: String(await freePort()),
      N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: join(logDir, `${name}-events.log`),
      ...extra,
    });

    const mainPort = await freePort();
    const mainEnv = await processEnv('main');
    const startMain = () =>
      startN8n({
        dir: n8nDir,
        userFolder,
        port: mainPort,
        env: mainEnv,
        readyTimeoutMs,
        logFile: join(logDir, 'main.log'),
      });
    // Main first: it runs the database migrations the other processes expect.
    let main = await startMain();
    started.push({ label: 'n8n main', stop: () => main.stop() });

    const workerPort = await freePort();
    const workerStart = processEnv('worker', {
      QUEUE_HEALTH_CHECK_ACTIVE: 'true',
      QUEUE_HEALTH_CHECK_PORT: String(workerPort),
      N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
    }).then((env) =>
      startN8n({
        dir: n8nDir,
        userFolder,
        port: workerPort,
        env,
        command: 'worker',
        readyUrl: `http://127.0.0.1:${workerPort}/healthz/readiness`,
        readyTimeoutMs,
        logFile: join(logDir, 'worker.log'),
      }),
    );
    const webhookStarts = [];
    for (let i = 1; i <= webhookProcesses; i++) {
      const name = `webhook${i}`;
      const port = await freePort();
      const logFile = join(logDir, `${name}.log`);
      // Debug level: the webhook process logs each request it receives, which is how the test
      // counts deliveries per process.
      const env = await processEnv(name, { N8N_LOG_LEVEL: 'debug' });
      webhookStarts.push(
        startN8n({
          dir: n8nDir,
          userFolder,
          port,
          env,
          command: 'webhook',
          readyUrl: `http://127.0.0.1:${port}/healthz/readiness`,
          readyTimeoutMs,
          logFile,
        }).then((handle) => ({ name, url: handle.url, port, logFile, handle })),
      );
    }
    const results = await Promise.allSettled([workerStart, ...webhookStarts]);
    for (const r of results) {
      if (r.status !== 'fulfilled') continue;
      const part = r.value.handle ?? r.value;
      started.push({ label: `n8n ${part.command}`, stop: () => part.stop() });
    }
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const worker = results[0].value;
    const webhooks = results.slice(1).map((r) => r.value);
    const lb = track('haproxy', await startHaproxy({ port: lbPort, servers: webhooks }));

    const rest = new N8nRest(main.url);
    await rest.login();
    Object.assign(setup, {
      postgres,
      redis,
      lb,
      lbUrl,
      worker,
      webhooks,
      rest,
      userFolder,
      get main() {
        return main;
      },
      /** Stops main (SIGTERM, like a deploy) and starts it again; resolves with a logged-in REST client. */
      async restartMain() {
        await main.stop();
        main = await startMain();
        setup.rest = new N8nRest(main.url);
        await setup.rest.login();
        return setup.rest;
      },
      /** Requests each webhook process logged for `webhookId` ("Received webhook"), by process name. */
      receivedCounts(webhookId) {
        return Object.fromEntries(
          webhooks.map((w) => {
            let text = '';
            try {
              text = readFileSync(w.logFile, 'utf8');
            } catch {
              // no log yet
            }
            const count = [...text.matchAll(WEBHOOK_LOG_LINE)].filter((m) => m[1].startsWith(`${webhookId}/`)).length;
            return [w.name, count];
          }),
        );
      },
      /** Executions the worker logged as started, by execution id. */
      workerExecutionIds() {
        const text = readFileSync(join(logDir, 'worker.log'), 'utf8');
        return [...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
      },
      stop,
    });
    return setup;
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}
