import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mulberry32, startSandbox, type FaultRule, type InjectedFault, type Sandbox } from '@hookpack/sandbox';
import { restApps, zapier, zapierHeaders } from './apps.js';
import { triggerKey } from '../src/index.js';
import { LOOPBACK_HTTP_ENV } from '../src/api.js';

// The lifecycle chaos of the n8n e2e, shorter, for Zapier's REST-hook path: seeded trials of
// subscribe → delivery → unsubscribe through the app tester while the sandbox fails mid-flight.
// After each trial the vendor's subscriptions are compared with what Zapier would hold.

const BASE_SEED = Number(process.env.HOOKPACK_CHAOS_SEED ?? 20260503);
const ROUNDS = 5; // × the REST apps (6 today) = 30 trials

const prng = mulberry32;
const int = (r: () => number, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

// Round 0 holds requests past the app's 20 s client timeout, for every app at once (they run
// side by side); the other rounds cycle through the remaining kinds, with seeded details.
const OTHER_KINDS = ['server-error', 'rate-limit', 'reset-after-store', 'slow', 'revoke-key'] as const;

function ruleFor(round: number, index: number, r: () => number): FaultRule {
  const kind = round === 0 ? 'timeout' : OTHER_KINDS[((round - 1) * restApps.length + index) % OTHER_KINDS.length]!;
  const operation = pick(r, ['create', 'list', 'delete'] as const);
  switch (kind) {
    case 'timeout':
      return {
        fault: kind,
        operation: pick(r, ['create', 'delete'] as const),
        holdMs: 25_000,
        perform: r() < 0.5,
        nth: 1,
      };
    case 'server-error':
      return { fault: kind, status: pick(r, [500, 502, 503] as const), operation, nth: 1, times: int(r, 1, 3) };
    case 'rate-limit':
      return { fault: kind, retryAfterSeconds: int(r, 0, 2), operation, nth: 1, times: int(r, 1, 3) };
    case 'reset-after-store':
      return { fault: kind, operation: pick(r, ['create', 'delete'] as const), nth: 1, times: int(r, 1, 2) };
    case 'slow':
      return { fault: kind, operation, delayMs: int(r, 200, 2000), nth: 1, times: int(r, 1, 3) };
    case 'revoke-key':
      return { fault: kind, operation: '*', nth: int(r, 1, 4) };
  }
}

let sandbox: Sandbox;
let receiver: {
  url: string;
  captured: { url: string; headers: Record<string, string>; content: string }[];
  server: Server;
};

beforeAll(async () => {
  // The sandbox is http:// on loopback: allowed only with this opt-in, as for the e2e.
  process.env[LOOPBACK_HTTP_ENV] = '1';
  sandbox = await startSandbox({ timeScale: 0.001, rateLimits: false });
  const captured: { url: string; headers: Record<string, string>; content: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
      captured.push({ url: req.url ?? '', headers, content: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/catch/`, captured, server };
});
afterAll(async () => {
  delete process.env[LOOPBACK_HTTP_ENV];
  await sandbox?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.server.close(() => resolve()) : resolve()));
});

interface Outcome {
  seed: string;
  rule: FaultRule;
  injected: InjectedFault[];
  subscribe: string;
  unsubscribe: string;
  orphans: number;
  duplicates: number;
  subscribedWithoutWorkingSubscription: boolean;
  failures: { message: string; actionable: boolean }[];
}

/** Names the vendor, the status (or that it did not answer), and what to do. */
function actionable(message: string, vendorName: string): boolean {
  return (
    message.includes(vendorName) &&
    /\b(?:401|403|429|5\d\d)\b|did not answer|could not reach/i.test(message) &&
    /try again|reconnect|paste|check|upgrade|delete .* by hand|wait/i.test(message)
  );
}

it(`Zapier REST hooks under seeded faults: ${ROUNDS * restApps.length} subscribe/unsubscribe trials leave no orphan or duplicate`, async () => {
  const outcomes: Outcome[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const plans = restApps.map(({ app, vendor }, i) => {
      const r = prng((BASE_SEED * 7919 + round) * 31 + i + 1);
      const event = vendor.events.find((e) => !e.paid)!;
      return { app, vendor, event, rule: ruleFor(round, i, r), seed: `${BASE_SEED}:${round}:${vendor.id}` };
    });
    sandbox.setFaults({
      seed: BASE_SEED + round,
      rules: plans.map((p) => ({ ...p.rule, vendor: p.vendor.id })),
    });
    // Each app's trial: subscribe (as turning a Zap on does), a delivery, unsubscribe (Zap off).
    const runs = await Promise.all(
      plans.map(async (p) => {
        const appTester = zapier.createAppTester(p.app);
        const op = p.app.triggers[triggerKey(p.event.type)]!.operation as any;
        const authData = {
          apiKey: sandbox.apiKey(p.vendor.id),
          baseUrl: sandbox.baseUrl(p.vendor.id),
          // Where the vendor signs with the app's secret (Shopify), the connection holds it.
          ...(p.vendor.signature.secretSource === 'app' ? { appSecret: sandbox.appSecret(p.vendor.id) } : {}),
        };
        const targetUrl = `${receiver.url}${p.vendor.id}/${round}`;
        const failures: Outcome['failures'] = [];
        let subscribeData: { id: string; secret: string } | undefined;
        try {
          subscribeData = await appTester(op.performSubscribe, { authData, targetUrl, inputData: {} });
        } catch (e) {
          failures.push({
            message: (e as Error).message,
            actionable: actionable((e as Error).message, p.vendor.displayName),
          });
        }
        const afterSubscribe = sandbox.subscriptions(p.vendor.id).filter((s) => s.url === targetUrl);
        // Working = the vendor's signed delivery to the target is accepted by perform with the stored secret.
        let working = false;
        if (subscribeData && afterSubscribe.some((s) => s.id === subscribeData!.id)) {
          sandbox.fire(p.vendor.id, p.event.type, { subscriptionId: subscribeData.id });
          await sandbox.settle(5000);
          const delivered = receiver.captured.filter((c) => c.url === new URL(targetUrl).pathname);
          const results = delivered.length
            ? ((await appTester(op.perform, {
                authData,
                subscribeData,
                rawRequest: {
                  method: 'POST',
                  querystring: '',
                  headers: zapierHeaders(delivered[0]!.headers),
                  content: delivered[0]!.content,
                },
              })) as unknown[])
            : [];
          working = results.length === 1;
        }
        let unsubscribed = 'not subscribed';
        if (subscribeData) {
          try {
            await appTester(op.performUnsubscribe, { authData, subscribeData });
            unsubscribed = 'ok';
          } catch (e) {
            unsubscribed = 'failed';
            failures.push({
              message: (e as Error).message,
              actionable: actionable((e as Error).message, p.vendor.displayName),
            });
          }
        }
        return { p, targetUrl, subscribeData, afterSubscribe, working, unsubscribed, failures };
      }),
    );
    const injected = sandbox.faults().injected;
    sandbox.setFaults(null);
    for (const run of runs) {
      const { p, targetUrl, subscribeData, afterSubscribe } = run;
      // Right after subscribe: Zapier holds one subscription (when it succeeded), the vendor exactly that one.
      const duplicates = subscribeData ? Math.max(0, afterSubscribe.length - 1) : 0;
      const working = run.working;
      // After the trial, what is left at the vendor that Zapier does not hold (or no longer wants).
      const left = sandbox.subscriptions(p.vendor.id).filter((s) => s.url === targetUrl);
      const heldByZapier = run.unsubscribed === 'failed' ? subscribeData!.id : undefined;
      const orphans = left.filter((s) => s.id !== heldByZapier).length;
      outcomes.push({
        seed: p.seed,
        rule: p.rule,
        injected: injected.filter((f) => f.vendor === p.vendor.id),
        subscribe: subscribeData ? 'ok' : 'failed',
        unsubscribe: run.unsubscribed,
        orphans,
        duplicates,
        subscribedWithoutWorkingSubscription: !!subscribeData && !working,
        failures: run.failures,
      });
    }
    // Independent trials: what is left was counted; the next round starts from an empty vendor.
    sandbox.reset();
  }
  const sum = (f: (o: Outcome) => number) => outcomes.reduce((s, o) => s + f(o), 0);
  const byKind = new Map<string, number>();
  for (const f of outcomes.flatMap((o) => o.injected)) byKind.set(f.fault, (byKind.get(f.fault) ?? 0) + 1);
  const failures = outcomes.flatMap((o) => o.failures);
  console.log(
    `[zapier chaos] seed ${BASE_SEED}: trials ${outcomes.length} | faults injected ${sum((o) => o.injected.length)} ` +
      `(${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}) | orphans ${sum((o) => o.orphans)} | duplicates ${sum((o) => o.duplicates)} | ` +
      `subscribed without a working subscription ${sum((o) => (o.subscribedWithoutWorkingSubscription ? 1 : 0))} | ` +
      `failed calls ${failures.length}, actionable ${failures.filter((f) => f.actionable).length}`,
  );
  for (const o of outcomes.filter(
    (o) => o.orphans || o.duplicates || o.subscribedWithoutWorkingSubscription || o.failures.some((f) => !f.actionable),
  )) {
    console.log(
      `[zapier chaos] FAILING ${o.seed}: ${JSON.stringify(o.rule)}; subscribe ${o.subscribe}, unsubscribe ${o.unsubscribe}; ` +
        `orphans ${o.orphans}, duplicates ${o.duplicates}; ${o.failures.map((f) => f.message).join(' | ')}`,
    );
  }
  expect(sum((o) => o.injected.length)).toBeGreaterThanOrEqual(outcomes.length);
  expect({
    orphans: sum((o) => o.orphans),
    duplicates: sum((o) => o.duplicates),
    withoutWorking: sum((o) => (o.subscribedWithoutWorkingSubscription ? 1 : 0)),
  }).toEqual({ orphans: 0, duplicates: 0, withoutWorking: 0 });
  expect(failures.filter((f) => !f.actionable).map((f) => f.message)).toEqual([]);
}, 120_000);
