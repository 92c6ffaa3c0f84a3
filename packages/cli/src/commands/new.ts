import { existsSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EXIT, UsageError, type Io } from '@hookpack/sandbox';
import { parse } from '../args.js';
import { ScaffoldError, vendorModuleSource, vendorTestSource } from '../scaffold.js';

export const newHelp = `Usage: hookpack new <id> [--name "Display Name"] [--auth header:<Header>|bearer]
                         [--signature hmac-hex:<Header>[:<prefix>]|timestamped:<Header>|standard-webhooks]
                         [--base-url <url>] [--events a.b,c.d] [--dir <dir>] [--force]

Writes <id>.ts, a vendor module with every field of the description filled in and commented,
and <id>.test.ts, which runs hookpack's vendorConformance on it (node --test <id>.test.ts).
Defaults: --auth header:X-API-Key, --signature hmac-hex:X-<Name>-Signature:sha256=,
--base-url https://api.<id>.example, --events item.created,item.updated, --dir . (existing files
are kept unless --force).

Example:
  hookpack new acme --auth header:X-API-Key --signature hmac-hex:X-Acme-Signature:sha256= --events order.created,order.paid
  hookpack build n8n --vendor ./acme.ts --out ./n8n-nodes-acme`;

export function newCommand(argv: string[], io: Io): number {
  const { values, positionals } = parse('new', argv, {
    name: { type: 'string' },
    auth: { type: 'string' },
    signature: { type: 'string' },
    'base-url': { type: 'string' },
    events: { type: 'string' },
    dir: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) {
    io.out(newHelp);
    return EXIT.ok;
  }
  const [id, ...extra] = positionals;
  if (!id) throw new UsageError('missing <id> (e.g. hookpack new acme). Run "hookpack new --help" for usage.');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (hookpack new --help)`);
  const displayName = values.name ?? id.charAt(0).toUpperCase() + id.slice(1);
  const headerWord = displayName.replace(/[^A-Za-z0-9]+/g, '-');
  let module: string;
  try {
    module = vendorModuleSource({
      id,
      displayName,
      auth: values.auth ?? 'header:X-API-Key',
      signature: values.signature ?? `hmac-hex:X-${headerWord}-Signature:sha256=`,
      baseUrl: values['base-url'] ?? `https://api.${id.toLowerCase()}.example`,
      events: (values.events ?? 'item.created,item.updated')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    });
  } catch (e) {
    if (e instanceof ScaffoldError) throw new UsageError(e.message);
    throw e;
  }
  const dir = resolve(values.dir ?? '.');
  const files = [
    [join(dir, `${id}.ts`), module],
    [join(dir, `${id}.test.ts`), vendorTestSource(id, `${id}.ts`)],
  ] as const;
  const existing = files.filter(([path]) => existsSync(path)).map(([path]) => relative(process.cwd(), path));
  if (existing.length && !values.force)
    throw new UsageError(
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to overwrite`,
    );
  for (const [path, text] of files) writeFileSync(path, text);
  io.out(`wrote ${files.map(([p]) => relative(process.cwd(), p) || p).join(' and ')}`);
  io.out(
    `next: fill in what ${displayName}'s docs say, run node --test ${id}.test.ts, then hookpack build n8n --vendor ./${id}.ts --out ./n8n-nodes-${id.toLowerCase()}`,
  );
  return EXIT.ok;
}
