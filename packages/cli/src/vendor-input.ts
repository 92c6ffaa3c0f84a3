import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkVendorDescription, formatProblem, type VendorDefinition } from '@hookpack/core';
import { bundleToMemory } from './bundle.js';

/** A --vendor input that cannot be used: `<file>: <problem>`, one line, nothing written. */
export class VendorInputError extends Error {
  override name = 'VendorInputError';
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`${input}: ${problem}`);
  }
}

/** Where a vendor module is: a file (./acme.ts) or a package name (@hookpack/providers). */
export interface VendorSource {
  /** As the user gave it. */
  spec: string;
  /** What the generated entry imports: an absolute path or the package name. */
  importPath: string;
  /** Directory a package name resolves from, and where a drawn <id>.svg icon is looked for. */
  dir: string;
}

export interface LoadedVendor {
  vendor: VendorDefinition;
  source: VendorSource;
  /** The export holding it, as a property path on the module namespace: ['acme'] or ['vendors', 3]. */
  exportPath: (string | number)[];
}

export interface LoadOptions {
  /** Relative paths resolve from here (default: process.cwd()). */
  cwd?: string;
  /** Resolve workspace packages to their TypeScript sources (the monorepo's own builds). */
  sourceCondition?: boolean;
}

export function vendorSource(spec: string, cwd = process.cwd()): VendorSource {
  const isPath = spec.startsWith('.') || isAbsolute(spec) || /\.[cm]?[jt]s$/.test(spec);
  if (!isPath) return { spec, importPath: spec, dir: cwd };
  const file = resolve(cwd, spec);
  return { spec, importPath: file, dir: resolve(file, '..') };
}

/** A JavaScript expression reading a loaded vendor from the module namespace `ns`. */
export function accessExpression(ns: string, exportPath: (string | number)[]): string {
  return ns + exportPath.map((p) => `[${JSON.stringify(p)}]`).join('');
}

/**
 * Loads every vendor module (bundled with esbuild, so .ts files work without a build step),
 * finds the vendors it exports and runs core's description checks on each. Throws a
 * VendorInputError naming the input and the first thing to fix.
 */
export async function loadVendors(specs: string[], options: LoadOptions = {}): Promise<LoadedVendor[]> {
  if (specs.length === 0) throw new VendorInputError('--vendor', 'no vendor module given (e.g. --vendor ./acme.ts)');
  const loaded: LoadedVendor[] = [];
  for (const spec of specs) {
    const source = vendorSource(spec, options.cwd);
    if (source.importPath !== spec && !existsSync(source.importPath)) throw new VendorInputError(spec, 'no such file');
    const namespace = await importModule(source, options);
    const found = vendorsIn(namespace);
    if (found.length === 0)
      throw new VendorInputError(
        spec,
        'exports no vendor: export a VendorDefinition (an object with id, signature, envelope and events) as a named or default export',
      );
    for (const exportPath of found) {
      const vendor = exportPath.reduce<any>((value, key) => value[key], namespace) as VendorDefinition;
      const problems = checkVendorDescription(vendor);
      if (problems.length > 0)
        throw new VendorInputError(spec, `fails the description checks: ${problems.map(formatProblem).join(' ')}`);
      const twin = loaded.find((l) => l.vendor.id === vendor.id);
      if (twin) throw new VendorInputError(spec, `vendor id "${vendor.id}" is also exported by ${twin.source.spec}`);
      loaded.push({ vendor, source, exportPath });
    }
  }
  return loaded;
}

async function importModule(source: VendorSource, options: LoadOptions): Promise<Record<string, unknown>> {
  let code: string;
  try {
    code = await bundleToMemory({
      contents: `export * from ${JSON.stringify(source.importPath)};\nexport { default } from ${JSON.stringify(source.importPath)};\n`,
      resolveDir: source.dir,
      format: 'esm',
      sourceCondition: options.sourceCondition,
    });
  } catch (e) {
    // A module without a default export is fine: retry with the named exports only.
    if (/No matching export .* "default"/.test(String((e as Error).message))) {
      code = await bundleToMemory({
        contents: `export * from ${JSON.stringify(source.importPath)};\n`,
        resolveDir: source.dir,
        format: 'esm',
        sourceCondition: options.sourceCondition,
      }).catch((err: unknown) => {
        throw new VendorInputError(source.spec, `does not load: ${firstLine(err)}`);
      });
    } else throw new VendorInputError(source.spec, `does not load: ${firstLine(e)}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'hookpack-vendor-'));
  try {
    const file = join(dir, 'vendor.mjs');
    writeFileSync(file, code);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new VendorInputError(source.spec, `does not load: ${firstLine(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstLine(e: unknown): string {
  const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
  if (errors?.[0]) {
    const { text, location } = errors[0];
    return location ? `${text} (${location.file}:${location.line})` : text;
  }
  return String(e instanceof Error ? e.message : e).split('\n')[0]!;
}

/** Looks enough like a VendorDefinition to be meant as one (the description checks do the rest). */
export function isVendor(value: unknown): value is VendorDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<VendorDefinition>;
  return typeof v.id === 'string' && Array.isArray(v.events) && typeof v.signature === 'object' && !!v.envelope;
}

/** The default export, else a `vendors` array, else every named export that is a vendor. */
function vendorsIn(ns: Record<string, unknown>): (string | number)[][] {
  const listed = (key: string): (string | number)[][] | undefined => {
    const value = ns[key];
    if (isVendor(value)) return [[key]];
    if (Array.isArray(value) && value.length > 0 && value.every(isVendor)) return value.map((_, i) => [key, i]);
    return undefined;
  };
  return (
    listed('default') ??
    listed('vendors') ??
    Object.keys(ns)
      .filter((k) => isVendor(ns[k]))
      .map((k) => [k])
  );
}
