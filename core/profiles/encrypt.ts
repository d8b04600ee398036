import { X509Certificate, constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import { NULL, ctx, int, octets, oid, seq, setOf, tlv } from './der';
import { commonName, issuerAndSerial } from './certificates';
import { ECDH_CURVES, ecdhCurve, keyAgreeRecipientInfo } from './ecdh';
import { ProfileInputError } from './errors';
import { OID } from './oids';

/** Content ciphers for EnvelopedData. */
export type ContentCipher = 'aes-256-cbc' | 'aes-128-cbc';

const CIPHERS: Readonly<Record<ContentCipher, { oid: string; keyLength: number }>> = {
  'aes-256-cbc': { oid: OID.aes256Cbc, keyLength: 32 },
  'aes-128-cbc': { oid: OID.aes128Cbc, keyLength: 16 },
};

/** Throws naming `source` when a device certificate cannot receive an encrypted profile. */
export function checkRecipient(cert: X509Certificate, source: string, now: Date = new Date()): void {
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa' && !ecdhCurve(key)) {
    const kind = key.asymmetricKeyType === 'ec' ? `EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unnamed curve'}` : `${key.asymmetricKeyType ?? 'unknown'} key`;
    throw new ProfileInputError(
      `${source}: the device certificate ${commonName(cert.subject)} has no key usable for encryption (${kind}; RSA or EC ${ECDH_CURVES.join('/')} needed).`,
      source,
    );
  }
  if (new Date(cert.validTo) < now) throw new ProfileInputError(`${source}: the device certificate ${commonName(cert.subject)} expired on ${cert.validTo}.`, source);
}

/** KeyTransRecipientInfo (v0, issuer and serial) carrying `cek` to an RSA recipient with PKCS#1 v1.5. */
function keyTransRecipientInfo(cek: Buffer, recipient: X509Certificate): Buffer {
  const encryptedKey = publicEncrypt({ key: recipient.publicKey, padding: constants.RSA_PKCS1_PADDING }, cek);
  return seq(int(0), issuerAndSerial(recipient), seq(oid(OID.rsaEncryption), NULL), octets(encryptedKey));
}

/** DER CMS EnvelopedData of `content` to one recipient, AES-CBC: RSA key transport, or ECDH key agreement (RFC 5753) for EC. */
export function envelopeContent(content: Uint8Array, recipient: X509Certificate, cipher: ContentCipher = 'aes-256-cbc'): Buffer {
  const { oid: cipherOid, keyLength } = CIPHERS[cipher];
  const cek = randomBytes(keyLength);
  const iv = randomBytes(16);
  const c = createCipheriv(cipher, cek, iv);
  const encrypted = Buffer.concat([c.update(content), c.final()]);
  const rsa = recipient.publicKey.asymmetricKeyType === 'rsa';
  const recipientInfo = rsa ? keyTransRecipientInfo(cek, recipient) : keyAgreeRecipientInfo(cek, recipient);
  const encryptedContentInfo = seq(oid(OID.data), seq(oid(cipherOid), octets(iv)), tlv(0x80, encrypted));
  // RFC 5652 §6.1: version 0 with only v0 key-transport recipients, 2 once a (v3) key-agreement one is there.
  return seq(oid(OID.envelopedData), ctx(0, seq(int(rsa ? 0 : 2), setOf(recipientInfo), encryptedContentInfo)));
}
