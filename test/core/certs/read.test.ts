import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { inspect } from 'node:util';
import { spawnSync } from 'node:child_process';
import { readCertificateFile, readIdentity, readIdentityPair, CertReadError, Secret } from '../../../core/certs';
import { Fixtures, LEGACY_3DES, RC2_40, openssl } from './fixtures';

const CANARY = 'canary-Pa55-7f3e9q';
const UNICODE = 'pässwörd-日本';
let fx: Fixtures;

beforeAll(() => {
  fx = new Fixtures();
  fx.cert({ name: 'ca', ca: true, key: 'ec' });
  fx.cert({ name: 'alice', key: 'rsa', email: 'alice@example.com', upn: 'alice@corp.example', eku: 'clientAuth,emailProtection', ku: 'digitalSignature,keyEncipherment', issuer: 'ca' });
  fx.cert({ name: 'bob', key: 'ec', email: 'bob@example.com', eku: 'clientAuth' });
  fx.p12('alice', 'alice-aes.p12', CANARY, [], 'ca.crt');
  fx.p12('alice', 'alice-3des.p12', CANARY, LEGACY_3DES);
  fx.p12('alice', 'alice-rc2.p12', CANARY, RC2_40);
  fx.p12('alice', 'alice-nopass.p12', '');
  fx.p12('bob', 'bob-ec.p12', CANARY);
  fx.p12('bob', 'bob-ec-3des.p12', CANARY, LEGACY_3DES);
  fx.p12('alice', 'alice-md5mac.p12', CANARY, ['-legacy', '-macalg', 'md5']);
  fx.p12('alice', 'alice-unicode-aes.p12', UNICODE);
  fx.p12('alice', 'alice-unicode-3des.p12', UNICODE, LEGACY_3DES);
  openssl(['pkey', '-in', 'alice.key', '-aes256', '-passout', `pass:${CANARY}`, '-out', 'alice-enc.key'], fx.dir);
  openssl(['x509', '-in', 'alice.crt', '-outform', 'DER', '-out', 'alice.der'], fx.dir);
  openssl(['pkey', '-in', 'bob.key', '-outform', 'DER', '-out', 'bob-key.der'], fx.dir);
  fx.write('alice-both.pem', Buffer.concat([Buffer.from(fx.read('alice.crt')), Buffer.from(fx.read('ca.crt')), Buffer.from(fx.read('alice.key'))]));
});
afterAll(() => fx.cleanup());

