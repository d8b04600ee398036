import { constants, createDecipheriv, privateDecrypt, type KeyObject, type X509Certificate } from 'node:crypto';
import { DerError, TAG, child, parseDer, readOid } from './der';
import { issuerAndSerial } from './certificates';
import { OID } from './oids';

const CIPHER_BY_OID: Readonly<Record<string, string>> = {
  [OID.aes128Cbc]: 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  [OID.aes256Cbc]: 'aes-256-cbc',
  '1.2.840.113549.3.7': 'des-ede3-cbc',
};

/** Opens a CMS EnvelopedData addressed (key transport, RSA) to `certificate`; throws DerError when it cannot. */
export function openEnvelope(bytes: Uint8Array, certificate: X509Certificate, key: KeyObject): Buffer {
  const ci = parseDer(bytes);
  if (readOid(child(ci, 0, 'content type')) !== OID.envelopedData) throw new DerError('not a CMS EnvelopedData');
  const ed = child(child(ci, 1, 'enveloped data'), 0, 'EnvelopedData');
  // version, [0] originatorInfo (optional), recipientInfos, encryptedContentInfo
  let i = 1;
  if (ed.children[i]?.tag === 0xa0) i++;
  const recipients = child(ed, i, 'recipient infos');
  const eci = child(ed, i + 1, 'encrypted content info');
  const wanted = issuerAndSerial(certificate);
  const ktri = recipients.children.find((r) => r.tag === TAG.sequence && r.children[1]?.raw.equals(wanted));
  if (!ktri) throw new DerError('the profile is not encrypted to this certificate');
  const cek = privateDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, child(ktri, 3, 'encrypted key').content);
  const alg = child(eci, 1, 'content encryption algorithm');
  const cipher = CIPHER_BY_OID[readOid(child(alg, 0, 'cipher'))];
  if (!cipher) throw new DerError('unsupported content cipher');
  const iv = child(alg, 1, 'iv').content;
  const encrypted = child(eci, 2, 'encrypted content').content;
  const d = createDecipheriv(cipher, cek, iv);
  return Buffer.concat([d.update(encrypted), d.final()]);
}
