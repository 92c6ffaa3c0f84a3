// npm run bench: verify throughput of every @hookpack/core scheme at 1 KiB and 64 KiB, each
// as a ratio to that scheme's floor — the shortest correct node:crypto verifier of the same
// scheme (floors.mjs) — measured interleaved in one run; next to it the seed vendors' own doc
// samples (vendor-snippets.mjs, with what they get wrong: probes.mjs) and the reference
// libraries; then heap growth over 10^6 verifies. Target: hookpack ≥ 1.0 × its scheme floor.
//
// Env: BENCH_ROUNDS (default 31), BENCH_SLICE_MS (default 40), BENCH_MEMORY_N (default 10^6),
// BENCH_STRICT=1 → exit 1 when a hookpack row is below target or the heap grows (off by
// default: a shared machine is noisy).
import { createSecretKey, randomBytes } from 'node:crypto';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { hmacHexScheme, standardWebhooksScheme, timestampedScheme } from '../src/signature/index.ts';
import { plainHexFloor, prefixedHexFloor, standardWebhooksFloor, timestampedFloor } from './floors.mjs';
import { measureGroup } from './measure.mjs';
import { heapGrowth } from './memory.mjs';
import { probe, request, signers } from './probes.mjs';
import { vendorSnippets } from './vendor-snippets.mjs';

const TARGET = 1.0;
const HEAP_GROWTH_LIMIT = 1 << 20; // "flat": less than 1 MiB left after 10^6 verifies
// Wall-clock budget per body size: the whole run ends within a few minutes even on a busy machine.
const WALL_BUDGET_MS = 60_000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 31);
const sliceMs = Number(process.env.BENCH_SLICE_MS ?? 40);
const memoryCount = Number(process.env.BENCH_MEMORY_N ?? 1_000_000);
const SIZES = [
  { label: '1 KiB', bytes: 1024 },
  { label: '64 KiB', bytes: 64 * 1024 },
];

// One secret that every scheme accepts: a whsec_<base64> string. The hex and timestamped
// schemes use the whole string as the key (as their vendors do); Standard Webhooks decodes it.
const secret = `whsec_${randomBytes(24).toString('base64')}`;

const SCHEMES = [
  {
    name: 'prefixed hex',
    header: 'x-hub-signature-256',
    hookpack: hmacHexScheme({ header: 'X-Hub-Signature-256', prefix: 'sha256=' }),
    floor: prefixedHexFloor('x-hub-signature-256'),
  },
  {
    name: 'plain hex',
    header: 'x-parseflow-signature',
    hookpack: hmacHexScheme({ header: 'X-ParseFlow-Signature', prefix: '' }),
    floor: plainHexFloor('x-parseflow-signature'),
  },
  {
    name: 'timestamped',
    header: 'x-parlay-signature',
    hookpack: timestampedScheme({ header: 'X-Parlay-Signature' }),
    floor: timestampedFloor('x-parlay-signature'),
  },
  {
    name: 'standard webhooks',
    header: 'webhook-signature',
    hookpack: standardWebhooksScheme(),
    floor: standardWebhooksFloor(),
    keyOnce: standardWebhooksFloor({ keyPrepared: true }),
  },
];

/** A compact JSON body of exactly `size` bytes (standardwebhooks' verify parses JSON; ParseFlow's sample re-serializes it). */
function jsonBody(size) {
  const head = '{"type":"bench.event","data":"';
  const tail = '"}';
  const filler = randomBytes(size)
    .toString('base64')
    .slice(0, size - head.length - tail.length);
  const body = Buffer.from(head + filler + tail, 'utf8');
  if (body.length !== size) throw new Error(`body is ${body.length} bytes, wanted ${size}`);
  return body;
}

/** The key a hand-written verifier could prepare once instead of per call. */
function preparedKey(scheme) {
  return scheme === 'standard webhooks'
    ? createSecretKey(Buffer.from(secret.slice(6), 'base64'))
    : createSecretKey(Buffer.from(secret, 'utf8'));
}

