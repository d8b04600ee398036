import { hash, pbkdf2Sync } from 'node:crypto';
import { rehash } from './iterated-hash';

/** Hashes the PKCS#12 KDF and PBKDF2 can use, by their node:crypto names. */
export type KdfHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

const BLOCK: Record<KdfHash, number> = { sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128 };

/** The password as PKCS#12 wants it: UTF-16BE with a two-byte terminator ("" gives just the terminator). */
export function bmpPassword(password: string | null): Buffer {
  if (password === null) return Buffer.alloc(0);
  const le = Buffer.from(`${password}\u0000`, 'utf16le');
  return le.swap16();
}

/** RFC 7292 appendix B.2 key derivation: id 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(algorithm: KdfHash, password: Buffer, salt: Buffer, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const v = BLOCK[algorithm];
  const repeat = (src: Buffer): Buffer => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length];
    return out;
  };
  const d = Buffer.alloc(v, id);
  const i = Buffer.concat([repeat(salt), repeat(password)]);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    const a = rehash(algorithm, hash(algorithm, Buffer.concat([d, i]), 'buffer'), iterations - 1);
    out.push(a);
    produced += a.length;
    if (produced >= length) break;
    const b = repeat(a);
    for (let off = 0; off < i.length; off += v) {
      // I_j = (I_j + B + 1) mod 2^(8v), big-endian.
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[off + k] + b[k] + carry;
        i[off + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

/** PBKDF2 with the password as UTF-8, as OpenSSL does for PBES2. */
export function pbkdf2(password: string, salt: Buffer, iterations: number, length: number, algorithm: KdfHash): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, length, algorithm);
}
