// `npm test`: every check a submission must pass, in order, then one closing line with the counts.
//   1. Node 24 (the `node` devDependency), 2. build, 3. typecheck, 4. lint (n8n-node lint),
//   5. vitest: unit, integration (openssl, slapd, plistlib) and e2e (a real n8n), 6. web components in chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

await import('./check-node.mjs');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const step = (title, cmd, args) => {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status === 0;
};
const fail = (what) => {
  console.error(`\n${what} failed.`);
  process.exit(1);
};

if (!step('build', process.execPath, ['scripts/build.mjs'])) fail('The build');
if (!step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])) fail('The typecheck');
if (!step('lint (n8n-node lint)', bin('n8n-node'), ['lint'])) fail('Lint');

const reports = path.join(root, '.tmp', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const vitestReport = path.join(reports, 'vitest.json');
const vitestOk = step('vitest: unit, integration and e2e tests', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
]);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestReport)) {
  const r = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
} else {
  failed += 1;
}

let componentsOk = true;
if (existsSync(path.join(root, 'web-test-runner.config.mjs'))) {
  const wtrReport = path.join(reports, 'components.json');
  componentsOk = step('web-test-runner: <eas-payload-editor> in chromium', process.execPath, [
    path.join(root, 'scripts', 'test-components.mjs'),
    wtrReport,
  ]);
  if (existsSync(wtrReport)) {
    const r = JSON.parse(readFileSync(wtrReport, 'utf8'));
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
  } else if (!componentsOk) {
    failed += 1;
  }
}

console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(vitestOk && componentsOk && failed === 0 && passed > 0 ? 0 : 1);
