// `hookpack build n8n`: a complete n8n community node package for some vendor modules — one
// CommonJS bundle (the n8n trigger factory, the vendors, core and zod: no runtime
// dependencies), one tiny entry file per node and credential with its icon and codex, the
// package.json n8n reads, README and LICENSE. The monorepo builds n8n-nodes-hookpack with it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { VendorDefinition } from '@hookpack/core';
import { appDirName } from '@hookpack/zapier';
import { bundleToMemory } from './bundle.js';
import { defaultIconSvg } from './default-icon.js';
import { claimOutDir, writeOutputs, type OutputFiles } from './out-dir.js';
import { cliDir, dependencyDir } from './package-dirs.js';
import { accessExpression, loadVendors, type LoadedVendor, type LoadOptions } from './vendor-input.js';
import { mitLicense, n8nReadme } from './package-texts.js';

export interface BuildN8nOptions extends LoadOptions {
  /** Vendor modules: files (./acme.ts) or package names. */
  vendors: string[];
  outDir: string;
  /** npm name; must be n8n-nodes-* or @scope/n8n-nodes-* (default: n8n-nodes-<first vendor id>). */
  name?: string;
  version?: string;
  /** Write into a non-empty folder (replacing only files an earlier build wrote). */
  force?: boolean;
  /**
   * A package n8n Cloud accepts: the nodes without the Redis redelivery check (n8n Cloud refuses
   * community nodes that open sockets), so nothing in the bundle uses `node:net` or timer globals.
   */
  cloud?: boolean;
  /** Where drawn <vendor id>.svg icons are (default: each vendor module's folder). */
  iconsDir?: string;
  /** "Name <email>": n8n's verification wants an author with an email. */
  author?: string;
  /** The package's homepage (n8n's lint asks for one). */
  homepage?: string;
  /** Fields of package.json to keep (author, repository, …); n8n lists are always derived. */
  manifest?: Record<string, unknown>;
  readme?: string;
  license?: string;
}

export interface BuiltPackage {
  outDir: string;
  name: string;
  vendors: string[];
  files: string[];
}

// Where the generated node (dist/nodes/X/) and credential (dist/credentials/) files find the bundle.
const BUNDLE_FROM_NODE = JSON.stringify('../../index.js');
const BUNDLE_FROM_CREDENTIAL = JSON.stringify('../index.js');

export const N8N_PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-[a-z0-9-._~]+$/;

/** What the generated node and credential files load from the bundle (see n8n-nodes-hookpack's index). */
interface FactoryBundle {
  vendors: VendorDefinition[];
  namesFor(vendor: VendorDefinition): {
    nodeName: string;
    nodeClass: string;
    credentialClass: string;
    icon: string;
  };
  /** Absent from n8n Cloud builds, which have no Redis redelivery check. */
  DEDUPE_CREDENTIAL?: { className: string; icon: string };
}

