import { X509Certificate, createHash, verify } from 'node:crypto';
import { DerError, TAG, child, parseDer, readOid, readTime, type Node } from './der';
import { issuerAndSerial } from './certificates';
import { DIGEST_BY_OID, OID } from './oids';

/** A CMS SignedData as read, with the outcome of checking its one signature. */
export interface SignedDataInfo {
  readonly content: Buffer;
  readonly certificates: readonly X509Certificate[];
  /** Certificate of the signer, when it is among the included ones. */
  readonly signer?: X509Certificate;
  readonly signingTime?: Date;
  readonly signature: { readonly valid: true } | { readonly valid: false; readonly reason: string };
}

const RSA_SIGNATURES: ReadonlySet<string> = new Set([OID.rsaEncryption, OID.sha1WithRSA, OID.sha256WithRSA, OID.sha384WithRSA, OID.sha512WithRSA]);
const EC_SIGNATURES: ReadonlySet<string> = new Set([OID.ecdsaWithSHA256, OID.ecdsaWithSHA384, OID.ecdsaWithSHA512]);

function attributes(signedAttrs: Node | undefined): Map<string, Node> {
  const m = new Map<string, Node>();
  for (const a of signedAttrs?.children ?? []) {
    const values = child(a, 1, 'attribute values');
    m.set(readOid(child(a, 0, 'attribute type')), child(values, 0, 'attribute value'));
  }
  return m;
}

function checkSignature(si: Node, content: Buffer, signer: X509Certificate | undefined): SignedDataInfo['signature'] & { signingTime?: Date } {
  if (!signer) return { valid: false, reason: 'the signer certificate is not included' };
  const digestName = DIGEST_BY_OID[readOid(child(child(si, 2, 'digest algorithm'), 0, 'digest oid'))];
  if (!digestName) return { valid: false, reason: 'unsupported digest algorithm' };
  let i = 3;
  const signedAttrs = si.children[i]?.tag === 0xa0 ? si.children[i++] : undefined;
  const sigAlg = readOid(child(child(si, i++, 'signature algorithm'), 0, 'signature oid'));
  const signature = child(si, i, 'signature').content;
  let data = content;
  let signingTime: Date | undefined;
  if (signedAttrs) {
    const attrs = attributes(signedAttrs);
    const md = attrs.get(OID.messageDigest);
    if (!md || !md.content.equals(createHash(digestName).update(content).digest())) return { valid: false, reason: 'the content does not match its digest' };
    const st = attrs.get(OID.signingTime);
    signingTime = st ? readTime(st) : undefined;
    // The signature covers the attributes re-tagged as a SET.
    data = Buffer.from(signedAttrs.raw);
    data[0] = 0x31;
  }
  let ok: boolean;
  if (RSA_SIGNATURES.has(sigAlg)) ok = verify(digestName, data, signer.publicKey, signature);
  else if (EC_SIGNATURES.has(sigAlg)) ok = verify(digestName, data, { key: signer.publicKey, dsaEncoding: 'der' }, signature);
  else return { valid: false, reason: `unsupported signature algorithm ${sigAlg}` };
  return ok ? { valid: true, signingTime } : { valid: false, reason: 'the signature does not match', signingTime };
}

/** Reads a DER/BER CMS SignedData with encapsulated content and checks its signature; throws DerError when it is not one. */
export function readSignedData(bytes: Uint8Array): SignedDataInfo {
  const ci = parseDer(bytes);
  if (readOid(child(ci, 0, 'content type')) !== OID.signedData) throw new DerError('not a CMS SignedData');
  const sd = child(child(ci, 1, 'signed data'), 0, 'SignedData');
  const encap = child(sd, 2, 'encapsulated content');
  const explicit = encap.children[1];
  if (!explicit) throw new DerError('the content is detached, not encapsulated');
  const content = child(explicit, 0, 'content').content;
  let i = 3;
  const certificates: X509Certificate[] = [];
  if (sd.children[i]?.tag === 0xa0) {
    for (const c of sd.children[i].children) {
      try {
        certificates.push(new X509Certificate(c.raw));
      } catch {
        // Attribute certificates and broken ones are not signers; skip them.
      }
    }
    i++;
  }
  if (sd.children[i]?.tag === 0xa1) i++;
  const signerInfos = child(sd, i, 'signer infos');
  if (signerInfos.tag !== TAG.set) throw new DerError('signer infos missing');
  const si = child(signerInfos, 0, 'signer info');
  const sid = child(si, 1, 'signer identifier');
  const signer = sid.tag === TAG.sequence ? certificates.find((c) => issuerAndSerial(c).equals(sid.raw)) : undefined;
  let checked: ReturnType<typeof checkSignature>;
  try {
    checked = checkSignature(si, content, signer);
  } catch (e) {
    checked = { valid: false, reason: e instanceof DerError ? e.message : 'the signature cannot be checked' };
  }
  const { signingTime, ...signature } = checked;
  return { content, certificates, ...(signer ? { signer } : {}), ...(signingTime ? { signingTime } : {}), signature };
}
