import { certMatchesKey, orderChain, pemBlocks, readCertificates, readPrivateKey } from './certificates';
import { ProfileInputError } from './errors';
import { readPkcs12, type Identity } from './pkcs12-read';
import type { Passphrase } from './secret';

/** An identity from a PEM certificate file (leaf first, chain after) and a PEM or DER key file. */
export function identityFromPem(cert: Uint8Array, key: Uint8Array, names: { readonly certFile: string; readonly keyFile: string }, passphrase?: Passphrase): Identity {
  const certs = readCertificates(cert, names.certFile);
  const privateKey = readPrivateKey(key, names.keyFile, passphrase);
  const leaf = certs.find((c) => certMatchesKey(c, privateKey));
  if (!leaf) throw new ProfileInputError(`${names.certFile} does not match the private key in ${names.keyFile}.`, names.certFile);
  return { key: privateKey, certificate: leaf, chain: orderChain(leaf, certs), source: names.certFile };
}

const isPem = (b: Uint8Array): boolean => Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 4096)).toString('latin1').includes('-----BEGIN ');

/** An identity from one file: PKCS#12, or PEM holding both the certificate(s) and the key. */
export function readIdentityFile(bytes: Uint8Array, fileName: string, passphrase?: Passphrase): Identity {
  if (!isPem(bytes)) return readPkcs12(bytes, passphrase, fileName);
  const text = Buffer.from(bytes).toString('latin1');
  if (!pemBlocks(text).some((b) => b.label.endsWith('PRIVATE KEY'))) throw new ProfileInputError(`${fileName} holds no private key; give the key in the same PEM file or use a PKCS#12.`, fileName);
  return identityFromPem(bytes, bytes, { certFile: fileName, keyFile: fileName }, passphrase);
}
