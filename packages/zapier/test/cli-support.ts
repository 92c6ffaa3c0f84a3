// Runs the real Zapier CLI (zapier-platform-cli, a devDependency) on Node 22 — the CLI refuses
// older Node. Offline: no analytics, no update check; only commands that need no Zapier login.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A Node ≥ 22 binary: this process when it is one, else the root's `node@22` devDependency. */
export function node22(): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  return join(dirname(require.resolve('node/package.json')), 'bin', 'node');
}

export const cliEntry = join(dirname(require.resolve('zapier-platform-cli/package.json')), 'src', 'bin', 'run');

export interface CliResult {
  code: number | null;
  output: string;
}

/** `zapier-platform <args>` in `cwd`, killed after `timeoutMs`. */
export function runCli(args: string[], cwd: string, timeoutMs = 90_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const nodeBin = node22();
    const child = spawn(nodeBin, [cliEntry, ...args], {
      cwd,
      env: {
        ...process.env,
        // npm scripts inside the CLI (the app's _zapier-build) must find Node 22 too.
        PATH: `${dirname(nodeBin)}:${process.env.PATH ?? ''}`,
        DISABLE_ZAPIER_ANALYTICS: '1',
        NO_UPDATE_NOTIFIER: '1',
        CI: 'true',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export interface ZipEntry {
  name: string;
  size: number;
  /** True when the entry is a symlink (unix mode in the external attributes). */
  isSymlink: boolean;
  /** The entry's bytes, decompressed. */
  read(): Buffer;
}

/** Entries of a zip file, from its central directory (enough to inspect a Zapier build). */
export function zipEntries(path: string): ZipEntry[] {
  const buf = readFileSync(path);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${path} is not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${n}`);
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const externalAttrs = buf.readUInt32LE(offset + 38);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    const mode = externalAttrs >>> 16;
    const method = buf.readUInt16LE(offset + 10);
    const compressedSize = buf.readUInt32LE(offset + 20);
    const localHeader = buf.readUInt32LE(offset + 42);
    const read = () => {
      const start = localHeader + 30 + buf.readUInt16LE(localHeader + 26) + buf.readUInt16LE(localHeader + 28);
      const data = buf.subarray(start, start + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${path}: ${name} uses compression method ${method}`);
    };
    entries.push({ name, size, isSymlink: (mode & 0o170000) === 0o120000, read });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
