import { hash } from 'node:crypto';

// The PKCS#12 KDF re-hashes a digest thousands of times. One node:crypto call costs about 2 µs of overhead, so
// 2,048 rounds took 4 ms per derivation; these single-block loops on 32-bit words do the same in a tenth of that.

const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
// Int32Array, not number[]: constants above 2^31 would otherwise be heap doubles and slow every addition.
const H256 = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

function wordsOf(bytes: Uint8Array): Int32Array {
  const w = new Int32Array(bytes.length / 4);
  for (let i = 0; i < w.length; i++) w[i] = (bytes[4 * i] << 24) | (bytes[4 * i + 1] << 16) | (bytes[4 * i + 2] << 8) | bytes[4 * i + 3];
  return w;
}

function bytesOf(words: Int32Array): Buffer {
  const out = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) out.writeInt32BE(words[i], 4 * i);
  return out;
}

/** SHA-256 applied `times` times to a 32-byte digest. */
function iterateSha256(digest: Uint8Array, times: number): Buffer {
  const h = wordsOf(digest);
  const w = new Int32Array(64);
  for (let t = 0; t < times; t++) {
    w.set(h);
    w[8] = 0x80000000 | 0;
    w.fill(0, 9, 15);
    w[15] = 256;
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = H256[0], b = H256[1], c = H256[2], d = H256[3], e = H256[4], f = H256[5], g = H256[6], hh = H256[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K256[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (H256[0] + a) | 0;
    h[1] = (H256[1] + b) | 0;
    h[2] = (H256[2] + c) | 0;
    h[3] = (H256[3] + d) | 0;
    h[4] = (H256[4] + e) | 0;
    h[5] = (H256[5] + f) | 0;
    h[6] = (H256[6] + g) | 0;
    h[7] = (H256[7] + hh) | 0;
  }
  return bytesOf(h);
}

const H1 = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);

const K1_3 = 0x8f1bbcdc | 0;
const K1_4 = 0xca62c1d6 | 0;

/** SHA-1 applied `times` times to a 20-byte digest. */
function iterateSha1(digest: Uint8Array, times: number): Buffer {
  const h = wordsOf(digest);
  const w = new Int32Array(80);
  for (let t = 0; t < times; t++) {
    w.set(h);
    w[5] = 0x80000000 | 0;
    w.fill(0, 6, 15);
    w[15] = 160;
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = H1[0], b = H1[1], c = H1[2], d = H1[3], e = H1[4];
    // Four loops instead of a branch per round keep each one monomorphic.
    for (let i = 0; i < 20; i++) {
      const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (let i = 20; i < 40; i++) {
      const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (let i = 40; i < 60; i++) {
      const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + K1_3 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    for (let i = 60; i < 80; i++) {
      const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + K1_4 + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h[0] = (H1[0] + a) | 0;
    h[1] = (H1[1] + b) | 0;
    h[2] = (H1[2] + c) | 0;
    h[3] = (H1[3] + d) | 0;
    h[4] = (H1[4] + e) | 0;
  }
  return bytesOf(h);
}

/** Applies `algorithm` `times` more times to a digest it produced (fast paths for SHA-1 and SHA-256). */
export function rehash(algorithm: string, digest: Buffer, times: number): Buffer {
  if (times <= 0) return digest;
  if (algorithm === 'sha256' && digest.length === 32) return iterateSha256(digest, times);
  if (algorithm === 'sha1' && digest.length === 20) return iterateSha1(digest, times);
  let a = digest;
  for (let r = 0; r < times; r++) a = hash(algorithm, a, 'buffer');
  return a;
}
