import { EXIT, UsageError, type Io } from '@hookpack/sandbox';
import { parse } from '../args.js';
import { authorField, buildN8nPackage } from '../n8n-package.js';
import { OutDirError } from '../out-dir.js';
import { VendorInputError } from '../vendor-input.js';
import { buildZapierApp } from '../zapier-app.js';

export const buildHelp = `Usage: hookpack build n8n    --vendor <module> [--vendor <module> …] --out <dir> [--name n8n-nodes-x] [--version v]
                            [--author "Name <email>"] [--homepage <url>] [--cloud] [--force]
       hookpack build zapier --vendor <module> [--vendor-id <id>] --out <dir> [--name x] [--version v] [--force]

Builds, from vendor modules (.ts or .js files exporting a VendorDefinition, e.g. from "hookpack new"):
  n8n     an n8n community node package: package.json, bundled CommonJS nodes and credentials
          (no runtime dependencies), icons (<id>.svg next to the module, or generated), codex,
          README, LICENSE. Install: npm pack <dir>, then npm install <tarball> in ~/.n8n/nodes.
          --cloud: a package n8n Cloud accepts (its scanner's rules): without the Redis
          redelivery check, which needs sockets that n8n Cloud refuses.
  zapier  a Zapier CLI app folder for one vendor, ready for zapier-platform validate / build / push.

Example:
  hookpack build n8n --vendor ./acme.ts --out ./n8n-nodes-acme
  hookpack build zapier --vendor ./acme.ts --out ./zapier-acme

A module that does not load, exports no vendor or fails the description checks: one line naming it,
exit 2, nothing written. --out must be empty or missing; --force writes into it and replaces only
files an earlier hookpack build wrote there.`;

export async function buildCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('build', argv, {
    vendor: { type: 'string', multiple: true },
    'vendor-id': { type: 'string' },
    out: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    force: { type: 'boolean' },
    author: { type: 'string' },
    homepage: { type: 'string' },
    cloud: { type: 'boolean' },
  });
  if (values.help) {
    io.out(buildHelp);
    return EXIT.ok;
  }
  const [target, ...extra] = positionals;
  if (target !== 'n8n' && target !== 'zapier')
    throw new UsageError(
      `${target ? `unknown build target "${target}"` : 'missing build target'}: use "hookpack build n8n" or "hookpack build zapier" (hookpack build --help)`,
    );
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (hookpack build --help)`);
  const vendors = values.vendor ?? [];
  if (vendors.length === 0) throw new UsageError('missing --vendor <module> (e.g. --vendor ./acme.ts)');
  if (!values.out) throw new UsageError('missing --out <dir> (e.g. --out ./n8n-nodes-acme)');
  if (target === 'zapier' && vendors.length > 1)
    throw new UsageError('--vendor: a Zapier app is one vendor; give --vendor once');
  if (target === 'n8n' && values['vendor-id']) throw new UsageError('--vendor-id is for build zapier only');
  if (target === 'zapier' && (values.author || values.homepage || values.cloud))
    throw new UsageError(
      `${values.cloud ? '--cloud' : '--author and --homepage'} ${values.cloud ? 'is' : 'are'} for build n8n only`,
    );
  if (values.author !== undefined && typeof authorField(values.author) === 'string')
    throw new UsageError(`--author "${values.author}": expected "Name <email>" (n8n asks community packages for both)`);
  // As given: messages name the folder the way the user wrote it.
  const common = { outDir: values.out, force: values.force ?? false, name: values.name, version: values.version };
  try {
    if (target === 'n8n') {
      const built = await buildN8nPackage({
        ...common,
        vendors,
        author: values.author,
        homepage: values.homepage,
        cloud: values.cloud ?? false,
      });
      io.out(
        `built ${built.name} in ${values.out}: ${built.vendors.length} trigger node(s) (${built.vendors.join(', ')})${values.cloud ? ', for n8n Cloud (no Redis redelivery check)' : ''}`,
      );
      if (!values.author || !values.homepage)
        io.out(
          'note: n8n verifies community packages with an author email and a homepage: add --author "Name <email>" --homepage <url>',
        );
      io.out(`install: npm pack ${values.out} && (cd ~/.n8n/nodes && npm install <tarball>), then restart n8n`);
    } else {
      const built = await buildZapierApp({ ...common, vendor: vendors[0]!, vendorId: values['vendor-id'] });
      io.out(
        `built Zapier app ${built.name} (${built.vendor}) in ${values.out}: dist/index.js ${(built.bytes / 1024).toFixed(0)} KiB, zapier-platform-core ${built.platformVersion}`,
      );
      io.out(`next: cd ${values.out} && npx zapier-platform validate && npx zapier-platform push`);
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof VendorInputError || e instanceof OutDirError || isOptionError(e)) {
      io.err(`hookpack: ${(e as Error).message}`);
      return EXIT.usage;
    }
    throw e;
  }
}

/** Options the builders refuse (a name n8n does not load, a missing peer): usage errors too. */
function isOptionError(e: unknown): boolean {
  return (
    e instanceof Error &&
    /^(--name|manifest\.|zapier-platform-core is not installed|\S+ is not installed next to)/.test(e.message)
  );
}
