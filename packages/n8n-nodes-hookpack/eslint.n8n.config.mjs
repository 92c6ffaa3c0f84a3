// n8n's community-node rules for this package (run through scripts/lint.mjs, which provides
// the plugin from a cache outside the repository).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const cache = process.env.HOOKPACK_N8N_LINT_CACHE;
if (!cache) throw new Error('run this config through scripts/lint.mjs (npm run lint -w n8n-nodes-hookpack)');
const load = (path) => import(pathToFileURL(join(cache, 'node_modules', path)).href);
const { n8nCommunityNodesPlugin } = await load('@n8n/eslint-plugin-community-nodes/dist/plugin.js');
const tseslint = (await load('typescript-eslint/dist/index.js')).default;

export default [
  { files: ['src/**/*.ts'], languageOptions: { parser: tseslint.parser } },
  // package.json rules (n8n field, no runtime dependencies, peer deps…) walk the file as one
  // object expression: typescript-eslint's parser gives them that AST (jsonc-eslint-parser's
  // JSON nodes leave them silent: a package.json with dependencies and a bad name passed).
  {
    files: ['package.json', 'dist/publish/package.json'],
    languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
  },
  // recommendedWithoutN8nCloudSupport = recommended minus the two n8n Cloud-only rules
  // (no-restricted-imports / -globals): they flag our imports of @hookpack/core, which the
  // build bundles, so the published package still has no runtime dependencies.
  n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
  // valid-author wants "Name <email>": this package's author is "hookpack maintainers", and the
  // address to publish under is the maintainers' choice (then: author in package.json, rule on).
  { files: ['dist/publish/package.json'], rules: { '@n8n/community-nodes/valid-author': 'off' } },
];
