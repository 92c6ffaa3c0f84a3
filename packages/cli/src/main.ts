import { cliHelp, cliMain, EXIT, processIo, SANDBOX_COMMANDS, UsageError, type Io } from '@hookpack/sandbox';
import { buildCommand } from './commands/build.js';
import { newCommand } from './commands/new.js';

export const mainHelp = `${cliHelp.replace(
  /\n\nRun "hookpack <command> --help"/,
  `
  new        scaffold a vendor module and its conformance test:  new <id> [--auth …] [--signature …]
  build      an n8n package or a Zapier app from vendor modules: build n8n|zapier --vendor ./x.ts --out <dir>

Run "hookpack <command> --help"`,
)}`;

/** The hookpack command; resolves to the exit code. The sandbox's commands run in @hookpack/sandbox. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'new':
        return newCommand(rest, io);
      case 'build':
        return await buildCommand(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(mainHelp);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        if ((SANDBOX_COMMANDS as readonly string[]).includes(command)) return await cliMain(argv, io);
        throw new UsageError(
          `unknown command "${command}". Commands: new, build, ${SANDBOX_COMMANDS.join(', ')} (hookpack --help).`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`hookpack: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
}
