import { createHash, type KeyObject, type X509Certificate } from 'node:crypto';
import { keyMatches, type Identity } from '../certs';
import { NULL, ctx, oid, seq } from './der';
import { commonName, issuerAndSerial, orderChain } from './certificates';
import { ProfileInputError } from './errors';
import { OID } from './oids';

/** A signing identity with everything that does not change between profiles encoded once. */
export interface Signer {
  readonly certificate: X509Certificate;
  readonly chain: readonly X509Certificate[];
  readonly key: KeyObject;
  readonly source: string;
  /** DER pieces of the SignedData that are the same for every profile. */
  readonly parts: {
    readonly sid: Buffer;
    readonly digestAlgorithm: Buffer;
    readonly signatureAlgorithm: Buffer;
    readonly certificates: Buffer;
    /** Signature call: ECDSA signatures in DER, as CMS wants them. */
    readonly dsaEncoding?: 'der';
  };
}

/** Options of `createSigner`. */
export interface SignerOptions {
  /** Extra certificates (intermediates); only those that chain above the signer are included. */
  readonly extraChain?: readonly X509Certificate[];
  /** Time the certificate must be valid at (default now). */
  readonly now?: Date;
}

/** Checks a signing identity (key matches, certificate valid, RSA or ECDSA) and prepares it for `signContent`. */
export function createSigner(identity: Identity, options: SignerOptions = {}): Signer {
  const { privateKey: key, certificate } = identity;
  const source = identity.fileName ?? 'the signing identity';
  if (!keyMatches(certificate, key)) throw new ProfileInputError(`${source}: the signing certificate does not match its private key.`, source);
  const now = options.now ?? new Date();
  if (new Date(certificate.validTo) < now) {
    throw new ProfileInputError(`${source}: the signing certificate ${commonName(certificate.subject)} expired on ${new Date(certificate.validTo).toISOString().slice(0, 10)}.`, source);
  }
  if (new Date(certificate.validFrom) > now) throw new ProfileInputError(`${source}: the signing certificate is not valid before ${certificate.validFrom}.`, source);
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new ProfileInputError(`${source}: signing keys must be RSA or ECDSA, not ${type ?? 'unknown'}.`, source);
  const pool = [...identity.chain, ...(options.extraChain ?? [])];
  const chain = orderChain(certificate, pool);
  return {
    certificate,
    chain,
    key,
    source,
    parts: {
      sid: issuerAndSerial(certificate),
      digestAlgorithm: seq(oid(OID.sha256)),
      signatureAlgorithm: type === 'rsa' ? seq(oid(OID.rsaEncryption), NULL) : seq(oid(OID.ecdsaWithSHA256)),
      certificates: ctx(0, certificate.raw, ...chain.map((c) => c.raw)),
      ...(type === 'ec' ? { dsaEncoding: 'der' as const } : {}),
    },
  };
}

/** SHA-256 fingerprint of a certificate, hex. */
export const fingerprint = (c: X509Certificate): string => createHash('sha256').update(c.raw).digest('hex');
