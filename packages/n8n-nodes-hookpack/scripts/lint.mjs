// Lints the package with n8n's community-node rules (@n8n/eslint-plugin-community-nodes).
// The plugin pins eslint 9.29 and wants n8n-workflow 2 (which pins zod 3) as peers, which
// cannot live in this monorepo's tree (zod 4), so it is installed once into a cache outside
// the repository, like the n8n used by the end-to-end test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PLUGIN = '@n8n/eslint-plugin-community-nodes@0.32.0';
const TOOLS = [
  'eslint@9.29.0',
  'typescript-eslint@8.73.0',
  'n8n-workflow@2.41.0',
  'typescript@5.9.3',
  'jsonc-eslint-parser@2.4.0',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(process.env.HOOKPACK_CACHE ?? join(homedir(), '.cache', 'hookpack'), 'n8n-lint-0.32.0');
const eslintBin = join(cache, 'node_modules', 'eslint', 'bin', 'eslint.js');

if (!existsSync(join(cache, '.installed'))) {
  process.stderr.write(`[lint] installing ${PLUGIN} and eslint into ${cache} (first run only)\n`);
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'package.json'), '{"private":true,"type":"module"}\n');
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', PLUGIN, ...TOOLS], {
    cwd: cache,
    stdio: 'inherit',
  });
  writeFileSync(join(cache, '.installed'), `${PLUGIN}\n`);
}

const result = spawnSync(
  process.execPath,
  [
    eslintBin,
    '--config',
    join(root, 'eslint.n8n.config.mjs'),
    '--max-warnings',
    '0',
    'src',
    'dist/publish/package.json',
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, HOOKPACK_N8N_LINT_CACHE: cache },
  },
);
process.exit(result.status ?? 1);
