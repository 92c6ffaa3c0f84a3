// Test support for the hookpack bin: runs it as a process (its built dist, as `npx hookpack`
// does) in a scratch folder under test-artifacts/ (git-ignored, inside the repository so the
// vendor modules written there resolve @hookpack/core and zod like a consumer's would).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { afterAll } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binPath = join(repoRoot, 'packages', 'cli', 'bin', 'hookpack.js');
export const fixture = join(repoRoot, 'test', 'fixtures', 'acme.ts');

/** Builds the workspace's dist (incremental: quick when nothing changed), so the bin runs the current code. */
export function buildDist(): void {
  execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], {
    cwd: repoRoot,
    stdio: 'pipe',
  });
}

const scratch: string[] = [];
// Scratch folders go when the test file ends (HOOKPACK_KEEP_CLI=1 keeps them to look into).
afterAll(() => {
  if (!process.env.HOOKPACK_KEEP_CLI)
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function scratchDir(label: string): string {
  const base = join(repoRoot, 'test-artifacts', 'cli');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${label}-`));
  scratch.push(dir);
  return dir;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `hookpack <args>` in `cwd`, killed after timeoutMs. */
export function hookpack(args: string[], cwd: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hookpack ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file under `dir`, relative, sorted (what a build left there). */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const rel = prefix ? `${prefix}/${name}` : name;
      return statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), rel) : [rel];
    })
    .sort();
}
