#!/usr/bin/env node
// `npm start`: the whole loop on this machine. Starts the hookpack sandbox (every vendor on
// 127.0.0.1) and a real n8n with n8n-nodes-hookpack installed as a community package,
// creates and activates one demo workflow per vendor, fires one sample event per vendor, and
// reports for each whether n8n registered the webhook, received the delivery and verified
// it (an execution ran). n8n then keeps running for you to open, until Ctrl-C.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { vendors } from '@hookpack/providers';
import { deliveryBody, deliveryHeaders, newSigningSecret, startSandbox } from '@hookpack/sandbox';
import {
  createTriggerWorkflow,
  N8nRest,
  cacheRoot,
  ensureN8n,
  freePort,
  installCommunityPackage,
  packNodesPackage,
  portIsFree,
  startN8n,
} from './n8n/index.mjs';

const HELP = `Usage: npm start [-- options]

Runs the hookpack playground: the sandbox vendors and a real n8n with n8n-nodes-hookpack,
one demo workflow per vendor, one sample event each, and a report. n8n keeps running on
127.0.0.1 until Ctrl-C.

  --port <n>          n8n port (default 5678, or a free one if it is taken)
  --n8n-dir <dir>     use an n8n you installed yourself (a folder with node_modules/n8n)
                      instead of the cached one (first run installs n8n into ${cacheRoot()})
  --once              exit after the report (exit code 0 only if every vendor passed)
  -h, --help          this text`;

const out = (line = '') => process.stdout.write(`${line}\n`);
const step = (line) => process.stdout.write(`• ${line}\n`);

