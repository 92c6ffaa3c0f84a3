#!/usr/bin/env node
// Cold load time of each Zapier app's entry (dist/index.js, what zapierwrapper imports) in a
// fresh Node 22 process, against a baseline measured in the same run: importing an empty ESM
// module the same way. Also zapier-platform-core itself, which Zapier loads before the app.
// Prints medians; the target is ≤ 150 ms for the app entry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appDirs } from '../scripts/prepare-apps.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const TARGET_MS = 150;
const require = createRequire(import.meta.url);

function node22() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  return join(dirname(require.resolve('node/package.json')), 'bin', 'node');
}

/** Median ms of `await import(spec)` in `RUNS` fresh processes. */
function coldImportMs(nodeBin, spec) {
  const script = `const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t));`;
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(nodeBin, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`import of ${spec} failed: ${r.stderr}`);
    samples.push(Number(r.stdout));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const nodeBin = node22();
const scratch = mkdtempSync(join(tmpdir(), 'hookpack-bench-'));
try {
  const empty = join(scratch, 'empty.mjs');
  writeFileSync(empty, 'export default {};\n');
  const baseline = coldImportMs(nodeBin, pathToFileURL(empty).href);
  const core = coldImportMs(nodeBin, pathToFileURL(require.resolve('zapier-platform-core')).href);
  const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`cold import, median of ${RUNS} fresh processes, Node ${version}`);
  console.log(`  baseline (empty module)                  ${baseline.toFixed(1).padStart(7)} ms`);
  console.log(
    `  zapier-platform-core                     ${core.toFixed(1).padStart(7)} ms   ${(core / baseline).toFixed(1)}× baseline`,
  );
  for (const dir of appDirs()) {
    // Built by npm run build (scripts/prepare-apps.mjs).
    const outfile = join(dir, 'dist', 'index.js');
    const bytes = statSync(outfile).size;
    const ms = coldImportMs(nodeBin, pathToFileURL(outfile).href);
    const name = dir.split('/').pop();
    console.log(
      `  ${`${name} dist/index.js (${(bytes / 1024).toFixed(0)} KiB)`.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / baseline).toFixed(1)}× baseline   ${(ms / TARGET_MS).toFixed(2)}× the ${TARGET_MS} ms target`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
