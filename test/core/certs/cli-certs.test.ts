import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { certsCommands } from '../../../cli/commands/certs';
import { UsageError, type CliIo, type Command } from '../../../cli/command';
import { Fixtures, LEGACY_3DES } from './fixtures';

const CANARY = 'cli-canary-Zx81';
let fx: Fixtures;
const command = (name: string): Command => certsCommands.find((c) => c.path[1] === name) as Command;

function fakeIo(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => { io.out += t; },
    stderr: (t: string) => { io.err += t; },
    interactive: false,
    env,
    cwd: fx.dir,
  };
  return io;
}

beforeAll(() => {
  fx = new Fixtures();
  mkdirSync(join(fx.dir, 'certs'));
  fx.cert({ name: 'alice', email: 'alice@example.com', eku: 'clientAuth', ku: 'digitalSignature' });
  fx.cert({ name: 'bob', email: 'bob@example.com', eku: 'emailProtection' });
  fx.p12('alice', 'certs/alice.p12', CANARY);
  fx.p12('bob', 'certs/bob.p12', CANARY, LEGACY_3DES);
  fx.write('owners.csv', 'email\nalice@example.com\nbob@example.com\ncarol@example.com\n');
});
afterAll(() => fx.cleanup());

describe('certs inspect', () => {
  it('prints certificates as JSON with the passphrase from the environment', async () => {
    const io = fakeIo({ P12_PASS: CANARY });
    expect(await command('inspect').run(['certs/alice.p12', 'alice.crt', '--password-env', 'P12_PASS', '--json'], io)).toBe(0);
    const out = JSON.parse(io.out) as Array<{ file: string; ok: boolean; hasPrivateKey: boolean; keyMatchesCertificate: boolean; certificates: Array<{ emails: string[] }> }>;
    expect(out.map((o) => [o.file, o.ok, o.hasPrivateKey])).toEqual([['certs/alice.p12', true, true], ['alice.crt', true, false]]);
    expect(out[0].keyMatchesCertificate).toBe(true);
    expect(out[0].certificates[0].emails).toEqual(['alice@example.com']);
    expect(io.out).not.toContain(CANARY);
  });

  it('prints a readable summary by default', async () => {
    const io = fakeIo({ P12_PASS: CANARY });
    expect(await command('inspect').run(['certs/bob.p12', '--password-env', 'P12_PASS'], io)).toBe(0);
    expect(io.out).toMatch(/certs\/bob\.p12 \(pkcs12, private key matches\)/);
    expect(io.out).toMatch(/extended: emailProtection/);
    expect(io.out).toMatch(/SHA-256 {3}[0-9A-F:]{95}/);
  });

  it('exits 2 on a wrong passphrase, saying so, and refuses passphrases in argv', async () => {
    const io = fakeIo({ P12_PASS: 'wrong' });
    expect(await command('inspect').run(['certs/alice.p12', '--password-env', 'P12_PASS'], io)).toBe(2);
    expect(io.err).toBe('certs/alice.p12: wrong passphrase for certs/alice.p12\n');
    await expect(command('inspect').run(['certs/alice.p12', '--password', CANARY], fakeIo())).rejects.toThrow(/--password-env/);
    await expect(command('inspect').run(['certs/alice.p12', '--password-env', 'UNSET'], fakeIo())).rejects.toThrow(/UNSET/);
    await expect(command('inspect').run([], fakeIo())).rejects.toThrow(UsageError);
  });
});

describe('certs match', () => {
  it('reports per file and owner, exit 1 when an identity has errors', async () => {
    const io = fakeIo({ P12_PASS: CANARY });
    expect(await command('match').run(['--owners', 'owners.csv', '--dir', 'certs', '--password-env', 'P12_PASS', '--json'], io)).toBe(1);
    const report = JSON.parse(io.out) as { files: Array<{ file: string; kind: string; diagnostics?: Array<{ code: string }> }>; unmatchedOwners: Array<{ email: string }> };
    expect(report.files.map((f) => [f.file, f.kind])).toEqual([['alice.p12', 'matched'], ['bob.p12', 'matched']]);
    expect(report.files[1].diagnostics?.map((d) => d.code)).toEqual(['missing-client-auth']);
    expect(report.unmatchedOwners.map((o) => o.email)).toEqual(['carol@example.com']);
    const smime = fakeIo({ P12_PASS: CANARY });
    expect(await command('match').run(['--owners', 'owners.csv', '--dir', 'certs', '--password-env', 'P12_PASS', '--role', 'smime-signing'], smime)).toBe(1);
    expect(smime.out).toMatch(/2 matched, 0 ambiguous, 0 unmatched, 0 failed; 1 owner without a file/);
    expect(smime.out).toMatch(/missing-email-protection/);
  });

  it('exits 0 when all is well and 2 on bad usage', async () => {
    fx.write('alice-only.csv', 'email\nalice@example.com\n');
    mkdirSync(join(fx.dir, 'one'));
    fx.p12('alice', 'one/alice.p12', CANARY);
    const io = fakeIo({ P12_PASS: CANARY });
    expect(await command('match').run(['--owners', 'alice-only.csv', '--dir', 'one', '--password-env', 'P12_PASS'], io)).toBe(0);
    await expect(command('match').run(['--owners', 'owners.csv'], fakeIo())).rejects.toThrow(UsageError);
    await expect(command('match').run(['--owners', 'owners.csv', '--dir', 'nowhere'], fakeIo())).rejects.toThrow(/not a readable folder/);
    await expect(command('match').run(['--owners', 'owners.csv', '--dir', 'certs', '--role', 'x'], fakeIo())).rejects.toThrow(/--role/);
  });
});
