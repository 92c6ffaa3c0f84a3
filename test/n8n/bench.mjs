// npm run bench:n8n — deliveries per second through the hookpack Parley trigger vs. n8n's own
// Webhook node, in the same n8n process, same settings, same load shape; prints the ratio.
// The hookpack side does everything it does in production: signature check on the raw bytes,
// envelope parse, event filter, dedupe window in memory (the default redelivery check). Deliveries are signed up front so
// the vendor's signing cost is not counted.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getVendor } from '@hookpack/providers';
import { deliveryBody, deliveryHeaders, startSandbox } from '@hookpack/sandbox';
import {
  ensureN8n,
  freePort,
  N8nRest,
  startN8n,
  installCommunityPackage,
  packNodesPackage,
} from '@hookpack/playground/n8n';

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = 2;
const TARGET = 0.9;

const vendor = getVendor('parley');
const event = vendor.events[0];
const work = mkdtempSync(join(tmpdir(), 'hookpack-n8n-bench-'));
let n8n;
let sandbox;
try {
  const dir = await ensureN8n();
  const userFolder = join(work, 'user');
  installCommunityPackage(userFolder, packNodesPackage(join(work, 'pack')));
  sandbox = await startSandbox({ timeScale: 0.001, rateLimits: false });
  n8n = await startN8n({ dir, userFolder, port: await freePort(), env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' } });
  const rest = new N8nRest(n8n.url);
  await rest.login();

  const credential = await rest.createCredential('Parley (bench)', 'parleyApi', {
    apiKey: sandbox.apiKey('parley'),
    baseUrl: sandbox.baseUrl('parley'),
    allowHttpWebhookUrl: true,
  });
  const hookpackWebhookId = randomUUID();
  const hookpackWf = await rest.createWorkflow({
    name: 'bench: hookpack Parley Trigger',
    active: false,
    nodes: [
      {
        id: randomUUID(),
        name: 'Parley Trigger',
        type: 'n8n-nodes-hookpack.parleyTrigger',
        typeVersion: 1,
        position: [0, 0],
        webhookId: hookpackWebhookId,
        parameters: { events: [event.type] },
        credentials: { parleyApi: { id: credential.id, name: credential.name } },
      },
    ],
    connections: {},
    settings: {},
  });
  const baselinePath = `bench-${randomUUID()}`;
  const baselineWf = await rest.createWorkflow({
    name: 'bench: n8n Webhook node',
    active: false,
    nodes: [
      {
        id: randomUUID(),
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path: baselinePath, responseMode: 'onReceived', options: {} },
      },
    ],
    connections: {},
    settings: {},
  });
  await rest.activate(hookpackWf.id);
  await rest.activate(baselineWf.id);
  const secret = sandbox.subscriptions('parley')[0].secret;

  const hookpackUrl = `${n8n.url}/webhook/${hookpackWebhookId}/webhook`;
  const baselineUrl = `${n8n.url}/webhook/${baselinePath}`;
  const signed = (n) =>
    Array.from({ length: n }, () => {
      const body = deliveryBody(vendor, {
        id: `evt_${randomUUID()}`,
        type: event.type,
        createdAt: new Date().toISOString(),
        data: event.sample,
        livemode: false,
      });
      return {
        body,
        headers: {
          'content-type': 'application/json',
          ...deliveryHeaders(vendor, { body, type: event.type, secret, deliveryId: randomUUID() }),
        },
      };
    });

  async function run(url, requests) {
    let next = 0;
    let failures = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const r = requests[next++];
          const res = await fetch(url, { method: 'POST', body: r.body, headers: r.headers });
          await res.arrayBuffer();
          if (res.status !== 200) failures++;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (failures) throw new Error(`${failures} of ${requests.length} deliveries to ${url} were not answered 200`);
    return requests.length / seconds;
  }

  // Warm both paths (JIT, DB caches) before measuring.
  await run(hookpackUrl, signed(50));
  await run(baselineUrl, signed(50));
  const results = { hookpack: [], baseline: [] };
  for (let round = 0; round < ROUNDS; round++) {
    results.hookpack.push(await run(hookpackUrl, signed(DELIVERIES)));
    results.baseline.push(await run(baselineUrl, signed(DELIVERIES)));
  }
  const best = (xs) => Math.max(...xs);
  const ratio = best(results.hookpack) / best(results.baseline);
  console.log(`n8n bench (${DELIVERIES} deliveries × ${ROUNDS} rounds, concurrency ${CONCURRENCY}, best round):`);
  console.log(
    `  hookpack Parley Trigger (verify + parse + dedupe): ${best(results.hookpack).toFixed(1)} deliveries/s  [${results.hookpack.map((x) => x.toFixed(1)).join(', ')}]`,
  );
  console.log(
    `  n8n Webhook node (no verification)               : ${best(results.baseline).toFixed(1)} deliveries/s  [${results.baseline.map((x) => x.toFixed(1)).join(', ')}]`,
  );
  console.log(
    `  ratio hookpack / Webhook node: ${ratio.toFixed(2)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`,
  );
} finally {
  await n8n?.stop();
  await sandbox?.stop();
  rmSync(work, { recursive: true, force: true });
}
