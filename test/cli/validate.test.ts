import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as plist from 'plist';
import { beforeAll, describe, expect, it } from 'vitest';
import { TestPki, cmsVerify, plistlib } from '../core/profiles/helpers';
import { runCli } from '../helpers/cli';

const fixtures = path.resolve(__dirname, '../fixtures/payloads');
const tmp = mkdtempSync(path.join(tmpdir(), 'eas-cli-'));
const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

const EAS = {
  PayloadType: 'com.apple.eas.account',
  PayloadVersion: 1,
  PayloadIdentifier: 'com.example.mail.eas',
  PayloadUUID: '0C1D6A9E-7F0B-4D5A-9C2E-3B4A5D6E7F80',
  PayloadDisplayName: 'Corporate mail',
  Host: 'mail.example.com',
  SSL: true,
  UserName: 'jane',
  EmailAddress: 'jane@example.com',
  PayloadCertificateUUID: '1C1D6A9E-7F0B-4D5A-9C2E-3B4A5D6E7F81',
};
function profile(content: Record<string, unknown>[]): string {
  return plist.build({
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: 'com.example.mail',
    PayloadUUID: '2C1D6A9E-7F0B-4D5A-9C2E-3B4A5D6E7F82',
    PayloadDisplayName: 'Mail',
    PayloadContent: content,
  } as plist.PlistValue);
}

