import type { X509Certificate } from 'node:crypto';
import { decodeExtensions, type KeyUsageName } from './extensions';
import { keyMatches, type CertFormat, type CertificateBundle } from './identity';

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.20.2.2': 'smartcardLogon',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521 };

/** What a certificate says, as plain JSON-safe data. */
export interface CertificateInfo {
  readonly subject: string;
  readonly commonName: string | undefined;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyType: string;
  readonly keySize: number | undefined;
  readonly curve: string | undefined;
  /** undefined: no key usage extension, so every usage is allowed. */
  readonly keyUsage: KeyUsageName[] | undefined;
  /** Names (clientAuth, emailProtection, …) or OIDs; undefined: no extension, so every purpose is allowed. */
  readonly extendedKeyUsage: string[] | undefined;
  /** From the SAN's rfc822Name entries, then the subject's emailAddress. */
  readonly emails: string[];
  /** Microsoft User Principal Names from the SAN's otherName entries. */
  readonly upns: string[];
  readonly dnsNames: string[];
  readonly fingerprintSha256: string;
  readonly isCA: boolean;
  readonly selfSigned: boolean;
}

/** A file's certificates, which one is the end entity, and whether its key belongs to it. */
export interface BundleInspection {
  readonly fileName: string | undefined;
  readonly format: CertFormat;
  readonly certificates: CertificateInfo[];
  /** Index in `certificates` of the end-entity certificate. */
  readonly leafIndex: number;
  readonly hasPrivateKey: boolean;
  /** undefined when the file has no key. */
  readonly keyMatchesCertificate: boolean | undefined;
}

/** Describes one certificate. */
export function inspectCertificate(cert: X509Certificate): CertificateInfo {
  const ext = decodeExtensions(cert);
  const subjectEmails = dnValues(cert.subject, 'emailAddress');
  const details = cert.publicKey.asymmetricKeyDetails ?? {};
  const keyType = cert.publicKey.asymmetricKeyType ?? 'unknown';
  const eku = cert.keyUsage;
  return {
    subject: oneLine(cert.subject),
    commonName: dnValues(cert.subject, 'CN')[0],
    issuer: oneLine(cert.issuer),
    serialNumber: cert.serialNumber,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    keyType,
    keySize: details.modulusLength ?? (details.namedCurve ? CURVE_BITS[details.namedCurve] : keyType === 'ed25519' ? 256 : keyType === 'ed448' ? 456 : undefined),
    curve: details.namedCurve,
    keyUsage: ext.keyUsage,
    extendedKeyUsage: eku === undefined || eku.length === 0 ? undefined : eku.map((oid) => EKU_NAMES[oid] ?? oid),
    emails: [...new Set([...ext.sanEmails, ...subjectEmails])],
    upns: ext.sanUpns,
    dnsNames: ext.sanDns,
    fingerprintSha256: cert.fingerprint256,
    isCA: cert.ca,
    selfSigned: cert.checkIssued(cert),
  };
}

/** Describes every certificate of a bundle and checks its key against the end-entity certificate. */
export function inspectBundle(bundle: CertificateBundle): BundleInspection {
  const leaf = bundle.leaf;
  const key = bundle.privateKey;
  return {
    fileName: bundle.fileName,
    format: bundle.format,
    certificates: bundle.certificates.map(inspectCertificate),
    leafIndex: leaf ? bundle.certificates.indexOf(leaf) : -1,
    hasPrivateKey: key !== undefined,
    keyMatchesCertificate: key === undefined || leaf === undefined ? undefined : keyMatches(leaf, key),
  };
}

// node:crypto prints a DN one attribute per line, e.g. "C=FR\nCN=Alice"; values with special characters come JSON-quoted.
function dnValues(dn: string, attribute: string): string[] {
  return dn
    .split('\n')
    .filter((line) => line.startsWith(`${attribute}=`))
    .map((line) => {
      const value = line.slice(attribute.length + 1);
      if (value.startsWith('"')) {
        try {
          return JSON.parse(value) as string;
        } catch {
          return value;
        }
      }
      return value;
    });
}

function oneLine(dn: string): string {
  return dn.split('\n').join(', ');
}
