import { beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_COMMANDS } from '@hookpack/sandbox';
import { buildDist, hookpack, repoRoot } from './support.js';

// The hookpack bin is @hookpack/cli's: its own commands, and the sandbox's run through it.
beforeAll(() => buildDist(), 120_000);

describe('hookpack', () => {
  it('--help lists new, build and every sandbox command', async () => {
    const run = await hookpack(['--help'], repoRoot);
    expect(run.code).toBe(0);
    for (const command of ['new', 'build', ...SANDBOX_COMMANDS])
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('runs the sandbox commands of @hookpack/sandbox', async () => {
    for (const command of SANDBOX_COMMANDS) {
      const run = await hookpack([command, '--help'], repoRoot);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain(`hookpack ${command}`);
    }
    const verify = await hookpack(['verify', 'nobody'], repoRoot);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toMatch(/unknown vendor "nobody"/);
  });

  it('an unknown command names the commands there are', async () => {
    const run = await hookpack(['biuld'], repoRoot);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toBe(
      `hookpack: unknown command "biuld". Commands: new, build, ${SANDBOX_COMMANDS.join(', ')} (hookpack --help).`,
    );
  });
});
