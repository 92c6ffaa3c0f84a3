import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { VendorDefinition } from '@hookpack/core';
import { getVendor, vendors } from '@hookpack/providers';
import { isLoopbackUrl } from '../http-util.js';

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The command ran, and the answer is "no": delivery not 2xx, signature invalid, … */
  failed: 1,
  /** Bad command line or unreadable input: nothing was done. */
  usage: 2,
} as const;

/** A mistake on the command line; the message says what to fix. */
export class UsageError extends Error {}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

type Options = NonNullable<ParseArgsConfig['options']>;
type Config<T extends Options> = {
  args: string[];
  options: T & { help: { type: 'boolean'; short: string } };
  allowPositionals: true;
  strict: true;
};
// Spelled out: the inferred type, emitted into dist/cli/args.d.ts, named a type parameter of
// @types/node's that is not in scope there (a consumer's tsc without skipLibCheck failed on it).
type Parsed<T extends Options> = ReturnType<typeof parseArgs<Config<T>>>;

/** node:util parseArgs, with its errors turned into UsageErrors that name the command. */
export function parse<T extends Options>(command: string, argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(
      `${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\nRun "hookpack ${command} --help" for usage.`,
    );
  }
}

export function vendorArg(id: string | undefined, command: string): VendorDefinition {
  if (!id)
    throw new UsageError(`missing <vendor>. One of: ${vendorIds()}.\nRun "hookpack ${command} --help" for usage.`);
  const vendor = getVendor(id);
  if (!vendor) throw new UsageError(`unknown vendor "${id}". One of: ${vendorIds()}.`);
  return vendor;
}

export function vendorIds(): string {
  return vendors.map((v) => v.id).join(', ');
}

export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

export function readFileArg(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${flag} file "${path}": ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

export function readJsonArg(flag: string, path: string): unknown {
  const text = readFileArg(flag, path).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${flag} file "${path}" is not valid JSON: ${(e as Error).message}`);
  }
}

/** Target URLs must be loopback unless the user opts out: the tools never reach other hosts by accident. */
export function loopbackUrlArg(flag: string, value: string | undefined, allowExternal: boolean): URL {
  if (!value) throw new UsageError(`missing ${flag} <url>`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} "${value}" is not a URL (expected e.g. http://127.0.0.1:5678/webhook)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
  if (!isLoopbackUrl(url) && !allowExternal) {
    throw new UsageError(
      `${flag} ${url.host} is not a loopback address; pass --allow-external to send outside this machine`,
    );
  }
  return url;
}
