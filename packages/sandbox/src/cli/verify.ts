import { verifyDelivery, type HeaderInput } from '@hookpack/core';
import { EXIT, parse, readFileArg, readJsonArg, UsageError, vendorArg, type Io } from './args.js';
import { explainFailure } from './explain.js';

export const verifyHelp = `Usage: hookpack verify <vendor> --headers <h.json> --body <body.bin> [--secret <s>]... [options]

Checks a captured delivery with @hookpack/core, as a receiver would, and explains a failure.

  --headers <file>    JSON object of the request headers: {"X-Parley-Signature": "sha256=…", …}
  --body <file>       the raw request body, byte for byte
  --secret <s>        signing secret (repeat during a rotation); omit only for vendors whose secret is optional
  --now <unix>        check timestamps as of this time (unix seconds), for older captures
  --tolerance <s>     timestamp tolerance in seconds (default: the vendor's)

Prints "valid" and the normalized event, or "invalid: <reason>" and what to fix.
Exit codes: 0 valid, 1 invalid, 2 usage error (missing or unreadable files, unknown vendor).`;

export function verifyCommand(argv: string[], io: Io): number {
  const { values, positionals } = parse('verify', argv, {
    secret: { type: 'string', multiple: true },
    headers: { type: 'string' },
    body: { type: 'string' },
    now: { type: 'string' },
    tolerance: { type: 'string' },
  });
  if (values.help) {
    io.out(verifyHelp);
    return EXIT.ok;
  }
  const vendor = vendorArg(positionals[0], 'verify');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  if (!values.headers)
    throw new UsageError('missing --headers <file.json> (the captured request headers as a JSON object)');
  if (!values.body) throw new UsageError('missing --body <file> (the raw request body)');
  const headers = readJsonArg('--headers', values.headers);
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw new UsageError(
      `--headers file must hold a JSON object of header names to values, e.g. {"${vendor.signature.scheme.headerNames[0]}": "…"}`,
    );
  }
  const body = readFileArg('--body', values.body);
  const secrets = (values.secret ?? []) as string[];
  if (secrets.length === 0 && vendor.signature.secretRequired) {
    throw new UsageError(`${vendor.displayName} signs every delivery: pass --secret <signing secret>`);
  }
  const now = values.now === undefined ? undefined : Number(values.now);
  if (now !== undefined && (!Number.isFinite(now) || now <= 0))
    throw new UsageError(`--now must be unix seconds, got "${values.now}"`);
  const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
  if (tolerance !== undefined && (!Number.isFinite(tolerance) || tolerance < 0))
    throw new UsageError(`--tolerance must be seconds >= 0, got "${values.tolerance}"`);
  const result = verifyDelivery(vendor, {
    body,
    headers: headers as HeaderInput,
    secret: secrets,
    ...(now !== undefined ? { now: now * 1000 } : {}),
    ...(tolerance !== undefined ? { toleranceSeconds: tolerance } : {}),
  });
  if (result.ok) {
    io.out(
      `valid: ${vendor.displayName} ${result.event.type} (${result.secretIndex === null ? 'unsigned, no secret configured' : `secret #${result.secretIndex + 1}`})`,
    );
    io.out(JSON.stringify(result.event, null, 2));
    return EXIT.ok;
  }
  io.out(`invalid: ${result.reason} — ${result.message}`);
  for (const line of explainFailure(vendor, result, {
    body,
    headers: headers as HeaderInput,
    secrets,
    ...(now !== undefined ? { now } : {}),
    ...(tolerance !== undefined ? { toleranceSeconds: tolerance } : {}),
  }))
    io.out(`  ${line}`);
  return EXIT.failed;
}
