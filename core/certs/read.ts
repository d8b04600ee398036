import type { KeyObject, X509Certificate } from 'node:crypto';
import { certError, CertReadError } from './errors';
import { CertificateBundle, Identity, keyMatches, type CertFormat } from './identity';
import { looksLikePem, readDer, readPem } from './pem';
import { looksLikePkcs12, readPkcs12 } from './pkcs12';
import { secret, type Secret } from './secret';

/** How to read a certificate file. */
export interface ReadOptions {
  readonly password?: string | Secret;
  /** Named in error messages ("wrong passphrase for alice.p12"). */
  readonly fileName?: string;
}

/** Reads any certificate file (PKCS#12, PEM, DER), with or without a key; throws CertReadError. */
export function readCertificateFile(bytes: Uint8Array, options: ReadOptions = {}): CertificateBundle {
  const password = secret(options.password);
  const { fileName } = options;
  let format: CertFormat;
  let contents: { certificates: X509Certificate[]; privateKeys: KeyObject[] };
  try {
    if (looksLikePem(bytes)) {
      format = 'pem';
      contents = readPem(bytes, password, fileName);
    } else if (looksLikePkcs12(bytes)) {
      format = 'pkcs12';
      contents = readPkcs12(bytes, password, fileName);
    } else {
      format = 'der';
      contents = readDer(bytes, password, fileName);
    }
  } catch (e) {
    if (e instanceof CertReadError) throw e;
    // Anything else is a library failing on odd input: report it without its text, which may quote the input.
    throw certError('corrupt', fileName);
  }
  if (contents.certificates.length === 0 && contents.privateKeys.length === 0) throw certError('unrecognised-format', fileName);
  const key = contents.privateKeys.find((k) => contents.certificates.some((c) => keyMatches(c, k))) ?? contents.privateKeys[0];
  return new CertificateBundle(contents.certificates, key, format, fileName);
}

/** Reads a certificate with its private key from PKCS#12, or PEM/DER holding both; throws CertReadError. */
export function readIdentity(bytes: Uint8Array, options: { password?: string; fileName?: string }): Identity {
  return identityOf(readCertificateFile(bytes, options));
}

/** Reads an identity whose certificate and key are in two files (PEM or DER). */
export function readIdentityPair(
  cert: { bytes: Uint8Array; fileName?: string },
  key: { bytes: Uint8Array; fileName?: string },
  options: { password?: string | Secret } = {},
): Identity {
  const c = readCertificateFile(cert.bytes, { fileName: cert.fileName });
  const k = readCertificateFile(key.bytes, { fileName: key.fileName, password: options.password });
  if (!k.privateKey) throw certError('no-private-key', key.fileName);
  return identityOf(new CertificateBundle([...c.certificates, ...k.certificates], k.privateKey, c.format, cert.fileName));
}

/** Turns a bundle into an Identity, insisting on a key and a certificate that belongs to it. */
export function identityOf(bundle: CertificateBundle): Identity {
  if (bundle.certificates.length === 0) throw certError('no-certificate', bundle.fileName);
  const key = bundle.privateKey;
  if (!key) throw certError('no-private-key', bundle.fileName);
  const certificate = bundle.certificates.find((c) => keyMatches(c, key));
  if (!certificate) throw certError('key-mismatch', bundle.fileName);
  return new Identity(bundle.certificates, key, certificate, bundle.format, bundle.fileName);
}
