import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { n8nBin, n8nEnv, root, runtimeDir } from '../../scripts/n8n-runtime.mjs';
import { freePort } from '../helpers/n8n';

// `npm start` as a newcomer runs it: n8n comes up with our node loaded and the examples imported.
const userFolder = mkdtempSync(path.join(tmpdir(), 'eas-start-'));
let server: ChildProcess | undefined;

afterEach(async () => {
  if (server && server.exitCode === null) {
    const closed = new Promise((r) => server?.once('close', r));
    server.kill('SIGTERM');
    await closed;
  }
});

async function start(port: number): Promise<string> {
  server = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', EAS_N8N_USER_FOLDER: userFolder, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    server?.stdout?.on('data', (d) => {
      log += d;
      if (log.includes(`n8n is ready at http://localhost:${port}`)) resolve(log);
    });
    server?.stderr?.on('data', (d) => (log += d));
    server?.once('close', (code) => reject(new Error(`npm start exited with ${code}:\n${log.slice(-3000)}`)));
  });
}

describe('npm start', () => {
  it('serves n8n with the EAS Profile node and the example workflows, and a second start skips the installs', async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first).toContain('Installing n8n-nodes-eas-profiles into n8n');
    expect(first).toMatch(/Importing \d+ example workflow/);

    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const setup = await fetch(`${base}/rest/owner/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', firstName: 'Ada', lastName: 'Admin', password: 'Start-test-Passw0rd' }),
    });
    expect(setup.status).toBe(200);
    const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0];
    const types = (await (await fetch(`${base}/types/nodes.json`, { headers: { cookie } })).json()) as { name: string }[];
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['n8n-nodes-eas-profiles.easProfile', 'n8n-nodes-eas-profiles.easProfileTool']));
    const workflows = (await (await fetch(`${base}/rest/workflows`, { headers: { cookie } })).json()) as { data: { id: string }[] };
    expect(workflows.data.map((w) => w.id)).toContain('easValidatePayload01');

    const closed = new Promise((r) => server?.once('close', r));
    server?.kill('SIGTERM');
    await closed;
    const second = await start(port);
    expect(second).not.toContain('Installing n8n-nodes-eas-profiles');
    expect(second).not.toMatch(/Importing \d+ example workflow/);
    expect(second).not.toContain('Creating demo certificates');
  }, 900_000);

  it('leaves demo material with which the file-based examples run as they are', async () => {
    // The instance of the test above, stopped: run its examples headless with the same data.
    const files = path.join(userFolder, 'files');
    const env = n8nEnv(userFolder, { port: await freePort(), brokerPort: await freePort(), extra: { N8N_LOG_LEVEL: 'info' } });
    const execute = (id: string) => promisify(execFile)(process.execPath, [n8nBin(runtimeDir()), 'execute', `--id=${id}`], { cwd: files, env, maxBuffer: 64 * 1024 * 1024 });
    for (const id of ['easBuildProfilesCsv01', 'easOnboardHrCsv01']) {
      const { stdout } = await execute(id);
      expect(stdout, id).toContain('Execution was successful');
    }
    for (const f of ['jane.doe@example.com', 'alice.martin@example.com', 'bruno.moreau@example.com', 'chloe.dubois@example.com']) {
      const file = path.join(files, 'profiles', `${f}.mobileconfig`);
      expect(existsSync(file), f).toBe(true);
      await promisify(execFile)('openssl', ['cms', '-verify', '-inform', 'DER', '-in', file, '-CAfile', path.join(files, 'demo-signing-ca.pem'), '-purpose', 'any', '-out', '/dev/null']);
    }
    expect(existsSync(path.join(files, 'profiles', 'denis.roy@example.com.mobileconfig'))).toBe(false);
  }, 300_000);
});
