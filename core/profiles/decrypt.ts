import { constants, createDecipheriv, privateDecrypt, type KeyObject, type X509Certificate } from 'node:crypto';
import { DerError, TAG, child, parseDer, readOid, type Node } from './der';
import { issuerAndSerial } from './certificates';
import { openKeyAgree } from './ecdh';
import { OID } from './oids';

const CIPHER_BY_OID: Readonly<Record<string, string>> = {
  [OID.aes128Cbc]: 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  [OID.aes256Cbc]: 'aes-256-cbc',
  '1.2.840.113549.3.7': 'des-ede3-cbc',
};

/** The content-encryption key for `certificate` among the recipient infos: RSA key transport or ECDH key agreement. */
function contentKey(recipients: Node, certificate: X509Certificate, key: KeyObject): Buffer | undefined {
  const wanted = issuerAndSerial(certificate);
  for (const r of recipients.children) {
    if (r.tag === TAG.sequence && r.children[1]?.raw.equals(wanted)) {
      return privateDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, child(r, 3, 'encrypted key').content);
    }
    // [1] KeyAgreeRecipientInfo: one originator key, possibly several recipients.
    if (r.tag === 0xa1 && key.asymmetricKeyType === 'ec') {
      const cek = openKeyAgree(r, certificate, key);
      if (cek) return cek;
    }
  }
  return undefined;
}

/** Opens a CMS EnvelopedData addressed to `certificate` (RSA key transport or EC key agreement); throws DerError when it is not. */
export function openEnvelope(bytes: Uint8Array, certificate: X509Certificate, key: KeyObject): Buffer {
  const ci = parseDer(bytes);
  if (readOid(child(ci, 0, 'content type')) !== OID.envelopedData) throw new DerError('not a CMS EnvelopedData');
  const ed = child(child(ci, 1, 'enveloped data'), 0, 'EnvelopedData');
  // version, [0] originatorInfo (optional), recipientInfos, encryptedContentInfo
  let i = 1;
  if (ed.children[i]?.tag === 0xa0) i++;
  const recipients = child(ed, i, 'recipient infos');
  const eci = child(ed, i + 1, 'encrypted content info');
  const cek = contentKey(recipients, certificate, key);
  if (!cek) throw new DerError('the profile is not encrypted to this certificate');
  const alg = child(eci, 1, 'content encryption algorithm');
  const cipher = CIPHER_BY_OID[readOid(child(alg, 0, 'cipher'))];
  if (!cipher) throw new DerError('unsupported content cipher');
  const iv = child(alg, 1, 'iv').content;
  const encrypted = child(eci, 2, 'encrypted content').content;
  const d = createDecipheriv(cipher, cek, iv);
  return Buffer.concat([d.update(encrypted), d.final()]);
}
