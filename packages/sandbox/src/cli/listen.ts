import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyDelivery, type HeaderInput } from '@hookpack/core';
import { BodyTooLargeError, readBody, sendJson } from '../http-util.js';
import { postDelivery } from '../send.js';
import { EXIT, intOption, loopbackUrlArg, parse, UsageError, vendorArg, type Io } from './args.js';
import { explainFailure } from './explain.js';

export const listenHelp = `Usage: hookpack listen <vendor> [--port <n>] [--secret <s>]... [--forward-to <url>] [options]

Receives deliveries on 127.0.0.1, verifies each with @hookpack/core and prints the verdict and
the normalized event. Answers 200 for valid deliveries, 401/400 otherwise (as a receiver should).

  --port <n>           port on 127.0.0.1 (default 0: any free port; the URL is printed)
  --secret <s>         signing secret (repeat during a rotation); optional only where the vendor's is
  --forward-to <url>   forward verified deliveries (raw body and headers) there; the receiver's
                       status is printed and returned to the sender
  --allow-external     allow a non-loopback --forward-to
  --max <n>            exit after n deliveries (exit code 1 if any was rejected)

Stops on Ctrl-C. Exit codes: 0 stopped (or --max reached, all valid), 1 --max reached with a
rejected delivery, 2 usage error (e.g. port in use).`;

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function listenCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parse('listen', argv, {
    port: { type: 'string', short: 'p' },
    secret: { type: 'string', multiple: true },
    'forward-to': { type: 'string' },
    'allow-external': { type: 'boolean' },
    max: { type: 'string' },
  });
  if (values.help) {
    io.out(listenHelp);
    return EXIT.ok;
  }
  const vendor = vendorArg(positionals[0], 'listen');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const port = intOption('port', values.port, 0, 65535) ?? 0;
  const max = intOption('max', values.max, 1, 1_000_000);
  const secrets = (values.secret ?? []) as string[];
  if (secrets.length === 0 && vendor.signature.secretRequired) {
    throw new UsageError(
      `${vendor.displayName} signs every delivery: pass --secret <signing secret> (listen fails closed without one)`,
    );
  }
  const forwardTo =
    values['forward-to'] !== undefined
      ? loopbackUrlArg('--forward-to', values['forward-to'], values['allow-external'] === true)
      : undefined;

  let seen = 0;
  let rejected = 0;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const handle = async (req: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const body = await readBody(req);
    const headers = req.headers as HeaderInput;
    const result = verifyDelivery(vendor, { body, headers, secret: secrets });
    const at = new Date().toISOString();
    if (!result.ok) {
      rejected++;
      io.out(`${at} ✘ rejected ${req.method} ${req.url} → ${result.status} ${result.reason}: ${result.message}`);
      for (const line of explainFailure(vendor, result, { body, headers, secrets })) io.out(`    ${line}`);
      return { status: result.status, body: { error: result.reason, message: result.message } };
    }
    io.out(`${at} ✔ verified ${vendor.displayName} ${result.event.type} (id ${result.event.id})`);
    io.out(JSON.stringify(result.event, null, 2));
    if (!forwardTo) return { status: 200, body: { received: true } };
    const forwardHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(k) && v !== undefined) forwardHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const forwarded = await postDelivery(forwardTo.href, body, forwardHeaders, vendor.delivery.timeoutMs);
    if (forwarded.status === undefined) {
      io.out(`    forwarded to ${forwardTo.href}: no response (${forwarded.error})`);
      return { status: 502, body: { error: 'forward_failed', message: forwarded.error } };
    }
    io.out(`    forwarded to ${forwardTo.href}: ${forwarded.status}`);
    return { status: forwarded.status, body: { forwarded: forwarded.status } };
  };

  const server = createServer((req, res) => {
    handle(req)
      .then(
        ({ status, body }) => sendJson(res, status, body),
        (e: unknown) => sendJson(res, e instanceof BodyTooLargeError ? 413 : 500, { error: (e as Error).message }),
      )
      .finally(() => {
        seen++;
        if (max !== undefined && seen >= max) finish(rejected > 0 ? EXIT.failed : EXIT.ok);
      });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'EADDRINUSE'
        ? `port ${port} is already in use: pick another --port (0 = any free port)`
        : (e as Error).message,
    );
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  io.out(
    `Listening for ${vendor.displayName} deliveries on ${url} (any path)${forwardTo ? `, forwarding verified ones to ${forwardTo.href}` : ''}`,
  );
  if (secrets.length === 0)
    io.out(
      'No secret: deliveries are accepted without a signature check (the vendor sends them unsigned when no secret is set there).',
    );
  signal?.addEventListener('abort', () => finish(EXIT.ok), { once: true });
  const code = await finished;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return code;
}
