import type { KeyObject, X509Certificate } from 'node:crypto';
import { isPlainObject, validateProfile } from '../eas';
import { chainVerifies, commonName, isSelfSigned } from './certificates';
import { profileDiagnostic, type ProfileDiagnostic } from './codes';
import { readSignedData, type SignedDataInfo } from './cms-read';
import { DerError } from './der';
import { openEnvelope } from './decrypt';
import { parsePlist } from './plist-io';

/** Options of `inspect`. */
export interface InspectOptions {
  /** Trusted CA certificates; without them the chain is checked against a root included in the profile. */
  readonly ca?: readonly X509Certificate[];
  /** Time to check validity at (default now). */
  readonly now?: Date;
  /** The device identity an encrypted profile is addressed to: its payloads are then decrypted and checked too. */
  readonly decryptWith?: { readonly certificate: X509Certificate; readonly privateKey: KeyObject };
}

/** One payload of the profile, in brief. */
export interface PayloadSummary {
  readonly type: string;
  readonly identifier?: string;
  readonly uuid?: string;
  readonly displayName?: string;
}

/** The signer's certificate, in brief. */
export interface SignerSummary {
  readonly subject: string;
  readonly commonName: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly expired: boolean;
}

export type SignatureStatus = { readonly status: 'absent' } | { readonly status: 'valid' } | { readonly status: 'invalid'; readonly reason: string };

export type ChainStatus =
  | { readonly status: 'not-checked' }
  | { readonly status: 'verified'; readonly anchor: 'given-ca' | 'embedded-root' }
  | { readonly status: 'failed'; readonly reason: string };

/** What `inspect` found out about a `.mobileconfig`. */
export interface InspectReport {
  readonly format: 'unsigned' | 'signed' | 'unreadable';
  readonly encrypted: boolean;
  readonly signature: SignatureStatus;
  readonly chain: ChainStatus;
  readonly signer?: SignerSummary;
  readonly signingTime?: string;
  readonly profile?: {
    readonly identifier?: string;
    readonly uuid?: string;
    readonly displayName?: string;
    readonly organization?: string;
    readonly expirationDate?: string;
    readonly removalDate?: string;
    readonly payloads: readonly PayloadSummary[];
  };
  readonly diagnostics: readonly ProfileDiagnostic[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const date = (v: unknown): string | undefined => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : undefined);

function summarise(profile: Record<string, unknown>): NonNullable<InspectReport['profile']> {
  const content = Array.isArray(profile.PayloadContent) ? profile.PayloadContent : [];
  return {
    identifier: str(profile.PayloadIdentifier),
    uuid: str(profile.PayloadUUID),
    displayName: str(profile.PayloadDisplayName),
    organization: str(profile.PayloadOrganization),
    expirationDate: date(profile.PayloadExpirationDate),
    removalDate: date(profile.RemovalDate),
    payloads: content.filter(isPlainObject).map((p) => ({
      type: str(p.PayloadType) ?? '(none)',
      identifier: str(p.PayloadIdentifier),
      uuid: str(p.PayloadUUID),
      displayName: str(p.PayloadDisplayName),
    })),
  };
}

function signerSummary(c: X509Certificate, now: Date): SignerSummary {
  const notBefore = new Date(c.validFrom);
  const notAfter = new Date(c.validTo);
  return {
    subject: c.subject.replace(/\n/g, ', '),
    commonName: commonName(c.subject),
    issuer: c.issuer.replace(/\n/g, ', '),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    expired: now < notBefore || now > notAfter,
  };
}

function checkChain(sd: SignedDataInfo, options: InspectOptions, now: Date): ChainStatus {
  if (!sd.signer) return { status: 'failed', reason: 'the signer certificate is not included' };
  const others = sd.certificates.filter((c) => !c.raw.equals(sd.signer?.raw ?? Buffer.alloc(0)));
  if (options.ca && options.ca.length > 0) {
    const r = chainVerifies(sd.signer, others, options.ca, now);
    return r.ok ? { status: 'verified', anchor: 'given-ca' } : { status: 'failed', reason: r.reason };
  }
  const roots = sd.certificates.filter(isSelfSigned);
  if (roots.length === 0) return { status: 'not-checked' };
  const r = chainVerifies(sd.signer, others, roots, now);
  return r.ok ? { status: 'verified', anchor: 'embedded-root' } : { status: 'failed', reason: r.reason };
}

/** The decrypted PayloadContent array, or why it could not be had. */
function decryptContent(bytes: Uint8Array, id: NonNullable<InspectOptions['decryptWith']>): unknown[] | string {
  let plain: Buffer;
  try {
    plain = openEnvelope(bytes, id.certificate, id.privateKey);
  } catch (e) {
    return e instanceof DerError ? e.message : 'wrong key or damaged data';
  }
  try {
    const content = parsePlist(plain);
    return Array.isArray(content) ? content : 'the decrypted content is not a list of payloads';
  } catch {
    return 'the decrypted content is not a property list';
  }
}

function looksLikePlist(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64)).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  return head.startsWith('<') || head.startsWith('bplist');
}

