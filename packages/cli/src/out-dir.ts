import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/** What a build wrote, so a rebuild with --force replaces exactly that and nothing else. */
export const BUILD_RECORD = '.hookpack-build.json';

export class OutDirError extends Error {
  override name = 'OutDirError';
}

/** Files of one build: path relative to the output folder → content. */
export type OutputFiles = Map<string, string | Buffer>;

/**
 * Refuses an existing, non-empty folder unless `force`; returns the files an earlier hookpack
 * build recorded there (the only ones a rebuild may remove). Writes nothing.
 */
export function claimOutDir(outDir: string, force: boolean): string[] {
  const dir = resolve(outDir);
  if (!existsSync(dir)) return [];
  const entries = readdirSync(dir);
  if (entries.length === 0) return [];
  if (!force)
    throw new OutDirError(
      `${outDir}: the folder exists and is not empty; pass --force to write into it (only files hookpack wrote there are replaced)`,
    );
  const record = join(dir, BUILD_RECORD);
  if (!existsSync(record)) return [];
  try {
    const written = JSON.parse(readFileSync(record, 'utf8')).files;
    return Array.isArray(written) ? written.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Writes the files, removes what the previous build recorded and this one no longer writes
 * (directories named with a trailing "/" go as a whole), and records the new list.
 */
export function writeOutputs(outDir: string, files: OutputFiles, previous: string[], ownedDirs: string[] = []): void {
  const dir = resolve(outDir);
  const now = new Set([...files.keys(), ...ownedDirs]);
  for (const old of previous) {
    const target = resolve(dir, old);
    if (now.has(old) || !target.startsWith(dir + sep)) continue;
    rmSync(target, { recursive: old.endsWith('/'), force: true });
  }
  for (const [path, content] of files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  const record = { generatedBy: '@hookpack/cli', files: [...now].sort() };
  writeFileSync(join(dir, BUILD_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}
