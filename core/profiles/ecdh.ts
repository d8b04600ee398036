// CMS key agreement for EC device certificates (RFC 5753, ECDH ephemeral-static, "stdDH" with the
// ANSI X9.63 KDF and AES key wrap): the KeyAgreeRecipientInfo that `openssl cms -encrypt` writes for an
// EC recipient, and its reverse. The curve arithmetic and key wrap are node:crypto's.
import { createCipheriv, createDecipheriv, createECDH, createHash, createPublicKey, diffieHellman, type KeyObject, type X509Certificate } from 'node:crypto';
import { DerError, TAG, child, ctx, int, octets, oid, parseDer, readOid, seq, tlv, type Node } from './der';
import { issuerAndSerial } from './certificates';
import { OID } from './oids';

/** Curves an EC device certificate may use, with the KDF hash RFC 5753 / RFC 5008 pair with them. */
const CURVES: Readonly<Record<string, { name: string; hash: string; kdfOid: string }>> = {
  prime256v1: { name: 'P-256', hash: 'sha256', kdfOid: OID.dhSinglePassStdDhSha256Kdf },
  secp384r1: { name: 'P-384', hash: 'sha384', kdfOid: OID.dhSinglePassStdDhSha384Kdf },
  secp521r1: { name: 'P-521', hash: 'sha512', kdfOid: OID.dhSinglePassStdDhSha512Kdf },
};

/** NIST names of the curves we can encrypt to. */
export const ECDH_CURVES: readonly string[] = Object.values(CURVES).map((c) => c.name);

const KDF_HASH_BY_OID: Readonly<Record<string, string>> = {
  [OID.dhSinglePassStdDhSha1Kdf]: 'sha1',
  [OID.dhSinglePassStdDhSha224Kdf]: 'sha224',
  [OID.dhSinglePassStdDhSha256Kdf]: 'sha256',
  [OID.dhSinglePassStdDhSha384Kdf]: 'sha384',
  [OID.dhSinglePassStdDhSha512Kdf]: 'sha512',
};

const WRAP_BY_OID: Readonly<Record<string, { cipher: string; keyLength: number }>> = {
  [OID.aes128Wrap]: { cipher: 'id-aes128-wrap', keyLength: 16 },
  [OID.aes192Wrap]: { cipher: 'id-aes192-wrap', keyLength: 24 },
  [OID.aes256Wrap]: { cipher: 'id-aes256-wrap', keyLength: 32 },
};

// RFC 3394's default initial value; node:crypto's wrap ciphers take it as the IV.
const WRAP_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
// AES-256 wrap whatever the content cipher: the KEK is never weaker than the content key it protects.
const WRAP_ALGORITHM = seq(oid(OID.aes256Wrap));

/** The curve name of an EC public key, or undefined when it is not a curve we support. */
export function ecdhCurve(key: KeyObject): string | undefined {
  const curve = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  return curve !== undefined && Object.hasOwn(CURVES, curve) ? curve : undefined;
}

/** The SubjectPublicKeyInfo of a certificate: its algorithm identifier (with the curve) and the raw point. */
function spkiParts(cert: X509Certificate): { algorithm: Buffer; point: Buffer } {
  const spki = parseDer(cert.publicKey.export({ type: 'spki', format: 'der' }));
  const bits = child(spki, 1, 'subject public key');
  return { algorithm: child(spki, 0, 'key algorithm').raw, point: bits.content.subarray(1) };
}

/**
 * ANSI X9.63 KDF as CMS uses it (RFC 5753 §7.2): hash(Z ‖ counter ‖ ECC-CMS-SharedInfo) with the KEK
 * length in bits as suppPubInfo and the user keying material, when there is any, as entityUInfo.
 */
function deriveKek(hash: string, z: Buffer, wrapAlgorithm: Buffer, keyLength: number, ukm?: Buffer): Buffer {
  const bits = Buffer.alloc(4);
  bits.writeUInt32BE(keyLength * 8);
  const sharedInfo = seq(wrapAlgorithm, ...(ukm ? [ctx(0, octets(ukm))] : []), ctx(2, octets(bits)));
  const blocks: Buffer[] = [];
  for (let counter = 1, have = 0; have < keyLength; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(z).update(c).update(sharedInfo).digest();
    blocks.push(block);
    have += block.length;
  }
  return Buffer.concat(blocks).subarray(0, keyLength);
}

