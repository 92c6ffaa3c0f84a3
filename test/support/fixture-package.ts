// Community packages of test-only vendors (test/fixtures/*.ts), built the way a connector author
// builds one (buildN8nPackage, what `hookpack build n8n` runs) and packed for a real n8n.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildN8nPackage } from '@hookpack/cli';

/** Builds the package of `test/fixtures/<fixture>` named `name` and packs it into `workDir`; returns the tarball. */
export async function packFixturePackage(workDir: string, fixture: string, name: string): Promise<string> {
  const outDir = join(workDir, name);
  await buildN8nPackage({
    vendors: [fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url))],
    outDir,
    name,
    author: 'hookpack tests <tests@hookpack.invalid>',
    homepage: 'https://hookpack.invalid',
  });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir, outDir], {
    encoding: 'utf8',
  }).trim();
  return join(workDir, tarball.split('\n').at(-1)!);
}
