// The community package of test/fixtures/expiring-parley.ts (subscriptions that expire and are
// renewed), packed for a real n8n to install.
import { expiringParley } from '../fixtures/expiring-parley.js';
import { packFixturePackage } from './fixture-package.js';

export const EXPIRING_PACKAGE = 'n8n-nodes-parley-expiring';

/** The sandbox's `expiryTimeScale` that makes the fixture's seven-day lifetime pass in ten seconds (renewal due after six). */
export const TEN_SECOND_LIFETIME = 10_000 / expiringParley.api!.expiry!.maxLifetimeMs;

/** Builds and packs the package into `workDir`; returns the tarball's path. */
export const packExpiringPackage = (workDir: string) =>
  packFixturePackage(workDir, 'expiring-parley.ts', EXPIRING_PACKAGE);
