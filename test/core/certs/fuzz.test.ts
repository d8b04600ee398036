import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { readCertificateFile, CertReadError } from '../../../core/certs';
import { Fixtures, LEGACY_3DES } from './fixtures';

const CANARY = 'fuzz-canary-93kq';
let fx: Fixtures;
let samples: Uint8Array[];

beforeAll(() => {
  fx = new Fixtures();
  fx.cert({ name: 'a', email: 'a@example.com' });
  fx.p12('a', 'aes.p12', CANARY);
  fx.p12('a', 'des.p12', CANARY, LEGACY_3DES);
  samples = [fx.read('aes.p12'), fx.read('des.p12'), fx.read('a.crt'), fx.read('a.key')];
});
afterAll(() => fx.cleanup());

// Either a readable bundle or a CertReadError with a clean message: nothing else may escape.
function readOrCleanError(bytes: Uint8Array): void {
  try {
    const bundle = readCertificateFile(bytes, { password: CANARY, fileName: 'f.p12' });
    expect(bundle.certificates.length + (bundle.privateKey ? 1 : 0)).toBeGreaterThan(0);
    expect(inspect(bundle)).not.toContain(CANARY);
  } catch (e) {
    expect(e).toBeInstanceOf(CertReadError);
    const message = (e as Error).message;
    expect(message).toContain('f.p12');
    expect(message).not.toContain(CANARY);
    expect(message).not.toMatch(/MAC|undefined|null|\[object/);
  }
}

describe('certificate reader under bad input', () => {
  it('survives random bytes, including ones that start like DER or PEM', () => {
    const prefix = fc.constantFrom(new Uint8Array(), new Uint8Array([0x30, 0x82]), new Uint8Array([0x30, 0x80, 0x02, 0x01, 0x03]), new TextEncoder().encode('-----BEGIN CERTIFICATE-----\n'));
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 600 }), (p, rest) => {
        readOrCleanError(new Uint8Array([...p, ...rest]));
      }),
      { numRuns: 400 },
    );
  });

  it('survives truncated files', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 2, 3), fc.nat(), (which, cut) => {
        const bytes = samples[which];
        readOrCleanError(bytes.subarray(0, cut % bytes.length));
      }),
      { numRuns: 200 },
    );
  });

  it('survives flipped bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.nat(), fc.integer({ min: 1, max: 255 }), (which, at, xor) => {
        const bytes = new Uint8Array(samples[which]);
        bytes[at % bytes.length] ^= xor;
        readOrCleanError(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('survives files in the wrong encoding', () => {
    const pem = Buffer.from(samples[2]).toString('latin1');
    for (const bytes of [Buffer.from(pem, 'utf16le'), Buffer.from(Buffer.from(samples[0]).toString('base64')), Buffer.from(Buffer.from(samples[0]).toString('hex'))]) {
      readOrCleanError(new Uint8Array(bytes));
    }
  });
});
