// Gives a Zapier app folder the node_modules `npm install --omit=dev` would give it, without
// the network: zapier-platform-core and its production dependencies, copied from the
// installation this CLI runs in, so `zapier-platform validate` and
// `build --skip-dep-install` work offline in the app folder and zip a self-contained app.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Directory of `name` as Node would resolve it from `fromDir` (walking up node_modules). */
function packageDirFrom(fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** zapier-platform-core as found from `fromDir`: its folder and version. */
export function findPlatformCore(fromDir: string): { dir: string; version: string } {
  const dir = packageDirFrom(fromDir, 'zapier-platform-core');
  if (!dir) throw new Error('zapier-platform-core is not installed: npm install zapier-platform-core@19');
  return { dir, version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version };
}

/** Every package directory zapier-platform-core needs at run time. */
function productionClosure(start: string): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const required = Object.keys(pkg.dependencies ?? {});
    // Optional and peer dependencies come along when installed: the build's esbuild trace
    // finds them (node-fetch tries `encoding`), and they must resolve inside the app folder,
    // or the zip's root climbs up out of it.
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
 * Fills `<appDir>/node_modules` with zapier-platform-core's production closure, in the same
 * layout as the node_modules it comes from. Replaces what was there; returns the package count.
 */
export function provideCore(appDir: string, coreDir: string): number {
  const modules = dirname(coreDir);
  const closure = productionClosure(coreDir);
  const target = join(appDir, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  for (const dir of closure) {
    const rel = relative(modules, dir);
    if (rel.startsWith('..')) throw new Error(`${dir} is outside ${modules}`);
    // Nested node_modules are copied as packages of their own when they are in the closure.
    cpSync(dir, join(target, rel), {
      recursive: true,
      filter: (src) => !relative(dir, src).split(sep).includes('node_modules'),
    });
  }
  return closure.length;
}
