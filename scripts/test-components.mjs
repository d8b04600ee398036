// Runs web-test-runner with the project's config and writes the pass/fail counts to a JSON file,
// so that `npm test` can close with one summary line over vitest and the browser tests.
import { defaultReporter, startTestRunner } from '@web/test-runner';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2];
const { default: config } = await import(path.join(root, 'web-test-runner.config.mjs'));
const counts = { passed: 0, failed: 0, skipped: 0 };

function countSuite(suite) {
  for (const t of suite.tests) {
    if (t.skipped) counts.skipped++;
    else if (t.passed) counts.passed++;
    else counts.failed++;
  }
  for (const s of suite.suites) countSuite(s);
}

const countingReporter = {
  onTestRunFinished({ sessions }) {
    for (const s of sessions) {
      if (s.testResults) countSuite(s.testResults);
      // A file that failed to load or threw outside a test has no failing test to count.
      if (!s.passed && (s.errors?.length ?? 0) > 0) counts.failed++;
    }
    if (out) writeFileSync(out, JSON.stringify(counts));
  },
};

await startTestRunner({
  config: { ...config, rootDir: root, reporters: [defaultReporter(), countingReporter] },
  readCliArgs: false,
  readFileConfig: false,
  autoExitProcess: true,
});
