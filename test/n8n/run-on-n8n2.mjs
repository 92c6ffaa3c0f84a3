// npm run test:n8n2 — the same end-to-end test against n8n 2.x, which needs Node ≥ 24: fetches
// Node 24 from the npm registry (package node@24) into the cache outside the repository, then
// runs vitest on it with HOOKPACK_N8N_VERSION set. n8n 2.x is installed on first use like 1.x.
// An argument names another test file to run the same way (npm run test:n8n-chaos).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, repoRoot } from '@hookpack/playground/n8n';

const N8N2_VERSION = process.env.HOOKPACK_N8N2_VERSION ?? '2.41.0';
const nodeDir = join(cacheRoot(), 'node24');
const node24 = join(nodeDir, 'node_modules', 'node', 'bin', 'node');

if (!existsSync(node24)) {
  process.stderr.write(`[n8n 2.x] fetching Node 24 (npm package node@24) into ${nodeDir}\n`);
  mkdirSync(nodeDir, { recursive: true });
  writeFileSync(join(nodeDir, 'package.json'), '{"private":true}\n');
  // node@24's install script fetches its platform package (node-<os>-<arch>) from the same registry.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'node@24'], { cwd: nodeDir, stdio: 'inherit' });
}
const result = spawnSync(
  node24,
  [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', process.argv[2] ?? 'test/n8n/n8n.e2e.test.ts'],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, HOOKPACK_N8N_VERSION: N8N2_VERSION },
  },
);
process.exit(result.status ?? 1);
