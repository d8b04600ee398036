import { createHash, type X509Certificate } from 'node:crypto';
import { DIAGNOSTIC_CODES, EAS_PAYLOAD_TYPE, validateProfile } from '../eas';
import type { Identity, Secret } from '../certs';
import type { Owner } from '../owners/owner';
import { commonName, isSelfSigned } from './certificates';
import { hasErrors, type ProfileDiagnostic } from './codes';
import { caIds, contentUuid, stableIds, type IdentitySeed, type ProfileIds } from './identifiers';
import { encodePkcs12Legacy } from './pkcs12-write';
import { toPlistXml } from './plist-io';
import { ownerVariables, renderTemplate, withDomain, type PayloadTemplate, type PlistDict } from './render';

/** Profile-wide settings shared by every owner of a run. */
export interface ProfileOptions {
  /** PayloadOrganization, and part of every stable identifier. */
  readonly organization?: string;
  /** Names the account when one organisation provisions several (default `exchange`); part of every stable identifier. */
  readonly account?: string;
  /** Reverse-DNS prefix of identifiers (default `com.eas-profiles`). */
  readonly identifierPrefix?: string;
  /** Top-level PayloadDisplayName (default: the template's PayloadDisplayName, else "Exchange ActiveSync"); may use variables. */
  readonly displayName?: string;
  /** Top-level PayloadDescription; may use variables. */
  readonly description?: string;
  /** ConsentText by language (`default`, `en`, …). */
  readonly consentText?: Readonly<Record<string, string>>;
  readonly removalDisallowed?: boolean;
  /** NetBIOS domain for owners without one of their own: UserName becomes DOMAIN\user. */
  readonly domain?: string;
  /** CA certificates a private Exchange server needs, added as root / pkcs1 payloads. */
  readonly caCertificates?: readonly X509Certificate[];
  /** The profile will be encrypted to the device (passwords inside are then protected). */
  readonly encrypted?: boolean;
  /** Target of validation, as `validate()` takes it. */
  readonly platform?: string;
  readonly osVersion?: string;
}

/** An owner's identity to embed as a PKCS#12 payload. */
export interface OwnerIdentity {
  readonly identity: Identity;
  /** Passphrase the re-encoded PKCS#12 is protected with. */
  readonly passphrase: string | Secret;
  /** Put the passphrase into the payload's Password (otherwise the device asks for it). */
  readonly includePassword?: boolean;
  /**
   * Which references to fill when the template leaves them empty. Default: S/MIME signing and encryption
   * where the template turns them on; client-certificate authentication when it turns no S/MIME on.
   */
  readonly use?: { readonly auth?: boolean; readonly smimeSigning?: boolean; readonly smimeEncryption?: boolean };
}

/** A profile for one owner, unsigned; `xml` is byte-identical for identical input. */
export interface BuiltProfile {
  readonly ok: true;
  readonly owner: string;
  readonly profile: PlistDict;
  readonly xml: Buffer;
  readonly ids: ProfileIds & { readonly profileUuid: string };
  /** SHA-256 (hex) of the profile without its PayloadUUID, from which that UUID derives. */
  readonly contentHash: string;
  /** Warnings (a built profile has no errors). */
  readonly diagnostics: readonly ProfileDiagnostic[];
}

export type BuildResult = BuiltProfile | { readonly ok: false; readonly owner: string; readonly diagnostics: readonly ProfileDiagnostic[] };

const PLACEHOLDER = 'CONTENT-HASH-PENDING-000000000000000';

const isOn = (v: unknown): boolean => v === true;

function linkIdentity(eas: PlistDict, uuid: string, use: OwnerIdentity['use']): void {
  const smimeOn = isOn(eas.SMIMEEnabled);
  const signing = use?.smimeSigning ?? (smimeOn || isOn(eas.SMIMESigningEnabled));
  const encryption = use?.smimeEncryption ?? (smimeOn || isOn(eas.SMIMEEncryptionEnabled) || isOn(eas.SMIMEEncryptByDefault));
  const auth = use?.auth ?? !(signing || encryption);
  if (auth && eas.PayloadCertificateUUID === undefined && eas.Certificate === undefined) eas.PayloadCertificateUUID = uuid;
  if (signing && eas.SMIMESigningCertificateUUID === undefined) eas.SMIMESigningCertificateUUID = uuid;
  if (encryption && eas.SMIMEEncryptionCertificateUUID === undefined) eas.SMIMEEncryptionCertificateUUID = uuid;
}

function certificatePayload(cert: X509Certificate, seed: IdentitySeed): PlistDict {
  const { uuid, identifier } = caIds(seed, cert.raw);
  const name = commonName(cert.subject);
  return {
    PayloadCertificateFileName: `${name.replace(/[^\w.-]+/g, '_')}.cer`,
    PayloadContent: cert.raw,
    PayloadDisplayName: name,
    PayloadIdentifier: identifier,
    PayloadType: isSelfSigned(cert) ? 'com.apple.security.root' : 'com.apple.security.pkcs1',
    PayloadUUID: uuid,
    PayloadVersion: 1,
  };
}

