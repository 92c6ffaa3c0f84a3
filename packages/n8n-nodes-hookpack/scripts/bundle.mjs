// Builds n8n-nodes-hookpack with the same function `hookpack build n8n` uses (@hookpack/cli's
// buildN8nPackage), over the built-in vendors (@hookpack/providers' `vendors`), read from the
// workspace sources: the publishable package in dist/publish (package.json with the "n8n"
// lists derived from the vendors, the bundle, nodes, credentials, icons, codex). The bundle,
// nodes and credentials are also copied to dist/ for the workspace's own users (main).
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildN8nPackage, bundleToMemory } from '@hookpack/cli';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const publishDir = join(dist, 'publish');

// The committed manifest minus development fields; the n8n lists are derived by the build.
const {
  scripts: _scripts,
  devDependencies: _dev,
  exports: _exports,
  ...manifest
} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(publishDir, { recursive: true, force: true });
const built = await buildN8nPackage({
  vendors: ['@hookpack/providers'],
  cwd: root,
  sourceCondition: true,
  outDir: publishDir,
  name: manifest.name,
  iconsDir: join(root, 'icons'),
  manifest,
  readme: readFileSync(join(root, 'README.md'), 'utf8'),
  license: readFileSync(join(root, 'LICENSE'), 'utf8'),
});

for (const file of ['nodes', 'credentials']) rmSync(join(dist, file), { recursive: true, force: true });
for (const file of ['index.js', 'nodes', 'credentials'])
  cpSync(join(publishDir, 'dist', file), join(dist, file), { recursive: true });
// The factory of `hookpack build n8n --cloud` (src/cloud.ts), for builds outside this repository:
// a bundle of its own, so it carries nothing of the Redis check.
const cloud = await bundleToMemory({
  contents: `export * from './src/cloud.ts';`,
  resolveDir: root,
  format: 'cjs',
  external: ['n8n-workflow'],
  sourceCondition: true,
  privateGlobals: true,
});
writeFileSync(join(dist, 'cloud.js'), cloud);

console.log(`n8n-nodes-hookpack: bundled ${built.vendors.length} trigger nodes (${built.vendors.join(', ')})`);
