import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertReadError } from '../../../core/certs';
import { ProfileInputError, buildProfile, createSigner, inspect, packageProfile, signContent, type BuiltProfile, type Signer } from '../../../core/profiles';
import { TestPki, asPlistJson, cmsVerify, fileIdentity, opensslResult, owner, pemIdentity, plistlib, tempDir, type Issued, type KeySpec } from './helpers';

const template = { PayloadDisplayName: 'Work mail', Host: 'mail.example.com', EmailAddress: '{{email}}', UserName: '{{email}}' };

let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
let bundle: string;
const signers = new Map<KeySpec, Issued>();

function signerFor(spec: KeySpec): Signer {
  const id = signers.get(spec);
  if (!id) throw new Error(spec);
  return createSigner(pemIdentity(id), { extraChain: [new X509Certificate(readFileSync(pki.intermediate.cert))] });
}

function built(email = 'jane@example.com'): BuiltProfile {
  const r = buildProfile(template, owner(email), { organization: 'Example Corp' });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r;
}

beforeAll(() => {
  tmp = tempDir();
  pki = new TestPki(tmp.dir);
  bundle = pki.caBundle();
  for (const spec of ['rsa2048', 'rsa3072', 'p256'] as const) signers.set(spec, pki.issue(`Profile Signer ${spec}`, spec, pki.intermediate));
});
afterAll(() => tmp.cleanup());

describe('CMS signing', () => {
  for (const spec of ['rsa2048', 'rsa3072', 'p256'] as const) {
    it(`a ${spec} signature verifies with openssl cms -verify against the root, chain included, and plistlib reads what we meant`, () => {
      const b = built();
      const signed = packageProfile(b, { signer: signerFor(spec) });
      // Only the root is trusted: the intermediate must come from inside the signature.
      const content = cmsVerify(signed, pki.root.cert, tmp.dir);
      expect(content.equals(b.xml)).toBe(true);
      expect(plistlib(content)).toEqual(asPlistJson(b.profile));
    });
  }

  it('reads like `openssl smime -sign -nodetach -binary -outform der`: signer info, SHA-256, attributes', () => {
    const signed = packageProfile(built(), { signer: signerFor('rsa2048') });
    const f = tmp.dir + '/s.der';
    writeFileSync(f, signed);
    const printed = opensslResult(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', f]).stdout;
    expect(printed).toContain('contentType: pkcs7-signedData');
    expect(printed).toContain('eContentType: pkcs7-data');
    expect(printed).toContain('sha256');
    expect(printed).toContain('messageDigest');
    expect(printed).toContain('signingTime');
    expect((printed.match(/cert_info:/g) ?? []).length).toBe(2);
  });

  it('without signingTime, RSA signatures are reproducible byte for byte', () => {
    const s = signerFor('rsa2048');
    const a = packageProfile(built(), { signer: s, signingTime: null });
    const b = packageProfile(built(), { signer: s, signingTime: null });
    expect(a.equals(b)).toBe(true);
  });

  it('signs with an identity from a PKCS#12 made by OpenSSL 3 defaults', () => {
    const id = signers.get('rsa2048') as Issued;
    const p12 = pki.p12(id, 'sign-pass');
    const signer = createSigner(fileIdentity(p12, 'sign-pass'));
    expect(signer.chain).toHaveLength(1);
    const signed = signContent(built().xml, signer);
    expect(cmsVerify(signed, pki.root.cert, tmp.dir).equals(built().xml)).toBe(true);
  });

  it('inspect agrees with openssl: valid signature, chain verified against the given CA', () => {
    const signed = packageProfile(built(), { signer: signerFor('p256') });
    const report = inspect(signed, { ca: [new X509Certificate(readFileSync(pki.root.cert))] });
    expect(report.format).toBe('signed');
    expect(report.signature).toEqual({ status: 'valid' });
    expect(report.chain).toEqual({ status: 'verified', anchor: 'given-ca' });
    expect(report.signer?.commonName).toBe('Profile Signer p256');
    expect(report.profile?.payloads.map((p) => p.type)).toEqual(['com.apple.eas.account']);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses a key that does not match the certificate, and an expired certificate, naming the file', () => {
    const a = signers.get('rsa2048') as Issued;
    const b = signers.get('rsa3072') as Issued;
    expect(() => pemIdentity({ cert: a.cert, key: b.key })).toThrow(CertReadError);
    expect(() => pemIdentity({ cert: a.cert, key: b.key })).toThrow(a.cert);
    const identity = pemIdentity(a);
    expect(() => createSigner(identity, { now: new Date(Date.now() + 400 * 86_400_000) })).toThrow(ProfileInputError);
    expect(() => createSigner(identity, { now: new Date(Date.now() + 400 * 86_400_000) })).toThrow(/expired.*|.*expired/);
    expect(() => createSigner(identity, { now: new Date(Date.now() + 400 * 86_400_000) })).toThrow(a.cert);
  });

  it('a CA bundle with the intermediate also verifies', () => {
    const signed = packageProfile(built(), { signer: signerFor('rsa3072') });
    expect(cmsVerify(signed, bundle, tmp.dir).length).toBeGreaterThan(0);
  });
});
