// `hookpack build zapier`: a Zapier CLI app folder for one vendor module — package.json,
// .zapierapprc, dist/index.js (the factory, the vendor, core and zod in one ESM file; only
// zapier-platform-core stays external, the app's one dependency and what Zapier runs it with)
// and the node_modules the Zapier CLI needs offline. The monorepo's apps are built with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appDirName } from '@hookpack/zapier';
import { bundleToMemory } from './bundle.js';
import { claimOutDir, writeOutputs, type OutputFiles } from './out-dir.js';
import { cliDir } from './package-dirs.js';
import { accessExpression, loadVendors, VendorInputError, type LoadOptions } from './vendor-input.js';
import { zapierLimits } from './zapier-limits.js';
import { findPlatformCore, provideCore } from './zapier-core-modules.js';

export interface BuildZapierOptions extends LoadOptions {
  /** The vendor module: a file (./acme.ts) or a package name. */
  vendor: string;
  /** Which vendor, when the module exports several. */
  vendorId?: string;
  outDir: string;
  /** npm name of the app (default: zapier-<vendor id in kebab case>). */
  name?: string;
  version?: string;
  force?: boolean;
}

export interface BuiltApp {
  outDir: string;
  name: string;
  vendor: string;
  platformVersion: string;
  bytes: number;
  packages: number;
}

const INCLUDE_IN_BUILD = ['node_modules/[^/]+/require\\.mjs$'];

/**
 * .zapierapprc with the files esbuild misses; what `zapier-platform register` stored there
 * (the app's id and key) is kept.
 */
function zapierAppRc(outDir: string): string {
  let existing: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(readFileSync(join(outDir, '.zapierapprc'), 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) existing = parsed;
  } catch {
    // none yet (or unreadable: then it is replaced, as before any register)
  }
  return `${JSON.stringify({ ...existing, includeInBuild: INCLUDE_IN_BUILD }, null, 2)}\n`;
}

export async function buildZapierApp(options: BuildZapierOptions): Promise<BuiltApp> {
  const all = await loadVendors([options.vendor], options);
  const chosen = options.vendorId ? all.filter((l) => l.vendor.id === options.vendorId) : all;
  if (chosen.length !== 1) {
    const ids = all.map((l) => l.vendor.id).join(', ');
    throw new VendorInputError(
      options.vendor,
      options.vendorId
        ? `exports no vendor "${options.vendorId}" (it has: ${ids})`
        : `exports ${all.length} vendors (${ids}); a Zapier app is one vendor: pass --vendor-id <id>`,
    );
  }
  const loaded = chosen[0]!;
  const [limit] = zapierLimits(loaded.vendor);
  if (limit) throw new VendorInputError(options.vendor, `Zapier cannot build vendor "${loaded.vendor.id}": ${limit}`);

  const version = options.version ?? '1.0.0';
  const core = findPlatformCore(cliDir);
  const previous = claimOutDir(options.outDir, options.force ?? false);
  const code = await bundleToMemory({
    contents: [
      `import { createZapierApp } from '@hookpack/zapier';`,
      `import * as m0 from ${JSON.stringify(loaded.source.importPath)};`,
      `export default createZapierApp(${accessExpression('m0', loaded.exportPath)}, ${JSON.stringify({ version, platformVersion: core.version })});`,
      '',
    ].join('\n'),
    resolveDir: cliDir,
    format: 'esm',
    target: 'node22',
    external: ['zapier-platform-core'],
    sourceCondition: options.sourceCondition,
    minify: true,
  });

  const vendor = loaded.vendor;
  const name = options.name ?? `zapier-${appDirName(vendor)}`;
  const kind = vendor.api ? 'REST hooks' : 'static webhooks (paste-the-URL)';
  const manifest = {
    name,
    version,
    description: `Zapier integration for ${vendor.displayName} webhooks (${kind}), built by hookpack from its vendor module.`,
    license: 'MIT',
    private: true,
    type: 'module',
    exports: './dist/index.js',
    dependencies: { 'zapier-platform-core': core.version },
    engines: { node: '>=22' },
    hookpack: { vendor: vendor.id, generatedBy: '@hookpack/cli' },
  };
  const files: OutputFiles = new Map<string, string>([
    ['package.json', `${JSON.stringify(manifest, null, 2)}\n`],
    // esbuild (in the Zapier CLI's build) ignores the module-sync condition: name these files.
    ['.zapierapprc', zapierAppRc(options.outDir)],
    ['dist/index.js', code],
  ]);
  writeOutputs(options.outDir, files, previous, ['node_modules/']);
  const packages = provideCore(options.outDir, core.dir);
  return {
    outDir: options.outDir,
    name,
    vendor: vendor.id,
    platformVersion: core.version,
    bytes: code.length,
    packages,
  };
}
