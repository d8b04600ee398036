import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../../../cli/command';
import { directoryCommands } from '../../../cli/commands/directory';
import { startSlapd, type Slapd } from '../../helpers/slapd';
import { buildFixture, PEOPLE, STAFF } from './fixtures';

function fakeIo(env: Record<string, string> = {}, cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), interactive: false, env, cwd };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

const [read] = directoryCommands;
let s: Slapd;
let caFile: string;

beforeAll(async () => {
  s = await startSlapd({ tls: true, ldif: buildFixture(30).ldif });
  caFile = join(s.dir, 'ca-for-cli.pem');
  await writeFile(caFile, s.caPem ?? '');
});
afterAll(async () => s?.stop());

describe('eas-profiles directory read', () => {
  it('is the directory read command', () => {
    expect(read.path).toEqual(['directory', 'read']);
    expect(read.help).toMatch(/--password-env/);
  });

  it('prints {owners, diagnostics} as JSON over StartTLS, password from the environment', async () => {
    const { io, out } = fakeIo({ LDAP_PW: s.rootPassword });
    const code = await read.run(
      ['--url', s.url, '--starttls', '--ca', caFile, '--base', PEOPLE, '--bind-dn', s.rootDn, '--password-env', 'LDAP_PW', '--group', STAFF, '--page-size', '2', '--json'],
      io,
    );
    expect(code).toBe(0);
    const parsed = JSON.parse(out()) as { owners: { username: string }[]; diagnostics: unknown[] };
    expect(Object.keys(parsed)).toEqual(['owners', 'diagnostics']);
    expect(parsed.owners.map((o) => o.username).sort()).toEqual(['jsmith', 'locked', 'tanaka', 'zoe']);
    expect(out()).not.toContain(s.rootPassword);
  });

  it('prints a readable list, with the plain-LDAP warning, and supports --map and --filter', async () => {
    const { io, out } = fakeIo({ PW: s.rootPassword });
    const code = await read.run(['--url', s.url, '--base', PEOPLE, '--bind-dn', s.rootDn, '--password-env', 'PW', '--filter', '(uid=tanaka)', '--map', 'displayName=sn'], io);
    expect(code).toBe(0);
    expect(out()).toMatch(/^1 owner from 1 entry \(plain\)/);
    expect(out()).toContain('tanaka@example.org\ttanaka\t田中');
    expect(out()).toMatch(/warning plain-ldap/);
  });

  it('exits 1 with the failure as an error diagnostic when the bind fails', async () => {
    const { io, out } = fakeIo({ PW: 'wrong' });
    const code = await read.run(['--url', s.ldapsUrl ?? '', '--ca', caFile, '--base', PEOPLE, '--bind-dn', s.rootDn, '--password-env', 'PW', '--json'], io);
    expect(code).toBe(1);
    expect(JSON.parse(out())).toMatchObject({ owners: [], diagnostics: [{ code: 'invalid-credentials', severity: 'error' }] });
    const text = fakeIo({ PW: 'wrong' });
    expect(await read.run(['--url', s.ldapsUrl ?? '', '--ca', caFile, '--base', PEOPLE, '--bind-dn', s.rootDn, '--password-env', 'PW'], text.io)).toBe(1);
    expect(text.err()).toMatch(/directory read failed: wrong password/);
  });

  it('throws UsageError (exit 2) for wrong usage', async () => {
    const { io } = fakeIo({});
    const usage = (args: string[]) => expect(read.run(args, io)).rejects.toBeInstanceOf(UsageError);
    await usage(['--base', PEOPLE]);
    await usage(['--url', s.url, '--base', PEOPLE, '--bind-dn', s.rootDn]);
    await usage(['--url', s.url, '--base', PEOPLE, '--bind-dn', s.rootDn, '--password-env', 'MISSING']);
    await usage(['--url', s.url, '--base', PEOPLE, '--password', 'x']);
    await usage(['--url', s.url, '--base', PEOPLE, '--preset', 'novell']);
    await usage(['--url', s.url, '--base', PEOPLE, '--page-size', '0']);
    await usage(['--url', s.url, '--base', PEOPLE, '--map', 'colour=x']);
    await usage(['--url', s.url, '--base', PEOPLE, '--filter', '(uid=']);
    await usage(['--url', 'http://127.0.0.1', '--base', PEOPLE]);
    await usage(['--url', s.url, '--base', PEOPLE, '--ca', '/nonexistent.pem']);
  });
});
