import { EXIT, intOption, loopbackUrlArg, parse, readJsonArg, UsageError, vendorArg, type Io } from './args.js';

export const fireHelp = `Usage: hookpack fire <vendor> <event> --sandbox <url> [--data <file.json>] [--wait <ms>]

Asks a running "hookpack sandbox" to fire an event: it is delivered to every matching active
subscription of that vendor, signed, with the vendor's retry schedule. With --wait, waits until
the deliveries are settled and prints each one's outcome.

  --sandbox <url>     the sandbox's URL, as "hookpack sandbox" printed it (loopback only)
  --data <file.json>  event payload (default: the event's documented sample)
  --subscription <id> deliver to this subscription only
  --wait <ms>         wait up to this long for deliveries to settle (default 0: don't wait)

Exit codes: 0 fired (and, with --wait, every delivery delivered), 1 a delivery failed or was
dropped, or the sandbox refused the event, 2 usage error or no sandbox at --sandbox.`;

interface DeliveryRecord {
  subscriptionId: string;
  state: string;
  reason?: string;
  attempts: { number: number; statusCode?: number; error?: string }[];
}

async function call(base: URL, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  let res: Response;
  try {
    res = await fetch(new URL(`_sandbox${path}`, base.href.endsWith('/') ? base : new URL(`${base.href}/`)), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(630_000),
    });
  } catch (e) {
    throw new UsageError(
      `no sandbox answers at ${base.href} (${(e as Error).cause ?? (e as Error).message}); start one with "hookpack sandbox"`,
    );
  }
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new UsageError(`${base.href} did not answer like a hookpack sandbox (non-JSON ${res.status})`);
  }
  return { status: res.status, json };
}

export async function fireCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('fire', argv, {
    sandbox: { type: 'string' },
    data: { type: 'string' },
    subscription: { type: 'string' },
    wait: { type: 'string' },
  });
  if (values.help) {
    io.out(fireHelp);
    return EXIT.ok;
  }
  const vendor = vendorArg(positionals[0], 'fire');
  const type = positionals[1];
  if (!type)
    throw new UsageError(
      `missing <event>. ${vendor.displayName} events: ${vendor.events.map((e) => e.type).join(', ')}`,
    );
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
  const base = loopbackUrlArg('--sandbox', values.sandbox, false);
  const waitMs = intOption('wait', values.wait, 0, 600_000) ?? 0;
  const request: Record<string, unknown> = { vendor: vendor.id, type };
  if (values.data !== undefined) request.data = readJsonArg('--data', values.data);
  if (values.subscription !== undefined) request.subscriptionId = values.subscription;

  const fired = await call(base, 'POST', '/events', request);
  if (fired.status !== 202) {
    io.err(`hookpack: the sandbox refused the event (${fired.status}): ${fired.json?.error ?? 'no reason given'}`);
    return EXIT.failed;
  }
  const { eventId } = fired.json as { eventId: string };
  const count = Array.isArray(fired.json.deliveries) ? fired.json.deliveries.length : 0;
  io.out(`fired ${vendor.displayName} ${type} (${eventId}) → ${count} subscription${count === 1 ? '' : 's'}`);
  if (waitMs === 0) return EXIT.ok;

  const settled = await call(base, 'POST', '/settle', { timeoutMs: waitMs });
  const deliveries = (await call(base, 'GET', `/deliveries?event=${encodeURIComponent(eventId)}`))
    .json as DeliveryRecord[];
  let allDelivered = settled.json?.settled === true;
  for (const d of deliveries) {
    const last = d.attempts.at(-1);
    const outcome = last
      ? last.statusCode !== undefined
        ? `HTTP ${last.statusCode}`
        : (last.error ?? 'no answer')
      : 'no attempt';
    io.out(
      `  ${d.subscriptionId}: ${d.state} after ${d.attempts.length} attempt(s), last ${outcome}${d.reason ? ` (${d.reason})` : ''}`,
    );
    if (d.state !== 'delivered') allDelivered = false;
  }
  if (settled.json?.settled !== true) io.out(`  not settled within ${waitMs} ms: retries are still scheduled`);
  return allDelivered ? EXIT.ok : EXIT.failed;
}
