import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
// The same installer `npm start` uses: a pinned n8n in its own cached folder.
import { ensureN8n, installCommunityPackage, n8nBin, n8nEnv, packPackage, prepareFilesDir, root } from '../../scripts/n8n-runtime.mjs';

const run = promisify(execFile);

/** A free TCP port on loopback, so that n8n's task broker never clashes with another n8n. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** One item of a node's output in an execution. */
export interface RunItem {
  json: Record<string, unknown>;
  binary?: Record<string, { fileName?: string; mimeType?: string; data?: string }>;
}

/** What `n8n execute` printed: the run data per node, and the raw text for leak checks. */
export interface Execution {
  readonly raw: string;
  readonly status: string;
  readonly error?: unknown;
  items(node: string): RunItem[];
}

/** A real n8n with this package installed as a community package, in a throw-away user folder. */
export interface N8nInstance {
  readonly userFolder: string;
  /** The only folder n8n may read and write files in, and its working directory. */
  readonly filesDir: string;
  importWorkflows(dir: string): Promise<void>;
  /** Imports credentials given with plain data (n8n encrypts them on import). */
  importCredentials(credentials: readonly { id: string; name: string; type: string; data: Record<string, unknown> }[]): Promise<void>;
  execute(workflowId: string): Promise<Execution>;
}

/** Builds and packs this package, installs the pinned n8n (cached) and loads the package into a fresh user folder. */
export async function startN8nInstance(): Promise<N8nInstance> {
  await run(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root });
  const runtime = await ensureN8n({ log: () => {} });
  const work = mkdtempSync(path.join(tmpdir(), 'eas-e2e-'));
  const tgz = await packPackage(path.join(work, 'pack'));
  const userFolder = path.join(work, 'user');
  await installCommunityPackage(userFolder, tgz);
  const filesDir = prepareFilesDir(userFolder);
  const env = n8nEnv(userFolder, { port: await freePort(), brokerPort: await freePort(), extra: { N8N_LOG_LEVEL: 'info' } });
  const n8n = (args: string[]) =>
    run(process.execPath, [n8nBin(runtime), ...args], { cwd: filesDir, env, maxBuffer: 256 * 1024 * 1024 });
  return {
    userFolder,
    filesDir,
    async importCredentials(credentials) {
      const file = path.join(work, 'credentials.json');
      writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
      try {
        await n8n(['import:credentials', `--input=${file}`]);
      } finally {
        rmSync(file, { force: true });
      }
    },
    async importWorkflows(dir) {
      await n8n(['import:workflow', '--separate', `--input=${dir}`]);
    },
    async execute(id) {
      const { stdout, stderr } = await n8n(['execute', `--id=${id}`]).catch((e: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`n8n execute --id=${id} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
      });
      const marker = stdout.indexOf('Execution was successful:');
      if (marker < 0) throw new Error(`n8n execute --id=${id} did not succeed:\n${stdout}\n${stderr}`);
      const body = stdout.slice(stdout.indexOf('{', marker), stdout.lastIndexOf('}') + 1);
      const parsed = JSON.parse(body) as {
        status: string;
        data: { resultData: { error?: unknown; runData: Record<string, { data: { main: RunItem[][] } }[]> } };
      };
      return {
        raw: body,
        status: parsed.status,
        error: parsed.data.resultData.error,
        items(node) {
          const runs = parsed.data.resultData.runData[node];
          if (!runs) throw new Error(`node "${node}" did not run`);
          return runs.flatMap((r) => r.data.main[0] ?? []);
        },
      };
    },
  };
}

/** The example workflows shipped in examples/, with their ids. */
export function exampleWorkflows(): { file: string; id: string; name: string }[] {
  const dir = path.join(root, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const wf = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { id: string; name: string };
      return { file: f, id: wf.id, name: wf.name };
    });
}
