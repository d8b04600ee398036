import type { X509Certificate } from 'node:crypto';
import type { Owner } from '../owners/owner';
import { CertificateBundle, keyMatches } from './identity';
import { inspectCertificate, type CertificateInfo } from './inspect';
import { certAddressKey, ownerAddressKeys } from './owner-addresses';

/** What an identity is for: EAS client authentication, or S/MIME signing / encryption. */
export type IdentityRole = 'eas-client' | 'smime-signing' | 'smime-encryption';

/** Stable codes of identity problems. */
export type CertDiagnosticCode =
  | 'owner-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'expiring-soon'
  | 'missing-client-auth'
  | 'missing-email-protection'
  | 'missing-digital-signature'
  | 'missing-key-encipherment'
  | 'missing-key-agreement'
  | 'no-private-key'
  | 'key-mismatch';

/** One problem of an identity for its owner and role. */
export interface CertDiagnostic {
  readonly code: CertDiagnosticCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface CheckOptions {
  readonly now?: Date;
  /** Days before expiry that give a warning; default 30. */
  readonly warnDays?: number;
}

const DAY = 86_400_000;

/** Checks an identity (or a bare certificate) against its owner and the roles it will serve. */
export function checkIdentity(
  subject: CertificateBundle | X509Certificate,
  owner: Pick<Owner, 'email' | 'upn'> | undefined,
  roles: IdentityRole | readonly IdentityRole[],
  options: CheckOptions = {},
): CertDiagnostic[] {
  const diagnostics: CertDiagnostic[] = [];
  const push = (code: CertDiagnosticCode, severity: 'error' | 'warning', message: string): void => {
    diagnostics.push({ code, severity, message });
  };
  let cert: X509Certificate | undefined;
  if (subject instanceof CertificateBundle) {
    cert = subject.leaf;
    if (subject.privateKey === undefined) push('no-private-key', 'error', 'there is no private key with the certificate');
    else if (cert && !keyMatches(cert, subject.privateKey)) push('key-mismatch', 'error', 'the private key does not belong to the certificate');
  } else {
    cert = subject;
  }
  if (cert === undefined) return diagnostics;
  const info = inspectCertificate(cert);
  const name = info.commonName ?? info.subject;

  if (owner !== undefined && !certificateNamesOwner(info, owner)) {
    const has = [...info.emails, ...info.upns];
    push('owner-mismatch', 'error', `the certificate of ${name} names ${has.length > 0 ? has.join(', ') : 'no e-mail or UPN'}, not ${owner.email}`);
  }

  const now = (options.now ?? new Date()).getTime();
  const notAfter = Date.parse(info.notAfter);
  const notBefore = Date.parse(info.notBefore);
  if (notAfter < now) push('expired', 'error', `the certificate of ${name} expired on ${info.notAfter.slice(0, 10)}`);
  else if (notBefore > now) push('not-yet-valid', 'error', `the certificate of ${name} is valid only from ${info.notBefore.slice(0, 10)}`);
  else if (notAfter - now < (options.warnDays ?? 30) * DAY) {
    push('expiring-soon', 'warning', `the certificate of ${name} expires on ${info.notAfter.slice(0, 10)}, in ${Math.ceil((notAfter - now) / DAY)} days`);
  }

  // RFC 5280: an absent extension restricts nothing.
  const eku = (purpose: string): boolean => info.extendedKeyUsage === undefined || info.extendedKeyUsage.includes(purpose) || info.extendedKeyUsage.includes('anyExtendedKeyUsage');
  const ku = (usage: NonNullable<CertificateInfo['keyUsage']>[number]): boolean => info.keyUsage === undefined || info.keyUsage.includes(usage);
  for (const role of typeof roles === 'string' ? [roles] : roles) {
    if (role === 'eas-client' && !eku('clientAuth')) {
      push('missing-client-auth', 'error', `the certificate of ${name} is not for client authentication (extended key usage clientAuth), which Exchange needs`);
    }
    if (role === 'smime-signing' || role === 'smime-encryption') {
      if (!eku('emailProtection')) push('missing-email-protection', 'error', `the certificate of ${name} is not for e-mail protection (extended key usage emailProtection), which S/MIME needs`);
    }
    if (role === 'smime-signing' && !ku('digitalSignature')) {
      push('missing-digital-signature', 'error', `the certificate of ${name} lacks key usage digitalSignature, which S/MIME signing needs`);
    }
    if (role === 'smime-encryption') {
      if (info.keyType === 'ec' && !ku('keyAgreement')) {
        push('missing-key-agreement', 'error', `the EC certificate of ${name} lacks key usage keyAgreement, which S/MIME encryption needs`);
      } else if (info.keyType !== 'ec' && !ku('keyEncipherment')) {
        push('missing-key-encipherment', 'error', `the certificate of ${name} lacks key usage keyEncipherment, which S/MIME encryption needs`);
      }
    }
  }
  return diagnostics;
}

/** True when one of the certificate's e-mails or UPNs is the owner's e-mail or UPN (see certAddressKey). */
export function certificateNamesOwner(info: Pick<CertificateInfo, 'emails' | 'upns'>, owner: Pick<Owner, 'email' | 'upn'>): boolean {
  const mine = ownerAddressKeys(owner);
  return [...info.emails, ...info.upns].some((v) => mine.has(certAddressKey(v)));
}
