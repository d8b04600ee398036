// Builds <eas-payload-editor> for browsers: one self-contained ES module (Lit, catalog and
// validation included) that a plain page loads with <script type="module">, plus the
// custom-elements.json manifest next to it. Run: npm run build:components (npm run build runs it too).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(root, 'dist', 'components');
export const BUNDLE = join(OUT_DIR, 'eas-payload-editor.js');

/** Bundles the element; returns esbuild's metafile so callers can see what went in. */
export async function buildBundle({ minify = true } = {}) {
  mkdirSync(OUT_DIR, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['components/index.ts'],
    outfile: BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    minify,
    sourcemap: 'linked',
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    tsconfig: join(root, 'tsconfig.json'),
  });
  return result.metafile;
}

/** Writes dist/components/custom-elements.json with @custom-elements-manifest/analyzer. */
export function buildManifest() {
  const cli = join(root, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js');
  const r = spawnSync(
    process.execPath,
    [cli, 'analyze', '--litelement', '--globs', 'components/**/*.ts', '--exclude', 'components/demo/**', '--outdir', 'dist/components'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`custom-elements-manifest analyzer failed with status ${r.status}`);
}

// Builds when run and when imported (scripts/build.mjs imports this file as its components step).
await buildBundle();
buildManifest();
console.log(`built ${BUNDLE.slice(root.length + 1)} and dist/components/custom-elements.json`);
