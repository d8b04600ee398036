import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownersCommands } from '../../../cli/commands/owners';
import { UsageError, type CliIo, type Command } from '../../../cli/command';

let dir: string;
const command = (name: string): Command => ownersCommands.find((c) => c.path[1] === name) as Command;

function fakeIo(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => { io.out += t; },
    stderr: (t: string) => { io.err += t; },
    interactive: false,
    env,
    cwd: dir,
  };
  return io;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'owners-cli-'));
  writeFileSync(join(dir, 'good.csv'), 'E-mail;User Name;Work Mail\r\nalice@example.com;alice;a@work.example\r\nbob@example.com;bob;b@work.example\r\n');
  writeFileSync(join(dir, 'bad.csv'), 'email,name\nalice@example.com,A\nnope,B\n');
  writeFileSync(join(dir, 'ansi.csv'), Buffer.from('email;name\r\nj@example.com;J\xfcrgen M\xfcller\r\n', 'latin1'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('owners import', () => {
  it('prints owners, mapping and diagnostics as JSON and exits 0', async () => {
    const io = fakeIo();
    expect(await command('import').run(['good.csv', '--json'], io)).toBe(0);
    const out = JSON.parse(io.out) as { owners: Array<{ email: string }>; mapping: Record<string, string>; diagnostics: unknown[] };
    expect(out.owners.map((o) => o.email)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(out.mapping).toEqual({ email: 'E-mail', username: 'User Name' });
    expect(out.diagnostics).toEqual([]);
  });

  it('takes --map field=column', async () => {
    const io = fakeIo();
    expect(await command('import').run(['good.csv', '--json', '--map', 'email=work mail'], io)).toBe(0);
    expect((JSON.parse(io.out) as { owners: Array<{ email: string }> }).owners[0].email).toBe('a@work.example');
  });

  it('exits 1 with diagnostics naming line and column, importing nothing unless --allow-partial', async () => {
    const io = fakeIo();
    expect(await command('import').run(['bad.csv', '--json'], io)).toBe(1);
    const out = JSON.parse(io.out) as { owners: unknown[]; diagnostics: Array<Record<string, unknown>> };
    expect(out.owners).toEqual([]);
    expect(out.diagnostics).toEqual([{ code: 'bad-email', severity: 'error', line: 3, column: 1, message: '"nope" has no @' }]);
    const partial = fakeIo();
    expect(await command('import').run(['bad.csv', '--json', '--allow-partial'], partial)).toBe(1);
    expect((JSON.parse(partial.out) as { owners: unknown[] }).owners).toHaveLength(1);
    const human = fakeIo();
    expect(await command('import').run(['bad.csv'], human)).toBe(1);
    expect(human.err).toContain('bad.csv:3:1: error bad-email: "nope" has no @');
    expect(human.err).toContain('nothing imported');
  });

  it('reads a windows-1252 file with --encoding, and says to name one without it', async () => {
    const io = fakeIo();
    expect(await command('import').run(['ansi.csv', '--encoding', 'windows-1252', '--json'], io)).toBe(0);
    expect((JSON.parse(io.out) as { owners: Array<{ displayName: string }> }).owners[0].displayName).toBe('Jürgen Müller');
    const plain = fakeIo();
    expect(await command('import').run(['ansi.csv'], plain)).toBe(1);
    expect(plain.err).toContain('ansi.csv:2: error bad-encoding: the file is not valid UTF-8 at line 2');
    expect(plain.err).toContain('windows-1252');
    await expect(command('import').run(['ansi.csv', '--encoding', 'ebcdic-x'], fakeIo())).rejects.toThrow(UsageError);
  });

  it('exits 2 (UsageError) on a missing file or bad usage', async () => {
    await expect(command('import').run(['missing.csv'], fakeIo())).rejects.toThrow(UsageError);
    await expect(command('import').run([], fakeIo())).rejects.toThrow(UsageError);
    await expect(command('import').run(['good.csv', '--map', 'colour=x'], fakeIo())).rejects.toThrow(/--map/);
    await expect(command('import').run(['good.csv', '--nope'], fakeIo())).rejects.toThrow(UsageError);
  });
});

describe('owners export', () => {
  it('writes CSV that imports back to the same owners', async () => {
    const io = fakeIo();
    await command('import').run(['good.csv', '--json'], io);
    writeFileSync(join(dir, 'owners.json'), io.out);
    const exp = fakeIo();
    expect(await command('export').run(['owners.json', '--out', 'back.csv'], exp)).toBe(0);
    expect(exp.err).toContain('2 owners written to back.csv');
    const again = fakeIo();
    expect(await command('import').run(['back.csv', '--json'], again)).toBe(0);
    expect((JSON.parse(again.out) as { owners: unknown }).owners).toEqual((JSON.parse(io.out) as { owners: unknown }).owners);
  });

  it('prints to stdout, neutralising formulas', async () => {
    writeFileSync(join(dir, 'evil.json'), JSON.stringify([{ id: '1', email: 'a@example.com', source: 'csv', displayName: '=HYPERLINK("http://x")' }]));
    const io = fakeIo();
    expect(await command('export').run(['evil.json'], io)).toBe(0);
    expect(io.out.split('\r\n')[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(readFileSync(join(dir, 'evil.json'), 'utf8')).toContain('HYPERLINK');
  });

  it('rejects JSON that is not owners', async () => {
    writeFileSync(join(dir, 'nope.json'), '{"people": []}');
    writeFileSync(join(dir, 'broken.json'), '{');
    writeFileSync(join(dir, 'noid.json'), '[{"email": "a@example.com"}]');
    await expect(command('export').run(['nope.json'], fakeIo())).rejects.toThrow(/neither/);
    await expect(command('export').run(['broken.json'], fakeIo())).rejects.toThrow(/not valid JSON/);
    await expect(command('export').run(['noid.json'], fakeIo())).rejects.toThrow(/has no id/);
  });
});
