import { describe, expect, it } from 'vitest';
import { checkVendorDescription, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { startSandbox } from '@hookpack/sandbox';
import { handshakeShapes, vendorConformance } from '@hookpack/sandbox/testing';

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

describe('sandbox handshake: vendors without one', () => {
  it('the sandbox shows no handshake for them', async () => {
    const sandbox = await startSandbox();
    try {
      for (const v of sandbox.vendors()) expect(v.handshake).toBeUndefined();
    } finally {
      await sandbox.stop();
    }
  });
});
