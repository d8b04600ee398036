import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { DerError, child, parseDer, seq } from './der';
import { ProfileInputError } from './errors';
import { reveal, type Passphrase } from './secret';

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The PEM blocks of a text, as label and DER bytes. */
export function pemBlocks(text: string): { label: string; der: Buffer }[] {
  return [...text.matchAll(PEM_RE)].map((m) => ({ label: m[1], der: Buffer.from(m[2].replace(/[^A-Za-z0-9+/=]/g, ''), 'base64') }));
}

const looksPem = (b: Uint8Array): boolean => Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 4096)).toString('latin1').includes('-----BEGIN ');

/** Every certificate in a PEM file (any number) or a DER file (one); throws naming the file when there is none. */
export function readCertificates(bytes: Uint8Array, fileName: string): X509Certificate[] {
  try {
    if (looksPem(bytes)) {
      const certs = pemBlocks(Buffer.from(bytes).toString('latin1'))
        .filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
        .map((b) => new X509Certificate(b.der));
      if (certs.length === 0) throw new ProfileInputError(`${fileName} holds no certificate (no BEGIN CERTIFICATE block).`, fileName);
      return certs;
    }
    return [new X509Certificate(Buffer.from(bytes))];
  } catch (e) {
    if (e instanceof ProfileInputError) throw e;
    throw new ProfileInputError(`${fileName} is not a readable certificate (PEM or DER).`, fileName);
  }
}

/** A private key from PEM (PKCS#1, PKCS#8, SEC1, encrypted PKCS#8) or DER PKCS#8; the message never holds the passphrase. */
export function readPrivateKey(bytes: Uint8Array, fileName: string, passphrase?: Passphrase): KeyObject {
  const pass = reveal(passphrase);
  try {
    if (looksPem(bytes)) return createPrivateKey(pass === undefined ? { key: Buffer.from(bytes), format: 'pem' } : { key: Buffer.from(bytes), format: 'pem', passphrase: pass });
    return createPrivateKey({ key: Buffer.from(bytes), format: 'der', type: 'pkcs8' });
  } catch (e) {
    const text = String((e as Error).message);
    if (/passphrase|bad decrypt/i.test(text)) throw new ProfileInputError(`wrong passphrase for ${fileName}`, fileName);
    throw new ProfileInputError(`${fileName} is not a readable private key (PEM or DER PKCS#8).`, fileName);
  }
}

/** Whether `key` is the private key of `cert`. */
export function certMatchesKey(cert: X509Certificate, key: KeyObject): boolean {
  const a = cert.publicKey.export({ type: 'spki', format: 'der' });
  const b = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return a.equals(b);
}

/** IssuerAndSerialNumber (CMS) of a certificate, copied from its own DER so that it matches byte for byte. */
export function issuerAndSerial(cert: X509Certificate): Buffer {
  const tbs = child(parseDer(cert.raw), 0, 'tbsCertificate');
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, ...
  const hasVersion = child(tbs, 0, 'version or serial').tag === 0xa0;
  const serial = child(tbs, hasVersion ? 1 : 0, 'serial number');
  const issuer = child(tbs, hasVersion ? 3 : 2, 'issuer');
  if (serial.tag !== 0x02 || issuer.tag !== 0x30) throw new DerError('not an X.509 certificate');
  return seq(issuer.raw, serial.raw);
}

/** Whether a certificate is self-signed (a root). */
export function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.subject === cert.issuer && cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/** The CN of a distinguished name as Node prints it ("C=..\nCN=.."), or the whole name. */
export function commonName(dn: string): string {
  const cn = dn.split('\n').find((l) => l.startsWith('CN='));
  return cn ? cn.slice(3) : dn.replace(/\n/g, ', ');
}

/** Orders `candidates` into a chain above `leaf` (issuer after subject), dropping unrelated ones. */
export function orderChain(leaf: X509Certificate, candidates: readonly X509Certificate[]): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current = leaf;
  const pool = candidates.filter((c) => !c.raw.equals(leaf.raw));
  for (;;) {
    if (isSelfSigned(current)) break;
    const i = pool.findIndex((c) => current.checkIssued(c) && safeVerify(current, c));
    if (i < 0) break;
    current = pool.splice(i, 1)[0];
    chain.push(current);
  }
  return chain;
}

function safeVerify(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Whether `cert` chains through `intermediates` to one of `roots`, checking signatures and validity at `at`. */
export function chainVerifies(cert: X509Certificate, intermediates: readonly X509Certificate[], roots: readonly X509Certificate[], at: Date): { ok: true } | { ok: false; reason: string } {
  const valid = (c: X509Certificate): boolean => new Date(c.validFrom) <= at && at <= new Date(c.validTo);
  let current = cert;
  const pool = [...intermediates];
  for (let depth = 0; depth < 10; depth++) {
    const root = roots.find((r) => current.checkIssued(r) && safeVerify(current, r));
    if (root) {
      if (!valid(root)) return { ok: false, reason: `the CA ${commonName(root.subject)} is expired or not yet valid` };
      return { ok: true };
    }
    if (roots.some((r) => r.raw.equals(current.raw))) return { ok: true };
    const i = pool.findIndex((c) => !c.raw.equals(current.raw) && current.checkIssued(c) && safeVerify(current, c));
    if (i < 0) return { ok: false, reason: `no trusted issuer found for ${commonName(current.subject)}` };
    current = pool.splice(i, 1)[0];
    if (!valid(current)) return { ok: false, reason: `the intermediate ${commonName(current.subject)} is expired or not yet valid` };
  }
  return { ok: false, reason: 'the chain is too long' };
}

