// Runs a command to completion with a time limit, printing a heartbeat while it works, and
// rejects with the tail of its output when it fails: for installs that take minutes.
import { spawn } from 'node:child_process';

/** Resolves with the seconds it took; `heartbeat()` may add a progress note to each beat. */
export function runCommand(cmd, args, { cwd, env, label, timeoutMs, log, heartbeat = () => '' }) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const beat = setInterval(
      () => log(`${label}: ${Math.round((Date.now() - started) / 1000)}s${heartbeat()}`),
      15_000,
    );
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearInterval(beat);
      clearTimeout(timer);
      if (code === 0) return resolve(Math.round((Date.now() - started) / 1000));
      const why = timedOut ? `timed out after ${timeoutMs / 1000}s` : (signal ?? `exit ${code}`);
      reject(new Error(`${label} failed (${why}):\n${tail}`));
    });
    child.on('error', (e) => {
      clearInterval(beat);
      clearTimeout(timer);
      reject(new Error(`${label}: could not run ${cmd}: ${e.message}`));
    });
  });
}
