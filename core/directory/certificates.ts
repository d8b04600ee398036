import { X509Certificate } from 'node:crypto';
import { checkIdentity, inspectCertificate, type CertDiagnostic, type CertificateInfo } from '../certs';
import type { Owner } from '../owners/owner';

/** A certificate found on a directory entry: an identity without a private key. */
export interface CertificateIdentity {
  readonly kind: 'certificate-only';
  /** Owner id it belongs to. */
  readonly ownerId: string;
  readonly dn: string;
  /** SHA-256 fingerprint, lower-case hex without colons; the owner's identityRef is `sha256:<fingerprint>`. */
  readonly fingerprint: string;
  readonly info: CertificateInfo;
  readonly validNow: boolean;
  /** core/certs' checks for S/MIME encryption to this owner (published certificates serve encryption to the owner). */
  readonly checks: readonly CertDiagnostic[];
  /** The certificate itself, base64 DER. */
  readonly der: string;
}

/** Outcome of reading one certificate value. */
export type CertificateRead = { readonly ok: true; readonly identity: CertificateIdentity } | { readonly ok: false; readonly message: string };

/** Parses a DER userCertificate value into a certificate-only identity, inspected and checked with core/certs. */
export function readCertificate(der: Buffer, owner: Pick<Owner, 'id' | 'email' | 'upn'>, dn: string, now: Date): CertificateRead {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return { ok: false, message: `a userCertificate value of ${dn} is not a DER X.509 certificate; ignored` };
  }
  const info = inspectCertificate(cert);
  const validNow = Date.parse(info.notBefore) <= now.getTime() && now.getTime() <= Date.parse(info.notAfter);
  return {
    ok: true,
    identity: {
      kind: 'certificate-only',
      ownerId: owner.id,
      dn,
      fingerprint: info.fingerprintSha256.replaceAll(':', '').toLowerCase(),
      info,
      validNow,
      checks: checkIdentity(cert, owner, 'smime-encryption', { now }),
      der: Buffer.from(cert.raw).toString('base64'),
    },
  };
}

/** The certificate an owner's identityRef should point at: the valid one that lasts longest. */
export function preferredCertificate(identities: readonly CertificateIdentity[]): CertificateIdentity | undefined {
  return identities.filter((i) => i.validNow).sort((a, b) => b.info.notAfter.localeCompare(a.info.notAfter))[0];
}
