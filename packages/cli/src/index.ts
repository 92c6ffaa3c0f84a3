export { main, mainHelp } from './main.js';
export { buildN8nPackage, N8N_PACKAGE_NAME, type BuildN8nOptions, type BuiltPackage } from './n8n-package.js';
export { buildZapierApp, type BuildZapierOptions, type BuiltApp } from './zapier-app.js';
export { zapierLimits } from './zapier-limits.js';
export { loadVendors, VendorInputError, type LoadedVendor, type LoadOptions } from './vendor-input.js';
export { OutDirError, BUILD_RECORD } from './out-dir.js';
export { defaultIconSvg, initials, colourOf } from './default-icon.js';
export { vendorModuleSource, vendorTestSource, ScaffoldError, type ScaffoldOptions } from './scaffold.js';
export { bundleToMemory, type BundleInput } from './bundle.js';
