// npm run test:n8n-queue — the queue-mode e2e (n8n 2.x on Node 24, Postgres, Redis, HAProxy).
// Runs `npm run services:install` first when a server is missing (it installs them as root and
// says what to do otherwise), then vitest on the cached Node 24 like test:n8n2.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureNode24, missingServices, repoRoot, SERVICES_INSTALL_COMMAND } from '@hookpack/playground/n8n';

if (missingServices().length) {
  const started = Date.now();
  const install = spawnSync('npm', ['run', '--silent', 'services:install'], { cwd: repoRoot, stdio: 'inherit' });
  const missing = missingServices();
  if (install.status !== 0 || missing.length) {
    console.error(
      `[n8n queue] needs ${missing.join(', ')}: \`${SERVICES_INSTALL_COMMAND}\` (as root) did not install them`,
    );
    process.exit(1);
  }
  console.log(`[n8n queue] services installed in ${Math.round((Date.now() - started) / 1000)}s (first run only)`);
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
