import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// What `npm pack` ships is what users install: exactly the built package, no sources, no tests.
const root = path.resolve(__dirname, '..');
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  keywords: string[];
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  n8n: { nodes: string[]; credentials: string[] };
};
let files: string[] = [];

beforeAll(async () => {
  await run(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root });
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: root, env: process.env });
  files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path).sort();
}, 300_000);

describe('the published package', () => {
  it('is an n8n community package with no runtime dependencies', () => {
    expect(pkg.name).toBe('n8n-nodes-eas-profiles');
    expect(pkg.keywords).toContain('n8n-community-node-package');
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['n8n-workflow']);
  });

  it('contains every built node, credential and their icons and codex files, and the CLI', () => {
    for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
      expect(files).toContain(entry);
      const dir = path.dirname(entry);
      expect(files.some((f) => f.startsWith(`${dir}/`) && f.endsWith('.svg')), `${dir} icon`).toBe(true);
    }
    for (const node of pkg.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
    expect(files).toContain(pkg.bin['eas-profiles']);
  });

  it('ships nothing a user does not need', () => {
    const allowed = /^(dist\/(nodes|credentials|cli|components)\/.+|README\.md|LICENSE|package\.json)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /\.(ts|map|tsbuildinfo)$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('loads the built node as n8n does (CommonJS require) with only n8n-workflow outside the bundle', async () => {
    const script = `const m = require(${JSON.stringify(path.join(root, pkg.n8n.nodes[0]))}); const C = Object.values(m)[0]; const n = new C(); console.log(JSON.stringify({ name: n.description.name, props: n.description.properties.length }));`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: root });
    expect(JSON.parse(stdout)).toMatchObject({ name: 'easProfile' });
    const bundle = readFileSync(path.join(root, pkg.n8n.nodes[0]), 'utf8');
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => !m.startsWith('node:') && !builtinModules.includes(m));
    expect(new Set(required)).toEqual(new Set(['n8n-workflow']));
  });
});
