import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appsRoot, shippedApps } from './apps.js';
import { runCli, zipEntries } from './cli-support.js';
// @ts-expect-error: plain .mjs build scripts, no type declarations
import { prepareApp } from '../scripts/prepare-apps.mjs';

// The real `zapier-platform` CLI on every app: offline validate (schema) and offline build
// (bundle → definition.json → zip → Zapier's own "does the zip load" check). The zip sizes
// are printed for the report.
const sizes: Record<string, number> = {};

// Two apps at a time: the machine has two cores, and each build runs esbuild and Node.
let running = 0;
const waiting: Array<() => void> = [];
async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  while (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

describe('zapier-platform CLI accepts every app (offline)', { timeout: 240_000 }, () => {
  for (const { dir, app } of shippedApps) {
    const appDir = join(appsRoot, dir);
    it.concurrent(`${dir}: build --skip-dep-install --skip-validation, then validate --without-style`, async () => {
      await prepareApp(appDir);
      const build = await withSlot(() => runCli(['build', '--skip-dep-install', '--skip-validation'], appDir));
      expect(build.code, `zapier-platform build failed:\n${build.output.slice(-3000)}`).toBe(0);
      expect(build.output).toContain('Build complete');

      const zipPath = join(appDir, 'build', 'build.zip');
      sizes[dir] = statSync(zipPath).size;
      const entries = zipEntries(zipPath);
      const names = entries.map((e) => e.name);
      // Self-contained, rooted at the app directory: nothing from the monorepo leaks in.
      expect(names).toEqual(
        expect.arrayContaining(['zapierwrapper.js', 'package.json', 'definition.json', 'dist/index.js']),
      );
      expect(names).toContain('node_modules/zapier-platform-core/package.json');
      expect(names.filter((n) => n.startsWith('packages/') || n.includes('@hookpack') || n.startsWith('../'))).toEqual(
        [],
      );
      expect(entries.filter((e) => e.isSymlink)).toEqual([]);

      // The definition Zapier will run is this app's, as the factory built it.
      const definition = JSON.parse(
        entries
          .find((e) => e.name === 'definition.json')!
          .read()
          .toString('utf8'),
      );
      expect(Object.keys(definition.triggers)).toEqual(Object.keys(app.triggers));
      expect(definition.platformVersion).toBe('19.1.0');

      const validate = await withSlot(() => runCli(['validate', '--without-style', '--skip-build'], appDir));
      expect(validate.code, `zapier-platform validate failed:\n${validate.output.slice(-3000)}`).toBe(0);
      expect(validate.output).toContain('This project is structurally sound!');
      expect(Object.keys(app.triggers).length).toBeGreaterThan(0);
    });
  }

  it.sequential('reports the zip sizes', () => {
    const report = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, `${(v / 1024).toFixed(0)} KiB`]));
    console.log('Zapier build.zip sizes:', report);
    expect(Object.keys(sizes).length).toBe(shippedApps.length);
  });
});
