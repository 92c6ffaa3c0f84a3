// Where the servers around n8n's queue mode live once Debian's packages are installed
// (`npm run services:install`): Postgres, Redis, and HAProxy as the load balancer.
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const SERVICES_INSTALL_COMMAND = 'npm run services:install';

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
    .find((bin) => ['initdb', 'postgres', 'pg_isready', 'psql'].every((b) => existsSync(join(bin, b))));
}

/** Debian packages whose server binary is not there, e.g. ['haproxy']. */
export function missingServices() {
  const found = {
    postgresql: postgresBinDir(),
    'redis-server': findBinary('redis-server'),
    haproxy: findBinary('haproxy'),
  };
  return Object.keys(found).filter((pkg) => !found[pkg]);
}
