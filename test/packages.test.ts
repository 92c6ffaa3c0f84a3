// The published packages as a stranger gets them: `npm pack` each one, install the tarballs in an
// empty folder outside the repository, then import (ESM) and require (CommonJS) them on Node 22
// and on Node 20.19+, type-check a consumer under moduleResolution node16 and bundler, and run
// the ecosystem's package linters (publint, arethetypeswrong) on the very same tarballs.
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

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const PUBLISHED = ['@hookpack/core', '@hookpack/providers', '@hookpack/zapier', 'n8n-nodes-hookpack'];
// "whsec_" + base64: a secret every scheme signs with (Standard Webhooks decodes it; OpenAI uses it).
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

  it('the packages resolve to the installed tarballs, ESM and CommonJS builds apart', () => {
    const where = run(
      node22,
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
         const require = createRequire(process.cwd() + '/');
         const names = ${JSON.stringify(PUBLISHED)};
         console.log(JSON.stringify(names.map((n) => [import.meta.resolve(n), require.resolve(n)])));`,
      ],
      consumer,
    );
    const resolved = JSON.parse(where) as [string, string][];
    for (const [i, name] of PUBLISHED.entries()) {
      const [esm, cjs] = resolved[i]!;
      expect(esm).toContain(`/consumer/node_modules/${name}/dist/`);
      expect(cjs).toContain(`/consumer/node_modules/${name}/dist/`);
      // Nothing resolves into TypeScript sources (the workspace-only @hookpack/source condition).
      expect(esm.endsWith('.js') && cjs.endsWith('.js')).toBe(true);
    }
  });

  for (const name of PUBLISHED) {
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

  it('arethetypeswrong finds no problem in any tarball', () => {
    const attw = join(repoRoot, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    const found: string[] = [];
    for (const [name, file] of tarballs) {
      const result = spawnSync(node22, [attw, file, '--format', 'json'], { cwd: work, encoding: 'utf8' });
      const report = JSON.parse(result.stdout) as { analysis: { problems?: { kind: string }[] } };
      for (const problem of report.analysis.problems ?? []) found.push(`${name}: ${JSON.stringify(problem)}`);
      if (result.status !== 0 && found.length === 0)
        found.push(`${name}: attw exited ${result.status}: ${result.stderr}`);
    }
    expect(found).toEqual([]);
  });
});

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
  const headers = { ...staticHeaders, ...vendor.signature.scheme.sign({ body, secret: ${JSON.stringify(SECRET)} }) };
  if (eventHeader) headers[eventHeader] = event.type;
  if (deliveryIdHeader) headers[deliveryIdHeader] = 'dlv_packed_1';
  const genuine = verifyDelivery(vendor, { body, headers, secret: ${JSON.stringify(SECRET)} });
  const tampered = verifyDelivery(vendor, { body: Buffer.concat([body, Buffer.from(' ')]), headers, secret: ${JSON.stringify(SECRET)} });
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
    `import { deliveryDocument, verifyDelivery } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { createZapierApp } from '@hookpack/zapier';
import { createTriggerNodeClass, vendors as n8nVendors } from 'n8n-nodes-hookpack';
${body}`,
  );
  writeFileSync(
    join(dir, 'consumer.cjs'),
    `const { deliveryDocument, verifyDelivery } = require('@hookpack/core');
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
  writeFileSync(
    join(dir, 'consumer.ts'),
    `import { hmacHexScheme, type VendorDefinition, type VerifyFailureReason, type VerifyResult } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { createZapierApp } from '@hookpack/zapier';
import { createTriggerNodeClass } from 'n8n-nodes-hookpack';
${typed}`,
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
