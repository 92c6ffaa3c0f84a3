import { describe, expect, it } from 'vitest';
import { checkVendorDescription, type HandshakeDefinition, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { SandboxInputError, startSandbox } from '@hookpack/sandbox';
import { handshakeShapes, vendorConformance } from '@hookpack/sandbox/testing';
import { IGNORES_HANDSHAKES, startReceiver } from '../src/testing/receiver.js';

// The sandbox plays a handshake from the description alone: shipped vendors with one of the
// handshake shapes public vendors use added to their description.
const shapes = handshakeShapes;

/** The first shipped REST vendor (with HMAC signatures) whose description accepts the shape. */
function vendorWith(shape: HandshakeDefinition): VendorDefinition {
  for (const v of vendors) {
    if (!v.api || v.signature.scheme.kind === 'public-key') continue;
    const candidate = { ...v, handshake: shape };
    if (checkVendorDescription(candidate).length === 0) return candidate;
  }
  throw new Error('no shipped vendor accepts this handshake shape');
}

describe.each(Object.entries(shapes))('sandbox handshake: %s', (_name, shape) => {
  const vendor = vendorWith(shape);

  it('passes vendorConformance, handshake checks included', { timeout: 60_000 }, async () => {
    const report = await vendorConformance(vendor);
    expect(report.failures).toEqual([]);
    expect(report.checks.filter((c) => c.name.startsWith('handshake:'))).toHaveLength(3);
  });

  it('the sandbox says what it does for the handshake', async () => {
    const sandbox = await startSandbox({ vendors: [vendor] });
    try {
      const line = sandbox.vendor(vendor.id).handshake;
      expect(line).toContain(shape.timing === 'during-create' ? 'during create' : 'after create');
      expect(line).toContain(`${shape.deadlineMs / 1000} s`);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('sandbox handshake: shipped vendors', () => {
  it('the sandbox shows a handshake line exactly for the vendors that declare one', async () => {
    const sandbox = await startSandbox();
    try {
      for (const v of sandbox.vendors())
        if (!vendors.find((d) => d.id === v.id)!.handshake) expect(v.handshake, v.id).toBeUndefined();
        else expect(v.handshake, v.id).toMatch(/^verifies the URL /);
    } finally {
      await sandbox.stop();
    }
  });
});

// A vendor without an API verifies the URL when the user saves it (Slack's Request URL): the
// manual vendor with each after-create shape added.
const manualBase = vendors.find((v) => !v.api)!;
const afterCreateShapes = Object.entries(shapes).filter(([, s]) => s.timing === 'after-create');
describe.each(afterCreateShapes)('sandbox handshake on a hand-configured hook: %s', (_name, shape) => {
  const vendor: VendorDefinition = { ...manualBase, handshake: shape };
  const secret = 'manual-hook-secret';

  it('the description is valid and passes vendorConformance, the save-time handshake checks included', async () => {
    expect(checkVendorDescription(vendor)).toEqual([]);
    const report = await vendorConformance(vendor);
    expect(report.failures).toEqual([]);
    expect(report.checks.filter((c) => c.name.startsWith('handshake:')).map((c) => c.ok)).toEqual([true, true]);
  });

  it('addHook refuses it (saving verifies the URL); saveHook saves only a URL that answers', async () => {
    const sandbox = await startSandbox({ vendors: [vendor] });
    const receiver = await startReceiver(vendor);
    try {
      const input = { vendor: vendor.id, events: [vendor.events[0]!.type], secret };
      expect(() => sandbox.addHook({ ...input, url: receiver.url })).toThrow(/verifies the URL before it saves it/);
      const saved = await sandbox.saveHook({ ...input, url: `${receiver.url}/ok` });
      expect(saved.handshake?.ok).toBe(true);
      expect(receiver.handshakes).toHaveLength(1);
      // Signed with the hook's secret, as deliveries are.
      const got = receiver.handshakes[0]!;
      expect(vendor.signature.scheme.verify({ body: got.body, headers: got.headers, secret }).ok).toBe(true);

      const refused = await sandbox.saveHook({ ...input, url: `${receiver.url}${IGNORES_HANDSHAKES}` }).catch((e) => e);
      expect(refused).toBeInstanceOf(SandboxInputError);
      expect(refused.status).toBe(422);
      expect(refused.message).toContain(shape.failure.message);
      expect(sandbox.subscriptions(vendor.id).map((s) => s.id)).toEqual([saved.id]);

      // The inspection API saves through the same path: 422 with the reason, nothing saved.
      const post = (url: string) =>
        fetch(`${sandbox.url}/_sandbox/hooks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...input, url }),
        });
      const bad = await post(`${receiver.url}${IGNORES_HANDSHAKES}/http`);
      expect(bad.status).toBe(422);
      expect(await bad.text()).toContain(shape.failure.message);
      expect((await post(`${receiver.url}/http`)).status).toBe(201);
      expect(sandbox.subscriptions(vendor.id)).toHaveLength(2);
      expect(receiver.handshakes).toHaveLength(2);
    } finally {
      await receiver.close();
      await sandbox.stop();
    }
  });

  it('a signed handshake needs the secret the vendor signs with: saving without one is refused by name', async () => {
    if (!shape.signed) return;
    const sandbox = await startSandbox({
      vendors: [{ ...vendor, signature: { ...vendor.signature, secretRequired: true } }],
    });
    try {
      await expect(
        sandbox.saveHook({ vendor: vendor.id, url: 'http://127.0.0.1:9/', events: [vendor.events[0]!.type] }),
      ).rejects.toThrow(/signs every delivery: give the hook's secret/);
    } finally {
      await sandbox.stop();
    }
  });
});
