// A connector author's own Zapier test, run by the built-package e2e inside the consumer folder
// outside the repository (so every import below resolves to the packed hookpack packages and
// the zapier-platform-core installed there): the app `hookpack build zapier` wrote, loaded from
// its package.json "exports" and run through zapier-platform-core's createAppTester against
// @hookpack/sandbox playing the vendor on loopback. A local server stands in for
// hooks.zapier.com. Prints what it saw as one line, `app tester: <JSON>` (zapier-platform-core
// logs to stdout too); the e2e asserts on it.
//
//   node zapier-app-tester.mjs <vendor module> <app folder>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { usesAppSecret } from '@hookpack/core';
import { loadVendors } from '@hookpack/cli';
import { startSandbox } from '@hookpack/sandbox';
import { triggerKey } from '@hookpack/zapier';

const [vendorModule, appDir] = process.argv.slice(2);
if (!vendorModule || !appDir) throw new Error('usage: node zapier-app-tester.mjs <vendor module> <app folder>');
// The README's documented opt-in for http:// APIs on loopback (never set on Zapier).
if (process.env.HOOKPACK_ALLOW_LOOPBACK_HTTP !== '1') throw new Error('run with HOOKPACK_ALLOW_LOOPBACK_HTTP=1');

const require = createRequire(join(process.cwd(), 'package.json'));
const zapier = require('zapier-platform-core');
// (its package.json is not exported: the folder of its main file)
const corePath = dirname(require.resolve('zapier-platform-core'));

const manifest = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
const app = (await import(pathToFileURL(resolve(appDir, manifest.exports)).href)).default;
const [{ vendor }] = await loadVendors([vendorModule], { cwd: process.cwd() });
const appTester = zapier.createAppTester(app);

/** Requests to the stand-in for hooks.zapier.com, as received (header spelling of the sender). */
const captured = [];
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const headers = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]] = req.rawHeaders[i + 1];
    captured.push({ method: req.method, headers, content: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success"}');
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const targetUrl = `http://127.0.0.1:${receiver.address().port}/hooks/catch/123/abc/`;

/**
 * `bundle.rawRequest` as Zapier builds it for a hook's perform: every header but Content-Type
 * and Content-Length prefixed `Http-` and Camel-Cased (`X-Acme-Signature` → `Http-X-Acme-Signature`).
 */
function rawRequest({ method, headers, content }) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    const camel = name
      .split('-')
      .map((p) => (p ? p[0].toUpperCase() + p.slice(1).toLowerCase() : p))
      .join('-');
    out[/^content-(type|length)$/i.test(name) ? camel : `Http-${camel}`] = value;
  }
  return { method, querystring: '', headers: out, content };
}

const sandbox = await startSandbox({ vendors: [vendor], timeScale: 0.001 });
const seen = { vendor: vendor.id, core: { version: zapier.version, path: corePath }, targetUrl };
try {
  const authData = {
    apiKey: sandbox.apiKey(vendor.id),
    baseUrl: sandbox.baseUrl(vendor.id),
    ...(usesAppSecret(vendor) ? { appSecret: sandbox.appSecret(vendor.id) } : {}),
  };
  const event = vendor.events.find((e) => !e.paid) ?? vendor.events[0];
  seen.event = event.type;
  seen.triggers = Object.keys(app.triggers);
  const op = app.triggers[triggerKey(event.type)].operation;

  seen.auth = await appTester(app.authentication.test, { authData });
  seen.authWithRevokedKey = await appTester(app.authentication.test, {
    authData: { ...authData, apiKey: `${authData.apiKey}x` },
  }).then(
    () => 'accepted',
    (e) => e.message,
  );

  const subscribeData = await appTester(op.performSubscribe, { authData, targetUrl, inputData: {} });
  seen.subscribeData = subscribeData;
  seen.atVendor = sandbox.subscription(subscribeData.id) ?? null;

  const fired = sandbox.fire(vendor.id, event.type);
  seen.settled = await sandbox.settle();
  seen.fired = fired.eventId;
  seen.delivered = captured.length;
  const delivery = captured[0];
  seen.results = await appTester(op.perform, { authData, subscribeData, rawRequest: rawRequest(delivery) });
  // The body changed after signing (one byte), and a signature made with another secret.
  const tampered = { ...delivery, content: delivery.content.replace(/[}\]]$/, (end) => ` ${end}`) };
  seen.tampered = await appTester(op.perform, { authData, subscribeData, rawRequest: rawRequest(tampered) });
  const forgedHeaders = { ...delivery.headers };
  const signed = vendor.signature.scheme.sign({ body: Buffer.from(delivery.content), secret: 'not the secret' });
  for (const [name, value] of Object.entries(signed)) {
    for (const key of Object.keys(forgedHeaders))
      if (key.toLowerCase() === name.toLowerCase()) delete forgedHeaders[key];
    forgedHeaders[name] = value;
  }
  seen.forgedDiffers = JSON.stringify(forgedHeaders) !== JSON.stringify(delivery.headers);
  seen.forged = await appTester(op.perform, {
    authData,
    subscribeData,
    rawRequest: rawRequest({ ...delivery, headers: forgedHeaders }),
  });

  seen.unsubscribe = await appTester(op.performUnsubscribe, { authData, subscribeData });
  seen.afterUnsubscribe = sandbox.subscriptions(vendor.id).map((s) => s.id);
  seen.unsubscribeAgain = await appTester(op.performUnsubscribe, { authData, subscribeData });
  const before = captured.length;
  sandbox.fire(vendor.id, event.type);
  await sandbox.settle();
  seen.deliveredAfterUnsubscribe = captured.length - before;
} finally {
  await sandbox.stop();
  await new Promise((r) => receiver.close(r));
}
console.log(`app tester: ${JSON.stringify(seen)}`);
