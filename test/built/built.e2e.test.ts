// A connector author outside this repository, end to end: the hookpack packages packed and
// installed in an empty folder outside the repo, `hookpack new` writes a vendor module there,
// `hookpack build n8n` turns it into a community package that a real n8n 2.41 installs from its
// tarball and runs (activation registers with the sandbox playing that vendor, one event, one
// execution), and `hookpack build zapier` into an app the real Zapier CLI validates and builds.
// Each phase is timed and printed. Run with npm run test:built (n8n 2.41 on Node 24).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVendors } from '@hookpack/cli';
import type { VendorDefinition } from '@hookpack/core';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { runCli } from '../../packages/zapier/test/cli-support.js';
import {
  cacheRoot,
  createTriggerWorkflow,
  ensureN8n,
  freePort,
  installCommunityPackage,
  N8nRest,
  repoRoot,
  startN8n,
  // @ts-expect-error plain ESM harness, shared with the playground (npm start) and the n8n e2e
} from '@hookpack/playground/n8n';

const PACKED = [
  '@hookpack/core',
  '@hookpack/providers',
  '@hookpack/sandbox',
  '@hookpack/zapier',
  'n8n-nodes-hookpack',
  '@hookpack/cli',
];
const N8N_VERSION = process.env.HOOKPACK_N8N_VERSION ?? '2.41.0';
const timings: Record<string, string> = {};
let work = '';
let consumer = '';
let n8n: { url: string; stop(): Promise<void>; log(): string } | undefined;
let sandbox: Sandbox | undefined;

/** Runs `fn`, recording its duration under `phase`. */
async function timed<T>(phase: string, fn: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    timings[phase] = `${((performance.now() - t) / 1000).toFixed(1)} s`;
  }
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

/** `npx hookpack …` in the consumer folder: the bin the installed @hookpack/cli tarball brought. */
function hookpack(...args: string[]): string {
  return run(process.execPath, [join(consumer, 'node_modules', '.bin', 'hookpack'), ...args], consumer);
}

/** Version of `name` as Node resolves it from `from` (read from disk: some hide package.json from exports). */
function installedVersion(name: string, from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).version;
  }
  throw new Error(`${name} is not installed under ${from}: run npm install`);
}

async function until(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${n8n?.log().slice(-3000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hookpack-built-'));
  if (work.startsWith(repoRoot)) throw new Error(`${work} must be outside the repository`);
  consumer = join(work, 'connector');
  mkdirSync(consumer);
  await timed('pack', () => {
    run('npm', ['run', 'bundle', '-w', 'n8n-nodes-hookpack'], repoRoot);
    run('npm', ['pack', '--silent', '--pack-destination', work, ...PACKED.flatMap((p) => ['-w', p])], repoRoot);
  });
  await timed('install tarballs', () => {
    writeFileSync(join(consumer, 'package.json'), '{ "name": "acme-connector", "private": true, "type": "module" }\n');
    const tarballs = run('ls', [work], work)
      .split('\n')
      .filter((f) => f.endsWith('.tgz'))
      .map((f) => join(work, f));
    expect(tarballs).toHaveLength(PACKED.length);
    // The peers an n8n / Zapier project has anyway, pinned to what this repo tests with.
    const peers = [
      `n8n-workflow@${installedVersion('n8n-workflow', join(repoRoot, 'packages', 'n8n-nodes-hookpack'))}`,
      `zapier-platform-core@${installedVersion('zapier-platform-core', join(repoRoot, 'packages', 'zapier'))}`,
    ];
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs, ...peers], consumer);
  });
}, 600_000);

afterAll(async () => {
  await n8n?.stop();
  await sandbox?.stop();
  console.log('built-package e2e timings:', timings);
  if (work && !process.env.HOOKPACK_KEEP_BUILT) rmSync(work, { recursive: true, force: true });
});

