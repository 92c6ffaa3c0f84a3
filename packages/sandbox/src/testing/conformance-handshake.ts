import {
  answerHandshake,
  createSubscriptionClient,
  HookpackApiError,
  oneEventPerSubscription,
  usesAppSecret,
  type VendorDefinition,
} from '@hookpack/core';
import { SandboxInputError, type Sandbox } from '../sandbox.js';
import { sandboxAuth } from './sandbox-auth.js';
import { IGNORES_HANDSHAKES, type ReceivedDelivery, type startReceiver } from './receiver.js';

type Check = (name: string, run: () => unknown) => Promise<boolean>;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

class HandshakeCheckFailed extends Error {}
function must(condition: unknown, message: string): asserts condition {
  if (!condition) throw new HandshakeCheckFailed(message);
}

/** Polls `probe` every 20 ms until it returns a value, at most `ms`. */
async function until<T>(ms: number, probe: () => T | undefined): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const got = probe();
    if (got !== undefined || Date.now() >= end) return got;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function asRequest(r: ReceivedDelivery, secret: string | undefined) {
  const url = new URL(r.path, 'http://receiver');
  return { method: r.method, query: url.searchParams, headers: r.headers, body: r.body, secret: secret ?? null };
}

/**
 * For vendors that declare a URL-verification handshake: create makes the sandbox call the URL
 * as declared, core's answer passes the vendor's judgement, a signed handshake verifies with the
 * subscription's secret (and not with another), a URL that ignores it gets the documented
 * failure, and neither a delivery nor a handshake is taken for the other.
 */
export async function handshakeChecks(
  vendor: VendorDefinition,
  sandbox: Sandbox,
  receiver: Receiver,
  check: Check,
  settleMs: number,
): Promise<void> {
  const handshake = vendor.handshake;
  if (!handshake || !vendor.api) return;
  const client = createSubscriptionClient(vendor, {
    ...sandboxAuth(sandbox, vendor),
    baseUrl: sandbox.baseUrl(vendor.id),
    allowInsecureTargetUrl: true,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  });
  const events = oneEventPerSubscription(vendor) ? [vendor.events[0]!.type] : vendor.events.map((e) => e.type);
  const options = Object.fromEntries(
    vendor.subscriptionOptions
      .filter((o) => o.required)
      .map((o) => [o.name, o.type === 'string[]' ? ['conformance'] : o.type === 'boolean' ? true : 'conformance']),
  );
  const secretOf = (id: string) =>
    usesAppSecret(vendor) ? sandbox.appSecret(vendor.id) : (sandbox.subscription(id)?.secret ?? undefined);

  await check(
    `handshake: create verifies the URL (${handshake.timing}) and answerHandshake's answer passes`,
    async () => {
      const url = `${receiver.url}/handshake`;
      const sub = await client.create({ url, events, options });
      const at = (r: ReceivedDelivery) => new URL(r.path, 'http://receiver').pathname === '/handshake';
      const got =
        handshake.timing === 'during-create'
          ? receiver.handshakes.find(at)
          : await until(Math.max(settleMs, handshake.deadlineMs), () => receiver.handshakes.find(at));
      must(
        got,
        `no verification request reached the URL ${handshake.timing === 'during-create' ? 'before create answered' : 'after create'}`,
      );
      const ok = await until(settleMs, () => (sandbox.subscription(sub.id)?.handshake?.ok ? true : undefined));
      must(
        ok,
        `the vendor did not accept the answer: ${sandbox.subscription(sub.id)?.handshake?.problem ?? 'no outcome'}`,
      );
      must(sandbox.subscription(sub.id)?.active, 'the subscription is not active after a good handshake');
      const secret = secretOf(sub.id);
      const verdict = answerHandshake(vendor, asRequest(got, secret));
      must(
        verdict.handshake && verdict.ok,
        `answerHandshake refuses the vendor's own request: ${JSON.stringify(verdict)}`,
      );
      if (handshake.signed) {
        const forged = answerHandshake(vendor, asRequest(got, `${secret ?? ''}forged`));
        must(
          forged.handshake && !forged.ok && forged.status === 401,
          'a handshake checked with another secret is answered',
        );
      }
      await client.delete(sub.id);
    },
  );

  await check(
    `handshake: a URL that does not answer it gets ${handshake.timing === 'during-create' ? `create refused (${handshake.failure.status})` : 'its subscription switched off'}`,
    async () => {
      const url = `${receiver.url}${IGNORES_HANDSHAKES}`;
      if (handshake.timing === 'during-create') {
        const error = await client.create({ url, events, options }).then(
          () => undefined,
          (e: unknown) => e,
        );
        must(error instanceof HookpackApiError, `create did not fail (${String(error)})`);
        must(
          error.status === handshake.failure.status,
          `create failed with ${error.status}, not ${handshake.failure.status}`,
        );
        if (client.supports('list'))
          must((await client.findByUrl(url)) === undefined, 'the unverified subscription was kept');
        return;
      }
      const sub = await client.create({ url, events, options });
      const off = await until(Math.max(settleMs, handshake.deadlineMs), () =>
        sandbox.subscription(sub.id)?.active === false ? true : undefined,
      );
      must(off, 'the subscription stayed active without a handshake');
      await client.delete(sub.id);
    },
  );

  await check('handshake: deliveries are not taken for handshakes', async () => {
    const before = receiver.received.length;
    const sub = await client.create({ url: `${receiver.url}/after-handshake`, events, options });
    await until(settleMs, () => (sandbox.subscription(sub.id)?.handshake ? true : undefined));
    sandbox.fire(vendor.id, events[0]!);
    const delivered = await until(settleMs, () =>
      receiver.received.slice(before).find((r) => r.path === '/after-handshake'),
    );
    must(delivered, 'no delivery after the handshake');
    const verdict = answerHandshake(vendor, asRequest(delivered, secretOf(sub.id)));
    must(!verdict.handshake, 'a delivery was taken for a handshake');
    await client.delete(sub.id);
  });
}