/** KeyAgreeRecipientInfo (`[1]` of RecipientInfo) carrying `cek` to an EC `recipient`, with a fresh ephemeral key. */
export function keyAgreeRecipientInfo(cek: Buffer, recipient: X509Certificate): Buffer {
  const curve = ecdhCurve(recipient.publicKey);
  if (!curve) throw new Error('the device certificate has no key usable for encryption');
  const { hash, kdfOid } = CURVES[curve];
  const { point } = spkiParts(recipient);
  const ephemeral = createECDH(curve);
  const ephemeralPoint = ephemeral.generateKeys();
  const z = ephemeral.computeSecret(point);
  const kek = deriveKek(hash, z, WRAP_ALGORITHM, 32);
  const wrap = createCipheriv('id-aes256-wrap', kek, WRAP_IV);
  const encryptedKey = Buffer.concat([wrap.update(cek), wrap.final()]);
  // originator [0] EXPLICIT → originatorKey [1] IMPLICIT OriginatorPublicKey; its algorithm carries no curve
  // (the recipient's certificate names it), as RFC 5753 and OpenSSL have it.
  const originator = ctx(0, ctx(1, seq(oid(OID.ecPublicKey)), tlv(TAG.bitString, Buffer.from([0]), ephemeralPoint)));
  const keyEncryptionAlgorithm = seq(oid(kdfOid), WRAP_ALGORITHM);
  const recipientEncryptedKeys = seq(seq(issuerAndSerial(recipient), octets(encryptedKey)));
  return ctx(1, int(3), originator, keyEncryptionAlgorithm, recipientEncryptedKeys);
}

/** The content-encryption key of a KeyAgreeRecipientInfo addressed to `certificate`, or undefined when it is not. */
export function openKeyAgree(kari: Node, certificate: X509Certificate, key: KeyObject): Buffer | undefined {
  // version, originator [0], ukm [1] (optional), keyEncryptionAlgorithm, recipientEncryptedKeys
  const wanted = issuerAndSerial(certificate);
  const hasUkm = kari.children[2]?.tag === 0xa1;
  const rek = child(kari, hasUkm ? 4 : 3, 'recipient encrypted keys').children.find((r) => r.children[0]?.raw.equals(wanted));
  if (!rek) return undefined;
  const originator = child(child(kari, 1, 'originator'), 0, 'originator key');
  if (originator.tag !== 0xa1) throw new DerError('only an ephemeral originator key is supported');
  const ukm = hasUkm ? child(child(kari, 2, 'ukm'), 0, 'ukm octets').content : undefined;
  const alg = child(kari, hasUkm ? 3 : 2, 'key encryption algorithm');
  const hash = KDF_HASH_BY_OID[readOid(child(alg, 0, 'key agreement scheme'))];
  if (!hash) throw new DerError('unsupported key agreement scheme');
  const wrapAlgorithm = child(alg, 1, 'key wrap algorithm');
  const wrap = WRAP_BY_OID[readOid(child(wrapAlgorithm, 0, 'key wrap'))];
  if (!wrap) throw new DerError('unsupported key wrap algorithm');
  // The ephemeral point is on the recipient's curve: reuse the certificate's algorithm identifier for it.
  const ephemeralBits = child(originator, 1, 'originator public key');
  const spki = seq(spkiParts(certificate).algorithm, ephemeralBits.raw);
  const z = diffieHellman({ privateKey: key, publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }) });
  const kek = deriveKek(hash, z, wrapAlgorithm.raw, wrap.keyLength, ukm);
  const unwrap = createDecipheriv(wrap.cipher, kek, WRAP_IV);
  return Buffer.concat([unwrap.update(child(rek, 1, 'encrypted key').content), unwrap.final()]);
}
