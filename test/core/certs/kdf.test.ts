import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { hash } from 'node:crypto';
import forge from 'node-forge';
import { rehash } from '../../../core/certs/iterated-hash';
import { bmpPassword, pkcs12Kdf } from '../../../core/certs/pkcs12-kdf';

describe('PKCS#12 key derivation on node:crypto', () => {
  it('re-hashes SHA-1 and SHA-256 digests exactly as node:crypto does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.constantFrom('sha1', 'sha256', 'sha512'), fc.integer({ min: 0, max: 40 }), (data, algorithm, times) => {
        let expected = hash(algorithm, data, 'buffer');
        for (let i = 0; i < times; i++) expected = hash(algorithm, expected, 'buffer');
        expect(rehash(algorithm, hash(algorithm, data, 'buffer'), times).equals(expected)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('derives the same keys as node-forge (RFC 7292 B.2)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        fc.uint8Array({ minLength: 8, maxLength: 20 }),
        fc.constantFrom(1 as const, 2 as const, 3 as const),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 5, max: 40 }),
        (password, salt, id, iterations, length) => {
          const theirs = forge.pkcs12.generateKey(password, forge.util.createBuffer(Buffer.from(salt).toString('binary')), id, iterations, length).getBytes();
          const ours = pkcs12Kdf('sha1', bmpPassword(password), Buffer.from(salt), id, iterations, length);
          expect(ours.toString('binary')).toBe(theirs);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('encodes passwords as UTF-16BE with a terminator', () => {
    expect(bmpPassword('ab').toString('hex')).toBe('006100620000');
    expect(bmpPassword('').toString('hex')).toBe('0000');
    expect(bmpPassword(null).length).toBe(0);
  });
});
