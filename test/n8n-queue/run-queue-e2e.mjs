// npm run test:n8n-queue — the queue-mode e2e (n8n 2.x on Node 24, Postgres, Redis, HAProxy).
// Installs the Debian packages it needs first (as root; otherwise it stops, naming the command),
// then runs vitest on the cached Node 24 like test:n8n2.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDebianServices, ensureNode24, repoRoot } from '@hookpack/playground/n8n';

try {
  const { installed, seconds } = await ensureDebianServices();
  if (installed.length) console.log(`[n8n queue] installed ${installed.join(', ')} in ${seconds}s (first run only)`);
} catch (e) {
  console.error(`[n8n queue] ${e.message}`);
  process.exit(1);
}
const result = spawnSync(
  ensureNode24(),
  [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/n8n-queue/queue.e2e.test.ts'],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, HOOKPACK_N8N_VERSION: process.env.HOOKPACK_N8N2_VERSION ?? '2.41.0' },
  },
);
process.exit(result.status ?? 1);
