import { createZapierApp } from '@hookpack/zapier';
import { parley } from '@hookpack/providers';
import packageJson from '../package.json' with { type: 'json' };

// The whole app comes from the Parley vendor module; zapier-platform-core's exact version
// pinned in package.json is the platform version the app declares.
export default createZapierApp(parley, {
  version: packageJson.version,
  platformVersion: packageJson.dependencies['zapier-platform-core'],
});