/**
 * For vendors without an API that verify the URL when the user saves it (Slack's Request URL):
 * saving calls the URL as declared, signed with the hook's secret where the handshake is; core's
 * answer passes, a handshake checked with another secret does not; a URL that does not answer is
 * not saved; and a delivery to the saved hook is not taken for a handshake.
 */
export async function manualHandshakeChecks(
  vendor: VendorDefinition,
  sandbox: Sandbox,
  receiver: Receiver,
  check: Check,
  settleMs: number,
): Promise<void> {
  const handshake = vendor.handshake;
  if (!handshake || vendor.api) return;
  const events = [vendor.events[0]!.type];
  const secret = `conformance-${vendor.id}-secret`;
  await check("handshake: saving the URL verifies it, and answerHandshake's answer passes", async () => {
    const path = '/manual-handshake';
    const hook = await sandbox.saveHook({ vendor: vendor.id, url: `${receiver.url}${path}`, events, secret });
    const at = (r: ReceivedDelivery) => new URL(r.path, 'http://receiver').pathname === path;
    const got = receiver.handshakes.find(at);
    must(got, 'no verification request reached the URL before the hook was saved');
    must(hook.handshake?.ok === true, 'the saved hook does not show a good handshake');
    const verdict = answerHandshake(vendor, asRequest(got, secret));
    must(
      verdict.handshake && verdict.ok,
      `answerHandshake refuses the vendor's own request: ${JSON.stringify(verdict)}`,
    );
    if (handshake.signed) {
      const forged = answerHandshake(vendor, asRequest(got, `${secret}forged`));
      must(
        forged.handshake && !forged.ok && forged.status === 401,
        'a handshake checked with another secret is answered',
      );
    }
    const before = receiver.received.length;
    sandbox.fire(vendor.id, events[0]!, { subscriptionId: hook.id });
    const delivered = await until(settleMs, () => receiver.received.slice(before).find(at));
    must(delivered, 'no delivery to the saved hook');
    must(!answerHandshake(vendor, asRequest(delivered, secret)).handshake, 'a delivery was taken for a handshake');
    sandbox.removeHook(hook.id);
  });
  await check('handshake: a URL that does not answer it is not saved', async () => {
    const url = `${receiver.url}${IGNORES_HANDSHAKES}/manual`;
    const error = await sandbox.saveHook({ vendor: vendor.id, url, events, secret }).then(
      () => undefined,
      (e: unknown) => e,
    );
    must(error instanceof SandboxInputError, `saving did not fail (${String(error)})`);
    must(
      error.message.includes(handshake.failure.message),
      `the error does not give the vendor's message: ${error.message}`,
    );
    must(!sandbox.subscriptions(vendor.id).some((s) => s.url.startsWith(url)), 'the unverified hook was saved');
  });
}
