import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/n8n-runtime.mjs';
import { startN8nInstance, type N8nInstance } from '../helpers/n8n';
import { makeOwnerP12 } from '../helpers/ownerIdentities';
import { makePki, type TestPki } from '../helpers/pki';

const run = promisify(execFile);
const CERT_PASSPHRASE = 'Canary-Cert-Passphrase-2026';
const SIGNING_PASSPHRASE = 'Canary-Signing-Passphrase-77';

// The onboarding example in a real n8n 2.40: an HR export with its own column names becomes owners, the owners'
// PKCS#12 files (made here by openssl, never committed) are matched to them, and each matched owner gets a signed profile.
let n8n: N8nInstance;
let signing: TestPki;

beforeAll(async () => {
  n8n = await startN8nInstance();
  const pkiDir = path.join(n8n.userFolder, 'pki');
  signing = await makePki(path.join(pkiDir, 'signing'));
  const users = await makePki(path.join(pkiDir, 'users'), { keyType: 'ec' });
  const certs = path.join(n8n.filesDir, 'certs');
  await makeOwnerP12(users, certs, { file: 'alice.martin.p12', commonName: 'Alice Martin', email: 'alice.martin@example.com', passphrase: CERT_PASSPHRASE });
  // Named after the Windows login, as some exports do; matched by the e-mail inside.
  await makeOwnerP12(users, certs, { file: 'bmoreau.p12', commonName: 'Bruno Moreau', email: 'Bruno.Moreau@example.com', passphrase: CERT_PASSPHRASE });
  await makeOwnerP12(users, certs, { file: 'chloe.dubois.p12', commonName: 'Chloé Dubois', email: 'chloe.dubois@example.com', passphrase: CERT_PASSPHRASE });
  await makeOwnerP12(users, certs, { file: 'contractor.p12', commonName: 'Contractor', email: 'contractor@partner.example', passphrase: CERT_PASSPHRASE });
  await makeOwnerP12(users, certs, { file: 'old-export.p12', commonName: 'Old Export', email: 'denis.roy@example.com', passphrase: 'a-passphrase-nobody-remembers' });

  await run('openssl', ['pkcs8', '-topk8', '-in', signing.leafKey, '-out', path.join(signing.dir, 'leaf.enc.key'), '-passout', `pass:${SIGNING_PASSPHRASE}`, '-v2', 'aes-256-cbc']);
  await n8n.importCredentials([
    {
      id: 'easDemoSigningId',
      name: 'EAS demo signing identity',
      type: 'easSigningIdentityApi',
      data: { format: 'pem', publicCertificate: signing.pem(signing.leafCert), privateKey: signing.pem(path.join(signing.dir, 'leaf.enc.key')), passphrase: SIGNING_PASSPHRASE, chain: '' },
    },
    { id: 'easDemoCertPassphrase', name: 'EAS demo certificate passphrase', type: 'easCertificatePassphraseApi', data: { passphrase: CERT_PASSPHRASE, samplePkcs12WithPrivateKey: '' } },
  ]);
  // Only this example: the others have their own tests and credentials.
  const only = mkdtempSync(path.join(tmpdir(), 'eas-onboard-wf-'));
  copyFileSync(path.join(root, 'examples/onboard-from-hr-csv.json'), path.join(only, 'onboard-from-hr-csv.json'));
  writeFileSync(path.join(only, 'reconcile.json'), JSON.stringify(RECONCILE_WORKFLOW));
  await n8n.importWorkflows(only);
}, 900_000);

