import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Owner } from '../../../core/owners/owner';
import { matchCertificateDir, type FileMatch } from '../../../core/certs';
import { Fixtures, LEGACY_3DES } from './fixtures';

let fx: Fixtures;
let dir: string;
const PW = 'folder-pass';
const owners: Owner[] = [
  { id: 'a', email: 'alice@example.com', source: 'csv' },
  { id: 'b', email: 'bob@example.com', username: 'bsmith', source: 'csv' },
  { id: 'c', email: 'carol@example.com', upn: 'carol@corp.example', source: 'csv' },
  { id: 'd', email: 'dave@example.com', source: 'csv' },
  { id: 'e', email: 'erin@example.com', source: 'csv' },
  { id: 'e2', email: 'erin@other.example', source: 'csv' },
  { id: 'f', email: 'frank@example.com', source: 'csv' },
  { id: 'x', email: 'gone@example.com', source: 'csv', disabled: true },
];

beforeAll(() => {
  fx = new Fixtures();
  dir = join(fx.dir, 'certs');
  mkdirSync(dir);
  fx.cert({ name: 'alice', email: 'ALICE@example.com', eku: 'clientAuth' });
  fx.cert({ name: 'nobody', eku: 'clientAuth' });
  fx.cert({ name: 'carol', upn: 'carol@corp.example', eku: 'clientAuth' });
  fx.cert({ name: 'stranger', email: 'stranger@example.com', eku: 'clientAuth' });
  fx.cert({ name: 'dave', email: 'dave@example.com', eku: 'emailProtection' });
  fx.p12('alice', 'certs/alice-2025.pfx', PW);
  fx.p12('nobody', 'certs/bsmith.p12', PW, LEGACY_3DES);
  fx.p12('carol', 'certs/whatever.p12', PW);
  fx.p12('stranger', 'certs/stranger.p12', PW);
  fx.p12('nobody', 'certs/erin.p12', PW);
  fx.p12('dave', 'certs/dave-1.p12', PW);
  fx.p12('dave', 'certs/dave-2.p12', '');
  fx.p12('nobody', 'certs/wrongpass.p12', 'other');
  copyFileSync(fx.path('alice.crt'), join(dir, 'frank.crt'));
  copyFileSync(fx.path('nobody.key'), join(dir, 'frank.key'));
  writeFileSync(join(dir, 'broken.p12'), 'not a certificate');
  writeFileSync(join(dir, 'readme.txt'), 'ignored');
});
afterAll(() => fx.cleanup());

describe('bulk matching', () => {
  it('matches by certificate e-mail or UPN, then by file name, and reports the rest per file', async () => {
    const report = await matchCertificateDir(owners, dir, { password: PW });
    const byFile = new Map<string, FileMatch>(report.files.map((f) => [f.file, f]));
    expect(byFile.get('alice-2025.pfx')).toMatchObject({ kind: 'matched', ownerId: 'a', by: 'certificate', diagnostics: [] });
    expect(byFile.get('whatever.p12')).toMatchObject({ kind: 'matched', ownerId: 'c', by: 'certificate' });
    expect(byFile.get('bsmith.p12')).toMatchObject({ kind: 'matched', ownerId: 'b', by: 'file-name' });
    expect(byFile.get('stranger.p12')).toMatchObject({ kind: 'unmatched', certificate: { emails: ['stranger@example.com'] } });
    expect(byFile.get('erin.p12')).toMatchObject({ kind: 'ambiguous', reason: 'several-owners', ownerIds: ['e', 'e2'] });
    expect(byFile.get('dave-1.p12')).toMatchObject({ kind: 'ambiguous', reason: 'several-files', ownerIds: ['d'], otherFiles: ['dave-2.p12'] });
    expect(byFile.get('wrongpass.p12')).toMatchObject({ kind: 'failed', code: 'wrong-passphrase', message: 'wrong passphrase for wrongpass.p12' });
    expect(byFile.get('broken.p12')).toMatchObject({ kind: 'failed' });
    expect(byFile.get('frank.crt')).toMatchObject({ kind: 'failed', code: 'key-mismatch' });
    expect(byFile.has('readme.txt')).toBe(false);
    expect(report.unmatchedOwners).toEqual([{ id: 'f', email: 'frank@example.com' }]);
    expect(report.counts).toEqual({ matched: 3, ambiguous: 3, unmatched: 1, failed: 3, unmatchedOwners: 1 });
  });

  it("gives a certificate to the owner whose e-mail it names, also when that address is another owner's UPN", async () => {
    const shared = join(fx.dir, 'shared');
    mkdirSync(shared);
    copyFileSync(join(dir, 'alice-2025.pfx'), join(shared, 'E1.p12'));
    const withUpn: Owner[] = [
      { id: 'a', email: 'alice@example.com', source: 'csv' },
      { id: 'b', email: 'bob@example.com', upn: 'alice@example.com', source: 'csv' },
    ];
    const report = await matchCertificateDir(withUpn, shared, { password: PW });
    expect(report.files).toMatchObject([{ kind: 'matched', file: 'E1.p12', ownerId: 'a', by: 'certificate' }]);
  });

  it('matches a PEM pair and carries the identity checks', async () => {
    const pairDir = join(fx.dir, 'pair');
    mkdirSync(pairDir);
    copyFileSync(fx.path('dave.crt'), join(pairDir, 'dave.crt'));
    copyFileSync(fx.path('dave.key'), join(pairDir, 'dave.key'));
    const report = await matchCertificateDir(owners, pairDir);
    expect(report.files).toMatchObject([{ kind: 'matched', file: 'dave.crt', ownerId: 'd', diagnostics: [{ code: 'missing-client-auth' }] }]);
  });
});