describe('eas-profiles validate', () => {
  it('accepts a good payload with exit 0', async () => {
    const r = await runCli(['validate', path.join(fixtures, 'good.json')]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('valid, no problems found');
  });

  it('prints the JSON shape and exits 1 on errors', async () => {
    const r = await runCli(['validate', path.join(fixtures, 'bad.json'), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { valid: boolean; diagnostics: { code: string; severity: string; path: string; message: string }[] };
    expect(out.valid).toBe(false);
    expect(out.diagnostics.map((d) => d.code).sort()).toEqual(['host-is-url', 'no-user-name', 'oauth-url-without-oauth', 'office365-without-oauth', 'past-days-not-allowed', 'unknown-key']);
    for (const d of out.diagnostics) expect(Object.keys(d).sort()).toEqual(['code', 'message', 'path', 'severity']);
  });

  it('prints human output with severities, codes and paths', async () => {
    const r = await runCli(['validate', path.join(fixtures, 'bad.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT valid \(5 errors, 1 warning\)/);
    expect(r.stdout).toMatch(/error\s+unknown-key\s+Hots\s+.*Did you mean Host\?/);
  });

  it('honours --os', async () => {
    const file = path.join(tmp, 'oauth.json');
    writeFileSync(file, JSON.stringify({ Host: 'mail.example.com', OAuth: true, UserName: 'u' }));
    expect((await runCli(['validate', file, '--json', '--os', 'ios@17.0'])).code).toBe(0);
    const old = JSON.parse((await runCli(['validate', file, '--json', '--os', 'ios@11.0'])).stdout) as { diagnostics: { code: string }[] };
    expect(old.diagnostics.map((d) => d.code)).toEqual(['key-not-supported']);
  });

  it('validates the EAS payloads of a .mobileconfig with profile-wide checks', async () => {
    const good = path.join(tmp, 'good.mobileconfig');
    writeFileSync(good, profile([EAS, { PayloadType: 'com.apple.security.pkcs12', PayloadVersion: 1, PayloadIdentifier: 'com.example.mail.id', PayloadUUID: EAS.PayloadCertificateUUID }]));
    const ok = await runCli(['validate', good, '--json']);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, diagnostics: [] });
    expect(ok.code).toBe(0);

    const bad = path.join(tmp, 'bad.mobileconfig');
    writeFileSync(bad, profile([{ ...EAS, UserName: '{{username}}' }, { PayloadType: 'com.apple.wifi.managed', PayloadVersion: 1, PayloadIdentifier: 'com.example.wifi', PayloadUUID: EAS.PayloadUUID }]));
    const r = await runCli(['validate', bad, '--json']);
    const codes = (JSON.parse(r.stdout) as { diagnostics: { code: string; path: string }[] }).diagnostics.map((d) => `${d.code}@${d.path}`);
    expect(codes.sort()).toEqual([
      'duplicate-payload-uuid@PayloadContent[1].PayloadUUID',
      'eas-shares-profile@PayloadContent',
      'identity-not-found@PayloadContent[0].PayloadCertificateUUID',
      'unrendered-variable@PayloadContent[0].UserName',
    ]);
    expect(r.code).toBe(1);
  });

  it('reads the plist inside a signed profile', async () => {
    const xml = path.join(tmp, 'inner.mobileconfig');
    writeFileSync(xml, profile([{ ...EAS, PayloadCertificateUUID: undefined }].map((p) => JSON.parse(JSON.stringify(p)))));
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(tmp, 'k.pem'), '-out', path.join(tmp, 'c.pem'), '-days', '2', '-subj', '/CN=Signer']);
    const signed = path.join(tmp, 'signed.mobileconfig');
    await run('openssl', ['smime', '-sign', '-nodetach', '-binary', '-outform', 'der', '-in', xml, '-out', signed, '-signer', path.join(tmp, 'c.pem'), '-inkey', path.join(tmp, 'k.pem')]);
    const r = await runCli(['validate', signed, '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ valid: true, diagnostics: [] });
  });

  it('exits 2 on unreadable input and wrong usage, with a clear message', async () => {
    const missing = await runCli(['validate', path.join(tmp, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const broken = path.join(tmp, 'broken.json');
    writeFileSync(broken, '{"Host": ');
    const b = await runCli(['validate', broken]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('is not valid JSON');
    const junk = path.join(tmp, 'junk.bin');
    writeFileSync(junk, Buffer.from([0x30, 0x82, 0x01, 0x00, 0xff, 0xfe]));
    expect((await runCli(['validate', junk])).code).toBe(2);
    expect((await runCli(['validate'])).code).toBe(2);
    expect((await runCli(['validate', 'a', '--nope'])).code).toBe(2);
    const os = await runCli(['validate', path.join(fixtures, 'good.json'), '--os', 'android@12']);
    expect(os.code).toBe(2);
    expect(os.stderr).toContain('Unknown target');
  });
});

describe('eas-profiles catalog and help', () => {
  it('prints the catalog as JSON in the documented shape', async () => {
    const r = await runCli(['catalog', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { payloadType: string; fields: { key: string; type: string; supportedOS: Record<string, { introduced?: string }> }[] };
    expect(out.payloadType).toBe('com.apple.eas.account');
    const host = out.fields.find((f) => f.key === 'Host');
    expect(host).toMatchObject({ key: 'Host', type: 'string', meraki: 'Exchange host' });
    expect(out.fields.find((f) => f.key === 'OAuth')?.supportedOS.iOS.introduced).toBe('12.0');
    expect(out.fields.find((f) => f.key === 'CommunicationServiceRules')).toHaveProperty('subkeys');
  });

  it('prints the catalog for people', async () => {
    const r = await runCli(['catalog']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MailNumberOfPastDaysToSync\s+integer\s+0\|1\|3\|7\|14\|31/);
    expect(r.stdout).toContain('Use only in Mail');
  });

  it('has --help on every command and lists commands', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/catalog\s+List/);
    for (const cmd of [['catalog'], ['validate'], ['build'], ['inspect'], ['owners', 'import'], ['owners', 'export'], ['certs', 'inspect'], ['certs', 'match'], ['directory', 'read']]) {
      const r = await runCli([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout, cmd.join(' ')).toMatch(new RegExp(`^Usage: eas-profiles ${cmd.join(' ')}\\b`));
    }
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
  });
});

describe('the built eas-profiles binary', () => {
  beforeAll(async () => {
    await run(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root });
  }, 120_000);

  it('runs as a program with the documented exit codes', async () => {
    const bin = path.join(root, 'dist/cli/eas-profiles.js');
    const ok = await run(process.execPath, [bin, 'validate', path.join(fixtures, 'good.json')]);
    expect(ok.stdout).toContain('valid');
    const bad = await run(process.execPath, [bin, 'validate', path.join(fixtures, 'bad.json'), '--json']).catch((e: { code: number; stdout: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect(JSON.parse((bad as { stdout: string }).stdout).valid).toBe(false);
  });

  it('build signs and writes on worker threads for many owners, with the same profiles as on one thread', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eas-build-workers-'));
    const pki = new TestPki(dir);
    const signer = pki.issue('Workers Signer', 'rsa2048', pki.intermediate);
    const SIGN = 'Sign-Canary-5a1b';
    const IDS = 'Ids-Canary-93cd';
    const signerP12 = pki.p12(signer, SIGN);
    mkdirSync(path.join(dir, 'ids'));
    const rows = ['email,username'];
    // With --identities every owner needs one: a certificate that names no one, under each owner's file name.
    const identity = pki.p12(pki.issue('Shared test identity', 'rsa2048', pki.intermediate), IDS);
    for (let i = 0; i < 240; i++) {
      rows.push(`user${i}@example.com,${i === 7 ? '' : `user${i}`}`);
      copyFileSync(identity, path.join(dir, 'ids', `user${i}@example.com.p12`));
    }
    writeFileSync(path.join(dir, 'owners.csv'), rows.join('\n'));
    writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ PayloadDisplayName: 'Mail', Host: 'mail.example.com', EmailAddress: '{{email}}', UserName: '{{username}}' }));
    const bin = path.join(root, 'dist/cli/eas-profiles.js');
    const buildInto = async (out: string, extra: string[]): Promise<{ manifest: Manifest; stdout: string; stderr: string }> => {
      const args = [bin, 'build', '--payload', 'template.json', '--owners', 'owners.csv', '--out', out, '--org', 'Example', '--sign-p12', signerP12, '--sign-password-env', 'SIGN', '--chain', pki.intermediate.cert, '--identities', 'ids', '--identities-password-env', 'IDS', '--json', ...extra];
      const r = await run(process.execPath, args, { cwd: dir, env: { ...process.env, SIGN, IDS } }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      // One owner has no user name for {{username}}: exit 1, the others are built.
      expect((r as { code?: number }).code).toBe(1);
      return { manifest: JSON.parse(r.stdout) as Manifest, stdout: r.stdout, stderr: r.stderr };
    };
    const threaded = await buildInto('threads', []);
    const single = await buildInto('single', ['--workers', '1']);
    // From 200 owners on, one thread per core (this machine has at least two).
    expect(threaded.manifest.workers).toBe(Math.min(availableParallelism(), 8));
    expect(single.manifest.workers).toBe(1);
    const comparable = (m: Manifest): unknown[] =>
      m.profiles.map(({ owner, file, built, profileIdentifier, profileUuid, easUuid, identityUuid, contentHash, diagnostics }) => ({
        owner, file, built, profileIdentifier, profileUuid, easUuid, identityUuid, contentHash, codes: diagnostics.map((d) => d.code),
      }));
    expect(comparable(threaded.manifest)).toEqual(comparable(single.manifest));
    expect(threaded.manifest).toMatchObject({ built: 239, failed: 1 });
    expect(threaded.manifest.profiles[7]).toMatchObject({ owner: 'user7@example.com', built: false });
    expect(threaded.manifest.profiles.filter((p) => p.built && p.identityUuid).length).toBe(239);
    for (const p of threaded.manifest.profiles.filter((x) => x.built && ['user0@example.com', 'user123@example.com', 'user239@example.com'].includes(x.owner))) {
      const bytes = readFileSync(path.join(dir, 'threads', p.file!));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(p.sha256);
      // openssl checks the signature and the chain up to the root (the intermediate comes with --chain).
      expect(plistlib(cmsVerify(bytes, pki.root.cert, dir))).toMatchObject({ PayloadIdentifier: p.profileIdentifier });
    }
    // A thread that dies after its first chunk: the run still completes, its owners and the rest built on one thread.
    const dying = path.join(dir, 'die-after-first-chunk.cjs');
    writeFileSync(
      dying,
      `const { isMainThread, parentPort, threadId } = require('node:worker_threads');
if (!isMainThread && threadId === 1) {
  const post = parentPort.postMessage.bind(parentPort);
  parentPort.postMessage = (m, t) => { post(m, t); if (m && m.type === 'done') setImmediate(() => process.exit(3)); };
}`,
    );
    const args = [bin, 'build', '--payload', 'template.json', '--owners', 'owners.csv', '--out', 'dying', '--sign-p12', signerP12, '--sign-password-env', 'SIGN', '--identities', 'ids', '--identities-password-env', 'IDS', '--org', 'Example', '--chain', pki.intermediate.cert, '--json', '--workers', '2'];
    const died = await run(process.execPath, ['--require', dying, ...args], { cwd: dir, env: { ...process.env, SIGN, IDS } }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((died as { code?: number }).code).toBe(1);
    expect(died.stderr).toContain('building the remaining owners on one thread');
    const recovered = JSON.parse(died.stdout) as Manifest;
    expect(comparable(recovered)).toEqual(comparable(single.manifest));
    expect(readdirSync(path.join(dir, 'dying')).filter((f) => f.endsWith('.mobileconfig'))).toHaveLength(239);
    for (const text of [threaded.stdout, threaded.stderr, single.stdout, single.stderr, died.stdout, died.stderr]) {
      expect(text).not.toContain(SIGN);
      expect(text).not.toContain(IDS);
    }
  }, 120_000);
});

interface Manifest {
  workers: number;
  built: number;
  failed: number;
  profiles: {
    owner: string;
    file?: string;
    built: boolean;
    profileIdentifier?: string;
    profileUuid?: string;
    easUuid?: string;
    identityUuid?: string;
    contentHash?: string;
    sha256?: string;
    diagnostics: { code: string }[];
  }[];
}
