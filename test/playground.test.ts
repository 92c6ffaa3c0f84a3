import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers
import { authFieldOf, credentialTypeOf, freePort } from '@hookpack/playground/n8n';
import { vendors } from '@hookpack/providers';
import { authFieldName, namesFor } from 'n8n-nodes-hookpack';

// The README's first command, as a user runs it (minus the build, which `npm install` did):
// sandbox + real n8n + one workflow per vendor, a sample event each, and the report.

const root = join(import.meta.dirname, '..');

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'packages/playground/src/playground.mjs'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`playground did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start (playground)', () => {
  it(
    'registers, delivers, verifies and refuses a forgery for every vendor in a real n8n',
    async () => {
      const port = await freePort();
      const r = await run(['--once', '--port', String(port)], 25 * 60_000);
      expect(r.stdout, r.stderr).toContain(
        `${vendors.length}/${vendors.length} vendors: registered, delivered, verified and forgery refused in n8n`,
      );
      for (const v of vendors) {
        const vendor = v.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        // Registered through the API, or pasted by hand (and verified first, for a vendor with a handshake).
        const registered = v.api
          ? 'yes \\(\\S+\\)'
          : v.handshake
            ? 'pasted by hand \\(URL verified\\)'
            : 'pasted by hand \\(no API\\)';
        expect(r.stdout).toMatch(
          new RegExp(
            `^${vendor} +\\S+ +${registered} +delivered \\(HTTP 200\\) +yes, execution \\d+ +refused \\(401\\)`,
            'm',
          ),
        );
      }
      expect(r.code).toBe(0);
    },
    26 * 60_000,
  );

  it('says what to fix on bad options, exit 2', async () => {
    const bad = await run(['--port', 'seventy'], 30_000);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be a port number/);
    const dir = await run(['--n8n-dir', '/nonexistent'], 30_000);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/--n8n-dir \/nonexistent has no node_modules\/n8n\/bin\/n8n/);
  });
});

describe('playground n8n harness', () => {
  it("names each vendor's credential type as n8n-nodes-hookpack does", () => {
    for (const vendor of vendors) expect(credentialTypeOf(vendor)).toBe(namesFor(vendor).credentialName);
  });

  it("names a client-credentials vendor's token-URL fields as n8n-nodes-hookpack does", () => {
    for (const name of ['tenant', 'region']) expect(authFieldOf(name)).toBe(authFieldName(name));
  });
});