describe('a vendor module outside the repository, with only the packed hookpack packages', () => {
  let vendor: VendorDefinition;

  it('hookpack new writes a vendor module whose own test passes', async () => {
    await timed('new + build n8n', () => {
      hookpack('new', 'acme', '--name', 'Acme', '--signature', 'hmac-hex:X-Acme-Signature:sha256=');
      hookpack(
        'build',
        'n8n',
        '--vendor',
        './acme.ts',
        '--out',
        './n8n-nodes-acme',
        '--author',
        'Acme Connectors <connectors@acme.example>',
        '--homepage',
        'https://acme.example/n8n',
      );
    });
    const test = run(process.execPath, ['--test', '--test-reporter=tap', 'acme.test.ts'], consumer);
    expect(test).toMatch(/# pass 1/);
    [{ vendor }] = await loadVendors(['./acme.ts'], { cwd: consumer });
  }, 120_000);

  it("n8n's community-node lint rules accept the built package.json", () => {
    // The plugin as the repository's own n8n lint installs it (npm run lint, before this in npm test).
    const lint = join(cacheRoot(), 'n8n-lint-0.32.0', 'node_modules');
    if (!existsSync(join(lint, 'eslint')))
      throw new Error(`${lint} is missing: run npm run lint -w n8n-nodes-hookpack once`);
    const config = join(work, 'eslint.n8n.config.mjs');
    writeFileSync(
      config,
      [
        `const { n8nCommunityNodesPlugin } = await import(${JSON.stringify(join(lint, '@n8n/eslint-plugin-community-nodes/dist/plugin.js'))});`,
        `const { parser } = (await import(${JSON.stringify(join(lint, 'typescript-eslint/dist/index.js'))})).default;`,
        // typescript-eslint reads a .json file as one object expression: the AST the package.json rules look at.
        `const languageOptions = { parser, parserOptions: { extraFileExtensions: ['.json'] } };`,
        `export default [{ files: ['**/package.json'], languageOptions }, n8nCommunityNodesPlugin.configs.recommended];`,
        '',
      ].join('\n'),
    );
    const args = [join(lint, 'eslint', 'bin', 'eslint.js'), '--config', config, '--max-warnings', '0'];
    expect(run(process.execPath, [...args, 'n8n-nodes-acme/package.json'], consumer)).toBe('');
  });

  it('hookpack build zapier: an app the real zapier-platform validates and builds offline', async () => {
    await timed('build zapier + validate + build', async () => {
      hookpack('build', 'zapier', '--vendor', './acme.ts', '--out', './zapier-acme');
      const app = join(consumer, 'zapier-acme');
      const validate = await runCli(['validate', '--without-style'], app);
      expect(validate.code, validate.output.slice(-3000)).toBe(0);
      expect(validate.output).toContain('This project is structurally sound!');
      const build = await runCli(['build', '--skip-dep-install', '--skip-validation'], app);
      expect(build.code, build.output.slice(-3000)).toBe(0);
      expect(build.output).toContain('Build complete');
    });
  }, 300_000);

  it('a built-in vendor from the installed @hookpack/providers builds into a valid app too', async () => {
    await timed('build zapier (built-in vendor) + validate', async () => {
      hookpack(
        'build',
        'zapier',
        '--vendor',
        '@hookpack/providers',
        '--vendor-id',
        'parley',
        '--out',
        './zapier-parley',
      );
      const validate = await runCli(['validate', '--without-style'], join(consumer, 'zapier-parley'));
      expect(validate.code, validate.output.slice(-3000)).toBe(0);
    });
  }, 300_000);

  it('hookpack build n8n: the tarball installs into a real n8n, activates against the sandbox, one event runs once', async () => {
    const n8nDir = await timed(`n8n ${N8N_VERSION} install (cached after the first run)`, () => ensureN8n(N8N_VERSION));
    await timed('n8n: install package + start + activate + event', async () => {
      const packed = run('npm', ['pack', '--silent', '--pack-destination', work, './n8n-nodes-acme'], consumer).trim();
      const pkg = JSON.parse(readFileSync(join(consumer, 'n8n-nodes-acme', 'package.json'), 'utf8'));
      expect(pkg.name).toBe('n8n-nodes-acme');
      expect(pkg.dependencies).toBeUndefined();
      const userFolder = join(work, 'n8n-user');
      installCommunityPackage(userFolder, join(work, packed.split('\n').at(-1)!));

      sandbox = await startSandbox({ vendors: [vendor], timeScale: 0.001 });
      const port = await freePort();
      n8n = await startN8n({ dir: n8nDir, userFolder, port });
      const rest = new N8nRest(n8n.url);
      await rest.login();
      const event = vendor.events[0]!.type;
      const { workflowId } = await createTriggerWorkflow(rest, {
        n8nUrl: n8n.url,
        sandbox,
        vendor,
        events: [event],
        name: 'built by hookpack: Acme',
        packageName: 'n8n-nodes-acme',
      });
      await rest.activate(workflowId);
      // n8n 2.x registers the webhook after answering the activate call.
      await until(() => sandbox!.subscriptions(vendor.id).length === 1, 'the trigger to register with the sandbox');

      const fired = sandbox.fire(vendor.id, event);
      expect(await sandbox.settle()).toBe(true);
      expect(sandbox.deliveries({ eventId: fired.eventId }).map((d) => d.state)).toEqual(['delivered']);
      await until(async () => (await rest.executions(workflowId)).length >= 1, 'the execution');
      const executions = await rest.executions(workflowId);
      expect(executions).toHaveLength(1);
      // The run carries the event the sandbox sent (its id and type), verified and normalized.
      const detail = await rest.executionData(executions[0].id);
      expect(detail.data).toContain(`"${fired.eventId}"`);
      expect(detail.data).toContain(event);
      expect(sandbox.subscriptions(vendor.id)).toHaveLength(1);
    });
  }, 900_000);
});
