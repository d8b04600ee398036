import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertReadError, Secret, identityOf, readCertificateFile } from '../../../core/certs';
import { buildProfile, type BuiltProfile, type PlistDict } from '../../../core/profiles';
import { TestPki, certsOf, fileIdentity, openssl, opensslResult, owner, pemIdentity, plistlib, tempDir, type Issued } from './helpers';

const template = { PayloadDisplayName: 'Work mail', Host: 'mail.example.com', EmailAddress: '{{email}}', UserName: '{{email}}' };

let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
let jane: Issued;
let ecUser: Issued;

beforeAll(() => {
  tmp = tempDir();
  pki = new TestPki(tmp.dir);
  jane = pki.issue('Jane Doe', 'rsa2048', pki.intermediate, { email: 'jane@example.com' });
  ecUser = pki.issue('Eve Curve', 'p256', pki.intermediate, { email: 'eve@example.com' });
});
afterAll(() => tmp.cleanup());

function ok(r: ReturnType<typeof buildProfile>): BuiltProfile {
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics, null, 2));
  return r;
}
const payloads = (b: BuiltProfile): PlistDict[] => b.profile.PayloadContent as PlistDict[];
const byType = (b: BuiltProfile, t: string): PlistDict => payloads(b).find((p) => p.PayloadType === t) as PlistDict;

/** What `openssl pkcs12 -info -legacy` says about a PKCS#12, and the key and certificate it holds. */
function legacyInfo(p12: Uint8Array, pass: string): { info: string; certDer: Buffer; spki: Buffer } {
  const file = pki.file(`out-${Math.random().toString(36).slice(2)}.p12`, p12);
  const r = opensslResult(['pkcs12', '-info', '-legacy', '-in', file, '-passin', `pass:${pass}`, '-nodes']);
  expect(r.status).toBe(0);
  const certs = readCertificateFile(Buffer.from(r.stdout.replace(/-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/, '')), { fileName: 'stdout' }).certificates;
  const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----/.exec(r.stdout)?.[0] ?? '';
  return { info: r.stderr + r.stdout, certDer: certs[0].raw, spki: createPublicKey(keyPem).export({ type: 'spki', format: 'der' }) };
}

