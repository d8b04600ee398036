import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
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
  await n8n.importWorkflows(only);
}, 900_000);

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

    for (const secret of [CERT_PASSPHRASE, SIGNING_PASSPHRASE, 'a-passphrase-nobody-remembers', 'PRIVATE KEY']) expect(execution.raw).not.toContain(secret);
  }, 300_000);
});
