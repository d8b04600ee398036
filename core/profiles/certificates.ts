import type { X509Certificate } from 'node:crypto';
import { DerError, child, parseDer, seq } from './der';

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

