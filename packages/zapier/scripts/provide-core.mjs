#!/usr/bin/env node
// Gives a Zapier app directory the node_modules `npm install --omit=dev` would give it, without
// the network: zapier-platform-core and its production dependencies, copied from the monorepo's
// install. Then `zapier-platform validate` and `build --skip-dep-install` work offline in the
// app directory itself and zip a self-contained app (root = the app directory).
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory of `name` as Node would resolve it from `fromDir` (walking up node_modules). */
function packageDirFrom(fromDir, name) {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Every package directory zapier-platform-core needs at run time, resolved from `rootDir`. */
export function productionClosure(rootDir, rootPackage = 'zapier-platform-core') {
  const seen = new Set();
  const queue = [];
  const start = packageDirFrom(rootDir, rootPackage);
  if (!start) throw new Error(`${rootPackage} is not installed under ${rootDir}/node_modules: run npm install`);
  queue.push(start);
  while (queue.length) {
    const dir = queue.shift();
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const required = Object.keys(pkg.dependencies ?? {});
    // Optional and peer dependencies come along when installed: the build's esbuild trace
    // finds them (node-fetch tries `encoding`), and they must resolve inside the app dir,
    // or the zip's root climbs up to the monorepo.
    const ifInstalled = [...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
    for (const name of [...required, ...ifInstalled]) {
      const found = packageDirFrom(dir, name);
      if (found) queue.push(found);
      else if (required.includes(name)) throw new Error(`${pkg.name} needs ${name}, which is not installed`);
    }
  }
  return [...seen];
}

/**
 * Fills `<appDir>/node_modules` with zapier-platform-core and its production closure, copied
 * from the monorepo's node_modules in the same relative layout (so Node resolves every package
 * exactly as it does there). Replaces what was there. Returns the number of packages copied.
 */
export function provideCore(appDir, { rootDir = resolve(appDir, '../../..') } = {}) {
  const app = resolve(appDir);
  if (!existsSync(join(app, 'package.json'))) throw new Error(`${app} has no package.json`);
  const rootModules = join(resolve(rootDir), 'node_modules');
  const closure = productionClosure(resolve(rootDir));
  const target = join(app, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  for (const dir of closure) {
    const rel = relative(rootModules, dir);
    if (rel.startsWith('..')) throw new Error(`${dir} is outside ${rootModules}`);
    // Nested node_modules are copied as packages of their own when they are in the closure.
    cpSync(dir, join(target, rel), {
      recursive: true,
      filter: (src) => !relative(dir, src).split(sep).includes('node_modules'),
    });
  }
  return closure.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const appDirs = process.argv.slice(2);
  if (appDirs.length === 0) {
    console.error('usage: provide-core.mjs <app dir>...');
    process.exit(2);
  }
  for (const dir of appDirs) console.log(`${dir}: ${provideCore(dir)} packages in node_modules`);
}
