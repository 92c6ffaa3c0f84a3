import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildN8nPackage } from '@hookpack/cli';
import { acme } from '../fixtures/acme.js';
import { buildDist, filesUnder, fixture, hookpack, repoRoot, scratchDir } from './support.js';

// `hookpack build n8n` on a vendor module from outside packages/providers: the package n8n
// loads, checked file by file, its node and credential classes loaded the way n8n loads them.

/** n8n-workflow, as n8n provides it to the package it loads (a peer): the workspace's copy. */
const n8nWorkflow = dirname(
  createRequire(join(repoRoot, 'packages', 'n8n-nodes-hookpack', 'package.json')).resolve('n8n-workflow/package.json'),
);

beforeAll(() => buildDist(), 120_000);

/** `hookpack build n8n` of the fixture into a scratch folder, with `extra` flags. */
async function buildFixture(scratch: string, extra: string[] = []) {
  const work = scratchDir(scratch);
  const out = join(work, 'n8n-nodes-acme-billing');
  return { out, run: await hookpack(['build', 'n8n', '--vendor', fixture, '--out', out, ...extra], work) };
}

/** require() from the built package, with n8n-workflow beside it as n8n provides it (a peer). */
function loaderOf(out: string): NodeJS.Require {
  mkdirSync(join(out, 'node_modules'), { recursive: true });
  if (!existsSync(join(out, 'node_modules', 'n8n-workflow')))
    symlinkSync(n8nWorkflow, join(out, 'node_modules', 'n8n-workflow'));
  return createRequire(join(out, 'package.json'));
}

