import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/n8n-runtime.mjs';
import { buildFixture, makeCertificate, PEOPLE, STAFF, SUFFIX, userLdif } from '../core/directory/fixtures';
import { startN8nInstance, type N8nInstance } from '../helpers/n8n';
import { makePki, type TestPki } from '../helpers/pki';
import { startSlapd, type Slapd } from '../helpers/slapd';

const run = promisify(execFile);

// The two directory examples in a real n8n 2.40, against a real slapd over LDAPS, bound as a service account.
const CANARY = 'Canary-Directory-Service-Password-58';
const SERVICE_DN = `uid=svc-n8n,${SUFFIX}`;
const fx = buildFixture(20);
const now = Date.now();
const jane = userLdif({
  rdn: 'uid=jane.doe',
  uid: 'jdoe',
  cn: 'Jane Doe',
  sn: 'Doe',
  givenName: 'Jane',
  mail: 'jane.doe@example.org',
  memberOf: [STAFF],
  certificates: [makeCertificate('jane.doe@example.org', new Date(now - 86_400_000), new Date(now + 300 * 86_400_000))],
});
const service = `dn: ${SERVICE_DN}\nobjectClass: account\nobjectClass: simpleSecurityObject\nuid: svc-n8n\nuserPassword: ${CANARY}\n\n`;
// Owners that get a profile: everyone with an e-mail address except the locked account.
const ACTIVE_OWNERS = fx.ownerCount + 1 /* jane */ - 1 /* locked */;

let slapd: Slapd;
let n8n: N8nInstance;
let pki: TestPki;

beforeAll(async () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  [slapd, n8n] = await Promise.all([startSlapd({ tls: true, ldif: fx.ldif + jane + service }), startN8nInstance()]);
  pki = await makePki(path.join(n8n.userFolder, 'pki'));
  await n8n.importCredentials([
    {
      id: 'easDemoLdapId',
      name: 'Company directory (LDAP)',
      type: 'ldapDirectoryApi',
      data: { url: slapd.ldapsUrl, startTls: false, publicCaCertificate: slapd.caPem, bindDn: SERVICE_DN, password: CANARY, connectTimeout: 10, timeout: 60 },
    },
    {
      id: 'easDemoSigningId',
      name: 'EAS demo signing identity',
      type: 'easSigningIdentityApi',
      data: { format: 'pem', publicCertificate: pki.pem(pki.leafCert), privateKey: pki.pem(pki.leafKey), passphrase: '', chain: '' },
    },
  ]);
  await n8n.importWorkflows(path.join(root, 'examples'));
}, 900_000);

afterAll(async () => {
  await slapd?.stop();
});

describe('scheduled-directory-sync in a real n8n', () => {
  it('first run: a full sync creates every owner and signed profiles for the active ones; the next run is incremental from the stored watermark', async () => {
    const first = await n8n.execute('easDirectorySync01');
    expect(first.status).toBe('success');
    const synced = first.items('Sync owners').map((i) => i.json);
    expect(synced).toHaveLength(fx.ownerCount + 1);
    expect(new Set(synced.map((j) => `${j.action}/${j.mode}`))).toEqual(new Set(['create/full']));
    expect(synced.find((j) => j.username === 'locked')?.disabled).toBe(true);
    const built = first.items('Build signed profile');
    expect(built).toHaveLength(ACTIVE_OWNERS);
    for (const item of built) expect(item.json).toMatchObject({ built: true, signed: true, encrypted: false });
    const janeBuilt = built.find((i) => i.json.owner === 'jane.doe@example.org');
    expect(janeBuilt).toBeDefined();
    expect(first.raw).not.toContain(CANARY);

    const files = readdirSync(path.join(n8n.filesDir, 'profiles'));
    expect(files).toContain('jane.doe@example.org.mobileconfig');
    expect(files).not.toContain('locked@example.org.mobileconfig');
    const janeFile = path.join(n8n.filesDir, 'profiles', 'jane.doe@example.org.mobileconfig');
    const { stdout: xml } = await run('openssl', ['cms', '-verify', '-inform', 'DER', '-in', janeFile, '-CAfile', pki.caCert, '-purpose', 'any']);
    expect(xml).toContain('<string>jane.doe@example.org</string>');
    expect(xml).toContain('<string>CORP\\jdoe</string>');

    // The watermark lives in the workflow's static data: the next run reads only what changed.
    const admin = new Client({ url: slapd.url });
    try {
      await admin.bind(slapd.rootDn, slapd.rootPassword);
      await admin.modify(`uid=jane.doe,${PEOPLE}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'cn', values: ['Jane Doe-Smith'] }) }));
    } finally {
      await admin.unbind();
    }
    const second = await n8n.execute('easDirectorySync01');
    expect(second.status).toBe('success');
    expect(second.items('Sync owners').map((i) => [i.json.action, i.json.mode, i.json.username])).toEqual([['update', 'incremental', 'jdoe']]);
    const rebuilt = second.items('Build signed profile');
    expect(rebuilt.map((i) => i.json.owner)).toEqual(['jane.doe@example.org']);
    // Stable identifiers; and since the template does not use the display name, the profile is the
    // very same version (same top-level PayloadUUID), which an MDM then need not send again.
    expect(rebuilt[0].json).toMatchObject({ easUuid: janeBuilt?.json.easUuid, profileUuid: janeBuilt?.json.profileUuid, contentHash: janeBuilt?.json.contentHash });
    expect(second.raw).not.toContain(CANARY);
  }, 300_000);
});

describe('hr-offboarding in a real n8n', () => {
  it('looks the leaver up by e-mail and reports the profile identifier, certificates and groups to remove', async () => {
    const execution = await n8n.execute('easHrOffboarding01');
    expect(execution.status).toBe('success');
    const found = execution.items('Look up leaver');
    expect(found).toHaveLength(1);
    const [report] = execution.items('What to remove').map((i) => i.json);
    expect(report).toMatchObject({
      leaver: 'jane.doe@example.org',
      username: 'jdoe',
      directoryEntry: `uid=jane.doe,${PEOPLE}`,
      stillEnabledInDirectory: true,
      groupsToLeave: [STAFF],
      mdmCommand: 'RemoveProfile',
    });
    expect(report.profileIdentifier).toEqual(expect.any(String));
    const certificates = report.certificatesToRevoke as { fingerprint: string; subject: string }[];
    expect(certificates).toHaveLength(1);
    expect(certificates[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(`sha256:${certificates[0].fingerprint}`).toBe(found[0].json.identityRef);
    // The same identifier as the profile the nightly sync built for her.
    const { stdout: xml } = await run('openssl', ['cms', '-verify', '-inform', 'DER', '-in', path.join(n8n.filesDir, 'profiles', 'jane.doe@example.org.mobileconfig'), '-CAfile', pki.caCert, '-purpose', 'any']);
    expect(xml).toContain(`<string>${String(report.profileIdentifier)}</string>`);
    expect(execution.raw).not.toContain(CANARY);
  }, 300_000);
});
