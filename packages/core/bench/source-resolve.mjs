// Resolve hook for source-loader.mjs: `./x.js` imported from a `.ts` file → `./x.ts`.
export async function resolve(specifier, context, nextResolve) {
  const fromTs = context.parentURL?.endsWith('.ts');
  if (fromTs && specifier.startsWith('.') && specifier.endsWith('.js')) {
    try {
      return await nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    } catch {
      // no .ts sibling: fall through to the specifier as written
    }
  }
  return nextResolve(specifier, context);
}