describe('hookpack build n8n --vendor test/fixtures/acme.ts', () => {
  let out = '';
  let run: Awaited<ReturnType<typeof hookpack>>;
  beforeAll(async () => {
    ({ out, run } = await buildFixture('n8n'));
  }, 60_000);

  it('exits 0 and says what it built', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('built n8n-nodes-acme-billing');
  });

  it('writes a community package: n8n-nodes-* name, keyword, n8n lists, no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('n8n-nodes-acme-billing');
    expect(pkg.keywords).toContain('n8n-community-node-package');
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
    expect(pkg.n8n).toEqual({
      n8nNodesApiVersion: 1,
      strict: true,
      nodes: ['dist/nodes/AcmeBillingTrigger/AcmeBillingTrigger.node.js'],
      credentials: [
        'dist/credentials/HookpackAcmeBillingApi.credentials.js',
        'dist/credentials/HookpackRedis.credentials.js',
      ],
    });
    expect(pkg.description).toContain(acme.displayName);
    expect(filesUnder(out)).toEqual([
      '.hookpack-build.json',
      'LICENSE',
      'README.md',
      'dist/credentials/HookpackAcmeBillingApi.credentials.js',
      'dist/credentials/HookpackRedis.credentials.js',
      'dist/credentials/acmeBilling.svg',
      'dist/credentials/hookpackRedis.svg',
      'dist/index.js',
      'dist/nodes/AcmeBillingTrigger/AcmeBillingTrigger.node.js',
      'dist/nodes/AcmeBillingTrigger/AcmeBillingTrigger.node.json',
      'dist/nodes/AcmeBillingTrigger/acmeBilling.svg',
      'package.json',
    ]);
    expect(readFileSync(join(out, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('Acme Billing Trigger');
    const codex = JSON.parse(
      readFileSync(join(out, 'dist/nodes/AcmeBillingTrigger/AcmeBillingTrigger.node.json'), 'utf8'),
    );
    expect(codex.node).toBe('n8n-nodes-acme-billing.acmeBillingTrigger');
    expect(codex.resources.primaryDocumentation).toEqual([{ url: acme.docsUrl }]);
  });

  it('the bundle requires nothing but Node built-ins and n8n-workflow', () => {
    const code = readFileSync(join(out, 'dist/index.js'), 'utf8');
    const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    expect([...required].filter((r) => !r.startsWith('node:') && r !== 'n8n-workflow' && !isBuiltin(r))).toEqual([]);
  });

  it('n8n can load the node and the credential: the vendor description became an n8n trigger', () => {
    const load = loaderOf(out);
    const { AcmeBillingTrigger } = load('./dist/nodes/AcmeBillingTrigger/AcmeBillingTrigger.node.js');
    const node = new AcmeBillingTrigger();
    expect(node.description.name).toBe('acmeBillingTrigger');
    expect(node.description.displayName).toBe('Acme Billing Trigger');
    expect(node.description.credentials.map((c: { name: string }) => c.name)).toContain('hookpackAcmeBillingApi');
    expect(JSON.stringify(node.description.properties)).toContain('invoice.paid');
    expect(typeof node.webhookMethods.default.create).toBe('function');
    const { HookpackAcmeBillingApi } = load('./dist/credentials/HookpackAcmeBillingApi.credentials.js');
    expect(new HookpackAcmeBillingApi().name).toBe('hookpackAcmeBillingApi');
  });
});

describe('hookpack build n8n --cloud: the package n8n Cloud accepts', () => {
  let out = '';
  let run: Awaited<ReturnType<typeof hookpack>>;
  beforeAll(async () => {
    ({ out, run } = await buildFixture('n8n-cloud', ['--cloud']));
  }, 60_000);

  it('exits 0 and says it left the Redis check out', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('for n8n Cloud (no Redis redelivery check)');
  });

  it('has no Redis credential, and its README says what the build leaves out', () => {
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(pkg.n8n.credentials).toEqual(['dist/credentials/HookpackAcmeBillingApi.credentials.js']);
    expect(filesUnder(out).filter((f) => /redis/i.test(f))).toEqual([]);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('This build is for n8n Cloud');
  });

  it('the bundle uses none of what n8n Cloud refuses: sockets, node:util, timer globals, the global object', () => {
    const code = readFileSync(join(out, 'dist/index.js'), 'utf8');
    const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    expect([...required].sort()).toEqual(['n8n-workflow', 'node:crypto']);
    for (const name of ['setTimeout', 'clearTimeout', 'setInterval', 'setImmediate', 'globalThis', 'process.env'])
      expect(code.includes(name), name).toBe(false);
  });

  it('its node offers only the in-process redelivery check and asks for one credential', () => {
    const load = loaderOf(out);
    const { AcmeBillingTrigger } = load('./dist/nodes/AcmeBillingTrigger/AcmeBillingTrigger.node.js');
    const node = new AcmeBillingTrigger();
    expect(node.description.credentials.map((c: { name: string }) => c.name)).toEqual(['hookpackAcmeBillingApi']);
    const check = node.description.properties.find((p: { name: string }) => p.name === 'dedupeStore');
    expect(check.options.map((o: { value: string }) => o.value)).toEqual(['memory']);
    expect(JSON.stringify(node.description.properties)).not.toContain('Redis');
    expect(node.methods).toEqual({});
  });

  it('--cloud is refused for build zapier, naming the flag', async () => {
    const work = scratchDir('bad');
    const refused = await hookpack(['build', 'zapier', '--vendor', fixture, '--out', './out', '--cloud'], work);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--cloud is for build n8n only/);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });
});

function isBuiltin(name: string): boolean {
  return createRequire(import.meta.url)('node:module').builtinModules.includes(name);
}