function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'n8n-dir': { type: 'string' },
        once: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${e.message}\n\n${HELP}`);
  }
  const { values } = parsed;
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new UsageError(`--port must be a port number (1-65535), got "${values.port}"`);
  }
  const n8nDir = values['n8n-dir'];
  if (n8nDir !== undefined && !existsSync(join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'))) {
    throw new UsageError(
      `--n8n-dir ${n8nDir} has no node_modules/n8n/bin/n8n: point it at the folder you ran "npm install n8n" in`,
    );
  }
  return { help: values.help === true, port, n8nDir, once: values.once === true };
}

class UsageError extends Error {}

/** The first event of the vendor's catalog that works on a free plan (the demo has no credits). */
function demoEvent(vendor) {
  return (vendor.events.find((e) => !e.paid) ?? vendor.events[0]).type;
}

/** Polls `read` until it returns a non-empty list or `ms` pass; returns the last result. */
async function waitFor(read, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value.length > 0 || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitForExecution(rest, workflowId, deadlineMs) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const finished = (await rest.executions(workflowId)).filter((e) => e.status !== 'running' && e.status !== 'new');
    if (finished.length > 0 || Date.now() > until) return finished[0];
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    out(HELP);
    return 0;
  }
  const started = Date.now();

  step('n8n: checking the install');
  const n8nDir = options.n8nDir ?? (await ensureN8n());

  const home = join(cacheRoot(), 'playground');
  // A fresh user folder every run: the sandbox's keys and subscriptions are new each time too.
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const userFolder = join(home, 'user');
  step('n8n-nodes-hookpack: packing and installing it as a community package');
  installCommunityPackage(userFolder, packNodesPackage(join(home, 'pack')));

  const sandbox = await startSandbox({ timeScale: 0.001 });
  step(`sandbox: every vendor on ${sandbox.url}`);

  let port = options.port ?? 5678;
  if (!(await portIsFree(port))) {
    if (options.port !== undefined) throw new UsageError(`port ${port} is taken: choose another with --port`);
    port = await freePort();
  }
  step(`n8n: starting on http://127.0.0.1:${port} (takes a few seconds)`);
  const n8n = await startN8n({ dir: n8nDir, userFolder, port });
  const stopAll = async () => {
    await n8n.stop();
    await sandbox.stop();
  };
  try {
    const rest = new N8nRest(n8n.url);
    await rest.login();

    const rows = [];
    for (const vendor of vendors) {
      const type = demoEvent(vendor);
      const row = {
        vendor: vendor.displayName,
        event: type,
        registered: '-',
        delivered: '-',
        verified: '-',
        forgery: '-',
        ok: false,
      };
      rows.push(row);
      try {
        const secret = `playground-${vendor.id}-${randomUUID().slice(0, 8)}`;
        const { workflowId, productionUrl } = await createTriggerWorkflow(rest, {
          n8nUrl: n8n.url,
          sandbox,
          vendor,
          events: [type],
          name: `hookpack playground: ${vendor.displayName}`,
          signingSecret: secret,
        });
        await rest.activate(workflowId);
        if (vendor.api) {
          // n8n 2.x registers webhooks just after answering the activate call: wait, bounded.
          const subs = await waitFor(
            () => sandbox.subscriptions(vendor.id).filter((s) => s.url === productionUrl),
            10_000,
          );
          row.registered = subs.length === 1 ? `yes (${subs[0].id})` : `no (${subs.length} subscriptions for the URL)`;
          if (subs.length !== 1) continue;
        } else {
          // No API: the user pastes the URL into the vendor's UI; the sandbox plays that part (and
          // the URL verification a vendor like Slack runs before it saves the URL).
          const saved = await sandbox
            .saveHook({ vendor: vendor.id, url: productionUrl, events: [type], secret })
            .catch((/** @type {Error} */ e) => e);
          if (saved instanceof Error) {
            row.registered = `not saved: ${saved.message}`;
            continue;
          }
          row.registered = saved.handshake?.ok ? 'pasted by hand (URL verified)' : 'pasted by hand (no API)';
        }
        const fired = sandbox.fire(vendor.id, type);
        await sandbox.settle(15_000);
        const [delivery] = sandbox.deliveries({ eventId: fired.eventId });
        const last = delivery?.attempts.at(-1);
        row.delivered = delivery
          ? `${delivery.state}${last?.statusCode ? ` (HTTP ${last.statusCode})` : ''}`
          : 'not sent';
        if (delivery?.state !== 'delivered') continue;
        const execution = await waitForExecution(rest, workflowId, 15_000);
        row.verified = execution
          ? `${execution.status === 'success' ? 'yes' : execution.status}, execution ${execution.id}`
          : 'no execution';
        // A delivery signed with the wrong secret must be refused before any workflow runs.
        const sample = vendor.events.find((e) => e.type === type).sample;
        const body = deliveryBody(vendor, {
          id: `evt_forged_${randomUUID()}`,
          type,
          createdAt: new Date().toISOString(),
          data: sample,
          livemode: false,
        });
        // A wrong secret in the form the vendor's scheme signs with: "whsec_" + base64 for shared
        // secrets (Standard Webhooks decodes it), a private key nobody registered for public-key vendors.
        const wrongSecret = vendor.signature.scheme.publicKeyAlgorithm
          ? newSigningSecret(vendor)
          : `whsec_${randomBytes(24).toString('base64')}`;
        const headers = deliveryHeaders(vendor, { body, type, secret: wrongSecret, deliveryId: randomUUID() });
        const forged = await fetch(productionUrl, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...headers },
        });
        await forged.arrayBuffer();
        row.forgery = forged.status === 401 ? 'refused (401)' : `ACCEPTED (${forged.status})`;
        row.ok = execution?.status === 'success' && forged.status === 401;
      } catch (e) {
        row.verified = `error: ${e.message.split('\n')[0]}`;
      }
    }

    out();
    const cols = ['vendor', 'event', 'registered', 'delivered', 'verified', 'forgery'];
    const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
    out(cols.map((c) => c.padEnd(width[c])).join('  '));
    for (const r of rows) out(cols.map((c) => String(r[c]).padEnd(width[c])).join('  '));
    const passed = rows.filter((r) => r.ok).length;
    out();
    out(
      `${passed}/${rows.length} vendors: registered, delivered, verified and forgery refused in n8n (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );

    if (options.once) {
      await stopAll();
      return passed === rows.length ? 0 : 1;
    }
    out();
    out(`n8n is running at ${n8n.url}  — log in as ${N8nRest.OWNER.email} / ${N8nRest.OWNER.password}`);
    out(
      `sandbox: ${sandbox.url}/_sandbox/deliveries · fire more with: npx hookpack fire parley violation.new --sandbox ${sandbox.url}`,
    );
    out('Ctrl-C to stop both.');
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    out('stopping…');
    await stopAll();
    return 0;
  } catch (e) {
    await stopAll();
    throw e;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`playground: ${e instanceof UsageError ? e.message : (e.stack ?? e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
