/** When an entry counts as a disabled account. */
export type DisabledRule =
  | { readonly kind: 'none' }
  /** A bit set in an integer attribute, as AD's userAccountControl ACCOUNTDISABLE (2). */
  | { readonly kind: 'flag-bit'; readonly attribute: string; readonly bit: number }
  /** The attribute exists, as OpenLDAP ppolicy's pwdAccountLockedTime. */
  | { readonly kind: 'present'; readonly attribute: string }
  /** The attribute holds one of these values (compared case-insensitively). */
  | { readonly kind: 'equals'; readonly attribute: string; readonly values: readonly string[] };

/** How group membership is resolved to nested members. */
export type NestedGroupStrategy = 'matching-rule-in-chain' | 'expand';

/** Which change counter an incremental sync follows. */
export type WatermarkKind = 'usn' | 'modifyTimestamp' | 'contextCSN';

/** Directory attribute names for each owner field. */
export interface AttributeMap {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly upn?: string;
  readonly displayName?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** Multi-valued e-mail aliases (AD proxyAddresses, "SMTP:" marks the primary). */
  readonly aliases?: string;
  readonly memberOf?: string;
  readonly certificate?: string;
}

/** Everything that differs between directory products. */
export interface DirectoryPreset {
  readonly name: 'ad' | 'openldap';
  /** Filter selecting user entries; combined with the caller's filter. */
  readonly userFilter: string;
  readonly groupFilter: string;
  readonly attributes: AttributeMap;
  /** How the id attribute is encoded: AD's objectGUID is 16 bytes in Microsoft's mixed-endian order. */
  readonly idFormat: 'guid-binary' | 'text';
  readonly disabled: DisabledRule;
  readonly nestedGroups: NestedGroupStrategy;
  readonly watermark: WatermarkKind;
  /** Attributes to copy verbatim into owner.attributes. */
  readonly extraAttributes: readonly string[];
}

export const ACTIVE_DIRECTORY: DirectoryPreset = {
  name: 'ad',
  userFilter: '(&(objectCategory=person)(objectClass=user))',
  groupFilter: '(objectClass=group)',
  attributes: {
    id: 'objectGUID',
    username: 'sAMAccountName',
    email: 'mail',
    upn: 'userPrincipalName',
    displayName: 'displayName',
    firstName: 'givenName',
    lastName: 'sn',
    aliases: 'proxyAddresses',
    memberOf: 'memberOf',
    certificate: 'userCertificate',
  },
  idFormat: 'guid-binary',
  disabled: { kind: 'flag-bit', attribute: 'userAccountControl', bit: 2 },
  nestedGroups: 'matching-rule-in-chain',
  watermark: 'usn',
  extraAttributes: [],
};

export const OPENLDAP: DirectoryPreset = {
  name: 'openldap',
  userFilter: '(objectClass=inetOrgPerson)',
  groupFilter: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))',
  attributes: {
    id: 'entryUUID',
    username: 'uid',
    email: 'mail',
    displayName: 'cn',
    firstName: 'givenName',
    lastName: 'sn',
    memberOf: 'memberOf',
    certificate: 'userCertificate',
  },
  idFormat: 'text',
  // ppolicy's lock marker; any other attribute can be chosen with `disabled`.
  disabled: { kind: 'present', attribute: 'pwdAccountLockedTime' },
  nestedGroups: 'expand',
  watermark: 'modifyTimestamp',
  extraAttributes: [],
};

export const PRESETS: Readonly<Record<DirectoryPreset['name'], DirectoryPreset>> = { ad: ACTIVE_DIRECTORY, openldap: OPENLDAP };

/** Changes to a preset; `attributes` entries replace single mappings (an empty string removes an optional one). */
export interface PresetOverrides {
  readonly userFilter?: string;
  readonly groupFilter?: string;
  readonly attributes?: Partial<Record<keyof AttributeMap, string>>;
  readonly idFormat?: DirectoryPreset['idFormat'];
  readonly disabled?: DisabledRule;
  readonly nestedGroups?: NestedGroupStrategy;
  readonly watermark?: WatermarkKind;
  readonly extraAttributes?: readonly string[];
}

/** A named preset with the caller's changes applied. */
export function resolvePreset(name: DirectoryPreset['name'], overrides: PresetOverrides = {}): DirectoryPreset {
  return applyOverrides(PRESETS[name], overrides);
}

/** Any preset with the caller's changes applied. */
export function applyOverrides(base: DirectoryPreset, overrides: PresetOverrides = {}): DirectoryPreset {
  const attributes: Record<string, string | undefined> = { ...base.attributes };
  for (const [key, value] of Object.entries(overrides.attributes ?? {})) {
    if (value === undefined) continue;
    if (value === '' && (key === 'id' || key === 'username' || key === 'email')) throw new Error(`the ${key} attribute mapping cannot be empty`);
    attributes[key] = value === '' ? undefined : value;
  }
  return {
    ...base,
    ...stripUndefined({
      userFilter: overrides.userFilter,
      groupFilter: overrides.groupFilter,
      idFormat: overrides.idFormat,
      disabled: overrides.disabled,
      nestedGroups: overrides.nestedGroups,
      watermark: overrides.watermark,
      extraAttributes: overrides.extraAttributes,
    }),
    attributes: attributes as unknown as AttributeMap,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The attribute holding the change counter of a watermark kind. */
export function watermarkAttribute(kind: WatermarkKind): string {
  return kind === 'usn' ? 'uSNChanged' : kind === 'contextCSN' ? 'entryCSN' : 'modifyTimestamp';
}

/** Attributes to request for a preset, certificates in both plain and ;binary form (servers differ). */
export function requestedAttributes(preset: DirectoryPreset): { attributes: string[]; binary: string[] } {
  const a = preset.attributes;
  const names = [a.id, a.username, a.email, a.upn, a.displayName, a.firstName, a.lastName, a.aliases, a.memberOf, ...preset.extraAttributes];
  if (preset.disabled.kind !== 'none') names.push(preset.disabled.attribute);
  names.push(watermarkAttribute(preset.watermark));
  const binary: string[] = [];
  if (preset.idFormat === 'guid-binary') binary.push(a.id);
  if (a.certificate !== undefined) {
    names.push(a.certificate, `${a.certificate};binary`);
    binary.push(a.certificate, `${a.certificate};binary`);
  }
  const unique = (xs: (string | undefined)[]): string[] => [...new Map(xs.filter((x): x is string => x !== undefined && x !== '').map((x) => [x.toLowerCase(), x])).values()];
  return { attributes: unique(names), binary: unique(binary) };
}
