// The release workflow cannot run here (it needs GitHub's OIDC token and npm credentials), so
// its promises are checked on the file: tests before publishing, provenance on every publish,
// dependencies published before their dependents.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { push?: { tags?: string[] } };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8')) as Workflow;
const manifests = new Map(
  readdirSync(join(repoRoot, 'packages')).flatMap((dir) => {
    try {
      const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
        dependencies?: Record<string, string>;
      };
      return [[pkg.name, pkg] as const];
    } catch {
      return [];
    }
  }),
);

const publishCommand = /\bnpm publish\b(.*)/;
const jobsPublishing = Object.entries(workflow.jobs).filter(([, job]) =>
  job.steps.some((s) => publishCommand.test(s.run ?? '')),
);

/** Jobs that must finish before `name` starts, directly or through others. */
function prerequisites(name: string, seen = new Set<string>()): Set<string> {
  const needs = workflow.jobs[name]?.needs;
  for (const need of typeof needs === 'string' ? [needs] : (needs ?? [])) {
    if (!seen.has(need)) {
      seen.add(need);
      prerequisites(need, seen);
    }
  }
  return seen;
}

function runsTests(job: Job): boolean {
  return job.steps.some((s) => /^npm (run )?test\b/m.test(s.run ?? ''));
}

describe('release workflow (.github/workflows/release.yml)', () => {
  it('is started by a version tag only', () => {
    expect(Object.keys(workflow.on)).toEqual(['push']);
    expect(workflow.on.push?.tags).toEqual(['v*.*.*']);
  });

  it('publishes only after a job that installs cleanly and runs the whole test suite', () => {
    expect(jobsPublishing.length).toBeGreaterThan(0);
    for (const [name, job] of jobsPublishing) {
      const before = [...prerequisites(name)].map((n) => workflow.jobs[n]!);
      expect(
        before.some((j) => runsTests(j) && j.steps.some((s) => s.run === 'npm ci')),
        name,
      ).toBe(true);
      // and never publishes a build that skipped installing from the lock file
      const install = job.steps.findIndex((s) => s.run === 'npm ci');
      const firstPublish = job.steps.findIndex((s) => publishCommand.test(s.run ?? ''));
      expect(install, `${name} runs npm ci`).toBeGreaterThanOrEqual(0);
      expect(install, `${name} runs npm ci before publishing`).toBeLessThan(firstPublish);
    }
  });

  it('every publish carries a provenance statement, with the OIDC permission it needs', () => {
    expect(workflow.permissions?.['id-token']).toBeUndefined(); // only the publishing job gets it
    for (const [name, job] of jobsPublishing) {
      expect(job.permissions?.['id-token'], name).toBe('write');
      const setupNode = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setupNode?.with?.['registry-url']).toBe('https://registry.npmjs.org');
      for (const step of job.steps.filter((s) => publishCommand.test(s.run ?? ''))) {
        const args = publishCommand.exec(step.run!)![1]!.split(/\s+/);
        expect(args, step.run).toContain('--provenance');
        expect(args.join(' '), step.run).toContain('--access public');
      }
    }
  });

  it('publishes core, the n8n and Zapier factories and what they depend on, dependencies first', () => {
    const published = jobsPublishing.flatMap(([, job]) =>
      job.steps.flatMap((s) => {
        const match = /\bnpm publish\b.*\s-w\s+(\S+)/.exec(s.run ?? '');
        return match ? [match[1]!] : [];
      }),
    );
    expect(published).toEqual(expect.arrayContaining(['@hookpack/core', '@hookpack/zapier', 'n8n-nodes-hookpack']));
    expect(new Set(published).size).toBe(published.length);
    for (const [i, name] of published.entries()) {
      const pkg = manifests.get(name);
      expect(pkg, `${name} is a workspace package`).toBeDefined();
      expect(pkg!.private, `${name} is not private`).not.toBe(true);
      for (const dep of Object.keys(pkg!.dependencies ?? {}).filter((d) => manifests.has(d))) {
        expect(published.indexOf(dep), `${dep} is published before ${name}`).toBeGreaterThanOrEqual(0);
        expect(published.indexOf(dep), `${dep} is published before ${name}`).toBeLessThan(i);
      }
    }
  });
});
