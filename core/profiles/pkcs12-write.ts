import { createCipheriv, createHash, createHmac, type KeyObject, type X509Certificate } from 'node:crypto';
import { NULL, ctx, int, octets, oid, seq, setOf, tlv } from './der';
import { OID } from './oids';
import { bmpPassword, pkcs12Kdf } from '../certs/pkcs12-kdf';

// PKCS#12 with PBE-SHA1-3DES for key and certificates and an HMAC-SHA1 MAC: the one form every iOS
// release accepts (decision 5). OpenSSL 3's default (PBES2/AES/PBKDF2, SHA-256 MAC) makes iOS report
// a wrong password. Equivalent to `openssl pkcs12 -export -legacy -certpbe PBE-SHA1-3DES -macalg sha1`.

const ITERATIONS = 2048;

function encrypt3des(password: string, salt: Buffer, data: Buffer): Buffer {
  const key = pkcs12Kdf('sha1', bmpPassword(password), salt, 1, ITERATIONS, 24);
  const iv = pkcs12Kdf('sha1', bmpPassword(password), salt, 2, ITERATIONS, 8);
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
  const macKey = pkcs12Kdf('sha1', bmpPassword(password), macSalt, 3, ITERATIONS, 20);
  const mac = createHmac('sha1', macKey).update(authSafe).digest();
  const macData = seq(seq(seq(oid(OID.sha1), NULL), octets(mac)), octets(macSalt), int(ITERATIONS));
  return seq(int(3), seq(oid(OID.data), ctx(0, octets(authSafe))), macData);
}

