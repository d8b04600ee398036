import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How to start a throw-away OpenLDAP server. */
export interface SlapdOptions {
  /** Naming context, default dc=example,dc=org. */
  readonly suffix?: string;
  /** LDIF loaded with slapadd before the server starts (must contain the suffix entry unless `addSuffix`). */
  readonly ldif?: string;
  /** Prepend the suffix entry (dcObject + organization) to `ldif`. Default true. */
  readonly addSuffix?: boolean;
  /** Serve ldaps:// and StartTLS with a fresh CA-signed certificate; `san` defaults to IP:127.0.0.1. */
  readonly tls?: boolean | { readonly san?: string };
  /** Server-side size limit for unpaged searches (slapd default 500). */
  readonly sizeLimit?: number;
  /** Hard limit of entries a paged search may return in total; default unlimited. */
  readonly pagedTotalLimit?: number | 'unlimited';
  /** mdb map size in bytes; the 100k benchmark needs more than the default. */
  readonly mapSize?: number;
  /** Extra slapd.conf lines appended inside the database section. */
  readonly extraDatabaseConfig?: string;
  /** Log level (slapd -d); default 0, logs go to `<dir>/slapd.log`. */
  readonly logLevel?: number;
}

/** A running slapd on 127.0.0.1. */
export interface Slapd {
  readonly dir: string;
  readonly suffix: string;
  readonly rootDn: string;
  readonly rootPassword: string;
  readonly port: number;
  readonly url: string;
  /** Present when started with `tls`. */
  readonly ldapsPort?: number;
  readonly ldapsUrl?: string;
  /** PEM of the CA that signed the server certificate (with `tls`). */
  readonly caPem?: string;
  readonly caFile?: string;
  readonly pid: number;
  readonly slapdConf: string;
  /** Sends SIGKILL: the server dies mid-operation, as in a crash. */
  kill(): void;
  /** Graceful stop; removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const ROOT_PASSWORD = 'root-secret';

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, logFile: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`slapd exited with ${child.exitCode}:\n${log.slice(-4000)}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`slapd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Makes a CA and a server certificate signed by it with the given subjectAltName. */
export async function makeTlsFiles(dir: string, san = 'IP:127.0.0.1', name = 'server'): Promise<{ caFile: string; certFile: string; keyFile: string; caPem: string }> {
  const caKey = join(dir, `${name}-ca.key`);
  const caFile = join(dir, `${name}-ca.pem`);
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.pem`);
  const ext = join(dir, `${name}.ext`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', caKey, '-out', caFile, '-days', '2', '-subj', `/CN=Test CA ${name}`]);
  await run('openssl', ['req', ...ec, '-keyout', keyFile, '-out', csr, '-subj', '/CN=slapd test server']);
  await writeFile(ext, `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '2', '-extfile', ext]);
  return { caFile, certFile, keyFile, caPem: await readFile(caFile, 'utf8') };
}

/** Starts slapd with an mdb database in a temp dir, fixtures loaded offline with slapadd. */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const suffix = options.suffix ?? 'dc=example,dc=org';
  const rootDn = `cn=admin,${suffix}`;
  const dir = await mkdtemp(join(tmpdir(), 'slapd-'));
  const dbDir = join(dir, 'db');
  await mkdir(dbDir);
  const port = await freePort();
  const tls = options.tls ? await makeTlsFiles(dir, typeof options.tls === 'object' ? options.tls.san : undefined) : undefined;
  const ldapsPort = tls ? await freePort() : undefined;
  const prTotal = options.pagedTotalLimit ?? 'unlimited';
  const conf = [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    'include /etc/ldap/schema/nis.schema',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload memberof',
    'moduleload ppolicy',
    'moduleload syncprov',
    ...(tls ? [`TLSCACertificateFile ${tls.caFile}`, `TLSCertificateFile ${tls.certFile}`, `TLSCertificateKeyFile ${tls.keyFile}`] : []),
    `sizelimit ${options.sizeLimit ?? 500}`,
    'database mdb',
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${ROOT_PASSWORD}`,
    `directory ${dbDir}`,
    `maxsize ${options.mapSize ?? 256 * 1024 * 1024}`,
    'index objectClass eq',
    'index uid,mail eq',
    'index entryUUID eq',
    'index member,memberOf eq',
    // Equality indexes on ordered syntaxes also serve >= ranges: what incremental sync filters on.
    'index entryCSN,modifyTimestamp eq',
    `limits * size.pr=1000 size.prtotal=${prTotal}`,
    'overlay memberof',
    'overlay ppolicy',
    // syncprov keeps contextCSN on the suffix, the watermark an OpenLDAP incremental sync can use.
    'overlay syncprov',
    options.extraDatabaseConfig ?? '',
    // Anyone may bind; authenticated users may read (users need their own password checked).
    'access to attrs=userPassword by anonymous auth by self write by * none',
    'access to * by users read by anonymous auth',
    '',
  ].join('\n');
  const slapdConf = join(dir, 'slapd.conf');
  await writeFile(slapdConf, conf);
  const dc = /^dc=([^,]+)/i.exec(suffix)?.[1] ?? 'example';
  const suffixEntry = `dn: ${suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${dc}\no: ${dc}\n\n`;
  const ldif = (options.addSuffix ?? true ? suffixEntry : '') + (options.ldif ?? '');
  const ldifFile = join(dir, 'fixtures.ldif');
  await writeFile(ldifFile, ldif);
  try {
    await run('slapadd', ['-q', '-w', '-f', slapdConf, '-l', ldifFile], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`slapadd failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
  const urls = [`ldap://127.0.0.1:${port}/`, ...(ldapsPort ? [`ldaps://127.0.0.1:${ldapsPort}/`] : [])];
  const logFile = join(dir, 'slapd.log');
  const { openSync } = await import('node:fs');
  const logFd = openSync(logFile, 'a');
  // -d keeps slapd in the foreground so the child process is slapd itself and can be killed by pid.
  const child = spawn('slapd', ['-h', urls.join(' '), '-f', slapdConf, '-d', String(options.logLevel ?? 0)], {
    stdio: ['ignore', logFd, logFd],
  });
  // slapd -d does not notice its parent dying: kill it when this process exits, however it exits.
  const onExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  let stopped = false;
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dir,
    suffix,
    rootDn,
    rootPassword: ROOT_PASSWORD,
    port,
    url: `ldap://127.0.0.1:${port}`,
    ldapsPort,
    ldapsUrl: ldapsPort ? `ldaps://127.0.0.1:${ldapsPort}` : undefined,
    caPem: tls?.caPem,
    caFile: tls?.caFile,
    pid: child.pid ?? -1,
    slapdConf,
    kill: () => {
      child.kill('SIGKILL');
    },
    stop,
  };
}
