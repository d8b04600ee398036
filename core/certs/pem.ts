import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { certError } from './errors';
import type { Secret } from './secret';

/** Certificates and keys found in a PEM or DER file. */
export interface PemContents {
  readonly certificates: X509Certificate[];
  readonly privateKeys: KeyObject[];
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** True when the text holds at least one PEM block. */
export function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  return head.includes('-----BEGIN ');
}

/** Reads every CERTIFICATE and PRIVATE KEY block of a PEM file (encrypted keys need the passphrase). */
export function readPem(bytes: Uint8Array, password: Secret | undefined, fileName: string | undefined): PemContents {
  const text = Buffer.from(bytes).toString('latin1');
  const certificates: X509Certificate[] = [];
  const privateKeys: KeyObject[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1];
    if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE') {
      try {
        certificates.push(new X509Certificate(match[0].replace('TRUSTED CERTIFICATE', 'CERTIFICATE')));
      } catch {
        throw certError('corrupt', fileName, 'a CERTIFICATE block cannot be decoded');
      }
    } else if (label.endsWith('PRIVATE KEY')) {
      privateKeys.push(decodeKey(match[0], 'pem', label.startsWith('ENCRYPTED') || /Proc-Type: 4,ENCRYPTED/.test(match[0]), password, fileName));
    }
  }
  return { certificates, privateKeys };
}

/** Reads a DER certificate, or failing that a DER PKCS#8 / PKCS#1 / SEC1 private key. */
export function readDer(bytes: Uint8Array, password: Secret | undefined, fileName: string | undefined): PemContents {
  const buffer = Buffer.from(bytes);
  try {
    return { certificates: [new X509Certificate(buffer)], privateKeys: [] };
  } catch {
    // not a certificate: try the key forms below
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return { certificates: [], privateKeys: [createPrivateKey({ key: buffer, format: 'der', type, passphrase: password?.reveal() })] };
    } catch {
      // try the next encoding
    }
  }
  if (password === undefined && isEncryptedPkcs8(buffer)) throw certError('passphrase-required', fileName);
  if (password !== undefined && isEncryptedPkcs8(buffer)) throw certError('wrong-passphrase', fileName);
  throw certError('unrecognised-format', fileName);
}

function decodeKey(pem: string, format: 'pem', encrypted: boolean, password: Secret | undefined, fileName: string | undefined): KeyObject {
  if (encrypted && password === undefined) throw certError('passphrase-required', fileName);
  try {
    return createPrivateKey({ key: pem, format, passphrase: encrypted ? password?.reveal() : undefined });
  } catch {
    // node:crypto's own message ("bad decrypt") is neither clear nor ours to show.
    throw encrypted ? certError('wrong-passphrase', fileName) : certError('corrupt', fileName, 'a PRIVATE KEY block cannot be decoded');
  }
}

// EncryptedPrivateKeyInfo starts SEQUENCE { SEQUENCE { OID ... } }: a cheap test to tell a wrong passphrase from garbage.
function isEncryptedPkcs8(der: Buffer): boolean {
  if (der.length < 16 || der[0] !== 0x30) return false;
  const skip = der[1] < 0x80 ? 2 : 2 + (der[1] & 0x7f);
  return der[skip] === 0x30 && der.subarray(skip, skip + 16).includes(0x06);
}
