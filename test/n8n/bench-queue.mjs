// The queue-mode row of npm run bench:n8n: deliveries per second through HAProxy and two
// `n8n webhook` processes (n8n 2.x, Postgres, Redis, one worker), the hookpack Parley trigger
// with the Redis redelivery check (what queue mode needs) vs. n8n's own Webhook node in the same
// setup, same load shape, measured in one run; prints the ratio. n8n 2.x needs Node 24: on an
// older Node this script runs itself again on the cached Node 24.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureN8n, ensureNode24, packNodesPackage, startQueueMode } from '@hookpack/playground/n8n';

if (Number(process.versions.node.split('.')[0]) < 24) {
  const again = spawnSync(ensureNode24(), [fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

const { getVendor } = await import('@hookpack/providers');
const { startSandbox } = await import('@hookpack/sandbox');
const { deliveriesPerSecond, hookpackTriggerWorkflow, n8nWebhookWorkflow, signedDelivery } =
  await import('./bench-parts.mjs');

const N8N_VERSION = process.env.HOOKPACK_N8N2_VERSION ?? '2.41.0';
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = 2;
const TARGET = 0.9;

const vendor = getVendor('parley');
const event = vendor.events[0];
const work = mkdtempSync(join(tmpdir(), 'hookpack-queue-bench-'));
let queue;
let sandbox;
try {
  queue = await startQueueMode({ n8nDir: await ensureN8n(N8N_VERSION), tarball: packNodesPackage(join(work, 'pack')) });
  const { rest, lbUrl } = queue;
  sandbox = await startSandbox({ timeScale: 0.001, rateLimits: false });
  const credential = await rest.createCredential('Parley (queue bench)', 'hookpackParleyApi', {
    apiKey: sandbox.apiKey('parley'),
    baseUrl: sandbox.baseUrl('parley'),
    allowHttpWebhookUrl: true,
  });
  const redisCredential = await rest.createCredential('Redelivery check (queue bench)', 'hookpackRedis', {
    host: queue.redis.host,
    port: queue.redis.port,
    database: queue.redis.database,
  });
  const common = { baseUrl: lbUrl, vendor, event, credential };
  const hookpack = await hookpackTriggerWorkflow(rest, {
    ...common,
    name: 'queue bench: hookpack Parley Trigger (Redis)',
    parameters: { dedupeStore: 'redis' },
    extraCredentials: { hookpackRedis: { id: redisCredential.id, name: redisCredential.name } },
  });
  // Not safe in queue mode (each process remembers its own deliveries): shows what the Redis check costs.
  const hookpackMemory = await hookpackTriggerWorkflow(rest, {
    ...common,
    name: 'queue bench: hookpack Parley Trigger (memory)',
  });
  const baseline = await n8nWebhookWorkflow(rest, { baseUrl: lbUrl, name: 'queue bench: n8n Webhook node' });
  await rest.activate(hookpack.wf.id);
  await rest.activate(hookpackMemory.wf.id);
  await rest.activate(baseline.wf.id);
  const baselineUrl = baseline.url;
  const secretOf = (url) => sandbox.subscriptions('parley').find((s) => s.url === url)?.secret;
  for (let i = 0; i < 240 && !(secretOf(hookpack.url) && secretOf(hookpackMemory.url)); i++)
    await new Promise((r) => setTimeout(r, 250));
  if (!secretOf(hookpack.url) || !secretOf(hookpackMemory.url))
    throw new Error('the hookpack triggers did not register their subscriptions in queue mode');

  /** Waits (bounded) until the worker has started no new execution for 2 s: each run starts on an idle worker. */
  async function workerIdle() {
    let last = -1;
    for (let i = 0; i < 60; i++) {
      const now = queue.workerExecutionIds().length;
      if (now === last) return;
      last = now;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }

  const signed = (n, url) =>
    Array.from({ length: n }, () => signedDelivery(vendor, event, url === baselineUrl ? 'unused' : secretOf(url)));
  const run = (url, requests) => deliveriesPerSecond(url, requests, CONCURRENCY);

  const paths = {
    'hookpack Parley Trigger (verify + parse + dedupe in Redis) ': hookpack.url,
    'hookpack Parley Trigger (dedupe in memory: cost of Redis)  ': hookpackMemory.url,
    'n8n Webhook node (no verification)                         ': baselineUrl,
  };
  const [hookpackName, memoryName, baselineName] = Object.keys(paths);
  // Warm every path (JIT, webhook caches, the Redis connection of each webhook process).
  for (const url of Object.values(paths)) await run(url, signed(50, url));
  const results = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order, and start each run on an idle worker: no path pays for another's backlog.
    const order = round % 2 === 0 ? Object.entries(paths) : Object.entries(paths).reverse();
    for (const [name, url] of order) {
      await workerIdle();
      results[name].push(await run(url, signed(DELIVERIES, url)));
    }
  }
  const best = (xs) => Math.max(...xs);
  const ratio = best(results[hookpackName]) / best(results[baselineName]);
  console.log(
    `n8n ${N8N_VERSION} queue mode (HAProxy → 2 webhook processes, 1 worker; ${DELIVERIES} deliveries × ${ROUNDS} rounds, concurrency ${CONCURRENCY}, best round):`,
  );
  for (const [name, xs] of Object.entries(results)) {
    const own = best(xs) / best(results[baselineName]);
    const verdict =
      name === hookpackName
        ? `  ratio ${ratio.toFixed(2)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`
        : name === memoryName
          ? `  ratio ${own.toFixed(2)}`
          : '';
    console.log(
      `  ${name}: ${best(xs).toFixed(1)} deliveries/s  [${xs.map((x) => x.toFixed(1)).join(', ')}]${verdict}`,
    );
  }
} finally {
  await sandbox?.stop();
  await queue?.stop();
  rmSync(work, { recursive: true, force: true });
}
