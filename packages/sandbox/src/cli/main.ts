import { EXIT, processIo, UsageError, type Io } from './args.js';
import { fireCommand } from './fire.js';
import { listenCommand } from './listen.js';
import { sandboxCommand } from './sandbox-command.js';
import { triggerCommand } from './trigger.js';
import { verifyCommand } from './verify.js';

/** The commands this package's CLI runs (the `hookpack` bin lives in @hookpack/cli). */
export const SANDBOX_COMMANDS = ['sandbox', 'fire', 'trigger', 'listen', 'verify'] as const;

export const mainHelp = `Usage: hookpack <command> [options]

  sandbox    run every vendor's subscription API and delivery engine on 127.0.0.1
  fire       make a running sandbox deliver an event:    fire <vendor> <event> --sandbox <url>
  trigger    send one delivery signed like the vendor:  trigger <vendor> <event> --to <url>
  listen     receive, verify and print deliveries:      listen <vendor> --secret <s>
  verify     check a captured delivery and explain why it fails

Run "hookpack <command> --help" for each command's options.
Exit codes: 0 ok, 1 the answer was "no" (rejected/failed delivery, invalid signature), 2 usage error.`;

/** Runs the CLI; resolves to the exit code. Long-running commands stop on SIGINT/SIGTERM. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    switch (command) {
      case 'sandbox':
        return await sandboxCommand(rest, io, stop.signal);
      case 'fire':
        return await fireCommand(rest, io);
      case 'trigger':
        return await triggerCommand(rest, io);
      case 'listen':
        return await listenCommand(rest, io, stop.signal);
      case 'verify':
        return verifyCommand(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(mainHelp);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(
          `unknown command "${command}". Commands: sandbox, fire, trigger, listen, verify (hookpack --help).`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`hookpack: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
