import { execFileSync, spawnSync } from 'node:child_process';
import type { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityOf, readCertificateFile, readIdentityPair, type Identity } from '../../../core/certs';
import type { Owner } from '../../../core/owners/owner';

/** Runs openssl; throws with its stderr when it fails. */
export function openssl(args: readonly string[], input?: Uint8Array): Buffer {
  const r = spawnSync('openssl', args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Runs openssl and returns status and both outputs without throwing. */
export function opensslResult(args: readonly string[], input?: Uint8Array): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { input, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const PY = `
import plistlib, sys, json, base64, datetime
def conv(v):
    if isinstance(v, bytes): return {"$data": base64.b64encode(v).decode()}
    if isinstance(v, datetime.datetime): return {"$date": v.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if isinstance(v, dict): return {k: conv(x) for k, x in v.items()}
    if isinstance(v, list): return [conv(x) for x in v]
    return v
print(json.dumps(conv(plistlib.loads(sys.stdin.buffer.read()))))
`;

/** Parses a property list with Python's plistlib (an independent parser), as JSON with data as {"$data": base64}. */
export function plistlib(bytes: Uint8Array): unknown {
  return JSON.parse(execFileSync('python3', ['-c', PY], { input: bytes }).toString());
}

/** Our value in plistlib's JSON shape, to compare the two. */
export function asPlistJson(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $data: Buffer.from(v).toString('base64') };
  if (v instanceof Date) return { $date: v.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (Array.isArray(v)) return v.map(asPlistJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asPlistJson(x)]));
  return v;
}

/** A temporary directory, removed by `cleanup`. */
export function tempDir(prefix = 'profiles-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type KeySpec = 'rsa2048' | 'rsa3072' | 'p256' | 'p384' | 'p521' | 'k256' | 'ed25519';

const KEY_ARGS: Readonly<Record<KeySpec, readonly string[]>> = {
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa3072: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  k256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'],
  ed25519: ['-algorithm', 'ED25519'],
};

/** A key and certificate made by openssl, as file paths. */
export interface Issued {
  readonly key: string;
  readonly cert: string;
}

/** A throw-away PKI: a root CA and an intermediate, both made by openssl. */
export class TestPki {
  readonly root: Issued;
  readonly intermediate: Issued;
  private n = 0;
  constructor(readonly dir: string) {
    this.root = this.selfSigned('Test Root CA', 'rsa2048');
    this.intermediate = this.issue('Test Intermediate CA', 'rsa2048', this.root, { ca: true });
  }

  /** A key of the given kind, PEM. */
  key(spec: KeySpec, name = `k${this.n++}`): string {
    const file = join(this.dir, `${name}.key`);
    openssl(['genpkey', ...KEY_ARGS[spec], '-out', file]);
    return file;
  }

  selfSigned(cn: string, spec: KeySpec): Issued {
    const key = this.key(spec);
    const cert = join(this.dir, `c${this.n++}.pem`);
    const ext = this.extFile('basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
    openssl(['req', '-x509', '-new', '-key', key, '-out', cert, '-subj', `/CN=${cn}/O=EAS Tests`, '-days', '30', '-config', ext, '-extensions', 'v3']);
    return { key, cert };
  }

  /** A certificate for a new key, issued by `ca`; `days` may be negative for an expired one. */
  issue(cn: string, spec: KeySpec, ca: Issued, opts: { ca?: boolean; email?: string; days?: number; keyUsage?: string } = {}): Issued {
    const key = this.key(spec);
    const csr = join(this.dir, `r${this.n++}.csr`);
    const cert = join(this.dir, `c${this.n++}.pem`);
    openssl(['req', '-new', '-key', key, '-out', csr, '-subj', `/CN=${cn}/O=EAS Tests`]);
    const lines = opts.ca
      ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
      : `basicConstraints=CA:FALSE\nkeyUsage=critical,${opts.keyUsage ?? 'digitalSignature,keyEncipherment'}\n${opts.email ? `subjectAltName=email:${opts.email}\n` : ''}`;
    const ext = this.extFile(`${lines}subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n`);
    openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', String(1000 + this.n), '-out', cert, '-days', String(opts.days ?? 30), '-extfile', ext, '-extensions', 'v3']);
    return { key, cert };
  }

  /** A PKCS#12 of `id` (with the intermediate) made with OpenSSL 3's defaults (AES-256/PBKDF2, SHA-256 MAC). */
  p12(id: Issued, password: string, extra: readonly string[] = []): string {
    const file = join(this.dir, `p${this.n++}.p12`);
    openssl(['pkcs12', '-export', '-inkey', id.key, '-in', id.cert, '-certfile', this.intermediate.cert, '-out', file, '-passout', `pass:${password}`, ...extra]);
    return file;
  }

  /** The root and intermediate as one PEM file. */
  caBundle(): string {
    const file = join(this.dir, `bundle${this.n++}.pem`);
    writeFileSync(file, Buffer.concat([readFileSync(this.intermediate.cert), readFileSync(this.root.cert)]));
    return file;
  }

  file(name: string, content: Uint8Array | string): string {
    const f = join(this.dir, name);
    writeFileSync(f, content);
    return f;
  }

  private extFile(lines: string): string {
    return this.file(`e${this.n++}.cnf`, `[req]\ndistinguished_name=dn\n[dn]\n[v3]\n${lines}`);
  }
}

/** A CSV-style owner. */
export function owner(email: string, extra: Partial<Owner> = {}): Owner {
  return { id: email.toLowerCase(), email, source: 'csv', ...extra };
}

/** Verifies a signed profile with `openssl cms -verify` and returns the content it vouches for. */
export function cmsVerify(signed: Uint8Array, caFile: string, dir: string): Buffer {
  const inFile = join(dir, `verify-${process.hrtime.bigint()}.der`);
  writeFileSync(inFile, signed);
  return openssl(['cms', '-verify', '-inform', 'DER', '-in', inFile, '-CAfile', caFile]);
}

/** Decrypts CMS EnvelopedData with `openssl cms -decrypt`. */
export function cmsDecrypt(enveloped: Uint8Array, recipient: Issued, dir: string): Buffer {
  const inFile = join(dir, `dec-${process.hrtime.bigint()}.der`);
  writeFileSync(inFile, enveloped);
  return openssl(['cms', '-decrypt', '-inform', 'DER', '-in', inFile, '-recip', recipient.cert, '-inkey', recipient.key]);
}

/** The identity of an openssl-made key and certificate, read by core/certs. */
export function pemIdentity(id: Issued): Identity {
  return readIdentityPair({ bytes: readFileSync(id.cert), fileName: id.cert }, { bytes: readFileSync(id.key), fileName: id.key });
}

/** The identity in a PKCS#12 or PEM file, read by core/certs. */
export function fileIdentity(file: string, password?: string): Identity {
  return identityOf(readCertificateFile(readFileSync(file), { fileName: file, ...(password !== undefined ? { password } : {}) }));
}

/** Certificates of a PEM or DER file. */
export function certsOf(file: string): X509Certificate[] {
  return [...readCertificateFile(readFileSync(file), { fileName: file }).certificates];
}
