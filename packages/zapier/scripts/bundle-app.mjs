#!/usr/bin/env node
// Bundles one Zapier app directory: src/index.ts + @hookpack/zapier, core, providers and zod
// → dist/index.js, one ESM file. Only zapier-platform-core stays external: it is the app's
// one npm dependency and what Zapier's runtime loads the app with. This replaces the Zapier
// TypeScript template's plain `tsc` step, which would leave workspace packages unresolvable
// inside the uploaded zip.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function bundleApp(appDir) {
  const dir = resolve(appDir);
  const entry = join(dir, 'src', 'index.ts');
  if (!existsSync(entry)) throw new Error(`${dir} is not a hookpack Zapier app: ${entry} is missing`);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.type !== 'module' || pkg.exports !== './dist/index.js') {
    throw new Error(
      `${dir}/package.json must have "type": "module" and "exports": "./dist/index.js" (Zapier's ESM entry)`,
    );
  }
  const result = await build({
    entryPoints: [entry],
    outfile: join(dir, 'dist', 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Workspace packages resolve to their TypeScript sources: no prior tsc build needed.
    conditions: ['@hookpack/source'],
    external: ['zapier-platform-core'],
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { outfile: join(dir, 'dist', 'index.js'), bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const appDir = process.argv[2] ?? '.';
  bundleApp(appDir).then(
    ({ outfile, bytes }) => console.log(`bundled ${outfile} (${(bytes / 1024).toFixed(1)} KiB)`),
    (err) => {
      console.error(`bundle failed: ${err.message}`);
      process.exit(1);
    },
  );
}