/** Reads an unsigned, signed or encrypted profile and reports signer, signature, chain, payloads and diagnostics; never throws. */
export function inspect(bytes: Uint8Array, options: InspectOptions = {}): InspectReport {
  try {
    return inspectUnsafe(bytes, options);
  } catch {
    // A last guard: hostile input must give a report, not a crash.
    return { format: 'unreadable', encrypted: false, signature: { status: 'absent' }, chain: { status: 'not-checked' }, diagnostics: [profileDiagnostic('profile-unreadable', '', 'The file cannot be read as a profile.')] };
  }
}

function inspectUnsafe(bytes: Uint8Array, options: InspectOptions): InspectReport {
  const now = options.now ?? new Date();
  const diagnostics: ProfileDiagnostic[] = [];
  let format: InspectReport['format'] = 'unsigned';
  let signature: SignatureStatus = { status: 'absent' };
  let chain: ChainStatus = { status: 'not-checked' };
  let signer: SignerSummary | undefined;
  let signingTime: string | undefined;
  let content: Uint8Array = bytes;
  const unreadable = (message: string): InspectReport => ({
    format: 'unreadable',
    encrypted: false,
    signature,
    chain,
    diagnostics: [...diagnostics, profileDiagnostic('profile-unreadable', '', message)],
  });

  if (!looksLikePlist(bytes)) {
    if (bytes[0] !== 0x30) return unreadable('This is neither a property list nor a signed profile (CMS).');
    format = 'signed';
    let sd: SignedDataInfo;
    try {
      sd = readSignedData(bytes);
    } catch {
      signature = { status: 'invalid', reason: 'the signed data cannot be read' };
      diagnostics.push(profileDiagnostic('signature-invalid', '', 'The signature does not verify: the signed data is damaged and cannot be read.'));
      return { format, encrypted: false, signature, chain, diagnostics };
    }
    content = sd.content;
    signature = sd.signature.valid ? { status: 'valid' } : { status: 'invalid', reason: sd.signature.reason };
    if (!sd.signature.valid) diagnostics.push(profileDiagnostic('signature-invalid', '', `The signature does not verify: ${sd.signature.reason}.`));
    if (sd.signer) {
      signer = signerSummary(sd.signer, now);
      if (signer.expired) diagnostics.push(profileDiagnostic('signer-expired', '', `The signing certificate ${signer.commonName} is not valid now (valid ${signer.notBefore.slice(0, 10)} to ${signer.notAfter.slice(0, 10)}).`));
    }
    if (sd.signingTime) signingTime = sd.signingTime.toISOString();
    chain = checkChain(sd, options, now);
    if (chain.status === 'failed') diagnostics.push(profileDiagnostic('chain-untrusted', '', `The signer's chain does not verify: ${chain.reason}.`));
    if (chain.status === 'not-checked' && sd.signer) {
      diagnostics.push(profileDiagnostic('chain-not-checked', '', 'No CA was given and the profile holds no root certificate: the chain was not checked (give the CA to check it).'));
    }
  } else {
    diagnostics.push(profileDiagnostic('unsigned-profile', '', 'The profile is not signed; devices show it as "Not Verified".'));
  }

  let parsed: unknown;
  try {
    parsed = parsePlist(content);
  } catch {
    return { ...unreadable('The profile content is not a readable property list.'), ...(format === 'signed' ? { format } : {}), ...(signer ? { signer } : {}) };
  }
  if (!isPlainObject(parsed)) return { ...unreadable('The property list is not a dictionary, so not a configuration profile.'), ...(format === 'signed' ? { format } : {}) };
  let profile: Record<string, unknown> = parsed;
  const encrypted = profile.EncryptedPayloadContent !== undefined && profile.PayloadContent === undefined;
  if (encrypted) {
    const opened = options.decryptWith && profile.EncryptedPayloadContent instanceof Uint8Array ? decryptContent(profile.EncryptedPayloadContent, options.decryptWith) : undefined;
    if (opened === undefined) {
      diagnostics.push(profileDiagnostic('encrypted-content', 'EncryptedPayloadContent', 'The payloads are encrypted to one device; decrypt with its key to check them.'));
    } else if (typeof opened === 'string') {
      diagnostics.push(profileDiagnostic('encrypted-content', 'EncryptedPayloadContent', `The payloads cannot be decrypted: ${opened}.`));
    } else {
      profile = { ...profile, PayloadContent: opened };
      diagnostics.push(...validateProfile(profile, { encrypted: true }).diagnostics);
    }
  } else {
    diagnostics.push(...validateProfile(profile).diagnostics);
  }
  return {
    format,
    encrypted,
    signature,
    chain,
    ...(signer ? { signer } : {}),
    ...(signingTime ? { signingTime } : {}),
    profile: summarise(profile),
    diagnostics,
  };
}
