import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real openssl binary, quiet unless it fails. */
export function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface CertSpec {
  readonly name: string;
  readonly key?: 'rsa' | 'ec';
  readonly email?: string;
  readonly upn?: string;
  /** openssl extendedKeyUsage value, e.g. "clientAuth,emailProtection"; omitted: no extension. */
  readonly eku?: string;
  /** openssl keyUsage value; omitted: no extension. */
  readonly ku?: string;
  readonly days?: number;
  /** Sign with this CA (name of an earlier spec made with ca: true) instead of self-signing. */
  readonly issuer?: string;
  readonly ca?: boolean;
}

/** A temp folder of keys, certificates and PKCS#12 files made by openssl at test time. */
export class Fixtures {
  readonly dir = mkdtempSync(join(tmpdir(), 'eas-certs-'));

  path(file: string): string {
    return join(this.dir, file);
  }

  read(file: string): Uint8Array {
    return new Uint8Array(readFileSync(this.path(file)));
  }

  write(file: string, bytes: Uint8Array | string): void {
    writeFileSync(this.path(file), bytes);
  }

  /** Makes `<name>.key` (PKCS#8 PEM) and `<name>.crt` (PEM). */
  cert(spec: CertSpec): void {
    const { name } = spec;
    const keyArgs = spec.key === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    openssl(['genpkey', ...keyArgs, '-out', `${name}.key`], this.dir);
    const san = [spec.email && `email:${spec.email}`, spec.upn && `otherName:1.3.6.1.4.1.311.20.2.3;UTF8:${spec.upn}`].filter(Boolean).join(',');
    const ext = [
      spec.ca ? 'basicConstraints=critical,CA:TRUE' : 'basicConstraints=CA:FALSE',
      spec.ca ? 'keyUsage=critical,keyCertSign,cRLSign' : spec.ku && `keyUsage=${spec.ku}`,
      spec.eku && `extendedKeyUsage=${spec.eku}`,
      san && `subjectAltName=${san}`,
    ].filter(Boolean) as string[];
    this.write(`${name}.ext`, `${ext.join('\n')}\n`);
    const subject = `/CN=${name}${spec.email ? `/emailAddress=${spec.email}` : ''}`;
    const days = String(spec.days ?? 365);
    if (spec.issuer) {
      openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], this.dir);
      openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${spec.issuer}.crt`, '-CAkey', `${spec.issuer}.key`, '-CAcreateserial', '-days', days, '-extfile', `${name}.ext`, '-out', `${name}.crt`], this.dir);
    } else {
      openssl(['req', '-x509', '-new', '-key', `${name}.key`, '-subj', subject, '-days', days, '-extensions', 'v3', '-config', this.config(ext), '-out', `${name}.crt`], this.dir);
    }
  }

  /** Wraps `<name>.key` and `<name>.crt` (plus extra certificates) into a PKCS#12, with the given openssl options. */
  p12(name: string, out: string, password: string, options: readonly string[] = [], extraCerts?: string): void {
    openssl(
      ['pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.crt`, ...(extraCerts ? ['-certfile', extraCerts] : []), '-passout', `pass:${password}`, ...options, '-out', out],
      this.dir,
    );
  }

  private config(ext: readonly string[]): string {
    const file = `req-${Math.random().toString(36).slice(2)}.cnf`;
    this.write(file, `[req]\ndistinguished_name=dn\n[dn]\n[v3]\n${ext.join('\n')}\n`);
    return file;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const RC2_40 = ['-legacy', '-certpbe', 'PBE-SHA1-RC2-40', '-keypbe', 'PBE-SHA1-RC2-40'];
export const LEGACY_3DES = ['-legacy'];
