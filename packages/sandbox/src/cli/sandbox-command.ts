import type { FaultSpec } from '../faults.js';
import { startSandbox, SandboxInputError } from '../sandbox.js';

/** Messages of the fault spec check start with the field they name. */
const FAULT_FIELD = /^(fault spec|seed|rules)/;
import { EXIT, intOption, parse, readJsonArg, UsageError, vendorIds, type Io } from './args.js';

export const sandboxHelp = `Usage: hookpack sandbox [--vendors <ids>] [--port <n>] [--time-scale <f>] [options]

Runs the vendors' REST subscription APIs and a delivery engine on 127.0.0.1, and prints the
base URL and API key of each vendor. Stops on Ctrl-C.

  --vendors <ids>        comma-separated vendor ids (default: all): ${vendorIds()}
  --port <n>             port (default 0: any free port)
  --time-scale <f>       multiply retry delays and other vendor timings (0.001: minutes become ms)
  --api-key <v>=<key>    accept this key for vendor v (repeatable; default: generated)
  --state <file.json>    keep keys and subscriptions in this file across restarts
  --strict-https         refuse http:// targets even on loopback for vendors that require HTTPS
  --no-rate-limit        turn off documented rate limits
  --faults <file.json>   inject faults into vendor API calls: {"seed":1,"rules":[{"vendor","operation",
                         "fault","probability"|"nth"|"times",…}]} (see the README); change them later
                         with PUT <url>/_sandbox/faults
  --json                 print the startup info as one JSON line instead of a table

Fire events with POST <url>/_sandbox/events {"vendor","type","data"?}; inspect subscriptions and
delivery attempts at <url>/_sandbox/subscriptions and <url>/_sandbox/deliveries.
Exit codes: 0 stopped, 2 usage error (bad option, port in use, broken state file).`;

export async function sandboxCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parse('sandbox', argv, {
    vendors: { type: 'string' },
    port: { type: 'string', short: 'p' },
    'time-scale': { type: 'string' },
    'api-key': { type: 'string', multiple: true },
    state: { type: 'string' },
    'strict-https': { type: 'boolean' },
    'no-rate-limit': { type: 'boolean' },
    faults: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.out(sandboxHelp);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}" (vendors go in --vendors a,b)`);
  const timeScale = values['time-scale'] === undefined ? 1 : Number(values['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale <= 0)
    throw new UsageError(`--time-scale must be a positive number, got "${values['time-scale']}"`);
  const apiKeys: Record<string, string> = {};
  for (const pair of (values['api-key'] ?? []) as string[]) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--api-key must look like vendor=key, got "${pair}"`);
    apiKeys[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const faults = values.faults === undefined ? undefined : readJsonArg('--faults', values.faults);
  let sandbox;
  try {
    sandbox = await startSandbox({
      port: intOption('port', values.port, 0, 65535) ?? 0,
      timeScale,
      ...(values.vendors
        ? {
            vendors: values.vendors
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
      apiKeys,
      ...(values.state ? { stateFile: values.state } : {}),
      strictHttps: values['strict-https'] === true,
      rateLimits: values['no-rate-limit'] !== true,
      ...(faults !== undefined ? { faults: faults as FaultSpec } : {}),
    });
  } catch (e) {
    if (e instanceof SandboxInputError && faults !== undefined && FAULT_FIELD.test(e.message))
      throw new UsageError(`--faults ${values.faults}: ${e.message}`);
    if (e instanceof SandboxInputError || (e as Error).message.includes('state file'))
      throw new UsageError((e as Error).message);
    throw e;
  }
  const vendors = sandbox.vendors();
  if (values.json) {
    io.out(JSON.stringify({ url: sandbox.url, timeScale, vendors }));
  } else {
    io.out(`hookpack sandbox on ${sandbox.url} (time scale ${timeScale})`);
    const spec = sandbox.faults().spec;
    if (spec)
      io.out(
        `  faults: ${spec.rules.length} rule(s), seed ${spec.seed}; injected ones at ${sandbox.url}/_sandbox/faults`,
      );
    const width = Math.max(...vendors.map((v) => v.displayName.length));
    for (const v of vendors) {
      const name = v.displayName.padEnd(width);
      io.out(
        v.baseUrl
          ? `  ${name}  base URL ${v.baseUrl}  API key ${v.apiKey}${v.appSecret ? `  app secret ${v.appSecret}` : ''}`
          : `  ${name}  no API: add a hook with POST ${sandbox.url}/_sandbox/hooks {"vendor":"${v.id}","url":…,"events":[…],"secret"?:…}`,
      );
      if (v.handshake) io.out(`  ${' '.repeat(width)}  ${v.handshake}`);
    }
    io.out(
      `Fire events: POST ${sandbox.url}/_sandbox/events {"vendor":…,"type":…}. Inspect: ${sandbox.url}/_sandbox/deliveries`,
    );
    io.out('Ctrl-C to stop.');
  }
  await new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.stop();
  return EXIT.ok;
}
