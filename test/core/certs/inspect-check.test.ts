import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, X509Certificate } from 'node:crypto';
import { certificateNamesOwner, checkIdentity, inspectBundle, inspectCertificate, readCertificateFile, readIdentity } from '../../../core/certs';
import { Fixtures } from './fixtures';

let fx: Fixtures;
const DAY = 86_400_000;

beforeAll(() => {
  fx = new Fixtures();
  fx.cert({ name: 'ca', ca: true });
  fx.cert({ name: 'alice', key: 'rsa', email: 'Alice@Example.com', upn: 'alice@corp.example', eku: 'clientAuth,emailProtection', ku: 'digitalSignature,keyEncipherment', issuer: 'ca', days: 100 });
  fx.cert({ name: 'ecsign', key: 'ec', email: 'ec@example.com', eku: 'emailProtection', ku: 'digitalSignature' });
  fx.cert({ name: 'ecboth', key: 'ec', email: 'ec@example.com', eku: 'emailProtection,clientAuth', ku: 'digitalSignature,keyAgreement' });
  fx.cert({ name: 'bare', key: 'ec', upn: 'bare@corp.example' });
  fx.p12('alice', 'alice.p12', 'pw', [], 'ca.crt');
});
afterAll(() => fx.cleanup());

const cert = (name: string): X509Certificate => new X509Certificate(Buffer.from(fx.read(`${name}.crt`)));

describe('inspect', () => {
  it('describes subject, issuer, serial, validity, key, usages, SAN and fingerprint', () => {
    const c = cert('alice');
    const info = inspectCertificate(c);
    expect(info).toMatchObject({
      subject: 'CN=alice, emailAddress=Alice@Example.com',
      commonName: 'alice',
      issuer: 'CN=ca',
      keyType: 'rsa',
      keySize: 2048,
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extendedKeyUsage: ['clientAuth', 'emailProtection'],
      emails: ['Alice@Example.com'],
      upns: ['alice@corp.example'],
      isCA: false,
      selfSigned: false,
    });
    expect(info.serialNumber).toBe(c.serialNumber);
    const sha = createHash('sha256').update(c.raw).digest('hex').toUpperCase().match(/../g)?.join(':');
    expect(info.fingerprintSha256).toBe(sha);
    expect(Date.parse(info.notAfter) - Date.parse(info.notBefore)).toBe(100 * DAY);
  });

  it('reports EC curves, absent extensions, and whether the key matches', () => {
    const info = inspectCertificate(cert('bare'));
    expect(info).toMatchObject({ keyType: 'ec', keySize: 256, curve: 'prime256v1', keyUsage: undefined, extendedKeyUsage: undefined, emails: [], upns: ['bare@corp.example'] });
    const bundle = inspectBundle(readCertificateFile(fx.read('alice.p12'), { password: 'pw', fileName: 'alice.p12' }));
    expect(bundle).toMatchObject({ fileName: 'alice.p12', format: 'pkcs12', hasPrivateKey: true, keyMatchesCertificate: true });
    expect(bundle.certificates[bundle.leafIndex].commonName).toBe('alice');
    expect(inspectCertificate(cert('ca')).isCA).toBe(true);
    const chainFirst = Buffer.concat([Buffer.from(fx.read('ca.crt')), Buffer.from(fx.read('alice.crt'))]);
    const noKey = inspectBundle(readCertificateFile(chainFirst));
    expect(noKey.certificates[noKey.leafIndex].commonName).toBe('alice');
    expect(noKey.keyMatchesCertificate).toBeUndefined();
    const mixed = Buffer.concat([Buffer.from(fx.read('alice.crt')), Buffer.from(fx.read('bare.key'))]);
    expect(inspectBundle(readCertificateFile(mixed)).keyMatchesCertificate).toBe(false);
  });
});

