import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder: generated entries resolve the factories (its dependencies) from here. */
export const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const require = createRequire(join(cliDir, 'package.json'));

/** Folder of an installed package this CLI depends on, by its package.json (real path). */
export function dependencyDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new Error(`${name} is not installed next to @hookpack/cli: run npm install`);
  }
}