function identityPayload(id: OwnerIdentity, ids: ProfileIds, owner: Owner): PlistDict {
  const pass = typeof id.passphrase === 'string' ? id.passphrase : id.passphrase.reveal();
  const p: PlistDict = {
    PayloadCertificateFileName: `${owner.email.replace(/[^\w.@-]+/g, '_')}.p12`,
    PayloadContent: encodePkcs12Legacy(id.identity, pass),
    PayloadDisplayName: commonName(id.identity.certificate.subject),
    PayloadIdentifier: ids.identityIdentifier,
    PayloadType: 'com.apple.security.pkcs12',
    PayloadUUID: ids.identityUuid,
    PayloadVersion: 1,
  };
  if (id.includePassword) p.Password = pass;
  return p;
}

/** Top-level keys in alphabetical order, as Apple's tools write them. */
function sortKeys(d: PlistDict): PlistDict {
  return Object.fromEntries(Object.keys(d).sort().map((k) => [k, d[k]])) as PlistDict;
}

/** Identifiers of one owner's profile, known without building it. */
export function profileSeed(owner: Owner, options: ProfileOptions): IdentitySeed {
  return {
    organization: options.organization ?? '',
    account: options.account ?? 'exchange',
    owner: owner.id,
    prefix: options.identifierPrefix ?? 'com.eas-profiles',
  };
}

/**
 * Renders `template` for `owner` and assembles the unsigned profile: the EAS payload with only the identity
 * and CA payloads it uses, stable identifiers (decision 3), validated. Errors mean no profile for this owner.
 */
export function buildProfile(template: PayloadTemplate, owner: Owner, options: ProfileOptions = {}, identity?: OwnerIdentity): BuildResult {
  const label = owner.email || owner.id;
  const seed = profileSeed(owner, options);
  const ids = stableIds(seed);
  const vars = { ...ownerVariables(owner, options.domain), identity: identity ? ids.identityUuid : undefined };
  const rendered = renderTemplate(template, vars, label);
  const top = renderTemplate(
    { ...(options.displayName !== undefined ? { displayName: options.displayName } : {}), ...(options.description !== undefined ? { description: options.description } : {}) },
    vars,
    label,
  );
  if (!rendered.ok || !top.ok) {
    return { ok: false, owner: label, diagnostics: [...(rendered.ok ? [] : rendered.diagnostics), ...(top.ok ? [] : top.diagnostics)] };
  }
  const eas: PlistDict = { ...rendered.payload };
  const domain = owner.domain ?? options.domain;
  const userTemplate = template.UserName;
  if (typeof eas.UserName === 'string' && !(typeof userTemplate === 'string' && /\{\{\s*domain\s*\}\}/.test(userTemplate))) {
    eas.UserName = withDomain(eas.UserName, domain);
  }
  if (identity) linkIdentity(eas, ids.identityUuid, identity.use);
  Object.assign(eas, { PayloadIdentifier: ids.easIdentifier, PayloadType: EAS_PAYLOAD_TYPE, PayloadUUID: ids.easUuid, PayloadVersion: 1 });

  const content: PlistDict[] = [...(options.caCertificates ?? []).map((c) => certificatePayload(c, seed))];
  if (identity) content.push(identityPayload(identity, ids, owner));
  content.push(eas);

  const templateName = typeof rendered.payload.PayloadDisplayName === 'string' ? rendered.payload.PayloadDisplayName : undefined;
  const topValues = top.payload;
  const profile: PlistDict = {
    PayloadContent: content,
    PayloadDisplayName: (topValues.displayName as string | undefined) ?? templateName ?? 'Exchange ActiveSync',
    PayloadIdentifier: ids.profileIdentifier,
    PayloadType: 'Configuration',
    PayloadUUID: PLACEHOLDER,
    PayloadVersion: 1,
  };
  if (topValues.description !== undefined) profile.PayloadDescription = topValues.description;
  if (options.organization) profile.PayloadOrganization = options.organization;
  if (options.removalDisallowed !== undefined) profile.PayloadRemovalDisallowed = options.removalDisallowed;
  if (options.consentText) profile.ConsentText = { ...options.consentText };

  const validation = validateProfile(profile, { encrypted: options.encrypted ?? false, platform: options.platform, osVersion: options.osVersion });
  const diagnostics: ProfileDiagnostic[] = validation.diagnostics.map((d) => ({ ...d, owner: label }));
  const identityIndex = content.findIndex((p) => p.PayloadType === 'com.apple.security.pkcs12');
  if (identity?.includePassword && !options.encrypted) {
    diagnostics.push({
      code: 'password-not-encrypted',
      severity: DIAGNOSTIC_CODES['password-not-encrypted'].severity,
      path: `PayloadContent[${identityIndex}].Password`,
      message: 'The identity passphrase is readable by anyone who gets this profile: encrypt the profile to the device, or leave it out so the user types it.',
      owner: label,
    });
  }
  if (hasErrors(diagnostics)) return { ok: false, owner: label, diagnostics };

  const sorted = sortKeys(profile);
  const draft = toPlistXml(sorted);
  const contentHash = createHash('sha256').update(draft, 'utf8').digest('hex');
  const profileUuid = contentUuid(contentHash);
  sorted.PayloadUUID = profileUuid;
  // One serialisation: the placeholder is replaced in place unless a value happens to contain it too.
  const parts = draft.split(`<string>${PLACEHOLDER}</string>`);
  const xml = parts.length === 2 ? parts.join(`<string>${profileUuid}</string>`) : toPlistXml(sorted);
  return { ok: true, owner: label, profile: sorted, xml: Buffer.from(xml, 'utf8'), ids: { ...ids, profileUuid }, contentHash, diagnostics };
}

