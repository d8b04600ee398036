import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { certMatchesKey, orderChain } from './certificates';
import { ProfileInputError } from './errors';
import { reveal, type Passphrase } from './secret';

// Reading is delegated to node-forge, which knows every PBE a PKCS#12 may use (RC2-40, 3DES, PBES2 with
// AES and PBKDF2-HMAC-SHA256 as OpenSSL 3 makes by default); keys and certificates are handed to
// node:crypto as DER, so EC keys (which forge cannot use) pass through too.
// TODO(core/certs): switch to readIdentity() from core/certs once it is there.

/** A private key with its certificate and the certificates above it. */
export interface Identity {
  readonly key: KeyObject;
  readonly certificate: X509Certificate;
  readonly chain: readonly X509Certificate[];
  /** Where it came from, for messages. */
  readonly source: string;
}

type Bag = { key?: forge.pki.PrivateKey | null; cert?: forge.pki.Certificate | null; asn1?: forge.asn1.Asn1 };

const der = (a: forge.asn1.Asn1): Buffer => Buffer.from(forge.asn1.toDer(a).getBytes(), 'binary');

/** Reads a PKCS#12 (any PBE); wrong passphrase, corrupt data or a key without its certificate throw naming `fileName`. */
export function readPkcs12(bytes: Uint8Array, passphrase: Passphrase | undefined, fileName: string): Identity {
  const password = reveal(passphrase) ?? '';
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')), false);
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (e) {
    const text = String((e as Error).message);
    if (/MAC could not be verified|Invalid password|wrong password|Unable to decrypt/i.test(text)) throw new ProfileInputError(`wrong passphrase for ${fileName}`, fileName);
    throw new ProfileInputError(`${fileName} is not a readable PKCS#12 file.`, fileName);
  }
  const keyBags: Bag[] = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certBags: Bag[] = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  if (keyBags.length === 0) throw new ProfileInputError(`${fileName} holds no private key.`, fileName);
  let key: KeyObject;
  try {
    const k = keyBags[0];
    const pkcs8 = k.asn1 ? der(k.asn1) : der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(k.key as forge.pki.rsa.PrivateKey)));
    key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } catch {
    throw new ProfileInputError(`${fileName}: the private key cannot be read.`, fileName);
  }
  const certs = certBags.flatMap((b) => {
    try {
      return [new X509Certificate(b.asn1 ? der(b.asn1) : der(forge.pki.certificateToAsn1(b.cert as forge.pki.Certificate)))];
    } catch {
      return [];
    }
  });
  const leaf = certs.find((c) => certMatchesKey(c, key));
  if (!leaf) throw new ProfileInputError(`${fileName}: no certificate in the file matches its private key.`, fileName);
  return { key, certificate: leaf, chain: orderChain(leaf, certs), source: fileName };
}
