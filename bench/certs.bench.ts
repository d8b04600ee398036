// Matching 1,000 PKCS#12 files to owners (decrypt, verify the MAC, inspect, check) next to bare
// node:crypto X509Certificate parsing of the same certificates. The files are made once with node-forge
// in a temp folder, signed through node:crypto (forge's own RSA signing would take minutes).
import { generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { matchCertificateDir } from '../core/certs';
import type { Owner } from '../core/owners';

const COUNT = 1000;
const PASSWORD = 'bench-passphrase';
const dir = mkdtempSync(join(tmpdir(), 'certs-bench-'));

interface PoolKey {
  readonly node: KeyObject;
  readonly forgePrivate: forge.pki.rsa.PrivateKey;
  readonly forgePublic: forge.pki.rsa.PublicKey;
}

// A few keys shared by all certificates: key generation is not what is measured.
function keyPool(size: number): PoolKey[] {
  return Array.from({ length: size }, () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forgePrivate = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    return { node: privateKey, forgePrivate, forgePublic: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e) };
  });
}

function makeCert(i: number, key: PoolKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.forgePublic;
  cert.serialNumber = (0x100000 + i).toString(16);
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: `User ${i}` }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true, emailProtection: true },
    // Every tenth certificate carries no e-mail, so matching falls back to the file name.
    ...(i % 10 === 0 ? [] : [{ name: 'subjectAltName', altNames: [{ type: 1, value: `user${i}@example.com` }] }]),
  ]);
  const withSigInfo = cert as forge.pki.Certificate & { siginfo: { algorithmOid: string }; signatureOid: string; signature: string };
  withSigInfo.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  withSigInfo.signatureOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = Buffer.from(forge.asn1.toDer((forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert)).getBytes(), 'binary');
  withSigInfo.signature = sign('sha256', tbs, key.node).toString('binary');
  return cert;
}

const t0 = performance.now();
const pool = keyPool(4);
const ders: Buffer[] = [];
const owners: Owner[] = [];
for (let i = 0; i < COUNT; i++) {
  const key = pool[i % pool.length];
  const cert = makeCert(i, key);
  ders.push(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
  // Half AES-256 (like OpenSSL 3), half 3DES (like Windows and macOS exports).
  const p12 = forge.pkcs12.toPkcs12Asn1(key.forgePrivate, [cert], PASSWORD, { algorithm: i % 2 === 0 ? 'aes256' : '3des', count: 2048 });
  writeFileSync(join(dir, i % 10 === 0 ? `user${i}.p12` : `cert-${i}.pfx`), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  owners.push({ id: `id-${i}`, email: `user${i}@example.com`, username: `user${i}`, source: 'csv' });
}
console.log(`certs: made ${COUNT} PKCS#12 files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

function bare(): number {
  let emails = 0;
  for (const der of ders) {
    const x = new X509Certificate(der);
    if (x.subjectAltName?.includes('@')) emails++;
  }
  return emails;
}

try {
  bare();
  const b0 = performance.now();
  const rounds = 20;
  for (let r = 0; r < rounds; r++) bare();
  const bareMs = (performance.now() - b0) / rounds;

  const m0 = performance.now();
  const c0 = process.cpuUsage();
  const report = await matchCertificateDir(owners, dir, { password: PASSWORD });
  const cpu = process.cpuUsage(c0);
  const matchMs = performance.now() - m0;
  if (report.counts.matched !== COUNT) throw new Error(`expected ${COUNT} matches, got ${JSON.stringify(report.counts)}`);
  console.log(
    `certs: ${COUNT} PKCS#12 matched in ${matchMs.toFixed(0)} ms wall (${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${(matchMs / COUNT).toFixed(1)} ms per file); ` +
      `bare X509Certificate parsing of the same certificates ${bareMs.toFixed(1)} ms; ratio ${(matchMs / bareMs).toFixed(0)}x ` +
      `(the difference is PKCS#12 decryption and MAC: PBKDF2/PKCS#12 KDF with 2048 iterations per file)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
