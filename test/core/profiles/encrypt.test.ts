import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileInputError, buildProfile, checkRecipient, createSigner, inspect, openEnvelope, packageProfile, type BuiltProfile, type Signer } from '../../../core/profiles';
import { TestPki, asPlistJson, cmsDecrypt, cmsVerify, openssl, owner, pemIdentity, plistlib, tempDir, type Issued } from './helpers';

const template = { PayloadDisplayName: 'Work mail', Host: 'mail.example.com', EmailAddress: '{{email}}', UserName: '{{email}}', Password: 'only-in-encrypted' };

let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
let device: Issued;
let ecDevice: Issued;
let signer: Signer;
let signerIssued: Issued;

beforeAll(() => {
  tmp = tempDir();
  pki = new TestPki(tmp.dir);
  device = pki.issue('Device ABC123', 'rsa2048', pki.root);
  ecDevice = pki.issue('Device EC', 'p256', pki.root);
  const s = pki.issue('Signer', 'rsa2048', pki.intermediate);
  signerIssued = s;
  signer = createSigner(pemIdentity(s), {
    extraChain: [new X509Certificate(readFileSync(pki.intermediate.cert))],
  });
});
afterAll(() => tmp.cleanup());

function built(): BuiltProfile {
  const r = buildProfile(template, owner('jane@example.com'), { encrypted: true, organization: 'Example' });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r;
}