export async function buildN8nPackage(options: BuildN8nOptions): Promise<BuiltPackage> {
  const loaded = await loadVendors(options.vendors, options);
  const name = options.name ?? `n8n-nodes-${appDirName(loaded[0]!.vendor)}`;
  if (!N8N_PACKAGE_NAME.test(name))
    throw new Error(`--name "${name}": n8n loads community packages named n8n-nodes-* or @scope/n8n-nodes-* only`);
  if (options.manifest?.dependencies && Object.keys(options.manifest.dependencies).length > 0)
    throw new Error('manifest.dependencies: an n8n community package has no runtime dependencies (they are bundled)');
  const previous = claimOutDir(options.outDir, options.force ?? false);

  const code = await bundleToMemory({
    contents: options.cloud ? cloudEntrySource(loaded) : entrySource(loaded),
    resolveDir: cliDir,
    format: 'cjs',
    target: 'node20',
    // n8n-workflow is n8n's own copy (a peer dependency).
    external: ['n8n-workflow'],
    sourceCondition: options.sourceCondition,
    privateGlobals: true,
  });
  const factoryDir = dependencyDir('n8n-nodes-hookpack');
  const bundle = evaluateCommonJs(code, peerRequire(factoryDir)) as FactoryBundle;

  const files: OutputFiles = new Map([['dist/index.js', code]]);
  const nodes: string[] = [];
  const credentials: string[] = [];
  for (const vendor of bundle.vendors) {
    const names = bundle.namesFor(vendor);
    const from = loaded.find((l) => l.vendor.id === vendor.id)!.source.dir;
    const icon = readIcon(options.iconsDir ?? from, names.icon) ?? defaultIconSvg(vendor);
    const node = `dist/nodes/${names.nodeClass}/${names.nodeClass}.node.js`;
    files.set(
      node,
      generated(
        vendor,
        'trigger',
        `exports.${names.nodeClass} = require(${BUNDLE_FROM_NODE}).triggerNodeFor(${JSON.stringify(vendor.id)});`,
      ),
    );
    files.set(`dist/nodes/${names.nodeClass}/${names.nodeClass}.node.json`, json(codex(name, vendor, names.nodeName)));
    files.set(`dist/nodes/${names.nodeClass}/${names.icon}`, icon);
    const credential = `dist/credentials/${names.credentialClass}.credentials.js`;
    files.set(
      credential,
      generated(
        vendor,
        'credential',
        `exports.${names.credentialClass} = require(${BUNDLE_FROM_CREDENTIAL}).credentialFor(${JSON.stringify(vendor.id)});`,
      ),
    );
    files.set(`dist/credentials/${names.icon}`, icon);
    nodes.push(node);
    credentials.push(credential);
  }
  // The shared redelivery-check credential (Redis), one for every trigger.
  const dedupe = bundle.DEDUPE_CREDENTIAL;
  if (dedupe) {
    const dedupeFile = `dist/credentials/${dedupe.className}.credentials.js`;
    files.set(
      dedupeFile,
      `"use strict";\n// Generated by hookpack: the Redis store of the shared redelivery check.\nexports.${dedupe.className} = require(${BUNDLE_FROM_CREDENTIAL}).dedupeCredential();\n`,
    );
    files.set(
      `dist/credentials/${dedupe.icon}`,
      readIcon(join(factoryDir, 'icons'), dedupe.icon) ??
        readIcon(join(factoryDir, 'dist', 'credentials'), dedupe.icon) ??
        defaultIconSvg({ id: 'hookpackRedis', displayName: 'Redis' }),
    );
    credentials.push(dedupeFile);
  }

  const vendorList = bundle.vendors.map((v) => v.displayName);
  files.set('package.json', json(manifest(options, name, vendorList, nodes, credentials)));
  files.set('README.md', options.readme ?? n8nReadme(name, bundle.vendors, options.cloud ?? false));
  const author = options.author ?? options.manifest?.author;
  const holder = typeof author === 'object' && author ? (author as { name?: string }).name : author;
  files.set(
    'LICENSE',
    options.license ?? mitLicense(String(holder ?? `the ${name} authors`).replace(/\s*<[^>]*>\s*$/, '')),
  );
  writeOutputs(options.outDir, files, previous);
  return { outDir: options.outDir, name, vendors: bundle.vendors.map((v) => v.id), files: [...files.keys()].sort() };
}

/** The bundle's entry: the factory, with the given vendors in place of the built-in ones. */
function entrySource(loaded: LoadedVendor[]): string {
  return [
    `export * from 'n8n-nodes-hookpack';`,
    `import { createTriggerNodeClass, createCredentialClass, createDedupeCredentialClass } from 'n8n-nodes-hookpack';`,
    ...vendorsSource(loaded),
    `export const triggerNodeFor = (id) => createTriggerNodeClass(vendorById(id));`,
    `export const credentialFor = (id) => createCredentialClass(vendorById(id));`,
    `export const dedupeCredential = () => createDedupeCredentialClass();`,
    '',
  ].join('\n');
}

/**
 * The n8n Cloud entry: only what the node and credential files load, from the Cloud factory, so
 * the bundler leaves the Redis check (node:net, timers) out of the bundle.
 */
function cloudEntrySource(loaded: LoadedVendor[]): string {
  return [
    `import { createCloudTriggerNodeClass, createCredentialClass, namesFor } from 'n8n-nodes-hookpack/cloud';`,
    `export { namesFor };`,
    ...vendorsSource(loaded),
    `export const triggerNodeFor = (id) => createCloudTriggerNodeClass(vendorById(id));`,
    `export const credentialFor = (id) => createCredentialClass(vendorById(id));`,
    '',
  ].join('\n');
}

