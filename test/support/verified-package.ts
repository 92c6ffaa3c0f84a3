// The community package of test/fixtures/acme-verified.ts (a URL verified while create waits),
// built the way a connector author builds one, packed for n8n to install beside n8n-nodes-hookpack.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildN8nPackage } from '@hookpack/cli';

export const VERIFIED_PACKAGE = 'n8n-nodes-acme-verified';

/** Builds and packs the package into `workDir`; returns the tarball's path. */
export async function packVerifiedPackage(workDir: string): Promise<string> {
  const outDir = join(workDir, VERIFIED_PACKAGE);
  await buildN8nPackage({
    vendors: [fileURLToPath(new URL('../fixtures/acme-verified.ts', import.meta.url))],
    outDir,
    name: VERIFIED_PACKAGE,
  });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir, outDir], {
    encoding: 'utf8',
  }).trim();
  return join(workDir, tarball.split('\n').at(-1)!);
}
