// The real-n8n harness shared by the playground (npm start), the end-to-end tests and the
// n8n benchmark: install n8n into a cache, install the packed community package, run n8n.
export { DEFAULT_N8N_VERSION, cacheRoot, ensureN8n, installInfo, n8nBin, n8nInstallDir } from './install-n8n.mjs';
export { N8nRest, freePort, startN8n } from './n8n-instance.mjs';
export { installCommunityPackage, packNodesPackage, repoRoot } from './package-install.mjs';
export { ensureNode24 } from './node24.mjs';
export { portIsFree } from './ports.mjs';
export { authFieldOf, createTriggerWorkflow, credentialTypeOf } from './workflows.mjs';
export { missingServices, SERVICES_INSTALL_COMMAND } from './service-binaries.mjs';
export { BACKEND_HEADER } from './haproxy-lb.mjs';
export { startQueueMode } from './queue-mode.mjs';
