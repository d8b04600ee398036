import { createDecipheriv, createHmac, createPrivateKey, timingSafeEqual, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { bmpPassword, pbkdf2, pkcs12Kdf, type KdfHash } from './pkcs12-kdf';

// A PKCS#12 reader on node:crypto: forge only parses the DER and supplies RC2, which OpenSSL 3 keeps in its legacy
// provider. Doing the key derivations natively makes a file about ten times faster to read than forge's pure-JS path.

type Node = forge.asn1.Asn1;

/** Why the native reader stopped; `unsupported` lets the caller fall back to forge, `too-costly` must not (forge would hash for minutes). */
export class PfxError extends Error {
  override name = 'PfxError';
  constructor(readonly reason: 'bad-password' | 'corrupt' | 'unsupported' | 'too-costly') {
    super(reason);
  }
}

/** What a PKCS#12 holds. */
export interface PfxContents {
  readonly certificates: X509Certificate[];
  readonly privateKeys: KeyObject[];
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const;

const DIGESTS: Record<string, KdfHash> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const HMACS: Record<string, KdfHash> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

// PKCS#12 password-based encryption (RFC 7292 appendix C), with SHA-1.
const PKCS12_PBE: Record<string, { cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2'; keyLength: number; rc2Bits?: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyLength: 5, rc2Bits: 40 },
};

const children = (n: Node | undefined): Node[] => (n !== undefined && Array.isArray(n.value) ? (n.value as Node[]) : []);

function need<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new PfxError('corrupt');
  return value;
}

function oidOf(n: Node | undefined): string {
  const node = need(n);
  if (node.type !== forge.asn1.Type.OID || typeof node.value !== 'string') throw new PfxError('corrupt');
  return forge.asn1.derToOid(node.value);
}

// OCTET STRINGs may be BER-constructed (Windows exports): their pieces are concatenated.
function octets(n: Node | undefined): Buffer {
  const node = need(n);
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(children(node).map(octets));
}

function integer(n: Node | undefined): number {
  const node = need(n);
  if (node.type !== forge.asn1.Type.INTEGER || typeof node.value !== 'string') throw new PfxError('corrupt');
  const bytes = Buffer.from(node.value, 'binary');
  if (bytes.length > 6) throw new PfxError('unsupported');
  return bytes.length === 0 ? 0 : bytes.readUIntBE(0, bytes.length);
}

function der(n: Node): Buffer {
  return Buffer.from(forge.asn1.toDer(n).getBytes(), 'binary');
}

function parse(bytes: Buffer): Node {
  const fromDer = forge.asn1.fromDer as unknown as (b: forge.util.ByteBuffer, o: { strict: boolean; parseAllBytes: boolean; decodeBitStrings: boolean }) => Node;
  return fromDer(forge.util.createBuffer(bytes.toString('binary')), { strict: false, parseAllBytes: true, decodeBitStrings: false });
}

// Iteration counts beyond this are refused: a hostile file must not make us hash for minutes (real files use 2,000 to 600,000).
const MAX_ITERATIONS = 1_000_000;

function iterations(n: Node | undefined): number {
  const count = n === undefined ? 1 : integer(n);
  if (count < 1) throw new PfxError('corrupt');
  if (count > MAX_ITERATIONS) throw new PfxError('too-costly');
  return count;
}

/** Reads a PKCS#12 with node:crypto. Throws PfxError. `password` null means "no password at all" (not even ""). */
export function readPfx(bytes: Uint8Array, password: string | null): PfxContents {
  let root: Node;
  try {
    root = parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    throw new PfxError('corrupt');
  }
  try {
    return readRoot(root, password);
  } catch (e) {
    if (e instanceof PfxError) throw e;
    // Library errors on odd input (forge, node:crypto) all mean the same: this file cannot be read.
    throw new PfxError('corrupt');
  }
}

function readRoot(root: Node, password: string | null): PfxContents {
  const [version, authSafe, macData] = children(root);
  if (integer(version) !== 3) throw new PfxError('unsupported');
  const [contentType, wrapped] = children(authSafe);
  if (oidOf(contentType) !== OID.data) throw new PfxError('unsupported');
  const authSafeBytes = octets(children(wrapped)[0]);
  // The MAC tells which form of an empty password the file was made with; decryption then uses that form.
  const pw = macData !== undefined ? verifyMac(macData, authSafeBytes, password) : password;
  const out: PfxContents = { certificates: [], privateKeys: [] };
  for (const info of children(parse(authSafeBytes))) {
    const [type, content] = children(info);
    const oid = oidOf(type);
    if (oid === OID.data) {
      readSafeContents(parse(octets(children(content)[0])), pw, out);
    } else if (oid === OID.encryptedData) {
      const plain = decryptEncryptedData(children(content)[0], pw);
      let contents: Node;
      try {
        contents = parse(plain);
      } catch {
        // Without a MAC, garbage after decryption is how a wrong password shows.
        throw new PfxError(macData === undefined ? 'bad-password' : 'corrupt');
      }
      readSafeContents(contents, pw, out);
    } else {
      throw new PfxError('unsupported');
    }
  }
  return out;
}

function verifyMac(macData: Node, content: Buffer, password: string | null): string | null {
  const [digestInfo, saltNode, iterNode] = children(macData);
  const [algorithm, digestNode] = children(digestInfo);
  const digestOid = oidOf(children(algorithm)[0]);
  const hashName = DIGESTS[digestOid];
  // PBMAC1 (RFC 9579) and other MACs: leave them to forge.
  if (hashName === undefined) throw new PfxError('unsupported');
  const expected = octets(digestNode);
  const salt = octets(saltNode);
  const count = iterations(iterNode);
  const macLength = expected.length;
  const candidates: Array<string | null> = password === '' ? ['', null] : [password];
  for (const candidate of candidates) {
    const key = pkcs12Kdf(hashName, bmpPassword(candidate), salt, 3, count, macLength);
    const actual = createHmac(hashName, key).update(content).digest();
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return candidate;
  }
  throw new PfxError('bad-password');
}

function decryptEncryptedData(encryptedData: Node | undefined, password: string | null): Buffer {
  const [, encryptedContentInfo] = children(encryptedData);
  const [, algorithm, content] = children(encryptedContentInfo);
  return decrypt(need(algorithm), octets(content), password);
}

function decrypt(algorithm: Node, data: Buffer, password: string | null): Buffer {
  const [oidNode, params] = children(algorithm);
  const oid = oidOf(oidNode);
  if (oid === OID.pbes2) return decryptPbes2(need(params), data, password ?? '');
  const pbe = PKCS12_PBE[oid];
  if (pbe === undefined) throw new PfxError('unsupported');
  const [saltNode, iterNode] = children(params);
  const salt = octets(saltNode);
  const count = iterations(iterNode);
  const pw = bmpPassword(password);
  const key = pkcs12Kdf('sha1', pw, salt, 1, count, pbe.keyLength);
  const iv = pkcs12Kdf('sha1', pw, salt, 2, count, 8);
  if (pbe.cipher === 'rc2') return rc2Decrypt(key, iv, data, pbe.rc2Bits ?? 128);
  return cipherDecrypt(pbe.cipher, key, iv, data);
}

function decryptPbes2(params: Node, data: Buffer, password: string): Buffer {
  const [kdf, scheme] = children(params);
  const [kdfOid, kdfParams] = children(kdf);
  if (oidOf(kdfOid) !== OID.pbkdf2) throw new PfxError('unsupported');
  const kdfParts = children(kdfParams);
  const salt = octets(kdfParts[0]);
  const count = iterations(kdfParts[1]);
  // keyLength (INTEGER) is optional and precedes the PRF (a SEQUENCE).
  const prfNode = kdfParts.slice(2).find((n) => n.type === forge.asn1.Type.SEQUENCE);
  const prf = prfNode === undefined ? 'sha1' : HMACS[oidOf(children(prfNode)[0])];
  if (prf === undefined) throw new PfxError('unsupported');
  const [cipherOid, ivNode] = children(scheme);
  const cipher = PBES2_CIPHERS[oidOf(cipherOid)];
  if (cipher === undefined) throw new PfxError('unsupported');
  const key = pbkdf2(password, salt, count, cipher.keyLength, prf);
  return cipherDecrypt(cipher.name, key, octets(ivNode), data);
}

function cipherDecrypt(name: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  try {
    const decipher = createDecipheriv(name, key, iv);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    // Bad padding after decryption: the key (so the password) is wrong, or the data is damaged.
    throw new PfxError('bad-password');
  }
}

function rc2Decrypt(key: Buffer, iv: Buffer, data: Buffer, bits: number): Buffer {
  const cipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), bits);
  cipher.start(forge.util.createBuffer(iv.toString('binary')));
  cipher.update(forge.util.createBuffer(data.toString('binary')));
  if (!cipher.finish()) throw new PfxError('bad-password');
  return Buffer.from(cipher.output.getBytes(), 'binary');
}

