// Test launcher for the sandbox's commands as a process (the published `hookpack` bin is
// @hookpack/cli's; this package stays a library and must not depend on it).
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
