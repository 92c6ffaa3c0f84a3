// Packs n8n-nodes-hookpack the way it is published and installs the tarball as a community
// package in an n8n user folder (<userFolder>/.n8n/nodes/node_modules), like n8n's UI does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const packageDir = join(repoRoot, 'packages', 'n8n-nodes-hookpack');

/** Bundles the package (so the test never runs against a stale dist) and packs it; returns the tarball path. */
export function packNodesPackage(outDir) {
  mkdirSync(outDir, { recursive: true });
  execFileSync(process.execPath, [join(packageDir, 'scripts', 'bundle.mjs')], { cwd: packageDir, stdio: 'pipe' });
  // The bundle writes the publishable package (derived "n8n" lists) into dist/publish.
  execFileSync('npm', ['pack', '--pack-destination', outDir, '--silent'], {
    cwd: join(packageDir, 'dist', 'publish'),
    stdio: 'pipe',
  });
  const tarball = readdirSync(outDir).find((f) => f.startsWith('n8n-nodes-hookpack-') && f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack produced no tarball in ${outDir}`);
  return join(outDir, tarball);
}

/** Installs the tarball(s) in one npm call (a second call would start from a fresh package.json and prune the first). */
export function installCommunityPackage(userFolder, tarball, ...moreTarballs) {
  const nodesDir = join(userFolder, '.n8n', 'nodes');
  mkdirSync(nodesDir, { recursive: true });
  writeFileSync(join(nodesDir, 'package.json'), '{"name":"installed-nodes","private":true}\n');
  // --legacy-peer-deps: the n8n-workflow peer is n8n's own copy, not a second one from the registry.
  const args = ['install', tarball, ...moreTarballs, '--legacy-peer-deps', '--no-audit', '--no-fund', '--offline'];
  execFileSync('npm', [...args, '--silent'], {
    cwd: nodesDir,
    stdio: 'pipe',
  });
  return join(nodesDir, 'node_modules', 'n8n-nodes-hookpack');
}
