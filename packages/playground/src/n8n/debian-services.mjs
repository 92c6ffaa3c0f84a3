// The servers n8n's queue mode needs around it — Postgres, Redis, and HAProxy as the load balancer —
// from Debian's packages. Installs only what is missing, as root, without prompts (CI has no
// stdin); everything else is a clear error naming the command to run.
//
//   npm run services:install        # as root: apt-get update + apt-get install -y <missing>
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from './run-command.mjs';

export const SERVICES_INSTALL_COMMAND = 'npm run services:install';

const log = (msg) => process.stderr.write(`[services] ${msg}\n`);

/** The first executable called `name` on PATH or in the sbin/bin dirs (Debian puts haproxy in /usr/sbin). */
export function findBinary(name) {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/sbin',
    '/usr/bin',
  ];
  return dirs
    .filter(Boolean)
    .map((d) => join(d, name))
    .find((p) => existsSync(p));
}

/** Debian's Postgres binaries live in /usr/lib/postgresql/<major>/bin, off PATH: the newest major's dir. */
export function postgresBinDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return majors
    .map((v) => join(root, v, 'bin'))
    .find((bin) => ['initdb', 'postgres', 'pg_isready'].every((b) => existsSync(join(bin, b))));
}

/** What each Debian package must provide, and how to tell it is there. */
export const DEBIAN_SERVICES = [
  { package: 'postgresql', binary: () => postgresBinDir() && join(postgresBinDir(), 'postgres') },
  { package: 'redis-server', binary: () => findBinary('redis-server') },
  { package: 'haproxy', binary: () => findBinary('haproxy') },
];

export function missingServices() {
  return DEBIAN_SERVICES.filter((s) => !s.binary()).map((s) => s.package);
}

/**
 * Installs the missing packages. Resolves with what it installed and how long it took; rejects
 * with a message naming the command when it cannot (not root, no apt-get, apt failed).
 */
export async function ensureDebianServices() {
  const missing = missingServices();
  if (missing.length === 0) return { installed: [], seconds: 0 };
  const apt = findBinary('apt-get');
  const manual = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.platform !== 'linux' || !apt) {
    throw new Error(
      `queue mode needs ${missing.join(', ')}, and this machine has no apt-get to install them: install them by hand (Debian/Ubuntu: ${manual})`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `queue mode needs ${missing.join(', ')} (Debian packages), not installed: run \`sudo ${SERVICES_INSTALL_COMMAND}\` (it runs ${manual})`,
    );
  }
  const started = Date.now();
  log(`installing ${missing.join(', ')} from Debian's packages (first run only)`);
  const env = { DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' };
  const stopServiceStarts = blockServiceStarts();
  try {
    await runCommand(apt, ['update'], { env, label: 'apt-get update', timeoutMs: 5 * 60_000, log });
    await runCommand(apt, ['install', '-y', '--no-install-recommends', ...missing], {
      env,
      label: `apt-get install ${missing.join(' ')}`,
      timeoutMs: 15 * 60_000,
      log,
    });
  } finally {
    stopServiceStarts();
  }
  const still = missingServices();
  if (still.length) throw new Error(`apt-get install finished but ${still.join(', ')} still not found`);
  const seconds = Math.round((Date.now() - started) / 1000);
  log(`installed ${missing.join(', ')} in ${seconds}s`);
  return { installed: missing, seconds };
}

/**
 * The tests run their own throwaway servers on free ports; the packages' default system
 * services (Postgres on 5432, Redis on 6379, HAProxy) would only take memory. Debian's
 * policy-rc.d hook (exit 101 = "do not start") stops the package scripts from starting them.
 * Docker images usually ship one already; only a file we created is removed again.
 */
function blockServiceStarts() {
  const policy = '/usr/sbin/policy-rc.d';
  if (existsSync(policy)) return () => {};
  writeFileSync(policy, '#!/bin/sh\n# hookpack services:install: do not start services while installing\nexit 101\n', {
    mode: 0o755,
  });
  return () => rmSync(policy, { force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureDebianServices().then(
    ({ installed, seconds }) =>
      console.log(
        installed.length
          ? `installed ${installed.join(', ')} in ${seconds}s`
          : `already installed: ${DEBIAN_SERVICES.map((s) => `${s.package} (${s.binary()})`).join(', ')}`,
      ),
    (e) => {
      console.error(`services:install failed: ${e.message}`);
      process.exit(1);
    },
  );
}
