// Prints the gzip size of the <eas-payload-editor> bundle and its ratio to the 30 KB budget
// (Lit, catalog and validation included); exits 1 over budget. Build first: npm run build:components
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 30 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'dist', 'components', 'eas-payload-editor.js');

let code;
try {
  code = readFileSync(file);
} catch {
  console.error(`${file} is missing: run npm run build:components first.`);
  process.exit(2);
}
const gz = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ratio = gz / BUDGET;
console.log(`eas-payload-editor.js: ${kb(code.length)} raw, ${kb(gz)} gzip (${gz} bytes); ratio to the 30 KB budget: ${ratio.toFixed(2)}`);
if (ratio > 1) {
  console.error('Over budget.');
  process.exit(1);
}
