import type { X509Certificate } from 'node:crypto';
import type { Owner } from '../owners/owner';
import { displayDomain, emailKey } from '../owners/email';
import { CertificateBundle, keyMatches } from './identity';
import { inspectCertificate, type CertificateInfo } from './inspect';

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

/**
 * The key an address found in a certificate is compared by: NFC, lower case, except that a character which would
 * lower-case into ASCII (the Kelvin sign into "k") stays as it is. Owners' addresses are folded further for comparing
 * owners with each other (IDNA mapping); doing that to certificate text would let look-alikes such as the Kelvin sign,
 * full-width letters or an ideographic full stop stand for an owner's address.
 */
export function certAddressKey(address: string): string {
  const trimmed = address.trim();
  const nfc = trimmed.normalize('NFC');
  // NFC itself turns a few look-alikes into ASCII (the Kelvin sign into "K"): such an address matches no one.
  if (asciiCount(nfc) > asciiCount(trimmed)) return `\u0000${trimmed}`;
  let key = '';
  for (const ch of nfc) {
    if (ch.charCodeAt(0) < 0x80) {
      key += ch.toLowerCase();
      continue;
    }
    const lower = ch.toLowerCase();
    key += asciiCount(lower) > 0 ? ch : lower;
  }
  // Letter by letter, a capital sigma lower-cases to σ even at a word's end, where the owner's address has ς.
  return key.replace(/ς/g, 'σ');
}

function asciiCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x80) n++;
  return n;
}

/** The keys under which one address of an owner appears in certificates: as written, and with its domain in punycode or in Unicode. */
function addressKeys(address: string): string[] {
  const key = emailKey(address);
  const at = key.lastIndexOf('@');
  const unicodeDomain = displayDomain(address);
  return [address, key, ...(at > 0 && unicodeDomain ? [`${key.slice(0, at)}@${unicodeDomain}`] : [])].map(certAddressKey);
}

/** The keys under which an owner's e-mail address and UPN appear in certificates (see certAddressKey). */
export function ownerAddressKeys(owner: Pick<Owner, 'email' | 'upn'>): Set<string> {
  return new Set([...addressKeys(owner.email), ...(owner.upn ? addressKeys(owner.upn) : [])]);
}

/** The keys of an owner's e-mail address alone: where two owners share an address, the one whose e-mail it is owns it. */
export function ownerEmailKeys(owner: Pick<Owner, 'email'>): Set<string> {
  return new Set(addressKeys(owner.email));
}

/** True when one of the certificate's e-mails or UPNs is the owner's e-mail or UPN (see certAddressKey). */
export function certificateNamesOwner(info: Pick<CertificateInfo, 'emails' | 'upns'>, owner: Pick<Owner, 'email' | 'upn'>): boolean {
  const mine = ownerAddressKeys(owner);
  return [...info.emails, ...info.upns].some((v) => mine.has(certAddressKey(v)));
}
