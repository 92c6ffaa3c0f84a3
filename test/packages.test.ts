// The published packages as a stranger gets them: `npm pack` each one, install the tarballs in an
// empty folder outside the repository, then import (ESM) and require (CommonJS) them on Node 22
// and on Node 20.19+, type-check a consumer under moduleResolution node16 and bundler, and run
// the ecosystem's package linters (publint, arethetypeswrong) on the very same tarballs.
// @hookpack/sandbox and @hookpack/cli are ES modules only (no CommonJS build: Node >= 20.19
// requires them as ES modules); the cli's bin runs from the consumer folder through npx.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { vendors } from '@hookpack/providers';
import { createTriggerNodeClass } from 'n8n-nodes-hookpack';
import { triggerKey } from '@hookpack/zapier';
import { mainHelp } from '@hookpack/cli';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** With a CommonJS build: an ESM and a CommonJS one each (n8n-nodes-hookpack: CommonJS only, as n8n loads it). */
const WITH_CJS = ['@hookpack/core', '@hookpack/providers', '@hookpack/zapier', 'n8n-nodes-hookpack'];
/** Published as ES modules only: the sandbox (a test tool) and the cli (the hookpack bin and its library API). */
const ESM_ONLY = ['@hookpack/sandbox', '@hookpack/cli'];
const PUBLISHED = [...WITH_CJS, ...ESM_ONLY];
// whsec_ + base64: a secret every scheme signs with (Standard Webhooks keys are the decoded bytes).
const SECRET = `whsec_${Buffer.from('packed consumer secret').toString('base64')}`;

interface ConsumerResult {
  vendor: string;
  genuine: string | false;
  tampered: string;
  zapierTriggers: string[];
  n8nNode: string;
  n8nVendors: number;
}

const node22 = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
const node20 = findNode20();
let work = '';
let consumer = '';
const tarballs = new Map<string, string>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hookpack-packages-'));
  if (work.startsWith(repoRoot)) throw new Error(`the consumer folder ${work} must be outside the repository`);
  // Pack what the sources build to now, not a stale dist/ (tsc -b is incremental: fast when up to date).
  run(node22, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], repoRoot);
  run(node22, [join(repoRoot, 'shared', 'build-cjs.mjs')], repoRoot);
  run('npm', ['run', 'bundle', '-w', 'n8n-nodes-hookpack'], repoRoot);
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', work, ...PUBLISHED.flatMap((p) => ['-w', p])], repoRoot),
  ) as { name: string; filename: string }[];
  for (const { name, filename } of packed) tarballs.set(name, join(work, filename));
  expect([...tarballs.keys()].sort()).toEqual([...PUBLISHED].sort());

  consumer = join(work, 'consumer');
  run('mkdir', ['-p', consumer], work);
  writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
  // The peers a user has anyway (an n8n / Zapier project), pinned to what this repo tests with,
  // so npm finds them in its cache; @types/node for the TypeScript consumer.
  const peers = ['n8n-workflow', 'zapier-platform-core', '@types/node'].map(
    (name) => `${name}@${installedVersion(name)}`,
  );
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs.values(), ...peers],
    consumer,
  );
  writeConsumers(consumer);
}, 180_000);

afterAll(() => {
  // HOOKPACK_KEEP_PACKAGES=1 keeps the consumer folder to look into after a failure.
  if (work && !process.env.HOOKPACK_KEEP_PACKAGES) rmSync(work, { recursive: true, force: true });
});