function readSafeContents(safeContents: Node, password: string | null, out: PfxContents): void {
  for (const bag of children(safeContents)) {
    const [idNode, valueWrapper] = children(bag);
    const id = oidOf(idNode);
    const value = children(valueWrapper)[0];
    if (id === OID.certBag) {
      const [certType, certWrapper] = children(value);
      // Only X.509 certificates; SDSI certificates are skipped.
      if (oidOf(certType) === OID.x509Certificate) out.certificates.push(new X509Certificate(octets(children(certWrapper)[0])));
    } else if (id === OID.keyBag) {
      out.privateKeys.push(createPrivateKey({ key: der(need(value)), format: 'der', type: 'pkcs8' }));
    } else if (id === OID.shroudedKeyBag) {
      const [algorithm, encrypted] = children(value);
      // OpenSSL decrypts EncryptedPrivateKeyInfo natively (KDF included) for every PBE but RC2, which is legacy there.
      if (password !== null && password !== '') {
        try {
          out.privateKeys.push(createPrivateKey({ key: der(need(value)), format: 'der', type: 'pkcs8', passphrase: password }));
          continue;
        } catch {
          // fall through to our own decryption
        }
      }
      const plain = decrypt(need(algorithm), octets(encrypted), password);
      let key: KeyObject;
      try {
        key = createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
      } catch {
        // Decryption "succeeded" by chance with a wrong key: the padding check passes about 1 time in 256.
        throw new PfxError('bad-password');
      }
      out.privateKeys.push(key);
    } else if (id === OID.safeContentsBag) {
      readSafeContents(need(value), password, out);
    }
    // crlBag and secretBag hold nothing we use.
  }
}
