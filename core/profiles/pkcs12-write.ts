import { createCipheriv, createHash, createHmac, type KeyObject, type X509Certificate } from 'node:crypto';
import { NULL, ctx, int, octets, oid, seq, setOf, tlv } from './der';
import { OID } from './oids';

// PKCS#12 with PBE-SHA1-3DES for key and certificates and an HMAC-SHA1 MAC: the one form every iOS
// release accepts (decision 5). OpenSSL 3's default (PBES2/AES/PBKDF2, SHA-256 MAC) makes iOS report
// a wrong password. Equivalent to `openssl pkcs12 -export -legacy -certpbe PBE-SHA1-3DES -macalg sha1`.

const ITERATIONS = 2048;

/** RFC 7292 appendix B key derivation with SHA-1 (u = 20, v = 64). */
export function pkcs12Kdf(password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, n: number): Buffer {
  const v = 64;
  const u = 20;
  const pw = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) pw.writeUInt16BE(password.charCodeAt(i), i * 2);
  const fill = (src: Buffer): Buffer => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length];
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(pw)]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < n; produced += u) {
    let A = createHash('sha1').update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash('sha1').update(A).digest();
    out.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      // Ij = (Ij + B + 1) mod 2^(8v)
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k] + B[k] + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, n);
}

function encrypt3des(password: string, salt: Buffer, data: Buffer): Buffer {
  const key = pkcs12Kdf(password, salt, 1, ITERATIONS, 24);
  const iv = pkcs12Kdf(password, salt, 2, ITERATIONS, 8);
  const c = createCipheriv('des-ede3-cbc', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

const pbeAlgorithm = (salt: Buffer): Buffer => seq(oid(OID.pbeWithSHAAnd3KeyTripleDESCBC), seq(octets(salt), int(ITERATIONS)));

const attribute = (type: string, value: Buffer): Buffer => seq(oid(type), setOf(value));

/** What goes into a PKCS#12: the key and its certificate, plus any chain certificates. */
export interface Pkcs12Contents {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  readonly chain?: readonly X509Certificate[];
}

/**
 * Encodes a PKCS#12 with PBE-SHA1-3DES and a SHA-1 MAC. Salts derive from the key and certificate, so the
 * same identity and passphrase always give the same bytes (profiles then rebuild byte for byte).
 */
export function encodePkcs12Legacy(contents: Pkcs12Contents, password: string): Buffer {
  const keyDer = contents.privateKey.export({ type: 'pkcs8', format: 'der' });
  const certDer = contents.certificate.raw;
  const seed = createHash('sha256').update(keyDer).update(certDer).digest();
  const salt = (label: string): Buffer => createHmac('sha256', seed).update(label).digest().subarray(0, 8);
  const localKeyId = attribute(OID.localKeyId, octets(createHash('sha1').update(certDer).digest()));

  const certBag = (der: Buffer, attrs?: Buffer): Buffer =>
    seq(oid(OID.certBag), ctx(0, seq(oid(OID.x509Certificate), ctx(0, octets(der)))), ...(attrs ? [setOf(attrs)] : []));
  const certSafe = seq(certBag(certDer, localKeyId), ...(contents.chain ?? []).map((c) => certBag(c.raw)));
  const certSalt = salt('certificates');
  const certInfo = seq(
    oid(OID.encryptedData),
    ctx(0, seq(int(0), seq(oid(OID.data), pbeAlgorithm(certSalt), tlv(0x80, encrypt3des(password, certSalt, certSafe))))),
  );

  const keySalt = salt('key');
  const shrouded = seq(pbeAlgorithm(keySalt), octets(encrypt3des(password, keySalt, keyDer)));
  const keySafe = seq(seq(oid(OID.pkcs8ShroudedKeyBag), ctx(0, shrouded), setOf(localKeyId)));
  const keyInfo = seq(oid(OID.data), ctx(0, octets(keySafe)));

  const authSafe = seq(certInfo, keyInfo);
  const macSalt = salt('mac');
  const macKey = pkcs12Kdf(password, macSalt, 3, ITERATIONS, 20);
  const mac = createHmac('sha1', macKey).update(authSafe).digest();
  const macData = seq(seq(seq(oid(OID.sha1), NULL), octets(mac)), octets(macSalt), int(ITERATIONS));
  return seq(int(3), seq(oid(OID.data), ctx(0, octets(authSafe))), macData);
}