describe('identity payloads (decision 5)', () => {
  it('a PKCS#12 made by OpenSSL 3 defaults (AES-256/PBKDF2) comes out as PBE-SHA1-3DES that `openssl pkcs12 -info -legacy` reads, same key and certificate', () => {
    const p12 = pki.p12(jane, 'pa55-w0rd');
    expect(opensslResult(['pkcs12', '-info', '-in', p12, '-passin', 'pass:pa55-w0rd', '-noout']).stderr).toContain('AES-256-CBC');
    const identity = fileIdentity(p12, 'pa55-w0rd');
    const b = ok(buildProfile(template, owner('jane@example.com'), {}, { identity, passphrase: new Secret('pa55-w0rd') }));
    const payload = byType(b, 'com.apple.security.pkcs12');
    const out = legacyInfo(payload.PayloadContent as Uint8Array, 'pa55-w0rd');
    expect(out.info).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC');
    expect(out.info).toContain('PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC');
    expect(out.info).toContain('MAC: sha1');
    expect(out.info).not.toMatch(/AES|PBES2/);
    expect(out.certDer.equals(identity.certificate.raw)).toBe(true);
    expect(out.spki.equals(identity.certificate.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    // The chain travels too.
    expect(out.info).toContain('Test Intermediate CA');
  });

  it('PEM key and certificate (EC too) become an identity payload', () => {
    const identity = pemIdentity(ecUser);
    const b = ok(buildProfile(template, owner('eve@example.com'), {}, { identity, passphrase: 'ec-pass' }));
    const out = legacyInfo(byType(b, 'com.apple.security.pkcs12').PayloadContent as Uint8Array, 'ec-pass');
    expect(out.certDer.equals(identity.certificate.raw)).toBe(true);
    expect(out.spki.equals(identity.certificate.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('links the identity from PayloadCertificateUUID, or from the S/MIME keys when S/MIME is on', () => {
    const identity = fileIdentity(pki.p12(jane, 'x'), 'x');
    const auth = ok(buildProfile(template, owner('jane@example.com'), {}, { identity, passphrase: 'x' }));
    const idUuid = byType(auth, 'com.apple.security.pkcs12').PayloadUUID;
    expect(byType(auth, 'com.apple.eas.account').PayloadCertificateUUID).toBe(idUuid);
    expect(byType(auth, 'com.apple.eas.account').SMIMESigningCertificateUUID).toBeUndefined();

    const smime = ok(buildProfile({ ...template, SMIMESigningEnabled: true, SMIMEEncryptionEnabled: true }, owner('jane@example.com'), {}, { identity, passphrase: 'x' }));
    const eas = byType(smime, 'com.apple.eas.account');
    expect(eas.SMIMESigningCertificateUUID).toBe(idUuid);
    expect(eas.SMIMEEncryptionCertificateUUID).toBe(idUuid);
    expect(eas.PayloadCertificateUUID).toBeUndefined();

    const explicit = ok(buildProfile({ ...template, PayloadCertificateUUID: '{{identity}}', SMIMESigningEnabled: true }, owner('jane@example.com'), {}, { identity, passphrase: 'x' }));
    expect(byType(explicit, 'com.apple.eas.account').PayloadCertificateUUID).toBe(idUuid);
    expect(byType(explicit, 'com.apple.eas.account').SMIMESigningCertificateUUID).toBe(idUuid);

    const missing = buildProfile({ ...template, PayloadCertificateUUID: '{{identity}}' }, owner('jane@example.com'));
    expect(missing.ok).toBe(false);
    if (missing.ok) throw new Error('unreachable');
    expect(missing.diagnostics[0]).toMatchObject({ code: 'identity-missing', path: 'PayloadCertificateUUID' });
  });

  it('puts the passphrase into Password only when asked (with a warning unless encrypted)', () => {
    const identity = fileIdentity(pki.p12(jane, 'canary-123'), 'canary-123');
    const without = ok(buildProfile(template, owner('jane@example.com'), {}, { identity, passphrase: new Secret('canary-123') }));
    expect(byType(without, 'com.apple.security.pkcs12').Password).toBeUndefined();
    expect(without.xml.toString()).not.toContain('canary-123');
    const withPw = ok(buildProfile(template, owner('jane@example.com'), {}, { identity, passphrase: new Secret('canary-123'), includePassword: true }));
    expect((plistlib(withPw.xml) as { PayloadContent: { Password?: string }[] }).PayloadContent[0].Password).toBe('canary-123');
    expect(withPw.diagnostics.map((d) => d.code)).toContain('password-not-encrypted');
  });

  it('identity payloads rebuild byte for byte (salts derive from the identity)', () => {
    const identity = fileIdentity(pki.p12(jane, 'x'), 'x');
    const a = ok(buildProfile(template, owner('jane@example.com'), {}, { identity, passphrase: 'x' }));
    const b = ok(buildProfile(template, owner('jane@example.com'), {}, { identity, passphrase: 'x' }));
    expect(a.xml.equals(b.xml)).toBe(true);
  });

  it('adds CA certificates as root / pkcs1 payloads', () => {
    const ca = [...certsOf(pki.intermediate.cert), ...certsOf(pki.root.cert)];
    const b = ok(buildProfile(template, owner('jane@example.com'), { caCertificates: ca }));
    expect(payloads(b).map((p) => p.PayloadType)).toEqual(['com.apple.security.pkcs1', 'com.apple.security.root', 'com.apple.eas.account']);
    const der = openssl(['x509', '-in', pki.root.cert, '-outform', 'DER']);
    expect(Buffer.from(byType(b, 'com.apple.security.root').PayloadContent as Uint8Array).equals(der)).toBe(true);
    expect(b.diagnostics).toEqual([]);
  });

  it('reading goes through core/certs: "wrong passphrase for <file>", never the passphrase', () => {
    const p12 = pki.p12(jane, 'right');
    let err: unknown;
    try {
      identityOf(readCertificateFile(readFileSync(p12), { password: new Secret('wrong-canary'), fileName: p12 }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CertReadError);
    expect((err as Error).message).toBe(`wrong passphrase for ${p12}`);
    expect(JSON.stringify(err) + String(err)).not.toContain('wrong-canary');
    expect(() => pemIdentity({ cert: jane.cert, key: ecUser.key })).toThrow(CertReadError);
  });
});
