import { X509Certificate, constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import { NULL, ctx, int, octets, oid, seq, setOf, tlv } from './der';
import { commonName, issuerAndSerial } from './certificates';
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
  if (cert.publicKey.asymmetricKeyType !== 'rsa') {
    throw new ProfileInputError(`${source}: the device certificate ${commonName(cert.subject)} has no RSA key usable for encryption (${cert.publicKey.asymmetricKeyType ?? 'unknown'} key).`, source);
  }
  if (new Date(cert.validTo) < now) throw new ProfileInputError(`${source}: the device certificate ${commonName(cert.subject)} expired on ${cert.validTo}.`, source);
}

/** DER CMS EnvelopedData of `content` to one RSA recipient (key transport, PKCS#1 v1.5), AES-CBC. */
export function envelopeContent(content: Uint8Array, recipient: X509Certificate, cipher: ContentCipher = 'aes-256-cbc'): Buffer {
  const { oid: cipherOid, keyLength } = CIPHERS[cipher];
  const cek = randomBytes(keyLength);
  const iv = randomBytes(16);
  const c = createCipheriv(cipher, cek, iv);
  const encrypted = Buffer.concat([c.update(content), c.final()]);
  const encryptedKey = publicEncrypt({ key: recipient.publicKey, padding: constants.RSA_PKCS1_PADDING }, cek);
  const recipientInfo = seq(int(0), issuerAndSerial(recipient), seq(oid(OID.rsaEncryption), NULL), octets(encryptedKey));
  const encryptedContentInfo = seq(oid(OID.data), seq(oid(cipherOid), octets(iv)), tlv(0x80, encrypted));
  return seq(oid(OID.envelopedData), ctx(0, seq(int(0), setOf(recipientInfo), encryptedContentInfo)));
}