function mustVerify(name, check) {
  if (!check()) throw new Error(`${name}: setup does not verify`);
  return () => {
    if (!check()) throw new Error(`${name} stopped verifying`);
  };
}

/** Every case of one body size: per scheme its floor first, the others' ratios taken against it. */
function casesFor(size) {
  const body = jsonBody(size);
  const t = Math.floor(Date.now() / 1000); // the run lasts far less than the 300 s tolerance
  const cases = [];
  for (const s of SCHEMES) {
    const headers = signers[s.name](s.header, body, secret, { t });
    const floorIndex = cases.length;
    const add = (kind, name, fn, extra = {}) =>
      cases.push({ scheme: s.name, kind, name, baseline: floorIndex, fn, ...extra });
    add(
      'floor',
      'floor: shortest correct node:crypto',
      mustVerify('floor', () => s.floor(headers, body, secret)),
    );
    const input = { body, headers, secret };
    add(
      'hookpack',
      'hookpack',
      mustVerify('hookpack', () => s.hookpack.verify(input).ok),
    );
    const key = preparedKey(s.name);
    const keyOnce = s.keyOnce ?? s.floor;
    add(
      'info',
      'floor, key prepared once',
      mustVerify('floor, key once', () => keyOnce(headers, body, key)),
    );
    for (const v of vendorSnippets.filter((x) => x.scheme === s.name)) {
      const req = request(signers[s.name](v.header, body, secret, { t }), body);
      add(
        'vendor',
        `${v.vendor} doc sample`,
        mustVerify(v.vendor, () => v.verify(req, secret)),
        { vendor: v },
      );
    }
    if (s.name === 'prefixed hex') {
      const text = body.toString('utf8');
      const sig = headers[s.header];
      add(
        'library',
        '@octokit/webhooks-methods verify',
        async () => {
          if (!(await octokitVerify(secret, text, sig))) throw new Error('octokit mismatch');
        },
        { async: true },
      );
    }
    if (s.name === 'timestamped') {
      const stripe = Stripe.webhooks.signature;
      const header = headers[s.header];
      add('library', 'stripe signature.verifyHeader', () => stripe.verifyHeader(body, header, secret, 300));
    }
    if (s.name === 'standard webhooks') {
      const lib = new StandardWebhook(secret);
      add('library', 'standardwebhooks Webhook.verify', () => lib.verify(body, headers));
    }
  }
  return cases;
}

/** Floors and hookpack must be right on every probe; the vendors' samples get their problems listed. */
function checkCorrectness() {
  for (const s of SCHEMES) {
    const floorProblems = probe(s.name, s.header, (req, key) => s.floor(req.headers, req.rawBody, key));
    const ourProblems = probe(
      s.name,
      s.header,
      (req, key) => s.hookpack.verify({ body: req.rawBody, headers: req.headers, secret: key }).ok,
    );
    if (floorProblems.length || ourProblems.length) {
      throw new Error(
        `${s.name}: floor ${floorProblems.join('; ') || 'ok'}; hookpack ${ourProblems.join('; ') || 'ok'}`,
      );
    }
  }
  return vendorSnippets.map((v) => ({ v, problems: probe(v.scheme, v.header, (req, key) => v.verify(req, key)) }));
}

function fmtOps(n) {
  return Math.round(n).toLocaleString('en-US');
}

function printTable(header, rows, rightAligned) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells) =>
    cells.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function verdict(r, problems) {
  if (r.kind === 'floor') return 'baseline';
  if (r.kind === 'hookpack') return r.ratio >= TARGET ? 'PASS' : 'BELOW';
  if (r.kind === 'vendor')
    return problems.get(r.vendor).length ? `${problems.get(r.vendor).length} probe(s) wrong` : 'probes ok';
  return r.kind === 'info' ? 'info' : 'reference';
}