function pbeOf(file: string): string {
  // openssl prints the PBE lines on stderr.
  const r = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-legacy', '-in', fx.path(file), '-passin', `pass:${CANARY}`], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

describe('reading identities', () => {
  it.each(['alice-aes.p12', 'alice-3des.p12', 'alice-rc2.p12'])('reads %s with its passphrase', (file) => {
    const id = readIdentity(fx.read(file), { password: CANARY, fileName: file });
    expect(id.certificate.subject).toContain('CN=alice');
    expect(id.privateKey.asymmetricKeyType).toBe('rsa');
    expect(id.format).toBe('pkcs12');
  });

  it('the fixtures really use the PBEs they claim', () => {
    expect(pbeOf('alice-aes.p12')).toMatch(/PBES2.*AES-256-CBC/);
    expect(pbeOf('alice-3des.p12')).toMatch(/pbeWithSHA1And3-KeyTripleDES-CBC/);
    expect(pbeOf('alice-rc2.p12')).toMatch(/pbeWithSHA1And40BitRC2-CBC/);
  });

  it.each(['alice-unicode-aes.p12', 'alice-unicode-3des.p12'])('reads %s with a non-ASCII passphrase (UTF-8 for PBKDF2, UTF-16 for the PKCS#12 KDF)', (file) => {
    expect(readIdentity(fx.read(file), { password: UNICODE }).certificate.subject).toContain('alice');
    expect(() => readIdentity(fx.read(file), { password: 'passwörd-日本', fileName: file })).toThrow(`wrong passphrase for ${file}`);
  });

  it('falls back to node-forge for what the native reader does not do (an MD5 MAC)', () => {
    expect(readIdentity(fx.read('alice-md5mac.p12'), { password: CANARY }).certificate.subject).toContain('alice');
    expect(() => readIdentity(fx.read('alice-md5mac.p12'), { password: 'x', fileName: 'm.p12' })).toThrow('wrong passphrase for m.p12');
  });

  it('reads several certificates and picks the one the key belongs to', () => {
    const id = readIdentity(fx.read('alice-aes.p12'), { password: CANARY });
    expect(id.certificates).toHaveLength(2);
    expect(id.certificate.subject).toContain('CN=alice');
    expect(id.chain.map((c) => c.subject)).toEqual(['CN=ca']);
  });

  it('reads EC keys, a PKCS#12 without passphrase, and one read with a needless passphrase', () => {
    expect(readIdentity(fx.read('bob-ec.p12'), { password: CANARY }).privateKey.asymmetricKeyType).toBe('ec');
    expect(readIdentity(fx.read('bob-ec-3des.p12'), { password: CANARY }).privateKey.asymmetricKeyType).toBe('ec');
    expect(readIdentity(fx.read('alice-nopass.p12'), {}).certificate.subject).toContain('alice');
    expect(readIdentity(fx.read('alice-nopass.p12'), { password: 'unneeded' }).certificate.subject).toContain('alice');
  });

  it('reads PEM with cert, chain and key in one file, and PEM or DER pairs', () => {
    const both = readIdentity(fx.read('alice-both.pem'), { fileName: 'alice-both.pem' });
    expect(both.format).toBe('pem');
    expect(both.chain).toHaveLength(1);
    const pair = readIdentityPair({ bytes: fx.read('alice.der'), fileName: 'alice.der' }, { bytes: fx.read('alice-enc.key'), fileName: 'alice-enc.key' }, { password: CANARY });
    expect(pair.certificate.subject).toContain('alice');
    const derPair = readIdentityPair({ bytes: fx.read('bob.crt') }, { bytes: fx.read('bob-key.der') });
    expect(derPair.privateKey.asymmetricKeyType).toBe('ec');
    expect(readCertificateFile(fx.read('alice.der')).privateKey).toBeUndefined();
  });

  it('says "wrong passphrase for <file>", never "invalid MAC"', () => {
    for (const file of ['alice-aes.p12', 'alice-3des.p12', 'alice-rc2.p12']) {
      let error: unknown;
      try {
        readIdentity(fx.read(file), { password: 'nope', fileName: file });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CertReadError);
      expect((error as CertReadError).message).toBe(`wrong passphrase for ${file}`);
      expect((error as CertReadError).code).toBe('wrong-passphrase');
      expect((error as Error).stack ?? '').not.toMatch(/MAC/i);
    }
    expect(() => readIdentityPair({ bytes: fx.read('alice.crt') }, { bytes: fx.read('alice-enc.key'), fileName: 'alice-enc.key' }, { password: 'x' })).toThrow(
      'wrong passphrase for alice-enc.key',
    );
    expect(() => readIdentity(fx.read('alice-aes.p12'), { fileName: 'alice-aes.p12' })).toThrow('alice-aes.p12 is protected by a passphrase');
  });

  it('says what is missing', () => {
    expect(() => readIdentity(fx.read('alice.crt'), { fileName: 'alice.crt' })).toThrow('alice.crt holds no private key');
    expect(() => readIdentity(fx.read('alice.key'), { fileName: 'alice.key' })).toThrow('alice.key holds no certificate');
    const mismatch = Buffer.concat([Buffer.from(fx.read('alice.crt')), Buffer.from(fx.read('bob.key'))]);
    expect(() => readIdentity(mismatch, { fileName: 'mixed.pem' })).toThrow('the private key in mixed.pem matches none of its certificates');
    expect(() => readIdentity(new TextEncoder().encode('hello'), { fileName: 'x.txt' })).toThrow(CertReadError);
  });
});

describe('secrets', () => {
  it('never shows the passphrase or the key in errors, JSON or util.inspect', () => {
    const id = readIdentity(fx.read('alice-aes.p12'), { password: CANARY, fileName: 'alice-aes.p12' });
    const keyPem = id.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyBody = keyPem.split('\n')[5];
    const shown = [JSON.stringify(id), inspect(id, { depth: Infinity, showHidden: true }), String(id), JSON.stringify({ ...id }), inspect({ ...id }, { depth: Infinity })];
    for (const text of shown) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(keyBody);
    }
    expect(JSON.stringify(id)).toContain('[redacted]');
    expect(inspect(id)).toContain('[redacted]');
    const messages: string[] = [];
    for (const [file, password] of [['alice-aes.p12', 'wrong'], ['alice-aes.p12', undefined], ['alice.crt', CANARY], ['alice-enc.key', undefined]] as const) {
      try {
        readIdentity(fx.read(file), { password, fileName: file });
      } catch (e) {
        messages.push(`${(e as Error).message} ${(e as Error).stack} ${inspect(e)} ${JSON.stringify(e)}`);
      }
    }
    expect(messages).toHaveLength(4);
    for (const m of messages) expect(m).not.toContain(CANARY);
  });

  it('wraps passphrases so they print as [redacted]', () => {
    const s = new Secret(CANARY);
    expect(JSON.stringify({ s })).toBe('{"s":"[redacted]"}');
    expect(inspect(s)).toBe('[redacted]');
    expect(`${s}`).toBe('[redacted]');
    expect(s.reveal()).toBe(CANARY);
    expect(readIdentity(fx.read('alice-3des.p12'), { password: s as unknown as string }).certificate.subject).toContain('alice');
  });
});
