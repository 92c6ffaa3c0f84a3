import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { zapierLimits } from '@hookpack/cli';
import { zapierLimitations } from '@hookpack/core';
import { appDirName, triggerKey } from '@hookpack/zapier';
import { vendors } from '@hookpack/providers';
import { runCli, zipEntries } from '../../packages/zapier/test/cli-support.js';
import { acme } from '../fixtures/acme.js';
import { buildDist, filesUnder, fixture, hookpack, repoRoot, scratchDir } from './support.js';

// `hookpack build zapier` on a vendor module from outside packages/providers, then the real
// Zapier CLI on the folder it wrote: offline build and validate --without-style.

beforeAll(() => buildDist(), 120_000);

describe('hookpack build zapier --vendor test/fixtures/acme.ts', { timeout: 180_000 }, () => {
  it('writes an app folder the real zapier-platform builds and validates', async () => {
    const work = scratchDir('zapier');
    const out = join(work, 'zapier-acme');
    const run = await hookpack(['build', 'zapier', '--vendor', fixture, '--out', out], work);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'zapier-acme-billing', type: 'module', exports: './dist/index.js' });
    expect(Object.keys(pkg.dependencies)).toEqual(['zapier-platform-core']);
    expect(filesUnder(out).filter((f) => !f.startsWith('node_modules/'))).toEqual([
      '.hookpack-build.json',
      '.zapierapprc',
      'dist/index.js',
      'package.json',
    ]);

    const build = await runCli(['build', '--skip-dep-install', '--skip-validation'], out);
    expect(build.code, build.output.slice(-3000)).toBe(0);
    const entries = zipEntries(join(out, 'build', 'build.zip'));
    const definition = JSON.parse(
      entries
        .find((e) => e.name === 'definition.json')!
        .read()
        .toString('utf8'),
    );
    expect(Object.keys(definition.triggers).sort()).toEqual(acme.events.map((e) => triggerKey(e.type)).sort());
    expect(entries.filter((e) => e.name.includes('@hookpack') || e.name.startsWith('../'))).toEqual([]);

    const validate = await runCli(['validate', '--without-style', '--skip-build'], out);
    expect(validate.code, validate.output.slice(-3000)).toBe(0);
    expect(validate.output).toContain('This project is structurally sound!');
  });

  it('a module with several vendors needs --vendor-id; a rebuild keeps what register stored in .zapierapprc', async () => {
    const work = scratchDir('zapier');
    const many = join(work, 'many.ts');
    writeFileSync(
      many,
      `import { acme } from ${JSON.stringify(fixture)};\nexport const vendors = [acme, { ...acme, id: 'acmeTwo' }];\n`,
    );
    const refused = await hookpack(['build', 'zapier', '--vendor', './many.ts', '--out', './app'], work);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trimEnd()).toBe(
      'hookpack: ./many.ts: exports 2 vendors (acmeBilling, acmeTwo); a Zapier app is one vendor: pass --vendor-id <id>',
    );
    expect(existsSync(join(work, 'app'))).toBe(false);

    const args = ['build', 'zapier', '--vendor', './many.ts', '--vendor-id', 'acmeTwo', '--out', './app'];
    expect((await hookpack(args, work)).code).toBe(0);
    const rc = join(work, 'app', '.zapierapprc');
    writeFileSync(rc, JSON.stringify({ ...JSON.parse(readFileSync(rc, 'utf8')), id: 12345, key: 'App12345' }));
    expect((await hookpack([...args, '--force'], work)).code).toBe(0);
    expect(JSON.parse(readFileSync(rc, 'utf8'))).toMatchObject({ id: 12345, key: 'App12345' });
  });
});

describe('zapierLimits: what a Zapier app cannot do, refused in one line', () => {
  it('every built-in vendor and the fixture can be built, except for what the platform cannot do (handshakes)', () => {
    for (const vendor of [...vendors, acme]) expect(zapierLimits(vendor), vendor.id).toEqual(zapierLimitations(vendor));
    expect(zapierLimitations(acme)).toEqual([]);
  });

  it('a vendor with a URL-verification handshake: refused in one line, naming the vendor and why; nothing written', async () => {
    const work = scratchDir('zapier');
    writeFileSync(
      join(work, 'verifying.ts'),
      `import { acme } from ${JSON.stringify(fixture)};\nimport { handshakeShapes } from '@hookpack/sandbox/testing';\n` +
        `export default { ...acme, handshake: Object.values(handshakeShapes)[0] };\n`,
    );
    const run = await hookpack(['build', 'zapier', '--vendor', './verifying.ts', '--out', './app'], work);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `hookpack: ./verifying.ts: Zapier cannot build vendor "acmeBilling": Acme Billing: its URL-verification handshake needs the challenge echoed as text, and a Zapier hook always answers with Zapier's own fixed response, so Acme Billing would never verify the Zap's URL.`,
    ]);
    expect(existsSync(join(work, 'app'))).toBe(false);
  });

  // Built-in vendors with a handshake (Slack): \`hookpack build zapier --vendor @hookpack/providers\`
  // refuses them at build time in one line, and the in-repo Zapier apps have none for them.
  const verifying = vendors.filter((v) => v.handshake);
  it.each(verifying.map((v) => [v.id]))(
    '%s (built in, with a handshake): build zapier refuses it in one line',
    async (id) => {
      const vendor = vendors.find((v) => v.id === id)!;
      const work = scratchDir('zapier');
      const run = await hookpack(
        ['build', 'zapier', '--vendor', '@hookpack/providers', '--vendor-id', id, '--out', './app'],
        work,
      );
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        `hookpack: @hookpack/providers: Zapier cannot build vendor "${id}": ${zapierLimitations(vendor)[0]}`,
      ]);
      expect(existsSync(join(work, 'app'))).toBe(false);
      expect(existsSync(join(repoRoot, 'packages', 'zapier-apps', appDirName(vendor)))).toBe(false);
    },
  );

  it('two events that become the same trigger key', async () => {
    const clash = { ...acme, events: [acme.events[0]!, { ...acme.events[0]!, type: 'invoice_paid' }] };
    expect(zapierLimits(clash)).toEqual([
      'events: "invoice.paid" and "invoice_paid" both become the Zapier trigger key "invoice_paid"',
    ]);
    const work = scratchDir('zapier');
    writeFileSync(
      join(work, 'clash.ts'),
      `import { acme } from ${JSON.stringify(fixture)};\nexport default { ...acme, events: [acme.events[0], { ...acme.events[0], type: 'invoice_paid' }] };\n`,
    );
    const run = await hookpack(['build', 'zapier', '--vendor', './clash.ts', '--out', './app'], work);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toBe(
      'hookpack: ./clash.ts: Zapier cannot build vendor "acmeBilling": events: "invoice.paid" and "invoice_paid" both become the Zapier trigger key "invoice_paid"',
    );
    expect(existsSync(join(work, 'app'))).toBe(false);
  });

  it('a vendor whose API takes client-credential tokens (not built for Zapier yet)', () => {
    const appOnly = {
      ...acme,
      auth: {
        kind: 'clientCredentials' as const,
        tokenUrl: 'https://login.acme.test/oauth2/token',
        scope: 'acme',
        fields: [],
        clientHelp: 'Acme → Apps.',
      },
    };
    expect(zapierLimits(appOnly)).toEqual([
      `auth: "clientCredentials" (an app's client id and secret exchanged for tokens): hookpack's Zapier apps take API keys only so far`,
    ]);
  });
});
