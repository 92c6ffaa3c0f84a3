import { createZapierApp, type ZapierApp } from '@hookpack/zapier';
import { getVendor, vendors } from '@hookpack/providers';

/** What an app directory's package.json (generated per vendor) says about the app. */
export interface AppManifest {
  version: string;
  dependencies: Record<string, string>;
  hookpack: { vendor: string };
}

/**
 * An app directory's app, in process: the vendor named in its package.json through the factory,
 * with the arguments its bundle (written by buildZapierApp of @hookpack/cli) passes — the app's
 * version and zapier-platform-core's exact pinned version as the platform version. The Zapier
 * tests load apps through this, against the workspace sources.
 */
export function appFromManifest(manifest: AppManifest): ZapierApp {
  const id = manifest.hookpack?.vendor;
  const vendor = typeof id === 'string' ? getVendor(id) : undefined;
  if (!vendor) {
    throw new Error(
      `package.json "hookpack.vendor" is ${JSON.stringify(id)}, not one of: ${vendors.map((v) => v.id).join(', ')}`,
    );
  }
  const platformVersion = manifest.dependencies['zapier-platform-core'];
  if (!platformVersion) throw new Error('package.json must pin zapier-platform-core in "dependencies"');
  return createZapierApp(vendor, { version: manifest.version, platformVersion });
}
