import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../../../cli/command';
import { profileCommands } from '../../../cli/commands/profiles';
import { TestPki, cmsDecrypt, cmsVerify, openssl, opensslResult, plistlib, tempDir, type Issued } from './helpers';

const CANARY = 'Canary-Pa55phrase-7f3e91';
const SIGN_CANARY = 'Sign-Canary-0c4d22';

const build = profileCommands.find((c) => c.path.join(' ') === 'build');
const inspectCmd = profileCommands.find((c) => c.path.join(' ') === 'inspect');

interface Captured {
  io: CliIo;
  out: string[];
  err: string[];
}

function fakeIo(cwd: string, env: Record<string, string> = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: true, env, cwd }, out, err };
}

let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
let signer: Issued;
let device: Issued;
const template = {
  PayloadDisplayName: 'Mail of {{displayName}}',
  Host: 'mail.example.com',
  EmailAddress: '{{email}}',
  UserName: '{{username}}',
};
const csv = [
  'email,username,displayName,serialNumber',
  'jane@example.com,jane,Jane Doe,C02ABC',
  '"zoe@example.com",zoe,"Zoë <""O\'Brien""> & Co",',
  'nobody@example.com,,No User Name,',
  'JANE@example.com,jane2,Dup,',
].join('\r\n');

beforeAll(() => {
  tmp = tempDir();
  pki = new TestPki(tmp.dir);
  signer = pki.issue('CLI Signer', 'rsa2048', pki.intermediate);
  device = pki.issue('Jane iPhone', 'rsa2048', pki.root);
  writeFileSync(join(tmp.dir, 'template.json'), JSON.stringify(template));
  writeFileSync(join(tmp.dir, 'owners.csv'), csv);
  mkdirSync(join(tmp.dir, 'devices'));
  // Named after the device serial number, not the e-mail.
  copyFileSync(device.cert, join(tmp.dir, 'devices', 'C02ABC.pem'));
  openssl(['x509', '-in', pki.root.cert, '-outform', 'DER', '-out', join(tmp.dir, 'devices', 'zoe@example.com.der')]);
  mkdirSync(join(tmp.dir, 'ids'));
  for (const who of ['jane', 'zoe', 'nobody']) {
    const id = pki.issue(`${who} identity`, 'rsa2048', pki.intermediate, { email: `${who}@example.com` });
    copyFileSync(pki.p12(id, CANARY), join(tmp.dir, 'ids', `${who}@example.com.p12`));
  }
  copyFileSync(pki.p12(signer, SIGN_CANARY), join(tmp.dir, 'signer.p12'));
});
afterAll(() => tmp.cleanup());

