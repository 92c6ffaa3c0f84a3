import { createSubscriptionClient, requestedExpiry, type VendorDefinition } from '@hookpack/core';
import { startSandbox } from '../sandbox.js';
import { sandboxAuth } from './sandbox-auth.js';

type Check = (name: string, run: () => unknown) => Promise<boolean>;

class ExpiryCheckFailed extends Error {}
function must(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ExpiryCheckFailed(message);
}

const START = Date.parse('2030-01-01T00:00:00.000Z');

/**
 * For vendors whose subscriptions expire, on a clock moved by hand: create reports the expiry
 * (the longest lifetime), the declared renewal extends or replaces it before it lapses, and a
 * lapsed one is deleted or switched off as declared and gets no more deliveries.
 */
export async function expiryChecks(vendor: VendorDefinition, check: Check): Promise<void> {
  const expiry = vendor.api?.expiry;
  if (!expiry) return;
  let now = START;
  const sandbox = await startSandbox({ vendors: [vendor], rateLimits: false, expiryTimeScale: 1, now: () => now });
  try {
    const client = createSubscriptionClient(vendor, {
      ...sandboxAuth(sandbox, vendor),
      baseUrl: sandbox.baseUrl(vendor.id),
      allowInsecureTargetUrl: true,
      now: () => now,
    });
    const event = vendor.events[0]!.type;
    const input = { url: 'http://127.0.0.1:9/expiry-check', events: [event] };
    let id = '';
    const created = await check('expiry: create reports when the subscription lapses', async () => {
      const sub = (await client.subscribe(input))[0]!;
      id = sub.id;
      // What the vendor grants: its longest lifetime, or what create asked for where it asks.
      const granted = expiry.requestedOnCreate
        ? requestedExpiry(expiry, START)
        : new Date(START + expiry.maxLifetimeMs).toISOString();
      must(sub.expiresAt === granted, `expected expiry ${granted}, got ${String(sub.expiresAt)}`);
    });
    if (!created) return;
    await check(`expiry: renewal (${expiry.renew.kind}) before it lapses keeps it alive`, async () => {
      now += expiry.maxLifetimeMs * 0.6;
      const result = await client.renew(id, input);
      if (result.kind === 'replaced') {
        must(result.subscription.id !== id, 'the replacement has the old id');
        must(result.oldDeleted, 'the old subscription was not deleted');
        must((await client.findById(id)) === undefined, 'the old subscription is still there');
        id = result.subscription.id;
      }
      const read = await client.findById(id);
      must(read, 'the renewed subscription is gone');
      const expected = result.kind === 'extended' ? result.expiresAt : result.subscription.expiresAt;
      must(read.expiresAt === expected, `reads show ${String(read.expiresAt)}, renewal said ${String(expected)}`);
      must(Date.parse(read.expiresAt!) > START + expiry.maxLifetimeMs, 'the expiry did not move');
      now += expiry.maxLifetimeMs * 0.5; // past the first expiry, before the renewed one
      must((await client.findById(id))?.active, 'a renewed subscription lapsed at its first expiry');
    });
    await check(
      `expiry: a lapsed subscription is ${expiry.afterExpiry === 'delete' ? 'deleted' : 'switched off'} and gets no deliveries`,
      async () => {
        now += expiry.maxLifetimeMs + 1000;
        const found = await client.findById(id);
        if (expiry.afterExpiry === 'delete') must(found === undefined, 'still readable after its expiry');
        else must(found && !found.active, 'still active after its expiry');
        const fired = sandbox.fire(vendor.id, event);
        must(
          fired.deliveries.every((d) => d.subscriptionId !== id || d.state === 'dropped'),
          'an event was sent to a lapsed subscription',
        );
      },
    );
  } finally {
    await sandbox.stop();
  }
}
