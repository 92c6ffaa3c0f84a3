import { defineConfig } from 'vitest/config';

// One runner for the whole monorepo. Packages are resolved through their "@hookpack/source"
// export condition, so tests run against src/ without a build step in between.
export default defineConfig({
  resolve: { conditions: ['@hookpack/source'] },
  // Node-side (SSR) resolution has its own conditions: without this, workspace packages
  // would load from a possibly stale dist/.
  ssr: { resolve: { conditions: ['@hookpack/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
  },
});
