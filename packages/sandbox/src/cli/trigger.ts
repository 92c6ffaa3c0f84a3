import { randomUUID } from 'node:crypto';
import { deliveryBody, deliveryHeaders, newEventId, postDelivery } from '../send.js';
import { EXIT, intOption, loopbackUrlArg, parse, readJsonArg, UsageError, vendorArg, type Io } from './args.js';

export const triggerHelp = `Usage: hookpack trigger <vendor> <event> --to <url> [--secret <s>] [--data <file.json>] [options]

Sends one delivery signed exactly as the vendor signs it (body, headers, signature) and prints
the response. No retries.

  --to <url>          receiver URL (loopback only unless --allow-external)
  --secret <s>        signing secret; required for vendors that always sign
  --data <file.json>  event payload (default: the event's documented sample)
  --timeout <ms>      give up after this long (default: the vendor's delivery timeout)
  --allow-external    allow a non-loopback --to
  --quiet             print only the status line

Exit codes: 0 receiver answered 2xx, 1 other status or no answer, 2 usage error.`;

export async function triggerCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('trigger', argv, {
    to: { type: 'string' },
    secret: { type: 'string' },
    data: { type: 'string' },
    timeout: { type: 'string' },
    'allow-external': { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (values.help) {
    io.out(triggerHelp);
    return EXIT.ok;
  }
  const vendor = vendorArg(positionals[0], 'trigger');
  const type = positionals[1];
  const known = vendor.events.map((e) => e.type);
  if (!type) throw new UsageError(`missing <event>. ${vendor.displayName} events: ${known.join(', ')}`);
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
  const definition = vendor.events.find((e) => e.type === type);
  if (!definition && values.data === undefined) {
    throw new UsageError(
      `${vendor.displayName} has no event "${type}" (known: ${known.join(', ')}); pass --data to send a payload for an undocumented type`,
    );
  }
  const url = loopbackUrlArg('--to', values.to, values['allow-external'] === true);
  const secret = values.secret;
  if (!secret && vendor.signature.secretRequired) {
    throw new UsageError(
      `${vendor.displayName} signs every delivery: pass --secret <signing secret> (the one your receiver checks)`,
    );
  }
  const data = values.data !== undefined ? readJsonArg('--data', values.data) : structuredClone(definition!.sample);
  const timeoutMs = intOption('timeout', values.timeout, 1, 600_000) ?? vendor.delivery.timeoutMs;
  const event = { id: newEventId(), type, createdAt: new Date().toISOString(), data, livemode: false };
  const body = deliveryBody(vendor, event);
  const headers = deliveryHeaders(vendor, { body, type, secret: secret ?? null, deliveryId: randomUUID() });
  if (!values.quiet) {
    io.out(`→ POST ${url.href}  ${vendor.displayName} ${type} (${event.id})`);
    for (const [k, v] of Object.entries(headers)) io.out(`  ${k}: ${v}`);
    io.out(`  ${body.toString('utf8')}`);
  }
  const result = await postDelivery(url.href, body, headers, timeoutMs);
  if (result.status === undefined) {
    io.out(`← no response: ${result.error} (${result.durationMs} ms)`);
    return EXIT.failed;
  }
  const ok = result.status >= 200 && result.status < 300;
  io.out(
    `← ${result.status} (${result.durationMs} ms)${ok ? '' : ' — the receiver did not accept it; the vendor would retry'}`,
  );
  if (!values.quiet && result.responseBody) io.out(`  ${result.responseBody}`);
  return ok ? EXIT.ok : EXIT.failed;
}
