import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestPki } from './pki';

const run = promisify(execFile);

/** What an owner's client identity should say. */
export interface OwnerIdentitySpec {
  /** File name of the PKCS#12, e.g. "alice.p12". */
  readonly file: string;
  readonly commonName: string;
  /** Put into the SAN as rfc822Name; omit for a certificate that names no one (matched by file name only). */
  readonly email?: string;
  /** Microsoft UPN, put into the SAN as otherName. */
  readonly upn?: string;
  readonly passphrase: string;
  /** Extended key usages; default clientAuth. */
  readonly eku?: string;
}

/** Issues a client identity from the test CA with the real openssl (EC P-256, fast) and exports it as PKCS#12 into `dir`. */
export async function makeOwnerP12(pki: TestPki, dir: string, spec: OwnerIdentitySpec): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const work = path.join(pki.dir, `id-${spec.file}`);
  mkdirSync(work, { recursive: true });
  const p = (f: string) => path.join(work, f);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('key.pem'), '-out', p('req.csr'), '-subj', `/CN=${spec.commonName}/O=Example Corp`]);
  const ext = [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyAgreement',
    `extendedKeyUsage=${spec.eku ?? 'clientAuth'}`,
    ...(spec.email || spec.upn
      ? [`subjectAltName=${[spec.email ? `email:${spec.email}` : '', spec.upn ? `otherName:1.3.6.1.4.1.311.20.2.3;UTF8:${spec.upn}` : ''].filter(Boolean).join(',')}`]
      : []),
  ].join('\n');
  writeFileSync(p('ext.cnf'), `${ext}\n`);
  await run('openssl', ['x509', '-req', '-in', p('req.csr'), '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial', '-out', p('cert.pem'), '-days', '200', '-extfile', p('ext.cnf')]);
  const out = path.join(dir, spec.file);
  // OpenSSL 3 defaults (AES-256-CBC, PBKDF2): what people export today.
  await run('openssl', ['pkcs12', '-export', '-in', p('cert.pem'), '-inkey', p('key.pem'), '-certfile', pki.caCert, '-out', out, '-passout', `pass:${spec.passphrase}`, '-name', spec.commonName]);
  return out;
}
