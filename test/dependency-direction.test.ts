import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Dependencies point one way: core ← providers ← (n8n, zapier, sandbox) ← (cli, playground). This test reads
// every package's sources and fails on an import that goes against that direction, reaches
// into another package's src/, or uses a workspace package that package.json doesn't declare.

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');

const layer: Record<string, number> = {
  '@hookpack/core': 0,
  '@hookpack/providers': 1,
  // The top: they use the product packages and nothing uses them (but the repo's build scripts).
  '@hookpack/cli': 3,
  '@hookpack/playground': 3,
};
/** n8n, zapier, sandbox and any new product package: they may use core and providers only. */
const CONSUMER_LAYER = 2;

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sourceFiles(p));
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!);
  return specs;
}

const packages = readdirSync(packagesDir)
  .map((dir) => join(packagesDir, dir))
  .filter((dir) => {
    try {
      return statSync(join(dir, 'package.json')).isFile() && statSync(join(dir, 'src')).isDirectory();
    } catch {
      return false;
    }
  })
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }));

describe('dependency direction', () => {
  it('finds the core packages', () => {
    const names = packages.map((p) => p.pkg.name);
    expect(names).toContain('@hookpack/core');
    expect(names).toContain('@hookpack/providers');
  });

  for (const { dir, pkg } of packages) {
    it(`${pkg.name} imports only downward, through package names`, () => {
      const own = layer[pkg.name] ?? CONSUMER_LAYER;
      const declared = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
      const problems: string[] = [];
      for (const file of sourceFiles(join(dir, 'src'))) {
        const where = relative(root, file);
        for (const spec of importsOf(file)) {
          if (spec.startsWith('.')) {
            const target = resolve(join(file, '..'), spec);
            if (!target.startsWith(dir + '/')) problems.push(`${where}: relative import leaves the package: ${spec}`);
            continue;
          }
          const m = /^(@hookpack\/[^/]+)(\/.*)?$/.exec(spec);
          if (!m) continue;
          const [, name, sub] = m as unknown as [string, string, string | undefined];
          if (sub) problems.push(`${where}: deep import ${spec} (use the package entry)`);
          const target = layer[name!] ?? CONSUMER_LAYER;
          if (target >= own) problems.push(`${where}: ${pkg.name} must not depend on ${name}`);
          if (!(name! in declared)) problems.push(`${where}: imports ${name} but package.json does not declare it`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
