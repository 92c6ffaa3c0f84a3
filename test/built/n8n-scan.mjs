// n8n's community-package scanner (@n8n/scan-community-package) on a local folder, offline. Its
// CLI only scans a published package: it checks npm provenance, downloads the source commit the
// attestation names and the tarball, then lints both with `analyzePackage`. That function is
// exported; this runs it on a folder here, with the scanner's own file patterns for each leg:
//   source  the package root of the source checkout: package.json + {nodes,credentials}/**
//   dist    the unpacked npm tarball: every .js file + package.json
// and, for the test to say which rule found what, lints the same files with the scanner's own
// config (`buildScanConfig`, exported for its tests) and ESLint as the scanner resolves it.
// Prints one line, `scan: <JSON>`: { passed, message, findings: [{ file, line, rule, severity, message }] }.
//
//   node n8n-scan.mjs <scanner install folder> <package folder> source|dist
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const [installDir, packageDir, leg] = process.argv.slice(2);
if (!installDir || !packageDir || !['source', 'dist'].includes(leg))
  throw new Error('usage: node n8n-scan.mjs <scanner install folder> <package folder> source|dist');

const scannerFile = join(installDir, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
const scanner = await import(pathToFileURL(scannerFile).href);
const fromScanner = createRequire(scannerFile);
const { ESLint } = await import(pathToFileURL(fromScanner.resolve('eslint')).href);
const glob = fromScanner('fast-glob');

// The patterns analyzePackageByName passes for each leg.
const patterns = leg === 'source' ? scanner.SOURCE_FILE_PATTERNS : ['**/*.js', 'package.json'];
const verdict = await scanner.analyzePackage(packageDir, patterns);

// What analyzePackage lints, with the options it lints with.
const eslint = new ESLint({
  cwd: packageDir,
  allowInlineConfig: false,
  overrideConfigFile: true,
  overrideConfig: await scanner.buildScanConfig(),
});
const files = glob.sync(patterns, {
  cwd: packageDir,
  absolute: true,
  ignore: ['node_modules/**', '**/package-lock.json'],
});
const findings = [];
for (const result of files.length ? await eslint.lintFiles(files) : []) {
  for (const m of result.messages) {
    findings.push({
      file: relative(packageDir, result.filePath),
      line: m.line,
      rule: m.ruleId,
      severity: m.severity === 2 ? 'error' : 'warning',
      message: m.message,
    });
  }
}
console.log(
  `scan: ${JSON.stringify({ files: files.map((f) => relative(packageDir, f)).sort(), passed: verdict.passed, message: verdict.message ?? null, findings })}`,
);
