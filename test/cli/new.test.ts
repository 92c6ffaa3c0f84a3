import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VendorDefinition } from '@hookpack/core';
import { vendorConformance } from '@hookpack/sandbox/testing';
import { buildDist, filesUnder, hookpack, repoRoot, scratchDir } from './support.js';

// `hookpack new`: what it writes is a working vendor module (it passes the conformance suite
// against the sandbox playing it) for every auth × signature choice, with a test that runs.

beforeAll(() => buildDist(), 120_000);

const AUTH = ['header:X-API-Key', 'bearer'];
const SIGNATURES = [
  'hmac-hex:X-Acme-Signature:sha256=',
  'hmac-hex:X-Acme-Signature',
  'timestamped:Acme-Signature',
  'standard-webhooks',
];

describe('hookpack new acme', () => {
  for (const auth of AUTH) {
    for (const signature of SIGNATURES) {
      it(`--auth ${auth} --signature ${signature}: a vendor module that passes vendorConformance`, async () => {
        const work = scratchDir('new');
        const args = ['new', 'acme', '--auth', auth, '--signature', signature, '--events', 'order.created,order.paid'];
        const run = await hookpack(args, work);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(filesUnder(work)).toEqual(['acme.test.ts', 'acme.ts']);
        const { acme } = (await import(pathToFileURL(join(work, 'acme.ts')).href)) as { acme: VendorDefinition };
        expect(acme.events.map((e) => e.type)).toEqual(['order.created', 'order.paid']);
        expect(acme.auth).toMatchObject(
          auth === 'bearer' ? { placement: 'bearer' } : { placement: 'header', headerName: 'X-API-Key' },
        );
        const report = await vendorConformance(acme);
        expect(report.failures).toEqual([]);
      });
    }
  }

  it('comments every field, and its test runs vendorConformance under node --test', { timeout: 60_000 }, async () => {
    const work = scratchDir('new');
    expect((await hookpack(['new', 'acme'], work)).code).toBe(0);
    const module = readFileSync(join(work, 'acme.ts'), 'utf8');
    for (const field of ['auth:', 'api:', 'signature:', 'envelope:', 'events:', 'delivery:', 'subscriptionOptions:'])
      expect(module).toContain(field);
    expect(module.split('\n').filter((l) => l.includes('//')).length).toBeGreaterThan(20);
    const test = readFileSync(join(work, 'acme.test.ts'), 'utf8');
    expect(test).toContain('vendorConformance(acme)');
    // Node 22 (the workspace's node@22) strips the types of acme.ts itself.
    const node22 = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
    const result = spawnSync(node22, ['--test', 'acme.test.ts'], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout + result.stderr).toMatch(/# pass 1/);
    expect(result.status).toBe(0);
  });

  it('--help shows an example', async () => {
    const run = await hookpack(['new', '--help'], repoRoot);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Example:\n  hookpack new acme --auth header:X-API-Key');
  });

  const bad: [string[], RegExp][] = [
    [['new'], /missing <id>/],
    [['new', 'Acme-Co'], /<id> "Acme-Co": use lowerCamelCase/],
    [['new', 'acme', '--auth', 'basic'], /--auth "basic": expected header:<Header-Name>/],
    [['new', 'acme', '--signature', 'rsa:X-Sig'], /--signature "rsa:X-Sig": unknown scheme "rsa"/],
    [['new', 'acme', '--signature', 'hmac-hex'], /--signature "hmac-hex": expected hmac-hex:<Header>/],
    [['new', 'acme', '--events', 'order created'], /--events: "order created" is not an event type/],
    [['new', 'acme', '--base-url', 'api.acme'], /--base-url "api\.acme" is not a URL/],
    [['new', 'acme', '--colour', 'red'], /Unknown option '--colour'/],
  ];
  for (const [args, message] of bad) {
    it(`usage error naming the flag: ${args.join(' ')}`, async () => {
      const work = scratchDir('new');
      const run = await hookpack(args, work);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(filesUnder(work)).toEqual([]);
    });
  }

  it('keeps existing files unless --force', async () => {
    const work = scratchDir('new');
    writeFileSync(join(work, 'acme.ts'), '// mine\n');
    const run = await hookpack(['new', 'acme'], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/acme\.ts already exists; pass --force to overwrite/);
    expect(readFileSync(join(work, 'acme.ts'), 'utf8')).toBe('// mine\n');
    expect(filesUnder(work)).toEqual(['acme.ts']);
    expect((await hookpack(['new', 'acme', '--force'], work)).code).toBe(0);
    expect(readFileSync(join(work, 'acme.ts'), 'utf8')).toContain('export const acme: VendorDefinition');
  });
});
