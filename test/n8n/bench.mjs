// npm run bench:n8n — deliveries per second through the hookpack Parley trigger (redelivery
// check in memory, and in Redis) vs. n8n's own Webhook node, in the same n8n process, same
// settings, same load shape; prints the ratios. (Memory per delivery: bench-memory.mjs.)
// The hookpack side does everything it does in production: signature check on the raw bytes,
// envelope parse, event filter, dedupe window in memory (the default redelivery check). Deliveries are signed up front so
// the vendor's signing cost is not counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getVendor } from '@hookpack/providers';
import { startSandbox } from '@hookpack/sandbox';
import {
  ensureN8n,
  freePort,
  N8nRest,
  startN8n,
  installCommunityPackage,
  packNodesPackage,
} from '@hookpack/playground/n8n';
import { startRedisServer } from '../support/redis-server.ts';
import { deliveriesPerSecond, hookpackTriggerWorkflow, n8nWebhookWorkflow, signedDelivery } from './bench-parts.mjs';

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = 2;
const TARGET = 0.9;

const vendor = getVendor('parley');
const event = vendor.events[0];
const work = mkdtempSync(join(tmpdir(), 'hookpack-n8n-bench-'));
let n8n;
let sandbox;
let redis;
try {
  const dir = await ensureN8n();
  const userFolder = join(work, 'user');
  installCommunityPackage(userFolder, packNodesPackage(join(work, 'pack')));
  sandbox = await startSandbox({ timeScale: 0.001, rateLimits: false });
  n8n = await startN8n({ dir, userFolder, port: await freePort(), env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' } });
  const rest = new N8nRest(n8n.url);
  await rest.login();

  const credential = await rest.createCredential('Parley (bench)', 'hookpackParleyApi', {
    apiKey: sandbox.apiKey('parley'),
    baseUrl: sandbox.baseUrl('parley'),
    allowHttpWebhookUrl: true,
  });
  redis = await startRedisServer();
  const redisCredential = await rest.createCredential('Redelivery check (bench)', 'hookpackRedis', {
    host: '127.0.0.1',
    port: redis.port,
    database: 0,
  });
  const common = { baseUrl: n8n.url, vendor, event, credential };
  const hookpack = await hookpackTriggerWorkflow(rest, { ...common, name: 'bench: hookpack Parley Trigger' });
  const hookpackRedis = await hookpackTriggerWorkflow(rest, {
    ...common,
    name: 'bench: hookpack Parley Trigger (Redis)',
    parameters: { dedupeStore: 'redis' },
    extraCredentials: { hookpackRedis: { id: redisCredential.id, name: redisCredential.name } },
  });
  const baseline = await n8nWebhookWorkflow(rest, { baseUrl: n8n.url, name: 'bench: n8n Webhook node' });
  await rest.activate(hookpack.wf.id);
  await rest.activate(hookpackRedis.wf.id);
  await rest.activate(baseline.wf.id);
  for (let i = 0; i < 120 && sandbox.subscriptions('parley').length < 2; i++)
    await new Promise((r) => setTimeout(r, 250));
  const secretFor = (url) => sandbox.subscriptions('parley').find((s) => s.url === url).secret;

  const baselineUrl = baseline.url;
  const signed = (n, url) =>
    Array.from({ length: n }, () => signedDelivery(vendor, event, url === baselineUrl ? 'unused' : secretFor(url)));
  const run = (url, requests) => deliveriesPerSecond(url, requests, CONCURRENCY);

  const paths = {
    'hookpack Parley Trigger (verify + parse + dedupe in memory)': hookpack.url,
    'hookpack Parley Trigger (verify + parse + dedupe in Redis) ': hookpackRedis.url,
    'n8n Webhook node (no verification)                         ': baselineUrl,
  };
  // Warm every path (JIT, DB caches, the Redis connection) before measuring.
  for (const url of Object.values(paths)) await run(url, signed(50, url));
  const results = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url] of Object.entries(paths)) results[name].push(await run(url, signed(DELIVERIES, url)));
  }
  const best = (xs) => Math.max(...xs);
  const baselineBest = best(results[Object.keys(paths)[2]]);
  console.log(`n8n bench (${DELIVERIES} deliveries × ${ROUNDS} rounds, concurrency ${CONCURRENCY}, best round):`);
  for (const [name, xs] of Object.entries(results)) {
    const ratio = best(xs) / baselineBest;
    const verdict =
      xs === results[Object.keys(paths)[2]]
        ? ''
        : `  ratio ${ratio.toFixed(2)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`;
    console.log(
      `  ${name}: ${best(xs).toFixed(1)} deliveries/s  [${xs.map((x) => x.toFixed(1)).join(', ')}]${verdict}`,
    );
  }
} finally {
  await n8n?.stop();
  await sandbox?.stop();
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
}