describe('eas-profiles build', () => {
  it('builds unsigned profiles and manifest.json; owners with errors are reported and skipped (exit 1)', async () => {
    const c = fakeIo(tmp.dir);
    const code = await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-plain', '--org', 'Example'], c.io);
    expect(code).toBe(1);
    const files = readdirSync(join(tmp.dir, 'out-plain')).sort();
    expect(files).toEqual(['jane@example.com.mobileconfig', 'manifest.json', 'zoe@example.com.mobileconfig']);
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'out-plain', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ built: 2, failed: 2, signed: false, encrypted: false });
    // The owners importer names the duplicate on its line and column, with the first occurrence.
    expect(manifest.owners.diagnostics).toEqual([expect.objectContaining({ code: 'duplicate-owner', line: 5, column: 1, relatedLine: 2 })]);
    expect(manifest.owners.mapping).toMatchObject({ email: 'email', username: 'username', displayName: 'displayName' });
    expect(c.out.join('')).toContain('owners.csv:5:1: error duplicate-owner');
    const jane = manifest.profiles.find((p: { owner: string }) => p.owner === 'jane@example.com');
    expect(jane).toMatchObject({ built: true, file: 'jane@example.com.mobileconfig' });
    expect(jane.easUuid).toMatch(/^[0-9A-F-]{36}$/);
    const nobody = manifest.profiles.find((p: { owner: string }) => p.owner === 'nobody@example.com');
    expect(nobody.diagnostics[0]).toMatchObject({ code: 'empty-variable', path: 'UserName' });
    const zoe = plistlib(readFileSync(join(tmp.dir, 'out-plain', 'zoe@example.com.mobileconfig'))) as { PayloadContent: { PayloadDisplayName: string }[] };
    expect(zoe.PayloadContent[0].PayloadDisplayName).toBe('Mail of Zoë <"O\'Brien"> & Co');
    expect(c.out.join('')).toContain('nobody@example.com: NOT built');
    // Rebuilding gives the same bytes.
    const again = fakeIo(tmp.dir);
    await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-plain2', '--org', 'Example', '--json'], again.io);
    for (const f of files) expect(readFileSync(join(tmp.dir, 'out-plain2', f)).equals(readFileSync(join(tmp.dir, 'out-plain', f)))).toBe(true);
    expect(JSON.parse(again.out.join('')).built).toBe(2);
  });

  it('signs, embeds 3DES identities and encrypts to device certificates; openssl verifies and decrypts; no secret leaks', async () => {
    const c = fakeIo(tmp.dir, { ID_PASS: CANARY, SIGN_PASS: SIGN_CANARY });
    const code = await build?.run(
      [
        '--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-full', '--org', 'Example',
        '--sign-p12', 'signer.p12', '--sign-password-env', 'SIGN_PASS', '--chain', pki.intermediate.cert,
        '--identities', 'ids', '--identities-password-env', 'ID_PASS', '--encrypt-to', 'devices', '--ca-payload', pki.root.cert,
      ],
      c.io,
    );
    expect(code).toBe(1);
    const manifestText = readFileSync(join(tmp.dir, 'out-full', 'manifest.json'), 'utf8');
    const manifest = JSON.parse(manifestText);
    // jane's device certificate is found by serial number, zoe's by e-mail (DER); nobody has none.
    expect(manifest.built).toBe(2);
    const files = readdirSync(join(tmp.dir, 'out-full')).filter((f) => f.endsWith('.mobileconfig'));
    expect(files.sort()).toEqual(['jane@example.com.mobileconfig', 'zoe@example.com.mobileconfig']);
    const everything: string[] = [c.out.join(''), c.err.join(''), manifestText];
    for (const [f, recipient] of [['jane@example.com.mobileconfig', device], ['zoe@example.com.mobileconfig', pki.root]] as const) {
      const signed = readFileSync(join(tmp.dir, 'out-full', f));
      const outer = cmsVerify(signed, pki.root.cert, tmp.dir);
      const top = plistlib(outer) as { EncryptedPayloadContent?: { $data: string }; PayloadContent?: unknown };
      expect(top.PayloadContent).toBeUndefined();
      everything.push(signed.toString('latin1'), outer.toString('latin1'));
      const inner = plistlib(cmsDecrypt(Buffer.from(top.EncryptedPayloadContent?.$data ?? '', 'base64'), recipient, tmp.dir)) as { PayloadType: string; PayloadContent: unknown; Password?: string; PayloadCertificateUUID?: string; PayloadUUID: string }[];
      expect(inner.map((p) => p.PayloadType)).toEqual(['com.apple.security.root', 'com.apple.security.pkcs12', 'com.apple.eas.account']);
      expect(inner[1].Password).toBeUndefined();
      expect(inner[2].PayloadCertificateUUID).toBe(inner[1].PayloadUUID);
      const p12 = Buffer.from((inner[1].PayloadContent as { $data: string }).$data, 'base64');
      const info = opensslResult(['pkcs12', '-info', '-legacy', '-noout', '-in', pki.file(`${f}.p12`, p12), '-passin', `pass:${CANARY}`]);
      expect(info.stderr).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
      everything.push(JSON.stringify(inner), p12.toString('latin1'));
    }
    // inspect opens jane's with her device identity (PKCS#12 whose passphrase comes from the environment).
    copyFileSync(pki.p12(device, CANARY), join(tmp.dir, 'jane-device.p12'));
    const seen = fakeIo(tmp.dir, { DEV_PASS: CANARY });
    expect(await inspectCmd?.run([join('out-full', 'jane@example.com.mobileconfig'), '--ca', pki.root.cert, '--decrypt-with', 'jane-device.p12', '--decrypt-password-env', 'DEV_PASS'], seen.io)).toBe(0);
    expect(seen.out.join('')).toContain('payload:  com.apple.security.pkcs12');
    everything.push(seen.out.join(''), seen.err.join(''));
    const nobody = manifest.profiles.find((p: { owner: string }) => p.owner === 'nobody@example.com');
    expect(nobody.diagnostics.map((d: { code: string }) => d.code)).toEqual(expect.arrayContaining(['no-device-certificate', 'empty-variable']));
    for (const text of everything) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(SIGN_CANARY);
    }
  });

  it('finds identities named otherwise by the e-mail in their certificate, as certs match does, and says when two fit', async () => {
    // An HR folder named by employee id: the file names say nothing, the certificates name their owners.
    mkdirSync(join(tmp.dir, 'ids-by-id'));
    const jane = pki.issue('jane identity', 'rsa2048', pki.intermediate, { email: 'jane@example.com' });
    copyFileSync(pki.p12(jane, CANARY), join(tmp.dir, 'ids-by-id', 'E1001.p12'));
    const zoe1 = pki.issue('zoe identity 1', 'rsa2048', pki.intermediate, { email: 'zoe@example.com' });
    const zoe2 = pki.issue('zoe identity 2', 'rsa2048', pki.intermediate, { email: 'zoe@example.com' });
    copyFileSync(pki.p12(zoe1, CANARY), join(tmp.dir, 'ids-by-id', 'E1002.p12'));
    copyFileSync(pki.p12(zoe2, CANARY), join(tmp.dir, 'ids-by-id', 'E1002-renewed.pfx'));
    const c = fakeIo(tmp.dir, { ID_PASS: CANARY });
    const code = await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-by-id', '--identities', 'ids-by-id', '--identities-password-env', 'ID_PASS'], c.io);
    expect(code).toBe(1);
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'out-by-id', 'manifest.json'), 'utf8'));
    const entry = (email: string) => manifest.profiles.find((p: { owner: string }) => p.owner === email);
    expect(entry('jane@example.com')).toMatchObject({ built: true });
    const profile = plistlib(readFileSync(join(tmp.dir, 'out-by-id', 'jane@example.com.mobileconfig'))) as { PayloadContent: { PayloadType: string; PayloadDisplayName?: string }[] };
    expect(profile.PayloadContent.map((p) => p.PayloadType)).toEqual(['com.apple.security.pkcs12', 'com.apple.eas.account']);
    expect(entry('zoe@example.com')).toMatchObject({ built: false, diagnostics: [expect.objectContaining({ code: 'identity-missing' })] });
    expect(entry('zoe@example.com').diagnostics[0].message).toBe(
      "Several identity files fit zoe@example.com (ids-by-id/E1002-renewed.pfx, ids-by-id/E1002.p12); name one in the owner's identity column.",
    );
    expect(JSON.stringify(manifest) + c.out.join('')).not.toContain(CANARY);
  });

  it('never gives an owner a file by its name when its certificate names someone else, and says why a file was not used', async () => {
    const embeddedSubject = (mobileconfig: string): string => {
      const profile = plistlib(readFileSync(mobileconfig)) as { PayloadContent: { PayloadType: string; PayloadContent?: { $data: string } }[] };
      const p12 = Buffer.from(profile.PayloadContent.find((p) => p.PayloadType === 'com.apple.security.pkcs12')?.PayloadContent?.$data ?? '', 'base64');
      return opensslResult(['pkcs12', '-legacy', '-nokeys', '-clcerts', '-in', pki.file('embedded.p12', p12), '-passin', `pass:${CANARY}`]).stdout;
    };
    const mallory = pki.issue('mallory identity', 'rsa2048', pki.intermediate, { email: 'mallory@else.example' });
    const janeReal = pki.issue('jane real identity', 'rsa2048', pki.intermediate, { email: 'jane@example.com' });
    const zoe = pki.issue('zoe identity', 'rsa2048', pki.intermediate, { email: 'zoe@example.com' });
    const zoeOld = pki.issue('zoe old identity', 'rsa2048', pki.intermediate, { email: 'zoe@example.com' });
    const folder = join(tmp.dir, 'ids-tricky');
    mkdirSync(folder);
    // Mallory's certificate twice under Jane's user name (.p12 and PEM); Jane's own under a name that says nothing.
    copyFileSync(pki.p12(mallory, CANARY), join(folder, 'jane.p12'));
    writeFileSync(join(folder, 'jane.pem'), Buffer.concat([readFileSync(mallory.cert), readFileSync(mallory.key)]));
    copyFileSync(pki.p12(janeReal, CANARY), join(folder, 'a-2026.p12'));
    // Zoë's current identity named for her, her old one under the name of another owner; one file with another passphrase.
    copyFileSync(pki.p12(zoe, CANARY), join(folder, 'zoe@example.com.p12'));
    copyFileSync(pki.p12(zoeOld, CANARY), join(folder, 'nobody.p12'));
    copyFileSync(pki.p12(zoe, 'another-passphrase'), join(folder, 'bad.p12'));
    const c = fakeIo(tmp.dir, { ID_PASS: CANARY });
    await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-tricky', '--identities', 'ids-tricky', '--identities-password-env', 'ID_PASS'], c.io);
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'out-tricky', 'manifest.json'), 'utf8'));
    const entry = (email: string) => manifest.profiles.find((p: { owner: string }) => p.owner === email);
    expect(entry('jane@example.com')).toMatchObject({ built: true });
    expect(embeddedSubject(join(tmp.dir, 'out-tricky', 'jane@example.com.mobileconfig'))).toContain('subject=CN = jane real identity');
    expect(embeddedSubject(join(tmp.dir, 'out-tricky', 'zoe@example.com.mobileconfig'))).toContain('subject=CN = zoe identity,');
    const nobody = (entry('nobody@example.com').diagnostics as Array<{ code: string; message: string }>).find((d) => d.code === 'identity-missing');
    expect(nobody?.message).toContain('ids-tricky/nobody.p12 holds the certificate of zoe@example.com');
    expect(nobody?.message).toContain('1 file of the folder could not be read (wrong passphrase for ids-tricky/bad.p12)');

    // A file named for the owner's e-mail is not taken either when its certificate names other people only.
    mkdirSync(join(tmp.dir, 'ids-named'));
    copyFileSync(pki.p12(mallory, CANARY), join(tmp.dir, 'ids-named', 'jane@example.com.p12'));
    const d = fakeIo(tmp.dir, { ID_PASS: CANARY });
    await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-named', '--identities', 'ids-named', '--identities-password-env', 'ID_PASS'], d.io);
    const named = JSON.parse(readFileSync(join(tmp.dir, 'out-named', 'manifest.json'), 'utf8'));
    const jane = named.profiles.find((p: { owner: string }) => p.owner === 'jane@example.com');
    expect(jane).toMatchObject({ built: false, diagnostics: [expect.objectContaining({ code: 'identity-missing' })] });
    expect(jane.diagnostics[0].message).toBe(
      "ids-named/jane@example.com.p12 is named for jane@example.com but its certificate names mallory@else.example; put the file in the owner's identity column if it is theirs.",
    );
    expect(JSON.stringify([manifest, named]) + c.out.join('') + d.out.join('')).not.toContain(CANARY);
  });

  it("refuses Mallory's certificate under Jane's user name alone (.p12 and PEM), with the reason", async () => {
    const mallory = pki.issue('mallory identity 2', 'rsa2048', pki.intermediate, { email: 'mallory@else.example' });
    const folder = join(tmp.dir, 'ids-lookalike');
    mkdirSync(folder);
    copyFileSync(pki.p12(mallory, CANARY), join(folder, 'jane.p12'));
    writeFileSync(join(folder, 'jane.pem'), Buffer.concat([readFileSync(mallory.cert), readFileSync(mallory.key)]));
    const c = fakeIo(tmp.dir, { ID_PASS: CANARY });
    await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-lookalike', '--identities', 'ids-lookalike', '--identities-password-env', 'ID_PASS'], c.io);
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'out-lookalike', 'manifest.json'), 'utf8'));
    const jane = manifest.profiles.find((p: { owner: string }) => p.owner === 'jane@example.com');
    expect(jane.built).toBe(false);
    expect(jane.diagnostics[0].message).toContain("ids-lookalike/jane.p12 has the owner's name but its certificate names mallory@else.example");
    expect(jane.diagnostics[0].message).toContain("ids-lookalike/jane.pem has the owner's name");
  });

  it("refuses a file named for an owner whose certificate names another owner's address or an address in its CN; skips what is not a readable file", async () => {
    const folder = join(tmp.dir, 'ids-upn');
    mkdirSync(folder);
    // Bob's UPN is Alice's e-mail address; his file holds Alice's certificate.
    writeFileSync(
      join(tmp.dir, 'owners-upn.csv'),
      'email,upn,username,displayName\nalice@example.com,,alice,Alice\nbob@example.com,alice@example.com,bob,Bob\ncarol@example.com,,carol,Carol\n' +
        'dan@example.com,,dan,Dan\nerin@example.com,,erin,Erin\nfrank@example.com,,frank,Frank\ngina@xn--bcher-kva.de,,gina,Gina\nhank@example.com,,hank,Hank\n',
    );
    // Gina's file is named with her domain in Unicode; beside Alice's .p12 lies her certificate alone, without its key.
    const gina = pki.issue('gina identity', 'rsa2048', pki.intermediate, { email: 'gina@xn--bcher-kva.de' });
    copyFileSync(pki.p12(gina, CANARY), join(folder, 'gina@bücher.de.p12'));
    const alice = pki.issue('alice identity', 'rsa2048', pki.intermediate, { email: 'alice@example.com' });
    copyFileSync(pki.p12(alice, CANARY), join(folder, 'bob@example.com.p12'));
    // Alice's own file is hers, Bob's UPN notwithstanding: an address belongs to the owner whose e-mail it is.
    copyFileSync(pki.p12(alice, CANARY), join(folder, 'alice@example.com.p12'));
    copyFileSync(alice.cert, join(folder, 'alice@example.com.pem'));
    // Hank's own identity, and a second file named for him that the passphrase does not open: it may hold another
    // certificate, so Hank gets neither until that is sorted out.
    const hank = pki.issue('hank identity', 'rsa2048', pki.intermediate, { email: 'hank@example.com' });
    copyFileSync(pki.p12(hank, CANARY), join(folder, 'hank@example.com.p12'));
    copyFileSync(pki.p12(alice, 'another-passphrase'), join(folder, 'hank@example.com.pfx'));
    // Two files named for Erin (the name in two cases) with different certificates: neither is chosen.
    const erin = pki.issue('erin identity', 'rsa2048', pki.intermediate, { email: 'erin@example.com' });
    const erinOther = pki.issue('erin other', 'rsa2048', pki.intermediate);
    copyFileSync(pki.p12(erin, CANARY), join(folder, 'erin@example.com.p12'));
    copyFileSync(pki.p12(erinOther, CANARY), join(folder, 'ERIN@example.com.pfx'));
    // Frank's address only as the CN, in a file named by id: certs match calls it unmatched, and so does build.
    copyFileSync(pki.p12(pki.issue('frank@example.com', 'rsa2048', pki.intermediate), CANARY), join(folder, 'E9.p12'));
    // Carol's file: no subject alternative name, but an address as its CN.
    const cnOnly = pki.issue('mallory@else.example', 'rsa2048', pki.intermediate);
    copyFileSync(pki.p12(cnOnly, CANARY), join(folder, 'carol@example.com.p12'));
    // Dan's own, found by its certificate, next to a folder called old.pem and a link to nowhere.
    const dan = pki.issue('dan identity', 'rsa2048', pki.intermediate, { email: 'dan@example.com' });
    copyFileSync(pki.p12(dan, CANARY), join(folder, 'E1004.p12'));
    mkdirSync(join(folder, 'old.pem'));
    symlinkSync(join(folder, 'gone.p12'), join(folder, 'gone.pfx'));
    const c = fakeIo(tmp.dir, { ID_PASS: CANARY });
    expect(await build?.run(['--payload', 'template.json', '--owners', 'owners-upn.csv', '--out', 'out-upn', '--identities', 'ids-upn', '--identities-password-env', 'ID_PASS'], c.io)).toBe(1);
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'out-upn', 'manifest.json'), 'utf8'));
    const entry = (email: string) => manifest.profiles.find((p: { owner: string }) => p.owner === email);
    expect(entry('bob@example.com').diagnostics[0].message).toBe(
      "ids-upn/bob@example.com.p12 is named for bob@example.com but its certificate names alice@example.com, which is alice@example.com's; put the file in the owner's identity column if it is theirs.",
    );
    expect(entry('carol@example.com').diagnostics[0].message).toContain('ids-upn/carol@example.com.p12 is named for carol@example.com but its certificate names mallory@else.example');
    expect(entry('hank@example.com').diagnostics[0]).toMatchObject({ code: 'identity-unreadable', message: 'wrong passphrase for ids-upn/hank@example.com.pfx' });
    expect(entry('dan@example.com')).toMatchObject({ built: true });
    expect(entry('alice@example.com')).toMatchObject({ built: true });
    expect(entry('gina@xn--bcher-kva.de')).toMatchObject({ built: true });
    expect(entry('erin@example.com').diagnostics[0].message).toBe(
      'Several files named for erin@example.com hold different certificates (ids-upn/ERIN@example.com.pfx, ids-upn/erin@example.com.p12); keep one, or name one in the owner\'s identity column.',
    );
    expect(entry('frank@example.com')).toMatchObject({ built: false, diagnostics: [expect.objectContaining({ code: 'identity-missing' })] });
    expect(manifest.identities).toEqual({ folder: 'ids-upn', unreadable: ['ids-upn/gone.pfx cannot be read (ENOENT)'] });
    expect(c.out.join('')).toContain('ids-upn: warning: ids-upn/gone.pfx cannot be read (ENOENT)');
    expect(JSON.stringify(manifest) + c.out.join('')).not.toContain(CANARY);
  });

  it('encrypts to an EC (P-256) device certificate; openssl decrypts it and inspect opens it with the device PKCS#12', async () => {
    const ecDevice = pki.issue('Jane iPhone EC', 'p256', pki.root, { keyUsage: 'digitalSignature,keyAgreement' });
    mkdirSync(join(tmp.dir, 'devices-ec'));
    copyFileSync(ecDevice.cert, join(tmp.dir, 'devices-ec', 'jane@example.com.pem'));
    const c = fakeIo(tmp.dir);
    await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-ec', '--org', 'Example', '--sign-cert', signer.cert, '--sign-key', signer.key, '--chain', pki.intermediate.cert, '--encrypt-to', 'devices-ec'], c.io);
    const signed = readFileSync(join(tmp.dir, 'out-ec', 'jane@example.com.mobileconfig'));
    const top = plistlib(cmsVerify(signed, pki.root.cert, tmp.dir)) as { EncryptedPayloadContent: { $data: string } };
    const inner = plistlib(cmsDecrypt(Buffer.from(top.EncryptedPayloadContent.$data, 'base64'), ecDevice, tmp.dir)) as { PayloadType: string; EmailAddress?: string }[];
    expect(inner.map((p) => p.PayloadType)).toEqual(['com.apple.eas.account']);
    expect(inner[0].EmailAddress).toBe('jane@example.com');
    copyFileSync(pki.p12(ecDevice, CANARY), join(tmp.dir, 'jane-ec-device.p12'));
    const seen = fakeIo(tmp.dir, { DEV_PASS: CANARY });
    expect(await inspectCmd?.run([join('out-ec', 'jane@example.com.mobileconfig'), '--ca', pki.root.cert, '--decrypt-with', 'jane-ec-device.p12', '--decrypt-password-env', 'DEV_PASS'], seen.io)).toBe(0);
    expect(seen.out.join('')).toContain('payload:  com.apple.eas.account');
  });

  it('wrong passphrases: "wrong passphrase for <file>", never the passphrase itself', async () => {
    const c = fakeIo(tmp.dir, { SIGN_PASS: 'wrong-' + SIGN_CANARY });
    const err = await build
      ?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-x', '--sign-p12', 'signer.p12', '--sign-password-env', 'SIGN_PASS'], c.io)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('wrong passphrase for signer.p12');

    const d = fakeIo(tmp.dir, { ID_PASS: 'wrong-' + CANARY });
    expect(await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-y', '--identities', 'ids', '--identities-password-env', 'ID_PASS'], d.io)).toBe(1);
    const manifestText = readFileSync(join(tmp.dir, 'out-y', 'manifest.json'), 'utf8');
    expect(manifestText).toContain('wrong passphrase for ids/jane@example.com.p12');
    expect(manifestText + d.out.join('')).not.toContain(CANARY);
  });

  it('usage errors: missing options, unset environment variable, unreadable files', async () => {
    const c = fakeIo(tmp.dir);
    await expect(build?.run(['--payload', 'template.json'], c.io)).rejects.toThrow(UsageError);
    await expect(build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'o', '--sign-p12', 'signer.p12', '--sign-password-env', 'NOPE'], c.io)).rejects.toThrow('NOPE');
    await expect(build?.run(['--payload', 'missing.json', '--owners', 'owners.csv', '--out', 'o'], c.io)).rejects.toThrow('missing.json: no such file.');
    await expect(build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'o', '--password', 'x'], c.io)).rejects.toThrow(UsageError);
  });

  it('a profile that cannot be written is that owner\'s error, with the reason; the others are built', async () => {
    mkdirSync(join(tmp.dir, 'out-blocked', 'jane@example.com.mobileconfig'), { recursive: true });
    const c = fakeIo(tmp.dir);
    expect(await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-blocked'], c.io)).toBe(1);
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'out-blocked', 'manifest.json'), 'utf8'));
    const jane = manifest.profiles.find((p: { owner: string }) => p.owner === 'jane@example.com');
    expect(jane).toMatchObject({ built: false, diagnostics: [expect.objectContaining({ code: 'profile-unwritable', severity: 'error' })] });
    expect(jane.diagnostics[0].message).toContain('jane@example.com.mobileconfig cannot be written: EISDIR');
    expect(manifest.profiles.find((p: { owner: string }) => p.owner === 'zoe@example.com')).toMatchObject({ built: true });
  });

  it('gives owners whose addresses make the same file name files of their own', async () => {
    writeFileSync(join(tmp.dir, 'collide.csv'), 'email,username,displayName\na!b@example.com,ab1,A B\na#b@example.com,ab2,A B 2\n');
    const c = fakeIo(tmp.dir);
    expect(await build?.run(['--payload', 'template.json', '--owners', 'collide.csv', '--out', 'out-collide'], c.io)).toBe(0);
    const manifest = JSON.parse(readFileSync(join(tmp.dir, 'out-collide', 'manifest.json'), 'utf8'));
    const [first, second] = manifest.profiles as { owner: string; file: string; sha256: string }[];
    expect(first.file).toBe('a_b@example.com.mobileconfig');
    expect(second.file).toMatch(/^a_b@example\.com-[0-9a-f]{8}\.mobileconfig$/);
    for (const p of [first, second]) expect(createHash('sha256').update(readFileSync(join(tmp.dir, 'out-collide', p.file))).digest('hex')).toBe(p.sha256);
  });

  it('checks --workers before doing anything', async () => {
    const c = fakeIo(tmp.dir);
    await expect(build!.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-workers', '--workers', '0'], c.io)).rejects.toThrow(UsageError);
    expect(existsSync(join(tmp.dir, 'out-workers'))).toBe(false);
  });

  it('a template with errors builds nothing (exit 1)', async () => {
    writeFileSync(join(tmp.dir, 'bad.json'), JSON.stringify({ ...template, MailNumberOfPastDaysToSync: 5 }));
    const c = fakeIo(tmp.dir);
    expect(await build?.run(['--payload', 'bad.json', '--owners', 'owners.csv', '--out', 'out-bad'], c.io)).toBe(1);
    expect(c.out.join('')).toContain('past-days-not-allowed');
  });
});

