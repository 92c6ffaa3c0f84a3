// Part of npm run bench:n8n — the trigger's own memory per 10,000 deliveries: the bundled
// n8n-nodes-hookpack webhook() (exactly what n8n loads) called in this process with the members
// of n8n's webhook context it uses, heap measured after a full GC before and after. Baseline,
// like for like: the same loop with a handler that only parses the JSON body. Run with --expose-gc.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { getVendor } from '@hookpack/providers';
import { repoRoot } from '@hookpack/playground/n8n';
import { signedDelivery } from './bench-parts.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const DELIVERIES = Number(process.env.BENCH_MEMORY_DELIVERIES ?? 10_000);
const require = createRequire(import.meta.url);
const pkg = require(join(repoRoot, 'packages', 'n8n-nodes-hookpack', 'dist', 'index.js'));
const vendor = getVendor('parley');
const event = vendor.events[0];
const SECRET = 'whsec_bench_memory';
const node = new (pkg.triggerNodeFor(vendor.id))();
const staticData = { subscriptions: { production: { id: 'wh_1', url: 'u', events: [event.type], secret: SECRET } } };

function context(body, headers) {
  const response = { status: () => response, json: () => response, end: () => response, setHeader: () => response };
  return {
    getRequestObject: () => ({ rawBody: body }),
    getResponseObject: () => response,
    getHeaderData: () => headers,
    getCredentials: async () => ({}),
    getNodeParameter: (name, fallback) => (name === 'events' ? [event.type] : fallback),
    getWorkflowStaticData: () => staticData,
    getWorkflow: () => ({ id: 'wf-bench', active: true }),
    getNode: () => ({ id: 'node-bench', name: 'Parley Trigger' }),
    getMode: () => 'webhook',
    logger: { info() {}, warn() {}, error() {}, debug() {} },
    helpers: { returnJsonArray: (items) => items.map((json) => ({ json })) },
  };
}

const delivery = () => signedDelivery(vendor, event, SECRET);

async function measure(handler) {
  // Warm up (JIT, the first 500 keys fill the window), then measure the steady state.
  for (let i = 0; i < 1000; i++) {
    const d = delivery();
    await handler.call(context(d.body, d.headers));
  }
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  let ran = 0;
  for (let i = 0; i < DELIVERIES; i++) {
    const d = delivery();
    const result = await handler.call(context(d.body, d.headers));
    if (result.workflowData) ran++;
  }
  globalThis.gc();
  return { growthKiB: (process.memoryUsage().heapUsed - before) / 1024, ran };
}

const trigger = await measure(node.webhook);
const baseline = await measure(async function () {
  const data = JSON.parse(this.getRequestObject().rawBody.toString('utf8'));
  return { workflowData: [this.helpers.returnJsonArray([data])] };
});
if (trigger.ran !== DELIVERIES) throw new Error(`only ${trigger.ran} of ${DELIVERIES} deliveries were accepted`);
console.log(`n8n trigger memory (${DELIVERIES} deliveries, in-memory redelivery window of 500 keys, heap after GC):`);
console.log(`  hookpack webhook(): ${trigger.growthKiB.toFixed(0)} KiB growth`);
console.log(`  JSON-parse-only handler (baseline): ${baseline.growthKiB.toFixed(0)} KiB growth`);
