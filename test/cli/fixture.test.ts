import { describe, expect, it } from 'vitest';
import { vendorConformance } from '@hookpack/sandbox/testing';
import { vendors } from '@hookpack/providers';
import { acme } from '../fixtures/acme.js';
import { acmeVerified } from '../fixtures/acme-verified.js';

// The fixture the cli tests build from is a vendor in its own right: it passes the conformance
// suite a connector author runs, and it is not one of the built-in vendors.
describe('test/fixtures/acme.ts', () => {
  it('is not a built-in vendor', () => {
    expect(vendors.map((v) => v.id)).not.toContain(acme.id);
  });

  it('passes vendorConformance against the sandbox playing it', { timeout: 60_000 }, async () => {
    const report = await vendorConformance(acme);
    expect(report.failures).toEqual([]);
    expect(report.checks.length).toBeGreaterThan(acme.events.length * 2);
  });
});

// The e2e's vendor for "a handshake answered during activation" (Graph-style validationToken).
describe('test/fixtures/acme-verified.ts', () => {
  it(
    'is not a built-in vendor, and passes vendorConformance with its during-create handshake checks',
    {
      timeout: 60_000,
    },
    async () => {
      expect(vendors.map((v) => v.id)).not.toContain(acmeVerified.id);
      const report = await vendorConformance(acmeVerified);
      expect(report.failures).toEqual([]);
      const handshakeChecks = report.checks.filter((c) => c.name.startsWith('handshake:'));
      expect(handshakeChecks.map((c) => [c.name, c.ok])).toEqual([
        ["handshake: create verifies the URL (during-create) and answerHandshake's answer passes", true],
        ['handshake: a URL that does not answer it gets create refused (400)', true],
        ['handshake: deliveries are not taken for handshakes', true],
      ]);
    },
  );
});