function vendorsSource(loaded: LoadedVendor[]): string[] {
  const modules = [...new Set(loaded.map((l) => l.source.importPath))];
  const ns = (l: LoadedVendor) => `m${modules.indexOf(l.source.importPath)}`;
  return [
    ...modules.map((m, i) => `import * as m${i} from ${JSON.stringify(m)};`),
    `export const vendors = [${loaded.map((l) => accessExpression(ns(l), l.exportPath)).join(', ')}];`,
    `function vendorById(id) {`,
    `  const vendor = vendors.find((v) => v.id === id);`,
    `  if (!vendor) throw new Error('no vendor "' + id + '" in this package (it has: ' + vendors.map((v) => v.id).join(', ') + ')');`,
    `  return vendor;`,
    `}`,
  ];
}

/** require() as the factory package sees it; a missing n8n-workflow peer says how to get it. */
function peerRequire(factoryDir: string): NodeJS.Require {
  const require = createRequire(join(factoryDir, 'package.json'));
  return Object.assign((id: string) => {
    try {
      return require(id);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && id === 'n8n-workflow')
        throw new Error(
          'n8n-workflow is not installed next to @hookpack/cli: npm install n8n-workflow (the build loads the nodes once to name their files)',
        );
      throw e;
    }
  }, require);
}

/** Runs a CommonJS bundle held in memory, its require() resolving from `require`. */
function evaluateCommonJs(code: string, require: NodeJS.Require): unknown {
  const module = { exports: {} as unknown };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports;
}

function manifest(
  options: BuildN8nOptions,
  name: string,
  vendorNames: string[],
  nodes: string[],
  credentials: string[],
): Record<string, unknown> {
  const base = { ...options.manifest };
  if (options.author !== undefined) base.author = authorField(options.author);
  if (options.homepage !== undefined) base.homepage = options.homepage;
  const list =
    vendorNames.length > 1 ? `${vendorNames.slice(0, -1).join(', ')} and ${vendorNames.at(-1)}` : vendorNames[0];
  const keywords = [
    ...new Set(['n8n-community-node-package', 'n8n', 'webhook', 'trigger', ...((base.keywords as string[]) ?? [])]),
  ];
  return {
    name,
    version: options.version ?? (base.version as string) ?? '0.1.0',
    license: 'MIT',
    ...base,
    description: `Verified, self-registering n8n trigger nodes for ${list} webhooks.`,
    keywords,
    main: 'dist/index.js',
    files: ['dist', 'LICENSE', 'README.md'],
    n8n: { n8nNodesApiVersion: 1, strict: true, ...(base.n8n as object), credentials, nodes },
    peerDependencies: { 'n8n-workflow': '*' },
    engines: (base.engines as object) ?? { node: '>=20.19' },
  };
}

/** "Jane Doe <jane@example.com>" → { name, email }; anything else stays a plain name. */
export function authorField(author: string): string | { name: string; email: string } {
  const m = /^\s*([^<]+?)\s*<([^>\s]+@[^>\s]+)>\s*$/.exec(author);
  return m ? { name: m[1]!, email: m[2]! } : author.trim();
}

function codex(packageName: string, vendor: VendorDefinition, nodeName: string) {
  return {
    node: `${packageName}.${nodeName}`,
    nodeVersion: '1.0',
    codexVersion: '1.0',
    categories: ['Development'],
    // The node creator searches these too: "hookpack" finds every hookpack trigger.
    alias: ['hookpack', 'webhook', vendor.displayName],
    resources: {
      credentialDocumentation: [{ url: vendor.docsUrl }],
      primaryDocumentation: [{ url: vendor.docsUrl }],
    },
  };
}

function generated(vendor: VendorDefinition, what: string, line: string): string {
  return `"use strict";\n// Generated by hookpack: the ${vendor.displayName} ${what}, built from its vendor definition.\n${line}\n`;
}

function readIcon(dir: string, file: string): Buffer | undefined {
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path) : undefined;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