describe('check against owner and role', () => {
  const owner = { email: 'alice@example.com', upn: 'alice@corp.example' };
  const alice = (): ReturnType<typeof readIdentity> => readIdentity(fx.read('alice.p12'), { password: 'pw' });

  it('passes a good identity for EAS and S/MIME', () => {
    expect(checkIdentity(alice(), owner, ['eas-client', 'smime-signing', 'smime-encryption'])).toEqual([]);
    expect(checkIdentity(cert('alice'), { email: 'someone@else.com', upn: 'ALICE@corp.example' }, 'eas-client')).toEqual([]);
  });

  it('takes look-alike characters in a certificate for what they are, not for the owner', () => {
    const names = (...addresses: string[]) => ({ emails: addresses, upns: [] });
    // The Kelvin sign (U+212A) lower-cases to "k", and IDNA maps it too: neither may make this Kate's certificate.
    expect(certificateNamesOwner({ emails: [], upns: ['\u212Aate@example.com'] }, { email: 'kate@example.com' })).toBe(false);
    expect(certificateNamesOwner(names('KATE@Example.COM'), { email: 'kate@example.com' })).toBe(true);
    expect(certificateNamesOwner(names('\uff4bate@example.com'), { email: 'kate@example.com' })).toBe(false); // full-width k
    expect(certificateNamesOwner(names('kate@example\u3002com'), { email: 'kate@example.com' })).toBe(false); // ideographic full stop
    // An internationalised domain appears in punycode in a certificate; the owner's address may be written either way.
    expect(certificateNamesOwner(names('j@xn--bcher-kva.de'), { email: 'j@bücher.de' })).toBe(true);
    expect(certificateNamesOwner(names('jürgen@bücher.de'), { email: 'jürgen@bücher.de' })).toBe(true);
    expect(certificateNamesOwner(names('j@bücher.de'), { email: 'j@xn--bcher-kva.de' })).toBe(true);
    expect(certificateNamesOwner({ emails: [], upns: ['ΟΔΥΣΣΕΥΣ@example.com'] }, { email: 'x@example.com', upn: 'οδυσσευς@example.com' })).toBe(true);
    expect(certificateNamesOwner({ emails: [], upns: ['ju\u0308rgen@corp.example'] }, { email: 'x@example.com', upn: 'jürgen@corp.example' })).toBe(true);
    // Case is ignored in every letter that stays itself when lower-cased: Ü is ü, whatever else the address holds.
    expect(certificateNamesOwner({ emails: [], upns: ['Jürgen@Corp.Example'] }, { email: 'x@example.com', upn: 'jürgen@corp.example' })).toBe(true);
    expect(certificateNamesOwner({ emails: [], upns: ['JÜRGEN@corp.example'] }, { email: 'x@example.com', upn: 'jürgen@corp.example' })).toBe(true);
  });

  it('flags a certificate of someone else', () => {
    const ds = checkIdentity(alice(), { email: 'bob@example.com' }, 'eas-client');
    expect(ds).toMatchObject([{ code: 'owner-mismatch', severity: 'error' }]);
    expect(ds[0].message).toContain('Alice@Example.com, alice@corp.example, not bob@example.com');
  });

  it('errors when expired or not yet valid, warns within 30 days', () => {
    const notAfter = cert('alice').validToDate.getTime();
    expect(checkIdentity(alice(), owner, 'eas-client', { now: new Date(notAfter + DAY) })).toMatchObject([{ code: 'expired', severity: 'error' }]);
    expect(checkIdentity(alice(), owner, 'eas-client', { now: new Date(notAfter - 10 * DAY) })).toMatchObject([{ code: 'expiring-soon', severity: 'warning' }]);
    expect(checkIdentity(alice(), owner, 'eas-client', { now: new Date(notAfter - 31 * DAY) })).toEqual([]);
    expect(checkIdentity(alice(), owner, 'eas-client', { now: new Date(notAfter - 200 * DAY) })).toMatchObject([{ code: 'not-yet-valid' }]);
  });

  it('needs clientAuth for EAS, emailProtection+digitalSignature to sign, keyEncipherment (RSA) or keyAgreement (EC) to encrypt', () => {
    const ec = { email: 'ec@example.com' };
    const codes = (name: string, role: Parameters<typeof checkIdentity>[2]): string[] => checkIdentity(cert(name), ec, role).map((d) => d.code);
    expect(codes('ecsign', 'eas-client')).toEqual(['missing-client-auth']);
    expect(codes('ecsign', 'smime-signing')).toEqual([]);
    expect(codes('ecsign', 'smime-encryption')).toEqual(['missing-key-agreement']);
    expect(codes('ecboth', ['eas-client', 'smime-signing', 'smime-encryption'])).toEqual([]);
    // No extensions at all restrict nothing (RFC 5280).
    expect(checkIdentity(cert('bare'), { email: 'x@example.com', upn: 'bare@corp.example' }, ['eas-client', 'smime-encryption'])).toEqual([]);
  });

  it('flags a bundle without key or with a foreign key', () => {
    expect(checkIdentity(readCertificateFile(fx.read('alice.crt')), owner, 'eas-client').map((d) => d.code)).toEqual(['no-private-key']);
    const mixed = Buffer.concat([Buffer.from(fx.read('alice.crt')), Buffer.from(fx.read('bare.key'))]);
    expect(checkIdentity(readCertificateFile(mixed), owner, 'eas-client').map((d) => d.code)).toEqual(['key-mismatch']);
  });
});
