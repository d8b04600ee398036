import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTlsFiles } from '../../helpers/slapd';

const run = promisify(execFile);

/** A throw-away Samba AD DC on 127.0.0.1:389/636 (Samba's ports are fixed). */
export interface SambaDc {
  readonly dir: string;
  readonly baseDn: string;
  readonly realm: string;
  readonly domain: string;
  readonly adminUpn: string;
  readonly adminPassword: string;
  readonly caPem: string;
  readonly ldapUrl: string;
  readonly ldapsUrl: string;
  stop(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** True when the Samba AD DC tools are installed (Debian samba + ldb-tools). */
export async function sambaAvailable(): Promise<boolean> {
  try {
    await run('samba-tool', ['--version']);
    await run('ldbadd', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Provisions a domain in a temp dir, seeds `ldif` offline with ldbadd, then starts samba with only its LDAP server. */
export async function startSambaDc(ldif: string): Promise<SambaDc> {
  if (await listening(636)) throw new Error('127.0.0.1:636 is already in use; Samba AD needs ports 389 and 636');
  const dir = await mkdtemp(join(tmpdir(), 'samba-dc-'));
  const adminPassword = 'Adm1n-Passw0rd!';
  const realm = 'CORP.EXAMPLE';
  try {
    await run('samba-tool', [
      'domain', 'provision', `--targetdir=${dir}`, '--server-role=dc', '--dns-backend=NONE', `--realm=${realm}`, '--domain=CORP',
      `--adminpass=${adminPassword}`, '--option=interfaces=lo', '--option=bind interfaces only=yes',
    ]);
    const tls = await makeTlsFiles(dir, 'IP:127.0.0.1', 'samba');
    await chmod(tls.keyFile, 0o600);
    const confFile = join(dir, 'etc', 'smb.conf');
    const conf = (await readFile(confFile, 'utf8'))
      // The default service set starts winbindd, which fails here; the tests need only LDAP.
      .replace(/\tserver services = .*\n/, '\tserver services = ldap\n')
      .replace(/\tlog file = .*\n/, `\tlog file = ${join(dir, 'log.%m')}\n`)
      .replace('[global]\n', `[global]\n\ttls enabled = yes\n\ttls keyfile = ${tls.keyFile}\n\ttls certfile = ${tls.certFile}\n\ttls cafile = ${tls.caFile}\n`);
    await writeFile(confFile, conf);
    const ldifFile = join(dir, 'fixtures.ldif');
    await writeFile(ldifFile, ldif);
    await run('ldbadd', ['-H', join(dir, 'private', 'sam.ldb'), ldifFile], { maxBuffer: 16 * 1024 * 1024 });
    const child = spawn('samba', ['-s', confFile, '-i', '-M', 'single'], { stdio: 'ignore' });
    const onExit = (): void => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    process.once('exit', onExit);
    const deadline = Date.now() + 30_000;
    while (!(await listening(636))) {
      if (child.exitCode !== null) throw new Error(`samba exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('samba did not listen on 127.0.0.1:636 within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const baseDn = 'DC=corp,DC=example';
    return {
      dir,
      baseDn,
      realm,
      domain: 'CORP',
      adminUpn: `Administrator@${realm.toLowerCase()}`,
      adminPassword,
      caPem: tls.caPem,
      ldapUrl: 'ldap://127.0.0.1:389',
      ldapsUrl: 'ldaps://127.0.0.1:636',
      async stop() {
        process.off('exit', onExit);
        if (child.exitCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
