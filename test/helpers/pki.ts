import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files of a CA and a leaf it issued, made by the real openssl. */
export interface TestPki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly leafCert: string;
  readonly leafKey: string;
  pem(file: string): string;
}

/** Makes a CA and a leaf certificate with openssl (RSA 2048 or EC P-256) into `dir`. */
export async function makePki(dir: string, opts: { leafName?: string; keyType?: 'rsa' | 'ec'; extensions?: string } = {}): Promise<TestPki> {
  mkdirSync(dir, { recursive: true });
  const p = (f: string) => path.join(dir, f);
  const newkey = opts.keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  await run('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '30', '-subj', '/CN=Test Profiles CA/O=Example Corp', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', ...newkey, '-nodes', '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', `/CN=${opts.leafName ?? 'Test Profile Signer'}/O=Example Corp`]);
  writeFileSync(p('leaf.ext'), opts.extensions ?? 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning,emailProtection\n');
  await run('openssl', ['x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('leaf.pem'), '-days', '20', '-extfile', p('leaf.ext')]);
  return { dir, caCert: p('ca.pem'), caKey: p('ca.key'), leafCert: p('leaf.pem'), leafKey: p('leaf.key'), pem: (f) => readFileSync(f, 'utf8') };
}
