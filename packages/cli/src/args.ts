import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '@hookpack/sandbox';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs; its errors become UsageErrors naming the flag and the command's --help. */
export function parse<T extends Options>(command: string, argv: string[], options: T) {
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