describe('bad --vendor input: one line naming the file and the problem, exit 2, nothing written', () => {
  const cases: [string, string, RegExp][] = [
    ['missing.ts', '', /^hookpack: \.\/missing\.ts: no such file$/],
    ['syntax.ts', 'export const x = {;\n', /^hookpack: \.\/syntax\.ts: does not load: .*syntax\.ts:1\)$/],
    ['throws.ts', 'throw new Error("boom at load");\n', /^hookpack: \.\/throws\.ts: does not load: boom at load$/],
    ['nothing.ts', 'export const answer = 42;\n', /^hookpack: \.\/nothing\.ts: exports no vendor: /],
    [
      'no-events.ts',
      `import { acme } from ${JSON.stringify(fixture)};\nexport default { ...acme, events: [] };\n`,
      /^hookpack: \.\/no-events\.ts: fails the description checks: vendor "acmeBilling", events: no events\. Fix: /,
    ],
    [
      // An expiry nothing can renew: every subscription would lapse a lifetime after activation.
      'expiry-without-renewal.ts',
      `import { acme } from ${JSON.stringify(fixture)};\n` +
        'export default { ...acme, api: { ...acme.api, expiry: { maxLifetimeMs: 604800000, ' +
        "field: { path: 'expires_at', unit: 'iso' }, afterExpiry: 'delete' } } };\n",
      /^hookpack: \.\/expiry-without-renewal\.ts: fails the description checks: vendor "acmeBilling", api\.expiry\.renew: Acme Billing's subscriptions expire but nothing says how to renew them/,
    ],
  ];
  for (const [file, source, message] of cases) {
    it(file, async () => {
      const work = scratchDir('bad');
      if (source) writeFileSync(join(work, file), source);
      const run = await hookpack(['build', 'n8n', '--vendor', `./${file}`, '--out', './out'], work);
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr.trimEnd()).toMatch(message);
      expect(run.stdout).toBe('');
      expect(existsSync(join(work, 'out'))).toBe(false);
    });
  }

  it('the same vendor twice', async () => {
    const work = scratchDir('bad');
    const run = await hookpack(['build', 'n8n', '--vendor', fixture, '--vendor', fixture, '--out', './out'], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/vendor id "acmeBilling" is also exported by /);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  it('a name n8n would not load', async () => {
    const work = scratchDir('bad');
    const run = await hookpack(['build', 'n8n', '--vendor', fixture, '--out', './out', '--name', 'acme-nodes'], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--name "acme-nodes": n8n loads community packages named n8n-nodes-\*/);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  it('--author must be "Name <email>"; given, package.json gets both, as n8n verification asks', async () => {
    const work = scratchDir('bad');
    const bad = await hookpack(['build', 'n8n', '--vendor', fixture, '--out', './out', '--author', 'Jane'], work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--author "Jane": expected "Name <email>"/);
    expect(existsSync(join(work, 'out'))).toBe(false);
    const args = ['--author', 'Jane Doe <jane@acme.example>', '--homepage', 'https://acme.example/n8n'];
    const ok = await hookpack(['build', 'n8n', '--vendor', fixture, '--out', './out', ...args], work);
    expect(ok.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(work, 'out', 'package.json'), 'utf8'));
    expect(pkg.author).toEqual({ name: 'Jane Doe', email: 'jane@acme.example' });
    expect(pkg.homepage).toBe('https://acme.example/n8n');
    expect(readFileSync(join(work, 'out', 'LICENSE'), 'utf8')).toMatch(/Copyright \(c\) \d{4} Jane Doe\n/);
  });

  it('missing flags name the flag', async () => {
    const work = scratchDir('bad');
    expect((await hookpack(['build', 'n8n', '--out', './out'], work)).stderr).toMatch(/missing --vendor/);
    expect((await hookpack(['build', 'n8n', '--vendor', fixture], work)).stderr).toMatch(/missing --out/);
    const unknown = await hookpack(['build', 'n8n', '--vendor', fixture, '--out', 'x', '--vendors', 'y'], work);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--vendors'/);
    expect((await hookpack(['build', 'make'], work)).stderr).toMatch(/unknown build target "make"/);
  });
});

describe('--out that exists', () => {
  it('not empty: refused without --force, nothing touched', async () => {
    const work = scratchDir('out');
    mkdirSync(join(work, 'out'));
    writeFileSync(join(work, 'out', 'notes.txt'), 'mine');
    const run = await hookpack(['build', 'n8n', '--vendor', fixture, '--out', './out'], work);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toBe(
      'hookpack: ./out: the folder exists and is not empty; pass --force to write into it (only files hookpack wrote there are replaced)',
    );
    expect(filesUnder(join(work, 'out'))).toEqual(['notes.txt']);
  });

  it('--force keeps files hookpack did not write, and a rebuild removes only what the last build wrote', async () => {
    const work = scratchDir('out');
    const out = join(work, 'out');
    const second = join(work, 'second.ts');
    writeFileSync(
      second,
      `import { acme } from ${JSON.stringify(fixture)};\nexport const other = { ...acme, id: 'acmeTwo', displayName: 'Acme Two' };\n`,
    );
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await buildN8nPackage({ vendors: [fixture, second], outDir: out, force: true, name: 'n8n-nodes-acme' });
    expect(filesUnder(out)).toContain('dist/nodes/AcmeTwoTrigger/AcmeTwoTrigger.node.js');
    await buildN8nPackage({ vendors: [fixture], outDir: out, force: true, name: 'n8n-nodes-acme' });
    const files = filesUnder(out);
    expect(files).toContain('notes.txt');
    expect(files).toContain('dist/nodes/AcmeBillingTrigger/AcmeBillingTrigger.node.js');
    expect(files.filter((f) => f.includes('AcmeTwo'))).toEqual([]);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
