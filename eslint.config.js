// One lint setup for the monorepo: typescript-eslint's recommended rules on every package's
// sources and tests. The n8n package adds n8n's community-node rules in its own config.
// Generated Zapier app directories (generate-apps.mjs) are build output, like dist.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'packages/zapier-apps/*/**',
      '!packages/zapier-apps/src/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
