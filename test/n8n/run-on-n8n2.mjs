// npm run test:n8n2 — the same end-to-end test against n8n 2.x, which needs Node ≥ 24: runs
// vitest on the cached Node 24 (fetched from the npm registry on first use) with
// HOOKPACK_N8N_VERSION set. n8n 2.x is installed on first use like 1.x.
// An argument names another test file to run the same way (npm run test:n8n-chaos).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureNode24, repoRoot } from '@hookpack/playground/n8n';

const N8N2_VERSION = process.env.HOOKPACK_N8N2_VERSION ?? '2.41.0';
const result = spawnSync(
  ensureNode24(),
  [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', process.argv[2] ?? 'test/n8n/n8n.e2e.test.ts'],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, HOOKPACK_N8N_VERSION: N8N2_VERSION },
  },
);
process.exit(result.status ?? 1);
