import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { root } from '../../scripts/n8n-runtime.mjs';
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
  }, 900_000);
});
