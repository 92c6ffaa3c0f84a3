#!/usr/bin/env node
// Builds every built-in vendor's Zapier app under packages/zapier-apps/<id in kebab case> with
// the same function `hookpack build zapier` uses (@hookpack/cli's buildZapierApp), from the
// workspace sources of @hookpack/providers: package.json, .zapierapprc, dist/index.js and the
// node_modules `zapier-platform validate` and `build --skip-dep-install` need offline. Folders
// built earlier for a vendor that no longer exists are removed. Nothing here is committed.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildZapierApp } from '@hookpack/cli';

export const appsRoot = resolve(fileURLToPath(import.meta.url), '../../../zapier-apps');
const zapierRoot = resolve(fileURLToPath(import.meta.url), '../..');

/** App directories on disk: every folder of packages/zapier-apps with a package.json. */
export function appDirs(root = appsRoot) {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'package.json')))
    .map((d) => join(root, d.name))
    .sort();
}

/** Builds one built-in vendor's app into `dir`; the vendor is the one its package.json names, or `vendorId`. */
export async function prepareApp(dir, vendorId = manifestOf(dir)?.hookpack?.vendor) {
  const name = dir.split('/').at(-1);
  const { bytes, packages } = await buildZapierApp({
    vendor: '@hookpack/providers',
    vendorId,
    cwd: zapierRoot,
    sourceCondition: true,
    outDir: dir,
    name: `hookpack-zapier-${name}`,
    force: true,
  });
  return { dir, bytes, packages };
}

function manifestOf(dir) {
  const path = join(dir, 'package.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** Every built-in vendor's app; removes app folders hookpack built for vendors that are gone. */
export async function prepareShippedApps({ log = console.log } = {}) {
  const { vendors } = await import('@hookpack/providers');
  const { appDirName } = await import('@hookpack/zapier');
  const { zapierLimits } = await import('@hookpack/cli');
  // A vendor Zapier cannot serve (it waits for a handshake answer) gets no app, and one line why.
  const served = vendors.filter((vendor) => {
    const reasons = zapierLimits(vendor);
    for (const reason of reasons) log(`skipped the Zapier app of ${vendor.id}: ${reason}`);
    return reasons.length === 0;
  });
  const wanted = new Map(served.map((v) => [join(appsRoot, appDirName(v)), v.id]));
  for (const dir of appDirs()) {
    if (!wanted.has(dir) && manifestOf(dir)?.hookpack?.generatedBy) rmSync(dir, { recursive: true, force: true });
  }
  const built = [];
  for (const [dir, id] of wanted) built.push(await prepareApp(dir, id));
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const { dir, bytes, packages } of await prepareShippedApps())
    console.log(`${dir}: dist/index.js ${(bytes / 1024).toFixed(1)} KiB, ${packages} packages in node_modules`);
}