describe('packed packages installed outside the repository', () => {
  const expected = () =>
    vendors.map((vendor) => ({
      vendor: vendor.id,
      genuine: vendor.events[0]!.type,
      tampered: 'signature_mismatch',
      zapierTriggers: vendor.events.map((e) => triggerKey(e.type)),
      n8nNode: new (createTriggerNodeClass(vendor))().description.name,
      n8nVendors: vendors.length,
    }));

  for (const [label, binary] of [
    ['Node 22', node22],
    ['Node 20', node20],
  ] as const) {
    for (const file of ['consumer.mjs', 'consumer.cjs']) {
      it(`${file} on ${label}: signs and verifies a delivery, builds a Zapier app and an n8n node per vendor`, () => {
        if (!binary) throw new Error('no Node 20.19+ on PATH: install it (Debian: nodejs) or set HOOKPACK_NODE20');
        const version = run(binary, ['--version'], consumer).trim();
        expect(version.startsWith(label === 'Node 22' ? 'v22.' : 'v20.')).toBe(true);
        const results = JSON.parse(run(binary, [file], consumer)) as ConsumerResult[];
        expect(results).toEqual(expected());
      });
    }
  }

  it('the packages resolve to the installed tarballs: ESM and CommonJS builds apart, one build for the ESM-only ones', () => {
    const where = run(
      node22,
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
         const require = createRequire(process.cwd() + '/');
         const names = ${JSON.stringify([...PUBLISHED, '@hookpack/sandbox/testing'])};
         console.log(JSON.stringify(names.map((n) => [import.meta.resolve(n), require.resolve(n)])));`,
      ],
      consumer,
    );
    const resolved = JSON.parse(where) as [string, string][];
    for (const [i, name] of [...PUBLISHED, '@hookpack/sandbox/testing'].entries()) {
      const [esm, cjs] = resolved[i]!;
      const dir = name
        .split('/')
        .slice(0, name.startsWith('@') ? 2 : 1)
        .join('/');
      expect(esm).toContain(`/consumer/node_modules/${dir}/dist/`);
      expect(cjs).toContain(`/consumer/node_modules/${dir}/dist/`);
      // Nothing resolves into TypeScript sources (the workspace-only @hookpack/source condition).
      expect(esm.endsWith('.js') && cjs.endsWith('.js')).toBe(true);
      if (name.startsWith('@hookpack/') && WITH_CJS.includes(name)) expect(cjs).toContain('/dist/cjs/');
      else expect(pathOf(cjs)).toBe(pathOf(esm));
    }
  });

  for (const [label, binary] of [
    ['Node 22', node22],
    ['Node 20', node20],
  ] as const) {
    it(`the ESM-only packages' library API on ${label}: import, and require (require(esm))`, () => {
      if (!binary) throw new Error('no Node 20.19+ on PATH: install it (Debian: nodejs) or set HOOKPACK_NODE20');
      // A sandbox really starts and answers; the cli's functions are there. Same program both ways.
      const body = (load: string) => `
${load}
const sandbox = await sandboxApi.startSandbox({ vendors: ['parley'], timeScale: 0.001 });
const res = await fetch(sandbox.baseUrl('parley') + '/v1/webhooks', { headers: { 'X-API-Key': sandbox.apiKey('parley') } });
await sandbox.stop();
console.log(JSON.stringify({
  sandbox: res.status,
  conformance: typeof testing.vendorConformance,
  cli: ['buildN8nPackage', 'buildZapierApp', 'loadVendors', 'main', 'zapierLimits'].map((f) => typeof cli[f]),
  limits: cli.zapierLimits(providers.getVendor('parley')),
}));`;
      const expected = { sandbox: 200, conformance: 'function', cli: Array(5).fill('function'), limits: [] };
      writeFileSync(
        join(consumer, 'esm-only.mjs'),
        body(`import * as sandboxApi from '@hookpack/sandbox';
import * as testing from '@hookpack/sandbox/testing';
import * as cli from '@hookpack/cli';
import * as providers from '@hookpack/providers';`),
      );
      writeFileSync(
        join(consumer, 'esm-only.cjs'),
        `(async () => {${body(`const sandboxApi = require('@hookpack/sandbox');
const testing = require('@hookpack/sandbox/testing');
const cli = require('@hookpack/cli');
const providers = require('@hookpack/providers');`)}
})();`,
      );
      for (const file of ['esm-only.mjs', 'esm-only.cjs'])
        expect(JSON.parse(run(binary, ['--no-warnings', file], consumer)), file).toEqual(expected);
    });

    it(`npx hookpack --help runs the installed cli's bin on ${label}`, () => {
      if (!binary) throw new Error('no Node 20.19+ on PATH: install it (Debian: nodejs) or set HOOKPACK_NODE20');
      // The bin's `#!/usr/bin/env node` runs on the first node on PATH. --no: never from the registry.
      // Without the npm_* / NODE variables of the npm that started vitest (npx would put its node first).
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|NODE$)/i.test(k)));
      env.PATH = `${dirname(binary)}${delimiter}${process.env.PATH ?? ''}`;
      const result = spawnSync('npx', ['--no', '--', 'hookpack', '--help'], { cwd: consumer, encoding: 'utf8', env });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toBe(mainHelp.trim());
      const version = spawnSync('npx', ['--no', '--', 'node', '--version'], { cwd: consumer, encoding: 'utf8', env });
      expect(version.stdout.trim()).toBe(run(binary, ['--version'], consumer).trim());
    });
  }

  for (const name of [...WITH_CJS, '@hookpack/cli']) {
    it(`the example in ${name}'s README runs as written and prints what it says`, () => {
      const readme = readFileSync(join(repoRoot, 'packages', name.replace('@hookpack/', ''), 'README.md'), 'utf8');
      const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(example, `${name}/README.md has a js example`).toBeDefined();
      const printed = /\/\/ prints: (.*)/.exec(example!)?.[1];
      expect(printed, `${name}'s example says what it prints`).toBeDefined();
      const file = `readme-${name.replace(/\W+/g, '-')}.${/^import /m.test(example!) ? 'mjs' : 'cjs'}`;
      writeFileSync(join(consumer, file), example!);
      expect(run(node22, [file], consumer).trim()).toBe(printed);
    });
  }

  for (const resolution of ['node16', 'bundler'] as const) {
    it(`a TypeScript consumer type-checks under moduleResolution ${resolution}`, () => {
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = spawnSync(node22, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: consumer, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      // Library checks are on, so our own declarations are checked too; errors inside the
      // peers' declarations (n8n-workflow, zapier-platform-core import types of packages they
      // do not depend on) are theirs, and any project using them has them as well.
      const errors = result.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
      const ours = errors.filter((line) => !line.startsWith('node_modules/') || isPublished(line));
      expect(ours).toEqual([]);
      // The consumer itself compiled (a failure to start would leave no error lines at all).
      expect(result.status === 0 || errors.length > 0).toBe(true);
    });
  }

  it('publint finds nothing in any tarball', async () => {
    const found: string[] = [];
    for (const [name, file] of tarballs) {
      const bytes = readFileSync(file);
      const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
      for (const message of messages)
        found.push(`${name}: ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
    }
    expect(found).toEqual([]);
  });

  it('arethetypeswrong finds no problem in any tarball (the ESM-only ones under its esm-only profile)', () => {
    const attw = join(repoRoot, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    const found: string[] = [];
    for (const [name, file] of tarballs) {
      // attw's esm-only profile leaves out what an ES-module-only package cannot give by design:
      // node10 resolution (no typesVersions for subpaths) and require from TypeScript's node16 CommonJS mode.
      const esmOnly = ESM_ONLY.includes(name);
      const profile = esmOnly ? ['--profile', 'esm-only'] : [];
      const result = spawnSync(node22, [attw, file, '--format', 'json', ...profile], { cwd: work, encoding: 'utf8' });
      const report = JSON.parse(result.stdout) as {
        analysis: { problems?: { kind: string; resolutionKind?: string }[] };
      };
      const ignored = esmOnly ? ['node10', 'node16-cjs'] : [];
      for (const problem of report.analysis.problems ?? [])
        if (!ignored.includes(problem.resolutionKind ?? '')) found.push(`${name}: ${JSON.stringify(problem)}`);
      if (result.status !== 0 && found.length === 0)
        found.push(`${name}: attw exited ${result.status}: ${result.stderr}`);
    }
    expect(found).toEqual([]);
  });
});

/** A file URL or path as a path. */
function pathOf(location: string): string {
  return location.startsWith('file:') ? fileURLToPath(location) : location;
}

function isPublished(errorLine: string): boolean {
  return PUBLISHED.some((name) => errorLine.startsWith(`node_modules/${name}/`));
}

/** The same program twice: once importing the packages, once requiring them. */
function writeConsumers(dir: string) {
  const body = `
const results = [];
for (const vendor of vendors) {
  const event = vendor.events[0];
  const envelope = vendor.envelope.build({
    id: 'evt_packed_1', type: event.type, createdAt: '2026-01-01T00:00:00.000Z', data: event.sample, livemode: false,
  });
  const body = Buffer.from(JSON.stringify(deliveryDocument(vendor, [envelope])));
  const { staticHeaders, eventHeader, deliveryIdHeader } = vendor.delivery;
  // Public-key vendors sign with a private key and are verified with its public key.
  const algorithm = vendor.signature.scheme.publicKeyAlgorithm;
  const pair = algorithm ? generateSigningKeyPair(algorithm) : undefined;
  const signWith = pair ? pair.privateKey : ${JSON.stringify(SECRET)};
  const verifyWith = pair ? pair.publicKey : ${JSON.stringify(SECRET)};
  const headers = { ...staticHeaders, ...vendor.signature.scheme.sign({ body, secret: signWith }) };
  if (eventHeader) headers[eventHeader] = event.type;
  if (deliveryIdHeader) headers[deliveryIdHeader] = 'dlv_packed_1';
  const genuine = verifyDelivery(vendor, { body, headers, secret: verifyWith });
  const tampered = verifyDelivery(vendor, { body: Buffer.concat([body, Buffer.from(' ')]), headers, secret: verifyWith });
  const app = createZapierApp(vendor, { version: '1.0.0', platformVersion: '19.1.0' });
  const Trigger = createTriggerNodeClass(vendor);
  results.push({
    vendor: vendor.id,
    genuine: genuine.ok && genuine.event.type,
    tampered: tampered.ok ? 'accepted' : tampered.reason,
    zapierTriggers: Object.keys(app.triggers),
    n8nNode: new Trigger().description.name,
    n8nVendors: n8nVendors.length,
  });
}
console.log(JSON.stringify(results));
`;
  writeFileSync(
    join(dir, 'consumer.mjs'),
    `import { deliveryDocument, generateSigningKeyPair, verifyDelivery } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { createZapierApp } from '@hookpack/zapier';
import { createTriggerNodeClass, vendors as n8nVendors } from 'n8n-nodes-hookpack';
${body}`,
  );
  writeFileSync(
    join(dir, 'consumer.cjs'),
    `const { deliveryDocument, generateSigningKeyPair, verifyDelivery } = require('@hookpack/core');
const { vendors } = require('@hookpack/providers');
const { createZapierApp } = require('@hookpack/zapier');
const { createTriggerNodeClass, vendors: n8nVendors } = require('n8n-nodes-hookpack');
${body}`,
  );
  // Each @ts-expect-error fails the check if a type resolved to `any` (an unresolvable declaration).
  const typed = `
const scheme = hmacHexScheme({ header: 'X-Acme-Signature', prefix: 'sha256=' });
const body = Buffer.from('{"id":"evt_1"}');
const headers: Record<string, string> = scheme.sign({ body, secret: 's3cret' });
const checked: VerifyResult = scheme.verify({ body, headers, secret: 's3cret' });
export const reason: VerifyFailureReason | null = checked.ok ? null : checked.reason;
// @ts-expect-error the secret is a string
scheme.sign({ body, secret: 42 });
const vendor: VendorDefinition = vendors[0]!;
export const app = createZapierApp(vendor, { version: '1.0.0', platformVersion: '19.1.0' });
// @ts-expect-error platformVersion is required
createZapierApp(vendor, { version: '1.0.0' });
export const nodeName: string = new (createTriggerNodeClass(vendor))().description.name;
// @ts-expect-error the n8n factory takes a VendorDefinition, not an id
createTriggerNodeClass('parley');
`;
  const esmOnlyTyped = `
export const limits: string[] = zapierLimits(vendor);
// @ts-expect-error buildZapierApp needs an outDir
buildZapierApp({ vendor: './acme.ts' });
export const started: Promise<Sandbox> = startSandbox({ vendors: ['parley'] });
export const report: Promise<ConformanceReport> = vendorConformance(vendor);
// @ts-expect-error vendorConformance takes a VendorDefinition
vendorConformance('parley');
`;
  writeFileSync(
    join(dir, 'consumer.ts'),
    `import { hmacHexScheme, type VendorDefinition, type VerifyFailureReason, type VerifyResult } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { createZapierApp } from '@hookpack/zapier';
import { createTriggerNodeClass } from 'n8n-nodes-hookpack';
import { buildZapierApp, zapierLimits } from '@hookpack/cli';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { vendorConformance, type ConformanceReport } from '@hookpack/sandbox/testing';
${typed}${esmOnlyTyped}`,
  );
  writeFileSync(
    join(dir, 'consumer-cjs.cts'),
    `import core = require('@hookpack/core');
import providers = require('@hookpack/providers');
import zapier = require('@hookpack/zapier');
import n8n = require('n8n-nodes-hookpack');
const { hmacHexScheme } = core;
type VendorDefinition = core.VendorDefinition;
type VerifyFailureReason = core.VerifyFailureReason;
type VerifyResult = core.VerifyResult;
const { vendors } = providers;
const { createZapierApp } = zapier;
const { createTriggerNodeClass } = n8n;
${typed}`,
  );
  const compilerOptions = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] };
  writeFileSync(
    join(dir, 'tsconfig.node16.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' },
      files: ['consumer.ts', 'consumer-cjs.cts'],
    }),
  );
  writeFileSync(
    join(dir, 'tsconfig.bundler.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler' },
      files: ['consumer.ts'],
    }),
  );
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 170_000 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed: ${result.error?.message ?? ''}\n${result.stderr}\n${result.stdout}`,
    );
  }
  return result.stdout;
}

/** The version of a package this repository installs (the n8n package's own copy first). */
function installedVersion(name: string): string {
  for (const dir of [join(repoRoot, 'packages', 'n8n-nodes-hookpack'), repoRoot]) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  }
  throw new Error(`${name} is not installed in the repository: run npm install`);
}

/** A Node 20.19+ binary: HOOKPACK_NODE20, else the first `node` on PATH that is one. */
function findNode20(): string | undefined {
  const candidates = [
    process.env.HOOKPACK_NODE20,
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'node')),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const [major, minor] = version.slice(1).split('.').map(Number);
    if (major === 20 && minor! >= 19) return candidate;
  }
  return undefined;
}
