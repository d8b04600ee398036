import { X509Certificate } from 'node:crypto';

/** A certificate found on a directory entry: an identity without a private key. */
export interface CertificateIdentity {
  readonly kind: 'certificate-only';
  /** Owner id it belongs to. */
  readonly ownerId: string;
  readonly dn: string;
  /** SHA-256 fingerprint, lower-case hex without colons; also the owner's identityRef (`sha256:<fingerprint>`). */
  readonly fingerprint: string;
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly emails: readonly string[];
  readonly validNow: boolean;
  /** The certificate itself, base64 DER. */
  readonly der: string;
}

/** Outcome of reading one certificate value. */
export type CertificateRead = { readonly ok: true; readonly identity: CertificateIdentity } | { readonly ok: false; readonly message: string };

/** Parses a DER userCertificate value into a certificate-only identity. */
export function readCertificate(der: Buffer, ownerId: string, dn: string, now: Date): CertificateRead {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (error) {
    return { ok: false, message: `a userCertificate value of ${dn} is not a DER X.509 certificate (${error instanceof Error ? error.message : String(error)})` };
  }
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  // Node lists SANs as "email:a@b, DNS:x"; only e-mail entries matter for mail identities.
  const emails = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('email:'))
    .map((s) => s.slice('email:'.length));
  return {
    ok: true,
    identity: {
      kind: 'certificate-only',
      ownerId,
      dn,
      fingerprint: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
      subject: cert.subject,
      issuer: cert.issuer,
      serialNumber: cert.serialNumber,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      emails,
      validNow: notBefore <= now && now <= notAfter,
      der: Buffer.from(cert.raw).toString('base64'),
    },
  };
}

/** The certificate an owner's identityRef should point at: the valid one that lasts longest. */
export function preferredCertificate(identities: readonly CertificateIdentity[]): CertificateIdentity | undefined {
  return identities.filter((i) => i.validNow).sort((a, b) => b.notAfter.localeCompare(a.notAfter))[0];
}
