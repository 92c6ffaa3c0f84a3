import { describe, expect, it } from 'vitest';
import { vendorConformance } from '@hookpack/sandbox/testing';
import { vendors } from '@hookpack/providers';
import { acme } from '../fixtures/acme.js';

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
