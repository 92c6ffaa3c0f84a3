// The community package of test/fixtures/acme-verified.ts (a URL verified while create waits),
// packed for n8n to install beside n8n-nodes-hookpack.
import { packFixturePackage } from './fixture-package.js';

export const VERIFIED_PACKAGE = 'n8n-nodes-acme-verified';

/** Builds and packs the package into `workDir`; returns the tarball's path. */
export const packVerifiedPackage = (workDir: string) =>
  packFixturePackage(workDir, 'acme-verified.ts', VERIFIED_PACKAGE);
