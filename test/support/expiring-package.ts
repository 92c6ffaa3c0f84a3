// The community package of test/fixtures/expiring-parley.ts (subscriptions that expire and are
// renewed), built the way a connector author builds one, packed for a real n8n to install.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildN8nPackage } from '@hookpack/cli';
import { expiringParley } from '../fixtures/expiring-parley.js';

export const EXPIRING_PACKAGE = 'n8n-nodes-parley-expiring';

/** The sandbox's `expiryTimeScale` that makes the fixture's seven-day lifetime pass in ten seconds (renewal due after six). */
export const TEN_SECOND_LIFETIME = 10_000 / expiringParley.api!.expiry!.maxLifetimeMs;

/** Builds and packs the package into `workDir`; returns the tarball's path. */
export async function packExpiringPackage(workDir: string): Promise<string> {
  const outDir = join(workDir, EXPIRING_PACKAGE);
  await buildN8nPackage({
    vendors: [fileURLToPath(new URL('../fixtures/expiring-parley.ts', import.meta.url))],
    outDir,
    name: EXPIRING_PACKAGE,
    author: 'hookpack tests <tests@hookpack.invalid>',
    homepage: 'https://hookpack.invalid',
  });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir, outDir], {
    encoding: 'utf8',
  }).trim();
  return join(workDir, tarball.split('\n').at(-1)!);
}