describe('eas-profiles inspect', () => {
  it('reports a signed profile, says "signature does not verify" for a tampered one, and exits 2 on unreadable input', async () => {
    const c = fakeIo(tmp.dir);
    await build?.run(['--payload', 'template.json', '--owners', 'owners.csv', '--out', 'out-signed', '--sign-cert', signer.cert, '--sign-key', signer.key, '--chain', pki.intermediate.cert], c.io);
    const file = join('out-signed', 'jane@example.com.mobileconfig');
    const ok = fakeIo(tmp.dir);
    expect(await inspectCmd?.run([file, '--ca', pki.root.cert], ok.io)).toBe(0);
    expect(ok.out.join('')).toContain('signature verifies; chain verifies against the given CA');
    expect(ok.out.join('')).toContain('CN=CLI Signer');
    const json = fakeIo(tmp.dir);
    expect(await inspectCmd?.run([file, '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join('')).signature).toEqual({ status: 'valid' });

    const bytes = readFileSync(join(tmp.dir, file));
    const i = bytes.indexOf(Buffer.from('jane@example.com'));
    bytes[i] = 'J'.charCodeAt(0);
    writeFileSync(join(tmp.dir, 'tampered.mobileconfig'), bytes);
    const bad = fakeIo(tmp.dir);
    expect(await inspectCmd?.run(['tampered.mobileconfig', '--ca', pki.root.cert], bad.io)).toBe(1);
    expect(bad.out.join('')).toContain('signature does not verify');

    writeFileSync(join(tmp.dir, 'garbage.bin'), 'not a profile');
    await expect(inspectCmd?.run(['garbage.bin'], fakeIo(tmp.dir).io)).rejects.toThrow(UsageError);
    await expect(inspectCmd?.run(['nope.mobileconfig'], fakeIo(tmp.dir).io)).rejects.toThrow('no such file');
  });
});
