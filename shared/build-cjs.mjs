// Adds the CommonJS half of the published ESM packages: for every workspace package whose
// exports map "require" to ./dist/cjs/index.js, bundles src/index.ts to that file (its
// dependencies stay external) and copies tsc's declarations next to it, under a
// {"type":"commonjs"} package.json so TypeScript reads them as CommonJS types.
// Why not rely on require(esm) (Node >= 20.19) alone: TypeScript's node16 module mode, Jest and
// older bundlers still cannot require an ES module. Runs after `tsc -b` (needs dist/*.d.ts).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const CJS_ENTRY = './dist/cjs/index.js';
const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages');

for (const name of readdirSync(packagesDir)) {
  const dir = join(packagesDir, name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.exports?.['.']?.require?.default !== CJS_ENTRY) continue;
  await buildCommonJs(dir, manifest.name);
}

async function buildCommonJs(dir, packageName) {
  const dist = join(dir, 'dist');
  const out = join(dist, 'cjs');
  if (!existsSync(join(dist, 'index.d.ts')))
    throw new Error(`${packageName}: run tsc -b first (${dist}/index.d.ts is missing)`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(dir, 'src', 'index.ts')],
    outfile: join(out, 'index.js'),
    bundle: true,
    packages: 'external',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  // The same declarations, minus their maps (they point at ../src from dist/, not dist/cjs/).
  for (const file of listDeclarations(dist)) {
    const target = join(out, relative(dist, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/, '\n'));
  }
  writeFileSync(join(out, 'package.json'), '{\n  "type": "commonjs"\n}\n');
  console.log(`${packageName}: CommonJS build in dist/cjs`);
}

function listDeclarations(dist) {
  const out = join(dist, 'cjs');
  return readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.d.ts') && !join(entry.parentPath, '/').startsWith(`${out}/`),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}