/** A test-only workflow: the owners CSV in the files folder, imported, then reconciled against the node's static data. */
const RECONCILE_WORKFLOW = {
  id: 'easReconcileE2e01',
  name: 'EAS e2e: reconcile owners against static data',
  active: false,
  nodes: [
    { id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    { id: 'b0000000-0000-4000-8000-000000000002', name: 'Read owners', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [220, 0], parameters: { fileSelector: 'reconcile-owners.csv', options: {} } },
    {
      id: 'b0000000-0000-4000-8000-000000000003', name: 'Import owners', type: 'n8n-nodes-eas-profiles.easProfile', typeVersion: 1, position: [440, 0],
      parameters: { resource: 'owner', operation: 'importCsv', binaryPropertyName: 'data', allowPartial: false, options: {} },
    },
    {
      id: 'b0000000-0000-4000-8000-000000000004', name: 'Reconcile owners', type: 'n8n-nodes-eas-profiles.easProfile', typeVersion: 1, position: [660, 0],
      parameters: { resource: 'owner', operation: 'reconcile', desiredOwner: '={{ $json }}', previousSource: 'staticData', maxDisablePercent: 10, force: false, saveAsPrevious: true },
    },
  ],
  connections: {
    Start: { main: [[{ node: 'Read owners', type: 'main', index: 0 }]] },
    'Read owners': { main: [[{ node: 'Import owners', type: 'main', index: 0 }]] },
    'Import owners': { main: [[{ node: 'Reconcile owners', type: 'main', index: 0 }]] },
  },
  settings: { executionOrder: 'v1' },
  pinData: {},
};

describe('onboard-from-hr-csv in a real n8n', () => {
  it('imports the HR owners, matches their certificates, and writes one signed profile per matched owner', async () => {
    const execution = await n8n.execute('easOnboardHrCsv01');
    expect(execution.status).toBe('success');
    expect(execution.error).toBeUndefined();

    const owners = execution.items('Import owners').map((i) => i.json);
    expect(owners).toHaveLength(4);
    expect(owners[0]).toEqual({
      id: 'E1001', email: 'alice.martin@example.com', username: 'amartin', firstName: 'Alice', lastName: 'Martin', source: 'csv',
      devices: [{ serialNumber: 'F2LXK1ABHG7F' }],
      attributes: { Department: 'Sales', 'Cost Centre': 'CC-410', 'Job Title': 'Account Manager', 'Start Date': '2021-03-01' },
    });
    expect(owners[3].attributes).toMatchObject({ 'Job Title': 'Warehouse Lead; Night Shift' });

    const matches = execution.items('Match certificates').map((i) => i.json);
    expect(matches.map((m) => `${m.file}:${m.status}`).sort()).toEqual([
      'alice.martin.p12:matched', 'bmoreau.p12:matched', 'chloe.dubois.p12:matched', 'contractor.p12:unmatched', 'old-export.p12:failed',
    ]);
    expect(matches.find((m) => m.file === 'old-export.p12')).toMatchObject({ code: 'wrong-passphrase', message: 'wrong passphrase for old-export.p12', valid: false });
    expect(matches.find((m) => m.file === 'bmoreau.p12')).toMatchObject({ by: 'certificate', ownerId: 'E1002', valid: true, owner: { identityRef: 'bmoreau.p12' } });
    expect(matches[0].summary).toEqual({ matched: 3, ambiguous: 0, unmatched: 1, failed: 1, unmatchedOwners: 1 });

    const built = execution.items('Build signed profile');
    expect(built.map((i) => i.json.owner).sort()).toEqual(['alice.martin@example.com', 'bruno.moreau@example.com', 'chloe.dubois@example.com']);
    for (const item of built) {
      expect(item.json).toMatchObject({ built: true, signed: true, encrypted: false });
      expect(item.binary?.data?.mimeType).toBe('application/x-apple-aspen-config');
    }

    const files = readdirSync(path.join(n8n.filesDir, 'profiles')).sort();
    expect(files).toEqual(['alice.martin@example.com.mobileconfig', 'bruno.moreau@example.com.mobileconfig', 'chloe.dubois@example.com.mobileconfig']);
    const { stdout: xml } = await run('openssl', [
      'cms', '-verify', '-inform', 'DER', '-in', path.join(n8n.filesDir, 'profiles', 'chloe.dubois@example.com.mobileconfig'), '-CAfile', signing.caCert, '-purpose', 'any',
    ]);
    expect(xml).toContain('<string>chloe.dubois@example.com</string>');
    expect(xml).toContain('<string>CORP\\cdubois</string>');
    // The matched certificate travels into the profile as the account's client identity.
    expect(xml).toContain('<string>com.apple.security.pkcs12</string>');
    const identityUuid = String(built.find((b) => b.json.owner === 'chloe.dubois@example.com')?.json.identityUuid);
    expect(identityUuid).toMatch(/^[0-9A-F-]{36}$/);
    expect(xml).toMatch(new RegExp(`<key>PayloadCertificateUUID</key>\\s*<string>${identityUuid}</string>`));

    for (const secret of [CERT_PASSPHRASE, SIGNING_PASSPHRASE, 'a-passphrase-nobody-remembers', 'PRIVATE KEY']) expect(execution.raw).not.toContain(secret);
  }, 300_000);
});

describe('Reconcile in a real n8n', () => {
  const people = Array.from({ length: 11 }, (_, n) => ({ email: `person${n}@example.com`, login: `person${n}` }));
  const writeOwners = (rows: { email: string; login: string; title?: string }[]) =>
    writeFileSync(path.join(n8n.filesDir, 'reconcile-owners.csv'), ['E-mail,User Name,Job Title', ...rows.map((r) => `${r.email},${r.login},${r.title ?? ''}`)].join('\n'));
  const actions = (items: { json: Record<string, unknown> }[]) => items.map((i) => `${i.json.action}:${i.json.email}`);

  it('keeps the owner set in static data between executions, and a refused run leaves it as it was', async () => {
    writeOwners(people);
    const first = await n8n.execute('easReconcileE2e01');
    expect(actions(first.items('Reconcile owners'))).toEqual(people.map((p) => `create:${p.email}`));

    // person10 leaves (1 of 11, under 10%) and person3 gets a job title.
    const next = people.slice(0, 10).map((p, n) => (n === 3 ? { ...p, title: 'Team Lead' } : p));
    writeOwners(next);
    const second = await n8n.execute('easReconcileE2e01');
    const items = second.items('Reconcile owners');
    expect(actions(items).filter((a) => !a.startsWith('unchanged'))).toEqual(['update:person3@example.com', 'disable:person10@example.com']);
    expect(items.find((i) => i.json.action === 'update')?.json.changes).toEqual([{ field: 'attributes', before: null, after: { 'Job Title': 'Team Lead' } }]);

    // A truncated export: 8 of the 10 active owners would go. n8n reports the refusal and nothing is stored...
    writeOwners(next.slice(0, 2));
    const refused = await n8n.execute('easReconcileE2e01').then(
      () => 'succeeded',
      (e: Error) => e.message,
    );
    expect(refused).toContain('Refusing to disable 8 of 10 owners');

    // ...so the full export again finds every owner unchanged.
    writeOwners(next);
    const again = await n8n.execute('easReconcileE2e01');
    expect(actions(again.items('Reconcile owners'))).toEqual([...next.map((p) => `unchanged:${p.email}`), 'unchanged:person10@example.com']);
  }, 300_000);
});
