import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/n8n-runtime.mjs';
import { exampleWorkflows, startN8nInstance, type N8nInstance } from '../helpers/n8n';
import { makePki } from '../helpers/pki';

const run = promisify(execFile);

// A real n8n 2.40 loads the packed package as a community package and runs the example workflows.
let n8n: N8nInstance;

beforeAll(async () => {
  n8n = await startN8nInstance();
  await n8n.importWorkflows(path.join(root, 'examples'));
}, 900_000);

describe('examples in a real n8n', () => {
  it('every example has a unique id and a name', () => {
    const examples = exampleWorkflows();
    expect(examples.length).toBeGreaterThan(0);
    expect(new Set(examples.map((e) => e.id)).size).toBe(examples.length);
  });

  it('validate-payload: the good payload passes, the bad one gets its diagnostics', async () => {
    const run = await n8n.execute('easValidatePayload01');
    expect(run.status).toBe('success');
    expect(run.error).toBeUndefined();
    const [good, bad] = run.items('Validate payload').map((i) => i.json);
    expect(good).toMatchObject({ valid: true, errorCount: 0, warningCount: 0, diagnostics: [] });
    expect(good.payload).toMatchObject({ Host: 'mail.example.com', EmailAddress: '{{email}}' });
    expect(bad).toMatchObject({ valid: false, errorCount: 4 });
    const diagnostics = bad.diagnostics as { code: string; path: string; severity: string }[];
    expect(diagnostics.map((d) => `${d.severity}:${d.code}@${d.path}`).sort()).toEqual([
      'error:host-is-url@Host',
      'error:past-days-not-allowed@MailNumberOfPastDaysToSync',
      'error:smime-without-identity@SMIMESigningCertificateUUID',
      'error:unknown-key@UseSSL',
    ]);
  }, 120_000);
});

describe('build-profiles-from-csv in a real n8n', () => {
  it('reads the owners CSV, builds one signed profile per owner, and writes files that openssl verifies', async () => {
    const pki = await makePki(path.join(n8n.userFolder, 'pki'));
    const canary = 'Canary-signing-Passphrase-42';
    await run('openssl', ['pkcs8', '-topk8', '-in', pki.leafKey, '-out', path.join(pki.dir, 'leaf.enc.key'), '-passout', `pass:${canary}`, '-v2', 'aes-256-cbc']);
    await n8n.importCredentials([
      {
        id: 'easDemoSigningId',
        name: 'EAS demo signing identity',
        type: 'easSigningIdentityApi',
        data: { format: 'pem', publicCertificate: pki.pem(pki.leafCert), privateKey: pki.pem(path.join(pki.dir, 'leaf.enc.key')), passphrase: canary, chain: '' },
      },
    ]);
    const execution = await n8n.execute('easBuildProfilesCsv01');
    expect(execution.status).toBe('success');
    const built = execution.items('Build signed profile');
    expect(built.map((i) => i.json.owner)).toEqual(['jane.doe@example.com', 'zoe.obrien@example.com', 'marc.lefevre@example.com']);
    for (const item of built) {
      expect(item.json).toMatchObject({ built: true, signed: true, encrypted: false });
      expect(item.binary?.data?.mimeType).toBe('application/x-apple-aspen-config');
    }
    expect(new Set(built.map((i) => i.json.easUuid)).size).toBe(3);
    expect(execution.raw).not.toContain(canary);
    expect(execution.raw).not.toContain('PRIVATE KEY');

    const files = readdirSync(path.join(n8n.filesDir, 'profiles')).sort();
    expect(files).toEqual(['jane.doe@example.com.mobileconfig', 'marc.lefevre@example.com.mobileconfig', 'zoe.obrien@example.com.mobileconfig']);
    const zoe = path.join(n8n.filesDir, 'profiles', 'zoe.obrien@example.com.mobileconfig');
    const { stdout: xml } = await run('openssl', ['cms', '-verify', '-inform', 'DER', '-in', zoe, '-CAfile', pki.caCert, '-purpose', 'any']);
    const eas = JSON.parse(await pyPlist(xml)) as Record<string, unknown>;
    expect(eas).toMatchObject({
      PayloadType: 'com.apple.eas.account',
      EmailAddress: 'zoe.obrien@example.com',
      UserName: 'CORP\\zobrien',
      Host: 'mail.example.com',
      PayloadDisplayName: 'Corporate mail',
    });
  }, 300_000);
});

/** The first payload of a profile's XML, parsed by Python's plistlib, as JSON. */
async function pyPlist(xml: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('python3', ['-c', 'import plistlib,sys,json; p=plistlib.loads(sys.stdin.buffer.read()); print(json.dumps(p["PayloadContent"][0], default=str))'], (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
    child.stdin?.end(xml);
  });
}
