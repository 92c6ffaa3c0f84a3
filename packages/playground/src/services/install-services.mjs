// npm run services:install — the servers the tests run for real, from Debian's packages:
// redis-server (the n8n trigger's shared redelivery check), postgresql and haproxy (n8n queue
// mode), chromium (the editor test drives it through puppeteer-core, which downloads no browser). Installs only what is missing; needs root (CI runs as root) and apt-get. The tests
// start their own throwaway instances on free loopback ports, never the system services.
import { spawnSync } from 'node:child_process';

const wanted = [
  { pkg: 'redis-server', has: () => ok('redis-server', ['--version']) },
  { pkg: 'postgresql', has: () => ok('sh', ['-c', 'ls /usr/lib/postgresql/*/bin/initdb']) },
  { pkg: 'haproxy', has: () => ok('haproxy', ['-v']) },
  { pkg: 'chromium', has: () => ok('chromium', ['--version']) },
];

function ok(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, timeoutMs) {
  const result = spawnSync(cmd, args, {
    stdio: 'inherit',
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    console.error(`[services] ${cmd} ${args.join(' ')} failed (${why})`);
    process.exit(1);
  }
}

const missing = wanted.filter((w) => !w.has()).map((w) => w.pkg);
if (missing.length === 0) {
  console.log(`[services] ${wanted.map((w) => w.pkg).join(', ')} are installed`);
  process.exit(0);
}
if (!ok('apt-get', ['--version'])) {
  console.error(
    `[services] missing ${missing.join(', ')} and there is no apt-get: install them with your package manager`,
  );
  process.exit(1);
}
if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  console.error(
    `[services] missing ${missing.join(', ')}: run as root, or: sudo apt-get install -y ${missing.join(' ')}`,
  );
  process.exit(1);
}
console.log(`[services] installing ${missing.join(', ')} from Debian's packages`);
// Waits (bounded) for a dpkg lock another apt run may hold.
const lock = ['-o', 'DPkg::Lock::Timeout=300'];
run('apt-get', [...lock, 'update', '-qq'], 10 * 60_000);
run('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...missing], 15 * 60_000);
const still = wanted.filter((w) => !w.has()).map((w) => w.pkg);
if (still.length) {
  console.error(`[services] still missing after apt-get: ${still.join(', ')}`);
  process.exit(1);
}
console.log('[services] done');
