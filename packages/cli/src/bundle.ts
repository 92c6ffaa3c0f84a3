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
  /**
   * Gives the bundle its own object where bundled code says `globalThis` (zod keeps its config and
   * schema registry there). n8n Cloud refuses community nodes that touch the global object, and a
   * private one also keeps this bundle's zod state apart from n8n's own zod. The build fails if
   * bundled code uses `globalThis` for anything but zod's two entries.
   */
  privateGlobals?: boolean;
}

const GLOBALS_SHIM = 'hookpack:bundle-globals';
const GLOBALS_NAME = '__hookpackBundleGlobals';
/** What bundled code may keep on the private object: zod v4's config and registry, nothing else. */
const PRIVATE_GLOBAL_USE = new RegExp(`${GLOBALS_NAME}\\d*(?:\\)\\.|\\.)__zod_global(?:Config|Registry)\\b`, 'g');

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
    ...(input.privateGlobals && {
      inject: [GLOBALS_SHIM],
      plugins: [
        {
          name: 'hookpack-private-globals',
          setup(build) {
            build.onResolve({ filter: /^hookpack:bundle-globals$/ }, () => ({
              path: 'globals',
              namespace: 'hookpack',
            }));
            build.onLoad({ filter: /.*/, namespace: 'hookpack' }, () => ({
              contents: `const ${GLOBALS_NAME} = {};\nexport { ${GLOBALS_NAME} as globalThis };\n`,
              loader: 'js',
            }));
          },
        },
      ],
    }),
  });
  const code = result.outputFiles![0]!.text;
  if (input.privateGlobals) checkPrivateGlobals(code);
  return code;
}

function checkPrivateGlobals(code: string): void {
  // The shim's own declaration and assignment (esbuild may split them), then zod's uses.
  const rest = code
    .replace(new RegExp(`\\b(?:var|let|const) ${GLOBALS_NAME}\\d*\\b( = \\{\\})?`, 'g'), '')
    .replace(new RegExp(`\\b${GLOBALS_NAME}\\d* = \\{\\}`, 'g'), '')
    .replace(PRIVATE_GLOBAL_USE, '');
  const at = rest.indexOf(GLOBALS_NAME);
  if (at !== -1)
    throw new Error(
      `internal: bundled code uses globalThis for something other than zod's config (near: ${rest.slice(Math.max(0, at - 80), at + 80)})`,
    );
}
