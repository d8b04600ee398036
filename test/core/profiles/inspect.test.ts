import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProfile, createSigner, inspect, packageProfile, type BuiltProfile, type Signer } from '../../../core/profiles';
import { TestPki, owner, pemIdentity, tempDir } from './helpers';

const template = { PayloadDisplayName: 'Work mail', Host: 'mail.example.com', EmailAddress: '{{email}}', UserName: '{{email}}' };

let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
let signer: Signer;
let root: X509Certificate;
let b: BuiltProfile;
let signed: Buffer;

beforeAll(() => {
  tmp = tempDir();
  pki = new TestPki(tmp.dir);
  const s = pki.issue('Inspect Signer', 'p256', pki.intermediate);
  signer = createSigner(pemIdentity(s), {
    extraChain: [new X509Certificate(readFileSync(pki.intermediate.cert)), new X509Certificate(readFileSync(pki.root.cert))],
  });
  root = new X509Certificate(readFileSync(pki.root.cert));
  const r = buildProfile(template, owner('jane@example.com'), { organization: 'Example' });
  if (!r.ok) throw new Error('build');
  b = r;
  signed = packageProfile(b, { signer });
});
afterAll(() => tmp.cleanup());

describe('inspect', () => {
  it('an unsigned profile: payload summary and validate() diagnostics', () => {
    const r = inspect(b.xml);
    expect(r.format).toBe('unsigned');
    expect(r.signature).toEqual({ status: 'absent' });
    expect(r.profile).toMatchObject({ identifier: b.ids.profileIdentifier, uuid: b.ids.profileUuid, organization: 'Example' });
    expect(r.profile?.payloads).toEqual([{ type: 'com.apple.eas.account', identifier: b.ids.easIdentifier, uuid: b.ids.easUuid, displayName: 'Work mail' }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unsigned-profile']);
  });

  it('a signed profile: signer, expiry, signature and chain (given CA, or the root inside)', () => {
    const withCa = inspect(signed, { ca: [root] });
    expect(withCa.signer).toMatchObject({ commonName: 'Inspect Signer', expired: false });
    expect(new Date(withCa.signer?.notAfter ?? 0).getTime()).toBeGreaterThan(Date.now());
    expect(withCa.signingTime).toBeDefined();
    expect(withCa.chain).toEqual({ status: 'verified', anchor: 'given-ca' });
    expect(inspect(signed).chain).toEqual({ status: 'verified', anchor: 'embedded-root' });
    const stranger = pki.selfSigned('Other CA', 'rsa2048');
    const wrongCa = inspect(signed, { ca: [new X509Certificate(readFileSync(stranger.cert))] });
    expect(wrongCa.chain.status).toBe('failed');
    expect(wrongCa.diagnostics.map((d) => d.code)).toContain('chain-untrusted');
    expect(inspect(signed, { ca: [root], now: new Date(Date.now() + 400 * 86_400_000) }).diagnostics.map((d) => d.code)).toContain('signer-expired');
  });

  it('reports EAS payload diagnostics of the profile', () => {
    const r = buildProfile({ ...template, Password: 'p' }, owner('jane@example.com'));
    if (!r.ok) throw new Error('build');
    expect(inspect(packageProfile(r, { signer })).diagnostics.map((d) => d.code)).toContain('password-not-encrypted');
  });

  it('a changed byte in the content says "signature does not verify"', () => {
    const i = signed.indexOf(Buffer.from('mail.example.com'));
    const t = Buffer.from(signed);
    t[i] = 'n'.charCodeAt(0);
    const r = inspect(t, { ca: [root] });
    expect(r.signature.status).toBe('invalid');
    expect(r.diagnostics.find((d) => d.code === 'signature-invalid')?.message).toMatch(/^The signature does not verify/);
  });

  it('tampered bytes anywhere never crash and never verify', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: signed.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, xor) => {
        const t = Buffer.from(signed);
        t[pos] ^= xor;
        const r = inspect(t, { ca: [root] });
        // A flip in an unsigned part (e.g. the certificate set's order or unused bits) could keep the signature valid,
        // but then the content must be the original.
        if (r.signature.status === 'valid' && r.chain.status === 'verified') expect(r.profile?.uuid).toBe(b.ids.profileUuid);
        else expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      }),
      { numRuns: 300 },
    );
    for (const cut of [0, 1, 10, 100, signed.length - 1]) expect(() => inspect(signed.subarray(0, cut))).not.toThrow();
    expect(inspect(Buffer.from('hello')).format).toBe('unreadable');
    expect(inspect(Buffer.from('<plist><dict><key>x</key>')).format).toBe('unreadable');
  });
});
