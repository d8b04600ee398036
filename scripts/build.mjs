// Builds what the package ships: the n8n nodes and credentials as CommonJS with core/ and its
// libraries bundled in (n8n loads community nodes with require, and a verified community package
// may have no runtime dependencies), and the CLI the same way.
import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const ASSETS = /\.(svg|png|json)$/;

/** dist/nodes/X/X.node.js → nodes/X/X.node.ts: the package.json n8n section is the list of what to build. */
const sourceOf = (distFile) => distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts');
const n8nEntries = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map(sourceOf);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'eof',
  logLevel: 'warning',
  absWorkingDir: root,
};

for (const dir of ['dist/nodes', 'dist/credentials', 'dist/cli']) rmSync(path.join(root, dir), { recursive: true, force: true });

await build({
  ...common,
  entryPoints: n8nEntries,
  outdir: path.join(root, 'dist'),
  outbase: root,
  // n8n provides n8n-workflow; a second copy would break instanceof checks on its errors.
  external: ['n8n-workflow'],
});

// Icons and codex files sit next to each built node and credential.
for (const entry of n8nEntries) {
  const srcDir = path.join(root, path.dirname(entry));
  const outDir = path.join(root, 'dist', path.dirname(entry));
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(srcDir)) if (ASSETS.test(f)) cpSync(path.join(srcDir, f), path.join(outDir, f));
}

await build({
  ...common,
  entryPoints: { 'cli/eas-profiles': 'cli/eas-profiles.ts' },
  outdir: path.join(root, 'dist'),
  banner: { js: '#!/usr/bin/env node' },
  define: { 'process.env.EAS_PROFILES_VERSION': JSON.stringify(pkg.version) },
});
chmodSync(path.join(root, 'dist/cli/eas-profiles.js'), 0o755);

const components = path.join(root, 'scripts/build-components.mjs');
if (existsSync(components)) await import(pathToFileURL(components).href);

console.log(`built ${n8nEntries.length} n8n entries and the CLI into dist/`);
