// A server process the harness owns (Postgres, Redis, HAProxy): spawned in the foreground so
// it dies with its handle, waited on with a bounded readiness check, stopped with a signal and
// killed if it does not exit in time.
import { spawn } from 'node:child_process';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns `cmd args` (as `user` {uid, gid} when given) and resolves once `ready()` is true.
 * `stopSignal` is the server's own fast-shutdown signal.
 */
export async function startLocalServer({
  label,
  cmd,
  args,
  user,
  cwd,
  env,
  ready,
  readyTimeoutMs = 30_000,
  stopSignal = 'SIGTERM',
}) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  let log = '';
  const keep = (c) => {
    log = (log + c.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = signal ?? `exit ${code}`;
      resolve();
    });
    child.on('error', (e) => {
      exited = `could not start: ${e.message}`;
      resolve();
    });
  });
  const handle = {
    label,
    child,
    log: () => log,
    async stop() {
      if (exited) return;
      child.kill(stopSignal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exitPromise;
      clearTimeout(killer);
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`${label} exited during startup (${exited}):\n${log.slice(-3000)}`);
    if (await ready().catch(() => false)) return handle;
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`${label} did not become ready within ${readyTimeoutMs / 1000}s:\n${log.slice(-3000)}`);
    }
    await sleep(200);
  }
}