async function main() {
  const started = Date.now();
  console.log(
    `@hookpack/core verify benchmark — node ${process.version}, ${rounds} interleaved rounds × ${sliceMs} ms per case`,
  );
  console.log(
    "× floor = ops/s ÷ ops/s of the scheme's floor in the same round (median over rounds); target hookpack ≥ 1.0",
  );
  console.log(
    'floor = shortest correct node:crypto verifier of that scheme (prefix, parse, ±300 s tolerance, timingSafeEqual),',
  );
  console.log('given what hookpack gets: headers object, Buffer body, secret string; time = process CPU time\n');

  const snippetProblems = checkCorrectness();
  const problems = new Map(snippetProblems.map(({ v, problems: p }) => [v, p]));

  const rows = [];
  for (const size of SIZES) {
    const cases = casesFor(size.bytes);
    const results = await measureGroup(cases, { rounds, sliceMs, warmupMs: sliceMs, wallBudgetMs: WALL_BUDGET_MS });
    if (results[0].rounds < rounds)
      console.log(`(${size.label}: machine busy, stopped after ${results[0].rounds} rounds)`);
    results.forEach((r, i) => rows.push({ ...cases[i], size: size.label, ...r }));
  }
  printTable(
    ['body', 'scheme', 'verifier', 'ops/s', 'µs/op', '× floor', 'verdict'],
    rows.map((r) => [
      r.size,
      r.scheme,
      r.name,
      fmtOps(r.opsPerSec),
      (1e6 / r.opsPerSec).toFixed(2),
      r.ratio.toFixed(2),
      verdict(r, problems),
    ]),
    new Set([3, 4, 5]),
  );

  console.log('\nVendor doc samples, what the probes found (a throw is a 500 and a retry, not a 401):');
  for (const { v, problems: p } of snippetProblems) {
    console.log(`  ${v.vendor} (${v.doc}):`);
    for (const line of p.length ? p : ['all probes right']) console.log(`    - ${line}`);
  }

  console.log(
    `\nHeap after GC, before/after ${memoryCount.toLocaleString('en-US')} verifies (1 KiB body; limit ${HEAP_GROWTH_LIMIT >> 10} KiB growth):`,
  );
  const body = jsonBody(1024);
  const t = Math.floor(Date.now() / 1000);
  const memoryRows = [];
  for (const s of SCHEMES) {
    const input = { body, headers: signers[s.name](s.header, body, secret, { t }), secret };
    const m = heapGrowth(
      mustVerify(s.name, () => s.hookpack.verify(input).ok),
      memoryCount,
    );
    memoryRows.push({ scheme: s.name, ...m });
  }
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  printTable(
    ['scheme', 'heap before', 'heap after', 'growth', 'external growth', 'verdict'],
    memoryRows.map((m) => [
      m.scheme,
      kib(m.before.heapUsed),
      kib(m.after.heapUsed),
      kib(m.heapGrowth),
      kib(m.externalGrowth),
      m.heapGrowth < HEAP_GROWTH_LIMIT ? 'flat' : 'GROWS',
    ]),
    new Set([1, 2, 3, 4]),
  );

  const below = rows.filter((r) => r.kind === 'hookpack' && r.ratio < TARGET);
  const grows = memoryRows.filter((m) => m.heapGrowth >= HEAP_GROWTH_LIMIT);
  console.log('');
  for (const r of rows.filter((x) => x.kind === 'hookpack')) {
    console.log(
      `${r.ratio >= TARGET ? 'PASS ' : 'BELOW'} hookpack ${r.scheme} @ ${r.size}: ${r.ratio.toFixed(2)} × floor (target ${TARGET.toFixed(1)})`,
    );
  }
  const failures = below.length + grows.length;
  console.log(
    `\n${failures === 0 ? 'ALL PASS' : `${below.length} row(s) BELOW target, ${grows.length} scheme(s) growing the heap`} — ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (failures > 0 && process.env.BENCH_STRICT === '1') process.exitCode = 1;
}

await main();
