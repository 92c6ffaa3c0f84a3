import { describe, expect, it } from 'vitest';
import { bundleToMemory } from '../src/bundle.js';

// privateGlobals: the bundle gets its own object where its code says `globalThis` (n8n Cloud
// refuses the global object), and only zod's two entries may live there.
const bundle = (contents: string) =>
  bundleToMemory({ contents, resolveDir: process.cwd(), format: 'cjs', privateGlobals: true });

function evaluate(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports;
}

describe('bundleToMemory with privateGlobals', () => {
  it("zod's config and registry land on a private object, not on the real global one", async () => {
    const code = await bundle(
      [
        '(globalThis).__zod_globalConfig ??= { locale: "x" };',
        'globalThis.__zod_globalRegistry ??= new Map();',
        'export const config = globalThis.__zod_globalConfig;',
      ].join('\n'),
    );
    expect(code).not.toContain('globalThis');
    expect(evaluate(code).config).toEqual({ locale: 'x' });
    expect((globalThis as Record<string, unknown>).__zod_globalConfig).toBeUndefined();
  });

  it('any other use of globalThis fails the build, naming it', async () => {
    await expect(bundle('export const f = globalThis.fetch;')).rejects.toThrow(
      /internal: bundled code uses globalThis for something other than zod's config/,
    );
    await expect(bundle('export const g = globalThis;')).rejects.toThrow(/uses globalThis/);
  });

  it('without privateGlobals the code is left as written', async () => {
    const code = await bundleToMemory({
      contents: 'export const f = typeof globalThis.fetch;',
      resolveDir: process.cwd(),
      format: 'cjs',
    });
    expect(code).toContain('globalThis.fetch');
  });
});
