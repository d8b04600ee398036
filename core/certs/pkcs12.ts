import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { certError, CertReadError } from './errors';
import { PfxError, readPfx } from './pfx';
import type { Secret } from './secret';

/** What a PKCS#12 file holds, in node:crypto form. */
export interface Pkcs12Contents {
  readonly certificates: X509Certificate[];
  readonly privateKeys: KeyObject[];
}

// forge reports a failed MAC or decryption with these messages; they mean the passphrase is wrong.
const WRONG_PASSWORD = /MAC could not be verified|wrong password|Invalid password/i;

/** True when the bytes look like a PKCS#12 PFX (SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-* } }). */
export function looksLikePkcs12(bytes: Uint8Array): boolean {
  // Peek at the first bytes only: version 3 right after the outer SEQUENCE header.
  if (bytes.length < 8 || bytes[0] !== 0x30) return false;
  let i = 1;
  const len = bytes[i];
  if (len === 0x80) i += 1;
  else if (len < 0x80) i += 1;
  else i += 1 + (len & 0x7f);
  return bytes[i] === 0x02 && bytes[i + 1] === 0x01 && bytes[i + 2] === 0x03;
}

/** Reads a PKCS#12 (any PBE OpenSSL and Windows/macOS produce) with an optional passphrase; throws CertReadError. Native first, forge for the rest. */
export function readPkcs12(bytes: Uint8Array, password: Secret | undefined, fileName: string | undefined): Pkcs12Contents {
  // An absent passphrase is the empty one (OpenSSL -passout pass:, Windows "no password"); a folder read with one
  // passphrase may also hold unprotected files, so the empty one is tried after a given one fails.
  const candidates = password === undefined ? [''] : [password.reveal(), ''];
  for (const [i, candidate] of candidates.entries()) {
    try {
      return readPfx(bytes, candidate);
    } catch (e) {
      if (!(e instanceof PfxError)) throw certError('corrupt', fileName);
      if (e.reason === 'bad-password') {
        if (i < candidates.length - 1) continue;
        throw certError(password === undefined ? 'passphrase-required' : 'wrong-passphrase', fileName);
      }
      if (e.reason === 'corrupt') throw certError('corrupt', fileName, 'not a readable PKCS#12');
      if (e.reason === 'too-costly') throw certError('unsupported', fileName, 'a key derivation iteration count above 1,000,000');
      // 'unsupported': forge knows a few more algorithms; try it below.
      break;
    }
  }
  return readPkcs12WithForge(asn1Of(bytes, fileName), password, fileName);
}

function asn1Of(bytes: Uint8Array, fileName: string | undefined): forge.asn1.Asn1 {
  try {
    // The typings lack the options form; decodeBitStrings: false keeps random input from being parsed twice.
    const fromDer = forge.asn1.fromDer as unknown as (b: forge.util.ByteBuffer, o: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean }) => forge.asn1.Asn1;
    return fromDer(forge.util.createBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('binary')), {
      strict: false,
      parseAllBytes: true,
      decodeBitStrings: false,
    });
  } catch {
    throw certError('corrupt', fileName, 'not valid DER');
  }
}

function readPkcs12WithForge(asn1: forge.asn1.Asn1, password: Secret | undefined, fileName: string | undefined): Pkcs12Contents {
  const candidates = password === undefined ? [''] : [password.reveal(), ''];
  for (const [i, candidate] of candidates.entries()) {
    try {
      return collect(forge.pkcs12.pkcs12FromAsn1(asn1, false, candidate), fileName);
    } catch (e) {
      const message = e instanceof Error ? e.message : '';
      if (WRONG_PASSWORD.test(message)) {
        if (i < candidates.length - 1) continue;
        throw certError(password === undefined ? 'passphrase-required' : 'wrong-passphrase', fileName);
      }
      if (e instanceof CertReadError) throw e;
      if (/unsupported|not supported/i.test(message)) throw certError('unsupported', fileName, 'an encryption or integrity algorithm');
      throw certError('corrupt', fileName, 'not a readable PKCS#12');
    }
  }
  throw certError('corrupt', fileName);
}

function collect(p12: forge.pkcs12.Pkcs12Pfx, fileName: string | undefined): Pkcs12Contents {
  const certificates: X509Certificate[] = [];
  const privateKeys: KeyObject[] = [];
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      const raw = bag as forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 | undefined };
      try {
        if (bag.type === forge.pki.oids.certBag) {
          const der = bag.cert ? forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)) : raw.asn1 ? forge.asn1.toDer(raw.asn1) : undefined;
          if (der) certificates.push(new X509Certificate(Buffer.from(der.getBytes(), 'binary')));
        } else if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
          // forge only models RSA keys; other kinds (EC, Ed25519) come back as raw PrivateKeyInfo.
          const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : raw.asn1;
          if (info) privateKeys.push(createPrivateKey({ key: Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'), format: 'der', type: 'pkcs8' }));
        }
      } catch {
        throw certError('corrupt', fileName, 'a certificate or key inside cannot be decoded');
      }
    }
  }
  return { certificates, privateKeys };
}