describe('CMS encryption (decision 6)', () => {
  it('PayloadContent becomes EncryptedPayloadContent that openssl cms -decrypt opens; the whole is signed and verifies', () => {
    const b = built();
    const deviceCert = new X509Certificate(readFileSync(device.cert));
    const signed = packageProfile(b, { signer, encryptTo: deviceCert });
    const outer = cmsVerify(signed, pki.root.cert, tmp.dir);
    const top = plistlib(outer) as Record<string, unknown> & { EncryptedPayloadContent: { $data: string } };
    expect(top.PayloadContent).toBeUndefined();
    expect(top.IsEncrypted).toBe(true);
    // Everything but the content stays readable, identifiers and UUID included.
    expect(top.PayloadIdentifier).toBe(b.profile.PayloadIdentifier);
    expect(top.PayloadUUID).toBe(b.profile.PayloadUUID);
    expect(outer.toString()).not.toContain('only-in-encrypted');
    const inner = cmsDecrypt(Buffer.from(top.EncryptedPayloadContent.$data, 'base64'), device, tmp.dir);
    expect(plistlib(inner)).toEqual(asPlistJson(b.profile.PayloadContent));
  });

  it('supports AES-128 as well, and unsigned encrypted profiles', () => {
    const b = built();
    const bytes = packageProfile(b, { encryptTo: new X509Certificate(readFileSync(device.cert)), cipher: 'aes-128-cbc' });
    const top = plistlib(bytes) as { EncryptedPayloadContent: { $data: string } };
    expect(plistlib(cmsDecrypt(Buffer.from(top.EncryptedPayloadContent.$data, 'base64'), device, tmp.dir))).toEqual(asPlistJson(b.profile.PayloadContent));
  });

  it('inspect reports an encrypted profile without crashing', () => {
    const signed = packageProfile(built(), { signer, encryptTo: new X509Certificate(readFileSync(device.cert)) });
    const r = inspect(signed);
    expect(r.encrypted).toBe(true);
    expect(r.signature.status).toBe('valid');
    expect(r.chain).toEqual({ status: 'not-checked' });
    expect(r.diagnostics.map((d) => d.code)).toContain('chain-not-checked');
    expect(r.diagnostics.map((d) => d.code)).toContain('encrypted-content');
  });

  it('inspect decrypts with the device identity and checks the payloads; a wrong key is reported, not thrown', () => {
    const signed = packageProfile(built(), { signer, encryptTo: new X509Certificate(readFileSync(device.cert)) });
    const r = inspect(signed, { decryptWith: pemIdentity(device) });
    expect(r.encrypted).toBe(true);
    expect(r.profile?.payloads.map((p) => p.type)).toEqual(['com.apple.eas.account']);
    // The password is inside an encrypted profile, so no password-not-encrypted warning.
    expect(r.diagnostics.filter((d) => d.code !== 'chain-not-checked')).toEqual([]);
    const wrong = inspect(signed, { decryptWith: pemIdentity(signerIssued) });
    expect(wrong.diagnostics.find((d) => d.code === 'encrypted-content')?.message).toContain('not encrypted to this certificate');
  });

  it('opens EnvelopedData made by openssl cms -encrypt as well', () => {
    const plain = Buffer.from('<plist>hello</plist>');
    const file = pki.file('plain.xml', plain);
    const enveloped = openssl(['cms', '-encrypt', '-binary', '-aes256', '-outform', 'DER', '-in', file, device.cert]);
    expect(openEnvelope(enveloped, new X509Certificate(readFileSync(device.cert)), pemIdentity(device).privateKey).equals(plain)).toBe(true);
  });

  it('a device certificate with neither an RSA nor a supported EC key is a clear error naming the file', () => {
    const edDevice = pki.issue('Device Ed', 'ed25519', pki.root);
    const cert = new X509Certificate(readFileSync(edDevice.cert));
    expect(() => checkRecipient(cert, 'eve-device.pem')).toThrow(ProfileInputError);
    expect(() => checkRecipient(cert, 'eve-device.pem')).toThrow(/eve-device\.pem: .*no key usable for encryption \(ed25519 key; RSA or EC/);
    expect(() => checkRecipient(new X509Certificate(readFileSync(ecDevice.cert)), 'ec.pem')).not.toThrow();
    const k256 = new X509Certificate(readFileSync(pki.issue('Device K', 'k256', pki.root).cert));
    expect(() => checkRecipient(k256, 'k.pem')).toThrow(/k\.pem: .*\(EC key on secp256k1; RSA or EC P-256\/P-384\/P-521 needed\)/);
  });
});

describe('CMS encryption to EC device certificates (ECDH, RFC 5753)', () => {
  const curves = [
    ['P-256', 'p256', 'dhSinglePass-stdDH-sha256kdf-scheme'],
    ['P-384', 'p384', 'dhSinglePass-stdDH-sha384kdf-scheme'],
    ['P-521', 'p521', 'dhSinglePass-stdDH-sha512kdf-scheme'],
  ] as const;
  const devices = new Map<string, Issued>();
  const deviceOf = (spec: 'p256' | 'p384' | 'p521'): Issued => {
    let d = devices.get(spec);
    if (!d) {
      d = pki.issue(`Device ${spec}`, spec, pki.root, { keyUsage: 'digitalSignature,keyAgreement' });
      devices.set(spec, d);
    }
    return d;
  };

  for (const [name, spec, kdf] of curves) {
    it(`${name}: openssl cms -decrypt opens what we encrypt, plistlib reads it, and so do openEnvelope and inspect`, () => {
      const d = deviceOf(spec);
      const b = built();
      const signed = packageProfile(b, { signer, encryptTo: new X509Certificate(readFileSync(d.cert)) });
      const outer = cmsVerify(signed, pki.root.cert, tmp.dir);
      const top = plistlib(outer) as Record<string, unknown> & { EncryptedPayloadContent: { $data: string } };
      expect(top.PayloadContent).toBeUndefined();
      expect(outer.toString()).not.toContain('only-in-encrypted');
      const enveloped = Buffer.from(top.EncryptedPayloadContent.$data, 'base64');
      // The scheme is the one RFC 5753 pairs with the curve, with AES-256 key wrap.
      const dump = openssl(['asn1parse', '-inform', 'DER'], enveloped).toString();
      expect(dump).toContain(kdf);
      expect(dump).toContain('id-aes256-wrap');
      expect(plistlib(cmsDecrypt(enveloped, d, tmp.dir))).toEqual(asPlistJson(b.profile.PayloadContent));
      const id = pemIdentity(d);
      expect(plistlib(openEnvelope(enveloped, id.certificate, id.privateKey))).toEqual(asPlistJson(b.profile.PayloadContent));
      const r = inspect(signed, { decryptWith: id, ca: [new X509Certificate(readFileSync(pki.root.cert))] });
      expect(r.profile?.payloads.map((p) => p.type)).toEqual(['com.apple.eas.account']);
      expect(r.diagnostics).toEqual([]);
    });
  }

  it('AES-128 content with an unsigned profile; each encryption uses a fresh ephemeral key', () => {
    const d = deviceOf('p256');
    const cert = new X509Certificate(readFileSync(d.cert));
    const b = built();
    const one = plistlib(packageProfile(b, { encryptTo: cert, cipher: 'aes-128-cbc' })) as { EncryptedPayloadContent: { $data: string } };
    const two = plistlib(packageProfile(b, { encryptTo: cert, cipher: 'aes-128-cbc' })) as { EncryptedPayloadContent: { $data: string } };
    expect(one.EncryptedPayloadContent.$data).not.toBe(two.EncryptedPayloadContent.$data);
    for (const p of [one, two]) {
      expect(plistlib(cmsDecrypt(Buffer.from(p.EncryptedPayloadContent.$data, 'base64'), d, tmp.dir))).toEqual(asPlistJson(b.profile.PayloadContent));
    }
  });

  it('opens EnvelopedData that openssl cms -encrypt makes for an EC recipient (its default SHA-1 KDF)', () => {
    const d = deviceOf('p256');
    const plain = Buffer.from('<plist>hello EC</plist>');
    const file = pki.file('plain-ec.xml', plain);
    const enveloped = openssl(['cms', '-encrypt', '-binary', '-aes256', '-outform', 'DER', '-in', file, d.cert]);
    const id = pemIdentity(d);
    expect(openEnvelope(enveloped, id.certificate, id.privateKey).equals(plain)).toBe(true);
  });

  it('a profile for another EC device is reported as not encrypted to this certificate, not thrown', () => {
    const signed = packageProfile(built(), { signer, encryptTo: new X509Certificate(readFileSync(deviceOf('p256').cert)) });
    const r = inspect(signed, { decryptWith: pemIdentity(ecDevice) });
    expect(r.diagnostics.find((x) => x.code === 'encrypted-content')?.message).toContain('not encrypted to this certificate');
    // An RSA identity against an EC envelope: same report.
    const rsa = inspect(signed, { decryptWith: pemIdentity(device) });
    expect(rsa.diagnostics.find((x) => x.code === 'encrypted-content')?.message).toContain('not encrypted to this certificate');
  });
});
