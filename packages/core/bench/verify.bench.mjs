// npm run bench: verify throughput of every @hookpack/core scheme, as a ratio to the raw
// node:crypto floor measured in the same run, side by side with the verifiers of
// @octokit/webhooks-methods, standardwebhooks and stripe. Target: ≥ 0.9 × floor.
//
// Env: BENCH_ROUNDS (default 51), BENCH_SLICE_MS (default 40), BENCH_STRICT=1 → exit 1
// when a hookpack row is below target (off by default: a shared machine is noisy).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { hmacHexScheme, standardWebhooksScheme, timestampedScheme } from '../src/signature/index.ts';
import { measureGroup } from './measure.mjs';

const TARGET = 0.9;
// Wall-clock budget per body size: the whole run ends within about two minutes even on a busy machine.
const WALL_BUDGET_MS = 50_000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 51);
const sliceMs = Number(process.env.BENCH_SLICE_MS ?? 40);
const SIZES = [
  { label: '1 KiB', bytes: 1024 },
  { label: '64 KiB', bytes: 64 * 1024 },
];

// One secret that every scheme accepts: a whsec_<base64> string. The hex and timestamped
// schemes use the whole string as the key (as their vendors do); Standard Webhooks decodes it.
const secret = `whsec_${randomBytes(24).toString('base64')}`;

const prefixedHex = hmacHexScheme({ header: 'X-Hub-Signature-256', prefix: 'sha256=' });
const plainHex = hmacHexScheme({ header: 'X-ParseFlow-Signature', prefix: '' });
const timestamped = timestampedScheme({ header: 'Stripe-Signature' });
const standardWebhooks = standardWebhooksScheme();
const stripeVerifier = Stripe.webhooks.signature;
const standardWebhookLib = new StandardWebhook(secret);

/** A JSON body of exactly `size` bytes (standardwebhooks' verify parses JSON). */
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

function hookpackCase(name, scheme, body, headers, secretValue) {
  const input = { body, headers, secret: secretValue };
  const result = scheme.verify(input);
  if (!result.ok) throw new Error(`${name}: setup does not verify (${result.reason}: ${result.message})`);
  return {
    name,
    ours: true,
    fn: () => {
      if (!scheme.verify(input).ok) throw new Error(`${name} stopped verifying`);
    },
  };
}

async function casesFor(size) {
  const body = jsonBody(size);
  const bodyText = body.toString('utf8');
  const t = Math.floor(Date.now() / 1000); // the run lasts far less than the 300 s tolerance
  const hexDigest = createHmac('sha256', secret).update(body).digest('hex');
  const expectedDigest = Buffer.from(hexDigest, 'hex');

  const stripeHeader = timestamped.sign({ body, secret, timestamp: t })['Stripe-Signature'];
  const swHeaders = standardWebhooks.sign({ body, secret, timestamp: t, id: 'msg_bench' });

  const octokitSignature = `sha256=${hexDigest}`;
  if (!(await octokitVerify(secret, bodyText, octokitSignature))) throw new Error('octokit setup does not verify');
  stripeVerifier.verifyHeader(body, stripeHeader, secret, 300); // throws if wrong
  standardWebhookLib.verify(body, swHeaders); // throws if wrong

  return [
    {
      name: 'node:crypto floor',
      fn: () => {
        const digest = createHmac('sha256', secret).update(body).digest();
        if (!timingSafeEqual(digest, expectedDigest)) throw new Error('floor mismatch');
      },
    },
    hookpackCase('hookpack prefixed hex', prefixedHex, body, { 'x-hub-signature-256': octokitSignature }, secret),
    hookpackCase('hookpack plain hex', plainHex, body, { 'x-parseflow-signature': hexDigest }, secret),
    hookpackCase('hookpack timestamped', timestamped, body, { 'stripe-signature': stripeHeader }, secret),
    hookpackCase('hookpack standard webhooks', standardWebhooks, body, swHeaders, secret),
    {
      name: '@octokit/webhooks-methods verify',
      async: true,
      fn: async () => {
        if (!(await octokitVerify(secret, bodyText, octokitSignature))) throw new Error('octokit mismatch');
      },
    },
    {
      name: 'standardwebhooks Webhook.verify',
      fn: () => standardWebhookLib.verify(body, swHeaders),
    },
    {
      name: 'stripe signature.verifyHeader',
      fn: () => stripeVerifier.verifyHeader(body, stripeHeader, secret, 300),
    },
  ];
}

function fmtOps(n) {
  return Math.round(n).toLocaleString('en-US');
}

async function main() {
  const started = Date.now();
  console.log(
    `@hookpack/core verify benchmark — node ${process.version}, ${rounds} interleaved rounds × ${sliceMs} ms per case`,
  );
  console.log('ratio = ops/s ÷ node:crypto floor ops/s of the same round (median over rounds); target ≥ 0.9');
  console.log(
    'floor = createHmac(sha256, secret string).update(body).digest() + timingSafeEqual vs a precomputed digest;',
  );
  console.log(
    'every verifier gets a Buffer body (octokit: a string, it accepts nothing else); time = process CPU time\n',
  );
  const rows = [];
  for (const size of SIZES) {
    const cases = await casesFor(size.bytes);
    const results = await measureGroup(cases, { rounds, sliceMs, warmupMs: sliceMs, wallBudgetMs: WALL_BUDGET_MS });
    if (results[0].rounds < rounds)
      console.log(`(${size.label}: machine busy, stopped after ${results[0].rounds} rounds)`);
    results.forEach((r, i) => rows.push({ size: size.label, ours: cases[i].ours === true, ...r }));
  }

  const header = ['body', 'verifier', 'ops/s', '× floor', 'verdict'];
  const table = rows.map((r) => [
    r.size,
    r.name,
    fmtOps(r.opsPerSec),
    r.ratio.toFixed(2),
    r.ours ? (r.ratio >= TARGET ? 'PASS' : 'BELOW') : r.name.endsWith('floor') ? 'baseline' : 'reference',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  const line = (cells) =>
    cells.map((cell, c) => (c >= 2 && c <= 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));

  const below = rows.filter((r) => r.ours && r.ratio < TARGET);
  console.log('');
  for (const r of rows.filter((x) => x.ours)) {
    console.log(
      `${r.ratio >= TARGET ? 'PASS ' : 'BELOW'} ${r.name} @ ${r.size}: ${r.ratio.toFixed(2)} × floor (target ${TARGET})`,
    );
  }
  console.log(
    `\n${below.length === 0 ? 'ALL PASS' : `${below.length} row(s) BELOW target`} — ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (below.length > 0 && process.env.BENCH_STRICT === '1') process.exitCode = 1;
}

await main();
