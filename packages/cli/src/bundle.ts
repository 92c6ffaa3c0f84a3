import { build } from 'esbuild';

export interface BundleInput {
  /** The entry's source (generated: imports the factory and the vendor modules). */
  contents: string;
  /** Where its bare imports resolve from. */
  resolveDir: string;
  format: 'esm' | 'cjs';
  /** Node versions the output must run on. */
  target?: string;
  external?: string[];
  /** Resolve workspace packages through "@hookpack/source" (their TypeScript sources). */
  sourceCondition?: boolean | undefined;
  minify?: boolean;
}

/** One self-contained file in memory (nothing is written until every check has passed). */
export async function bundleToMemory(input: BundleInput): Promise<string> {
  const result = await build({
    stdin: { contents: input.contents, resolveDir: input.resolveDir, loader: 'ts', sourcefile: 'hookpack-entry.ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: input.format,
    target: input.target ?? 'node20',
    external: input.external ?? [],
    conditions: input.sourceCondition ? ['@hookpack/source'] : [],
    // ESM output may bundle CommonJS code that requires Node built-ins.
    banner:
      input.format === 'esm'
        ? {
            js: "import { createRequire as __hookpackRequire } from 'node:module';\nconst require = __hookpackRequire(import.meta.url);",
          }
        : {},
    minifySyntax: input.minify ?? false,
    minifyWhitespace: input.minify ?? false,
    legalComments: input.minify ? 'none' : 'eof',
    logLevel: 'silent',
  });
  return result.outputFiles![0]!.text;
}
