#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm run build` / the root postinstall).
let cli;
try {
  cli = await import('../dist/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/main.js')) {
    process.stderr.write(
      'hookpack: the CLI is not built yet: run "npm run build" at the repository root (or "npx tsc -b packages/cli").\n',
    );
    process.exit(2);
  }
  throw err;
}

cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`hookpack: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  },
);
