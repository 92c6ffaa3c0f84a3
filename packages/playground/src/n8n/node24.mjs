// n8n 2.x needs Node ≥ 24: fetched once from the npm registry (package node@24, whose install
// script brings its platform package from the same registry) into the cache outside the repository.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './install-n8n.mjs';

/** Path of the cached Node 24 binary, installed on first use. */
export function ensureNode24() {
  const nodeDir = join(cacheRoot(), 'node24');
  const node24 = join(nodeDir, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node24)) {
    process.stderr.write(`[n8n 2.x] fetching Node 24 (npm package node@24) into ${nodeDir}\n`);
    mkdirSync(nodeDir, { recursive: true });
    writeFileSync(join(nodeDir, 'package.json'), '{"private":true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', 'node@24'], { cwd: nodeDir, stdio: 'inherit' });
  }
  return node24;
}
