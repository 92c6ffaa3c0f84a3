// A connector author outside this repository, end to end: the hookpack packages packed and
// installed in an empty folder outside the repo, `hookpack new` writes a vendor module there,
// `hookpack build n8n` turns it into a community package that n8n's package.json lint rules
// accept, that n8n's community-package scanner (run offline) passes but for its two n8n Cloud
// rules (what they find is pinned), and that a real n8n 2.41 installs from its tarball and runs
// (activation registers with the sandbox playing that vendor, one event, one execution), and
// `hookpack build zapier` into an app the real Zapier CLI validates and builds, whose triggers
// run through zapier-platform-core's app tester against the sandbox (for that module and for
// test/fixtures/acme.ts copied there).
// Each phase is timed and printed. Run with npm run test:built (n8n 2.41 on Node 24).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVendors } from '@hookpack/cli';
import type { VendorDefinition } from '@hookpack/core';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { triggerKey } from '@hookpack/zapier';
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

const here = dirname(fileURLToPath(import.meta.url));

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The JSON on the line of `output` that starts with `prefix` (the helper scripts print one). */
function reported<T>(output: string, prefix: string): T {
  const line = output.split('\n').find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no "${prefix}" line in:\n${output.slice(-3000)}`);
  return JSON.parse(line.slice(prefix.length)) as T;
}

const n8nTarballs = new Map<string, string>();
/** `npm pack` of the built n8n package, once: what a user installs and what n8n's scanner downloads. */
/** The tarball of a package `hookpack build n8n` wrote into the consumer folder (packed once). */
function packedN8nPackage(dir = 'n8n-nodes-acme'): string {
  let tarball = n8nTarballs.get(dir);
  if (!tarball) {
    const packed = run('npm', ['pack', '--silent', '--pack-destination', work, `./${dir}`], consumer).trim();
    tarball = join(work, packed.split('\n').at(-1)!);
    n8nTarballs.set(dir, tarball);
  }
  return tarball;
}

const SCANNER = '@n8n/scan-community-package@0.32.0';
/**
 * n8n's community-package scanner, installed once into the cache outside the repository (like
 * n8n's lint plugin in packages/n8n-nodes-hookpack/scripts/lint.mjs: it pins eslint 9.29 and its
 * plugin wants n8n-workflow 2, which pins zod 3, beside this repository's zod 4). The first run
 * needs the npm registry.
 */
function ensureScanner(): string {
  const dir = join(cacheRoot(), 'n8n-scan-0.32.0');
  if (existsSync(join(dir, '.installed'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(cacheRoot(), { recursive: true });
  const staging = mkdtempSync(`${dir}.tmp-`);
  writeFileSync(join(staging, 'package.json'), '{ "private": true, "type": "module" }\n');
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', SCANNER, 'n8n-workflow@2.41.0'], staging);
  writeFileSync(join(staging, '.installed'), `${SCANNER}\n`);
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run installed it meanwhile
  }
  return dir;
}

interface ScanFinding {
  file: string;
  line: number;
  rule: string;
  severity: 'error' | 'warning';
  message: string;
}
interface ScanReport {
  files: string[];
  passed: boolean;
  message: string | null;
  findings: ScanFinding[];
}

/**
 * The environment n8n's lint tools run in outside a test: without vitest's NODE_ENV=test, under
 * which eslint-plugin-n8n-nodes-base takes package.json for a test fixture and its
 * community-package rules find nothing.
 */
const toolEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST')));

/** The scanner's `analyzePackage` on `dir` with the file patterns of one of its two legs (test/built/n8n-scan.mjs). */
function scan(scanner: string, dir: string, leg: 'source' | 'dist'): ScanReport {
  const output = run(process.execPath, [join(here, 'n8n-scan.mjs'), scanner, dir, leg], work, toolEnv());
  return reported<ScanReport>(output, 'scan: ');
}

/** The rules of n8n's recommended config that only n8n Cloud needs (left out by its recommendedWithoutN8nCloudSupport). */
const CLOUD_RULES = ['@n8n/community-nodes/no-restricted-globals', '@n8n/community-nodes/no-restricted-imports'];

/** `rule: name` for a finding of the two n8n Cloud rules (the global or module it names). */
function cloudFinding(f: ScanFinding): string {
  return `${f.rule.replace('@n8n/community-nodes/', '')}: ${/'([^']+)'/.exec(f.message)?.[1] ?? f.message}`;
}

