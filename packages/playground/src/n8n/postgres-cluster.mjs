// A throwaway Postgres cluster for one test run: initdb into a temp dir, the server on a free
// loopback port, trust auth on 127.0.0.1 only, no fsync (the data is thrown away). Postgres
// refuses to run as root, so as root the cluster belongs to the `postgres` OS user that
// Debian's package creates.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postgresBinDir, SERVICES_INSTALL_COMMAND } from './service-binaries.mjs';
import { startLocalServer } from './local-server.mjs';
import { freePort } from './n8n-instance.mjs';

/** Who runs Postgres: ourselves, or (as root) the `postgres` OS user. */
function serverUser() {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `Postgres cannot run as root and there is no "postgres" OS user (Debian's postgresql package creates it: ${SERVICES_INSTALL_COMMAND})`,
    );
  }
}

/** Starts the cluster with one database; resolves with its connection settings and stop(). */
export async function startPostgres({ database = 'n8n', readyTimeoutMs = 60_000 } = {}) {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`no Postgres binaries under /usr/lib/postgresql/*/bin: run ${SERVICES_INSTALL_COMMAND}`);
  const user = serverUser();
  // Its own temp dir, not inside another: a root-only (0700) parent would lock the postgres user out.
  const dir = mkdtempSync(join(tmpdir(), 'hookpack-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync(
      join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
      { ...as, stdio: 'pipe', timeout: 60_000 },
    );
    const port = await freePort();
    const launch = () =>
      startLocalServer({
        label: 'postgres',
        cmd: join(bin, 'postgres'),
        args: [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `unix_socket_directories=${dir}`,
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=200',
        ],
        user,
        cwd: dir,
        // SIGINT = Postgres's "fast" shutdown.
        stopSignal: 'SIGINT',
        readyTimeoutMs,
        ready: async () => {
          execFileSync(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], { timeout: 5000 });
          return true;
        },
      });
    let server = await launch();
    execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database], {
      stdio: 'pipe',
      timeout: 30_000,
    });
    return {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database,
      log: () => server.log(),
      /** Runs one SQL statement with psql; resolves with its rows, columns split on tabs. */
      async query(sql) {
        const { stdout } = await promisify(execFile)(
          join(bin, 'psql'),
          ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-At', '-F', '\t', '-c', sql],
          { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
        );
        return stdout
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => line.split('\t'));
      },
      /** An outage: the server stops (fast shutdown), the data stays for resume(). */
      async pause() {
        await server.stop();
      },
      /** The same cluster back on the same port. */
      async resume() {
        server = await launch();
      },
      async stop() {
        await server.stop();
        remove();
      },
    };
  } catch (e) {
    remove();
    throw e;
  }
}
