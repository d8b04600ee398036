import { createHash, sign } from 'node:crypto';
import { ctx, int, octets, oid, seq, setOf, time } from './der';
import { OID } from './oids';
import type { Signer } from './signer';

/** Options of `signContent`. */
export interface SignOptions {
  /** signingTime attribute; `null` leaves it out (then RSA signatures are byte-for-byte reproducible). Default now. */
  readonly signingTime?: Date | null;
}

const attribute = (type: string, value: Buffer): Buffer => seq(oid(type), setOf(value));
const CONTENT_TYPE_ATTR = attribute(OID.contentType, oid(OID.data));
const DATA_OID = oid(OID.data);
const SIGNED_DATA_OID = oid(OID.signedData);
const V1 = int(1);

/**
 * DER CMS SignedData over `content` with the content encapsulated, SHA-256 and the signer's chain: what
 * `openssl smime -sign -nodetach -binary -outform der` makes. The signature itself is node:crypto's.
 */
export function signContent(content: Uint8Array, signer: Signer, options: SignOptions = {}): Buffer {
  const p = signer.parts;
  const digest = createHash('sha256').update(content).digest();
  const signingTime = options.signingTime === undefined ? new Date() : options.signingTime;
  const attrs = [CONTENT_TYPE_ATTR, attribute(OID.messageDigest, octets(digest))];
  if (signingTime) attrs.push(attribute(OID.signingTime, time(signingTime)));
  // The signature covers the attributes as a DER SET; inside SignerInfo they sit under an implicit [0].
  const signedAttrs = setOf(...attrs);
  const signature = p.dsaEncoding ? sign('sha256', signedAttrs, { key: signer.key, dsaEncoding: 'der' }) : sign('sha256', signedAttrs, signer.key);
  const implicitAttrs = Buffer.from(signedAttrs);
  implicitAttrs[0] = 0xa0;
  const signerInfo = seq(V1, p.sid, p.digestAlgorithm, implicitAttrs, p.signatureAlgorithm, octets(signature));
  const signedData = seq(V1, setOf(p.digestAlgorithm), seq(DATA_OID, ctx(0, octets(content))), p.certificates, setOf(signerInfo));
  return seq(SIGNED_DATA_OID, ctx(0, signedData));
}
