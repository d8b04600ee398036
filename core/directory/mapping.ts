import type { Owner } from '../owners/owner';
import { parseEmail } from '../owners/email';
import { preferredCertificate, readCertificate, type CertificateIdentity } from './certificates';
import type { DirectoryDiagnostic } from './diagnostics';
import { EntryValues, formatGuid } from './entry';
import type { DirectoryPreset, DisabledRule } from './presets';

/** One directory entry turned into an owner, or the reason it could not be. */
export type EntryMapping =
  | { readonly kind: 'owner'; readonly owner: Owner; readonly identities: readonly CertificateIdentity[]; readonly diagnostics: readonly DirectoryDiagnostic[] }
  /** `id` is known when only other data was unusable: a sync then keeps the last known owner instead of disabling it. */
  | { readonly kind: 'skipped'; readonly id?: string; readonly dn: string; readonly diagnostics: readonly DirectoryDiagnostic[] };

/** Options of the mapping that are not part of the preset. */
export interface MappingOptions {
  /** NetBIOS domain for owner.domain (AD: DOMAIN\user in the EAS UserName). */
  readonly domain?: string;
  readonly now?: Date;
}

/** Reads the stable id: objectGUID as its canonical string, entryUUID as is. */
export function entryId(values: EntryValues, preset: DirectoryPreset): string | undefined {
  if (preset.idFormat === 'guid-binary') {
    const raw = values.buffers(preset.attributes.id)[0];
    if (raw === undefined) return undefined;
    // Some servers return the GUID as text when asked through a gateway; accept that form too.
    if (raw.length !== 16) return /^[0-9a-f-]{36}$/i.test(raw.toString('utf8')) ? raw.toString('utf8').toLowerCase() : undefined;
    return formatGuid(raw);
  }
  return values.first(preset.attributes.id)?.toLowerCase();
}

/** True when the entry is a disabled account under the preset's rule. */
export function isDisabled(values: EntryValues, rule: DisabledRule): boolean {
  switch (rule.kind) {
    case 'none':
      return false;
    case 'present':
      return values.has(rule.attribute);
    case 'equals': {
      const wanted = new Set(rule.values.map((v) => v.toLowerCase()));
      return values.strings(rule.attribute).some((v) => wanted.has(v.trim().toLowerCase()));
    }
    case 'flag-bit': {
      const raw = values.first(rule.attribute);
      if (raw === undefined || !/^-?\d+$/.test(raw)) return false;
      // userAccountControl is a signed 32-bit integer; BigInt keeps high bits exact.
      return (BigInt.asUintN(32, BigInt(raw)) & BigInt(rule.bit)) !== 0n;
    }
  }
}

function primaryFromAliases(aliases: readonly string[]): string | undefined {
  // In proxyAddresses the upper-case "SMTP:" prefix marks the primary address.
  return aliases.find((a) => a.startsWith('SMTP:'))?.slice(5);
}

/** Maps one entry to an owner with its certificate-only identities. */
export function mapEntry(values: EntryValues, preset: DirectoryPreset, options: MappingOptions = {}): EntryMapping {
  const a = preset.attributes;
  const dn = values.dn;
  const diagnostics: DirectoryDiagnostic[] = [];
  const id = entryId(values, preset);
  if (id === undefined) {
    return { kind: 'skipped', dn, diagnostics: [{ code: 'missing-id', severity: 'error', path: dn, message: `${dn} has no ${a.id}; it cannot be tracked and was skipped` }] };
  }
  const aliases = values.strings(a.aliases);
  const rawEmail = values.first(a.email) ?? primaryFromAliases(aliases);
  if (rawEmail === undefined) {
    return { kind: 'skipped', id, dn, diagnostics: [{ code: 'missing-email', severity: 'warning', path: dn, message: `${dn} has no ${a.email} address; skipped` }] };
  }
  const email = parseEmail(rawEmail);
  if (!email.ok) {
    return { kind: 'skipped', id, dn, diagnostics: [{ code: 'invalid-email', severity: 'warning', path: dn, message: `${dn}: ${email.message}; skipped` }] };
  }
  let unique: CertificateIdentity[] = [];
  const certificates = values.buffers(a.certificate);
  // Most entries carry no certificate: skip the bookkeeping for them (this runs 100k times per read).
  if (certificates.length > 0) {
    const now = options.now ?? new Date();
    const identities: CertificateIdentity[] = [];
    for (const der of certificates) {
      const read = readCertificate(der, { id, email: email.email, upn: values.first(a.upn) }, dn, now);
      if (read.ok) identities.push(read.identity);
      else diagnostics.push({ code: 'bad-certificate', severity: 'warning', path: dn, message: read.message });
    }
    unique = [...new Map(identities.map((i) => [i.fingerprint, i])).values()];
  }
  const preferred = unique.length > 0 ? preferredCertificate(unique) : undefined;
  if (unique.length > 0 && preferred === undefined) {
    diagnostics.push({ code: 'expired-certificate', severity: 'warning', path: dn, message: `no certificate of ${dn} is valid now; the owner gets no identity` });
  }
  for (const ranged of values.ranged) {
    diagnostics.push({ code: 'ranged-attribute', severity: 'warning', path: dn, message: `${dn}: the server returned only part of ${ranged} (ranged retrieval, more than its MaxValRange values); the owner's data may be incomplete` });
  }
  const smtpAliases = aliases.filter((x) => /^smtp:/i.test(x)).map((x) => x.slice(5));
  const attributes: Record<string, string> = { dn };
  if (smtpAliases.length > 0) attributes.aliases = smtpAliases.join(' ');
  for (const extra of preset.extraAttributes) {
    const v = values.strings(extra);
    if (v.length > 0) attributes[extra] = v.join('\n');
  }
  const groups = values.strings(a.memberOf);
  // Owners travel as JSON: absent fields are left out rather than carried as `undefined`.
  const owner: { -readonly [K in keyof Owner]: Owner[K] } = { id, email: email.email, source: 'ldap' };
  const username = values.first(a.username);
  if (username !== undefined) owner.username = username;
  const upn = values.first(a.upn);
  if (upn !== undefined) owner.upn = upn;
  const displayName = values.first(a.displayName);
  if (displayName !== undefined) owner.displayName = displayName;
  const firstName = values.first(a.firstName);
  if (firstName !== undefined) owner.firstName = firstName;
  const lastName = values.first(a.lastName);
  if (lastName !== undefined) owner.lastName = lastName;
  if (options.domain !== undefined) owner.domain = options.domain;
  if (groups.length > 0) owner.groups = groups.sort();
  if (preferred) owner.identityRef = `sha256:${preferred.fingerprint}`;
  if (isDisabled(values, preset.disabled)) owner.disabled = true;
  owner.attributes = attributes;
  return { kind: 'owner', owner, identities: unique, diagnostics };
}
