import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../core/certs';
import type { Owner } from '../../../core/owners/owner';
import { DeviceCertificateFolder, IdentityFolder, ProfileInputError } from '../../../core/profiles';
import { TestPki, tempDir } from './helpers';

// The folder rules end to end through the CLI are in cli.test.ts; these hold the core API that the CLI is a thin layer over.
const PASS = 'folder-Pa55';
let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
const owners: Owner[] = [
  { id: 'a', email: 'alice@example.com', username: 'alice', source: 'csv' },
  { id: 'b', email: 'bob@example.com', username: 'bob', source: 'csv', devices: [{ serialNumber: 'C02BOB' }] },
  { id: 'c', email: 'carol@example.com', source: 'csv' },
];

beforeAll(() => {
  tmp = tempDir('identity-folder-');
  pki = new TestPki(tmp.dir);
  mkdirSync(join(tmp.dir, 'ids'));
  const alice = pki.issue('alice identity', 'rsa2048', pki.intermediate, { email: 'alice@example.com' });
  const bob = pki.issue('bob identity', 'rsa2048', pki.intermediate, { email: 'bob@example.com' });
  copyFileSync(pki.p12(alice, PASS), join(tmp.dir, 'ids', 'alice@example.com.p12'));
  copyFileSync(pki.p12(bob, PASS), join(tmp.dir, 'ids', 'E1002.pfx'));
  copyFileSync(pki.p12(bob, 'other'), join(tmp.dir, 'ids', 'old.p12'));
  mkdirSync(join(tmp.dir, 'devices'));
  copyFileSync(bob.cert, join(tmp.dir, 'devices', 'C02BOB.pem'));
});
afterAll(() => tmp.cleanup());

describe('IdentityFolder', () => {
  it('gives each owner the identity named for them or whose certificate names them, and says why not otherwise', async () => {
    const folder = await IdentityFolder.open('ids', owners, { cwd: tmp.dir, password: new Secret(PASS) });
    const alice = await folder.identityFor(owners[0]);
    expect(alice.ok && alice.value.identity.certificate.subject).toContain('CN=alice identity');
    const bob = await folder.identityFor(owners[1], true);
    expect(bob.ok && bob.value).toMatchObject({ includePassword: true });
    expect(bob.ok && bob.value.identity.certificate.subject).toContain('CN=bob identity');
    const carol = await folder.identityFor(owners[2]);
    expect(carol).toMatchObject({ ok: false, diagnostic: { code: 'identity-missing', owner: 'carol@example.com' } });
    expect(!carol.ok && carol.diagnostic.message).toContain('1 file of the folder could not be read (wrong passphrase for ids/old.p12)');
    expect(folder.unreadable).toEqual(['wrong passphrase for ids/old.p12']);
  });

  it('refuses a folder that cannot be listed with a ProfileInputError naming it', async () => {
    await expect(IdentityFolder.open('missing', owners, { cwd: tmp.dir })).rejects.toThrow(new ProfileInputError('missing is not a readable folder.', 'missing'));
  });
});

describe('DeviceCertificateFolder', () => {
  it('finds a device certificate by serial number, and says what it looked for', async () => {
    const folder = await DeviceCertificateFolder.open('devices', { cwd: tmp.dir });
    const bob = await folder.certificateFor(owners[1]);
    expect(bob.ok && bob.value.subject).toContain('CN=bob identity');
    const alice = await folder.certificateFor(owners[0]);
    expect(alice).toMatchObject({ ok: false, diagnostic: { code: 'no-device-certificate' } });
    expect(!alice.ok && alice.diagnostic.message).toContain('looked for alice@example.com');
  });
});
