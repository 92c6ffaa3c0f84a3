#!/usr/bin/env node
// Makes every vendor's Zapier app under packages/zapier-apps ready for the Zapier CLI:
// generates its directory from the vendors (generate-apps.mjs), bundles src → dist/index.js
// and gives it the node_modules (zapier-platform-core) that `zapier-platform validate` and
// `build --skip-dep-install` need, offline.
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleApp } from './bundle-app.mjs';
import { appsRoot, generateShippedApps } from './generate-apps.mjs';
import { provideCore } from './provide-core.mjs';

export { appsRoot };

/** App directories on disk: every folder of packages/zapier-apps with a package.json. */
export function appDirs(root = appsRoot) {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'package.json')))
    .map((d) => join(root, d.name))
    .sort();
}

export async function prepareApp(dir) {
  const { bytes } = await bundleApp(dir);
  const packages = provideCore(dir);
  return { dir, bytes, packages };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2).map((d) => resolve(d)) : await generateShippedApps();
  for (const dir of dirs) {
    const { bytes, packages } = await prepareApp(dir);
    console.log(`${dir}: dist/index.js ${(bytes / 1024).toFixed(1)} KiB, ${packages} packages in node_modules`);
  }
}