/** A copy of the built package.json with what n8n's rules must refuse: name, runtime dependency, peer range, install script, overrides, no author, no community keyword. */
function brokenManifest(manifest: Record<string, unknown>): Record<string, unknown> {
  const { author: _author, ...rest } = manifest;
  return {
    ...rest,
    name: 'acme-nodes',
    keywords: ['n8n', 'webhook'],
    dependencies: { 'left-pad': '1.3.0' },
    peerDependencies: { 'n8n-workflow': '^2.0.0' },
    scripts: { postinstall: 'node setup.js' },
    overrides: { 'left-pad': '1.3.0' },
  };
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

// What n8n's community-node rules refuse in brokenManifest(): each thing it breaks, by rule.
const BROKEN_MANIFEST_RULES = [
  '@n8n/community-nodes/no-forbidden-lifecycle-scripts',
  '@n8n/community-nodes/no-overrides-field',
  '@n8n/community-nodes/no-runtime-dependencies',
  '@n8n/community-nodes/package-name-convention',
  '@n8n/community-nodes/valid-author',
  '@n8n/community-nodes/valid-peer-dependencies',
];

describe('a vendor module outside the repository, with only the packed hookpack packages', () => {
  let vendor: VendorDefinition;

  it('hookpack new writes a vendor module whose own test passes', async () => {
    await timed('new + build n8n', () => {
      hookpack('new', 'acme', '--name', 'Acme', '--signature', 'hmac-hex:X-Acme-Signature:sha256=');
      // The package for self-hosted n8n, and the same module for n8n Cloud (without the Redis check).
      for (const [out, extra] of [
        ['n8n-nodes-acme', []],
        ['n8n-nodes-acme-cloud', ['--name', 'n8n-nodes-acme-cloud', '--cloud']],
      ] as const) {
        hookpack(
          'build',
          'n8n',
          '--vendor',
          './acme.ts',
          '--out',
          `./${out}`,
          ...extra,
          '--author',
          'Acme Connectors <connectors@acme.example>',
          '--homepage',
          'https://acme.example/n8n',
        );
      }
    });
    const test = run(process.execPath, ['--test', '--test-reporter=tap', 'acme.test.ts'], consumer);
    expect(test).toMatch(/# pass 1/);
    [{ vendor }] = await loadVendors(['./acme.ts'], { cwd: consumer });
  }, 120_000);

  it("n8n's community-node lint rules accept the built package.json, and refuse a broken copy", () => {
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
    expect(run(process.execPath, [...args, 'n8n-nodes-acme/package.json'], consumer, toolEnv())).toBe('');

    // The rules do look at it: a copy with what they refuse is refused, rule by rule.
    const manifest = JSON.parse(readFileSync(join(consumer, 'n8n-nodes-acme', 'package.json'), 'utf8'));
    mkdirSync(join(consumer, 'broken-n8n-package'));
    writeFileSync(
      join(consumer, 'broken-n8n-package', 'package.json'),
      JSON.stringify(brokenManifest(manifest), null, 2),
    );
    let report: string;
    try {
      const broken = [...args, '--format', 'json', 'broken-n8n-package/package.json'];
      report = run(process.execPath, broken, consumer, toolEnv());
    } catch (e) {
      report = String((e as { stdout?: string }).stdout); // eslint exits 1 when it finds errors
    }
    const [{ messages }] = JSON.parse(report) as [{ messages: { ruleId: string }[] }];
    expect([...new Set(messages.map((m) => m.ruleId))].sort()).toEqual(BROKEN_MANIFEST_RULES);
  });

  it("n8n's community-package scanner (@n8n/scan-community-package) on the packed n8n package", async () => {
    const scanner = await timed('n8n scanner install (cached after the first run)', () => ensureScanner());
    await timed('n8n scanner: source + tarball', () => {
      // What the scanner downloads (the npm tarball), unpacked as it unpacks it.
      const unpacked = join(work, 'scan-tarball');
      mkdirSync(unpacked);
      run('tar', ['-xzf', packedN8nPackage(), '-C', unpacked, '--strip-components=1'], work);
      // Source leg: the package root of the source checkout, here the folder hookpack build wrote.
      const source = scan(scanner, join(consumer, 'n8n-nodes-acme'), 'source');
      expect(source.files).toEqual(['package.json']);
      expect(source).toMatchObject({ passed: true, findings: [] });

      // Tarball leg: every .js file and package.json.
      const dist = scan(scanner, unpacked, 'dist');
      expect(dist.files).toEqual([
        'dist/credentials/HookpackAcmeApi.credentials.js',
        'dist/credentials/HookpackRedis.credentials.js',
        'dist/index.js',
        'dist/nodes/AcmeTrigger/AcmeTrigger.node.js',
        'package.json',
      ]);
      // Every rule but n8n Cloud's two finds nothing, not even a warning.
      expect(dist.findings.filter((f) => !CLOUD_RULES.includes(f.rule))).toEqual([]);
      // n8n Cloud's two rules refuse only the Redis redelivery check's socket (node:net) and its
      // connect and command timers, in dist/index.js: pinned, so any other finding fails.
      const cloud = dist.findings.filter((f) => CLOUD_RULES.includes(f.rule));
      expect([...new Set(cloud.map((f) => f.file))]).toEqual(['dist/index.js']);
      expect([...new Set(cloud.map(cloudFinding))].sort()).toEqual([
        'no-restricted-globals: clearTimeout',
        'no-restricted-globals: setTimeout',
        'no-restricted-imports: node:net',
      ]);
      expect(dist.passed).toBe(false);
      expect(dist.message).toBe('ESLint violations found');

      // The --cloud build passes the whole scanner, n8n Cloud's rules included: both legs, no finding.
      const cloudUnpacked = join(work, 'scan-tarball-cloud');
      mkdirSync(cloudUnpacked);
      run('tar', ['-xzf', packedN8nPackage('n8n-nodes-acme-cloud'), '-C', cloudUnpacked, '--strip-components=1'], work);
      expect(scan(scanner, join(consumer, 'n8n-nodes-acme-cloud'), 'source')).toMatchObject({
        passed: true,
        findings: [],
      });
      const cloudDist = scan(scanner, cloudUnpacked, 'dist');
      expect(cloudDist.files).toEqual([
        'dist/credentials/HookpackAcmeApi.credentials.js',
        'dist/index.js',
        'dist/nodes/AcmeTrigger/AcmeTrigger.node.js',
        'package.json',
      ]);
      expect(cloudDist).toMatchObject({ passed: true, findings: [] });

      // The scanner reads package.json too: the broken copy fails on each thing it breaks.
      const broken = scan(scanner, join(consumer, 'broken-n8n-package'), 'dist');
      expect(broken.passed).toBe(false);
      expect([...new Set(broken.findings.map((f) => f.rule))].sort()).toEqual([
        ...BROKEN_MANIFEST_RULES,
        'n8n-nodes-base/community-package-json-author-missing',
        'n8n-nodes-base/community-package-json-keywords-without-official-tag',
      ]);
    });
  }, 300_000);

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

  it("the built apps' triggers run through zapier-platform-core's app tester against the sandbox", async () => {
    // The app built above from the `hookpack new` module, and one from test/fixtures/acme.ts
    // (bearer keys, timestamped signatures, wrapped answers) copied into the folder.
    copyFileSync(join(repoRoot, 'test', 'fixtures', 'acme.ts'), join(consumer, 'acme-billing.ts'));
    hookpack('build', 'zapier', '--vendor', './acme-billing.ts', '--out', './zapier-acme-billing');
    copyFileSync(join(here, 'zapier-app-tester.mjs'), join(consumer, 'zapier-app-tester.mjs'));
    const pinned = installedVersion('zapier-platform-core', join(repoRoot, 'packages', 'zapier'));
    const env = { ...process.env, HOOKPACK_ALLOW_LOOPBACK_HTTP: '1' };
    await timed('Zapier app tester (2 apps)', async () => {
      for (const [module, appDir] of [
        ['./acme.ts', './zapier-acme'],
        ['./acme-billing.ts', './zapier-acme-billing'],
      ] as const) {
        const [{ vendor: v }] = await loadVendors([module], { cwd: consumer });
        const output = run(process.execPath, ['zapier-app-tester.mjs', module, appDir], consumer, env);
        const seen = reported<any>(output, 'app tester: ');
        const event = v.events.find((e) => e.type === seen.event)!;
        expect(event, `${appDir}: ${seen.event}`).toBeDefined();
        // zapier-platform-core of the consumer folder, the version this repository pins.
        expect(seen.core).toEqual({ version: pinned, path: join(consumer, 'node_modules', 'zapier-platform-core') });
        expect(seen.triggers.sort()).toEqual(v.events.map((e) => triggerKey(e.type)).sort());
        // The connection test passes with the sandbox's key and says why with a revoked one.
        expect(seen.auth).toBeTruthy();
        expect(seen.authWithRevokedKey).toMatch(/^API key invalid or revoked: /);
        // performSubscribe: the subscription at the vendor, for the hook URL and the event.
        expect(seen.atVendor).toMatchObject({ url: seen.targetUrl, events: [event.type], active: true });
        expect(seen.subscribeData).toMatchObject({ id: seen.atVendor.id, secret: seen.atVendor.secret });
        // The sandbox's signed delivery, as received, through perform: that event, once.
        expect(seen.settled).toBe(true);
        expect(seen.delivered).toBe(1);
        expect(seen.results).toHaveLength(1);
        expect(seen.results[0]).toMatchObject({ id: seen.fired, type: event.type, provider: v.id, data: event.sample });
        // One byte changed after signing, or a signature made with another secret: nothing.
        expect(seen.tampered).toEqual([]);
        expect(seen.forgedDiffers).toBe(true);
        expect(seen.forged).toEqual([]);
        // performUnsubscribe: gone at the vendor (again: already gone, still a success); no more deliveries.
        expect(seen.unsubscribe).toMatchObject({ id: seen.atVendor.id, deleted: true, alreadyGone: false });
        expect(seen.afterUnsubscribe).toEqual([]);
        expect(seen.unsubscribeAgain).toMatchObject({ alreadyGone: true });
        expect(seen.deliveredAfterUnsubscribe).toBe(0);
      }
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

  // The n8n Cloud build, the one whose bundle the scanner passes whole (the build with the Redis
  // check is n8n-nodes-hookpack's: every other n8n e2e suite runs it).
  it('hookpack build n8n --cloud: the tarball installs into a real n8n, activates against the sandbox, one event runs once', async () => {
    const n8nDir = await timed(`n8n ${N8N_VERSION} install (cached after the first run)`, () => ensureN8n(N8N_VERSION));
    await timed('n8n: install package + start + activate + event', async () => {
      const tarball = packedN8nPackage('n8n-nodes-acme-cloud');
      const pkg = JSON.parse(readFileSync(join(consumer, 'n8n-nodes-acme-cloud', 'package.json'), 'utf8'));
      expect(pkg.name).toBe('n8n-nodes-acme-cloud');
      expect(pkg.dependencies).toBeUndefined();
      const userFolder = join(work, 'n8n-user');
      installCommunityPackage(userFolder, tarball);

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
        packageName: 'n8n-nodes-acme-cloud',
      });
      // The node n8n loaded offers only the in-process redelivery check, and needs no Redis credential.
      const types = await fetch(`${rest.url}/types/nodes.json`, { headers: { cookie: rest.cookie } });
      const node = ((await types.json()) as any[]).find((t) => String(t.name).startsWith('n8n-nodes-acme-cloud.'));
      expect(node, 'the Acme trigger in /types/nodes.json').toBeDefined();
      const check = node.properties.find((p: { name: string }) => p.name === 'dedupeStore');
      expect(check.options.map((o: { value: string }) => o.value)).toEqual(['memory']);
      expect(node.credentials.map((c: { name: string }) => c.name)).toEqual(['hookpackAcmeApi']);
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
