import type { OwnerDiagnostic } from './diagnostics';

/** Owner fields a CSV column can fill. */
export type CsvField =
  | 'id'
  | 'email'
  | 'username'
  | 'upn'
  | 'displayName'
  | 'firstName'
  | 'lastName'
  | 'domain'
  | 'groups'
  | 'serialNumber'
  | 'udid'
  | 'source'
  | 'identityRef'
  | 'disabled';

/** Field → column header, as chosen or as given. */
export type CsvMapping = Partial<Record<CsvField, string>>;

export const CSV_FIELDS: readonly CsvField[] = [
  'id', 'email', 'username', 'upn', 'displayName', 'firstName', 'lastName', 'domain', 'groups', 'serialNumber', 'udid', 'source', 'identityRef', 'disabled',
];

/** Header prefix of free attributes on export, so they never collide with a field's alias on re-import. */
export const ATTRIBUTE_PREFIX = 'attr:';

// Headers are compared lower-cased, without accents, with everything but letters and digits removed ("E-mail",
// "Email Address" → "email", "emailaddress"; "Prénom" → "prenom"). Besides English, the usual headers of German, French,
// Spanish and Dutch HR exports are known; "Nom" and "Nombre" follow their languages (last and first name), while
// "Name" stays the display name.
const ALIASES: Record<CsvField, readonly string[]> = {
  id: ['id', 'ownerid', 'objectguid', 'guid', 'entryuuid', 'uuid'],
  email: [
    'email', 'emailaddress', 'mail', 'emailaddr', 'primaryemail', 'primarysmtpaddress', 'smtp', 'useremail', 'owneremail',
    'courriel', 'adresseemail', 'adressemail', 'emailadresse', 'mailadresse', 'correo', 'correoelectronico', 'emailadres',
  ],
  username: [
    'username', 'user', 'login', 'loginname', 'logonname', 'samaccountname', 'uid', 'accountname', 'ownerusername',
    'benutzername', 'anmeldename', 'nomdutilisateur', 'nombredeusuario', 'usuario', 'gebruikersnaam',
  ],
  upn: ['upn', 'userprincipalname', 'principalname'],
  displayName: ['displayname', 'name', 'fullname', 'cn', 'ownername', 'anzeigename', 'nomcomplet', 'nomaffiche', 'nombrecompleto', 'volledigenaam', 'weergavenaam'],
  firstName: ['firstname', 'givenname', 'forename', 'first', 'vorname', 'prenom', 'nombre', 'voornaam'],
  lastName: ['lastname', 'surname', 'sn', 'familyname', 'last', 'nachname', 'familienname', 'nom', 'nomdefamille', 'apellido', 'apellidos', 'achternaam'],
  domain: ['domain', 'netbiosdomain', 'addomain', 'windowsdomain', 'domane', 'domaine', 'dominio'],
  groups: ['groups', 'group', 'memberof', 'tags', 'gruppen', 'groupes', 'grupos', 'groepen'],
  serialNumber: [
    'serialnumber', 'serial', 'deviceserial', 'deviceserialnumber', 'serialno',
    'seriennummer', 'numerodeserie', 'numeroserie', 'serienummer',
  ],
  udid: ['udid', 'deviceudid'],
  source: ['source'],
  identityRef: ['identityref', 'identity', 'certificate', 'cert', 'certfile', 'p12'],
  disabled: ['disabled', 'inactive'],
};

const BY_ALIAS = new Map<string, CsvField>(CSV_FIELDS.flatMap((f) => ALIASES[f].map((a) => [a, f] as const)));

/** Lower-case letters and digits only, accents dropped, so spelling variants of a header compare equal. */
export function normaliseHeader(header: string): string {
  // Only the combining accents of Latin, Greek and Cyrillic letters go: other scripts' marks (the dakuten of Japanese
  // kana, Arabic hamza) make different words, and dropping them would merge headers such as パス and バス.
  return header.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Which column index feeds which field, and which columns become free attributes. */
export interface ResolvedColumns {
  readonly fields: Partial<Record<CsvField, number>>;
  readonly attributes: ReadonlyArray<{ readonly index: number; readonly key: string }>;
  readonly mapping: CsvMapping;
  readonly diagnostics: OwnerDiagnostic[];
}

/** Maps headers to fields: explicit mapping first (case-insensitive header names), then aliases; unknown headers become attributes. */
export function resolveColumns(headers: readonly string[], explicit: CsvMapping = {}, line = 1): ResolvedColumns {
  const fields: Partial<Record<CsvField, number>> = {};
  const used = new Set<number>();
  const diagnostics: OwnerDiagnostic[] = [];
  const trimmed = headers.map((h) => h.trim());
  for (const field of CSV_FIELDS) {
    const wanted = explicit[field];
    if (wanted === undefined) continue;
    const index = findHeader(trimmed, wanted);
    if (index < 0) {
      diagnostics.push({
        code: 'missing-column', severity: 'error', line, column: 0,
        message: `no column "${wanted}" for ${field} (columns: ${trimmed.join(', ')})`,
      });
    } else {
      fields[field] = index;
      used.add(index);
    }
  }
  trimmed.forEach((header, index) => {
    if (used.has(index)) return;
    const field = BY_ALIAS.get(normaliseHeader(header));
    if (field === undefined || explicit[field] !== undefined) return;
    if (fields[field] !== undefined) {
      diagnostics.push({
        code: 'ambiguous-column', severity: 'warning', line, column: index + 1,
        message: `column "${header}" also looks like ${field}; using "${trimmed[fields[field] as number]}"`,
      });
      return;
    }
    fields[field] = index;
    used.add(index);
  });
  const attributes = trimmed.flatMap((header, index) =>
    used.has(index) || header === '' ? [] : [{ index, key: header.startsWith(ATTRIBUTE_PREFIX) ? header.slice(ATTRIBUTE_PREFIX.length) : header }],
  );
  const mapping: CsvMapping = {};
  for (const field of CSV_FIELDS) if (fields[field] !== undefined) mapping[field] = trimmed[fields[field] as number];
  if (fields.email === undefined && explicit.email === undefined) {
    diagnostics.push({
      code: 'missing-column', severity: 'error', line, column: 0,
      message: `no e-mail column (looked for E-mail, Email Address, mail, …; columns: ${trimmed.join(', ')}); map one with --map email=<column>`,
    });
  }
  return { fields, attributes, mapping, diagnostics };
}

function findHeader(headers: readonly string[], wanted: string): number {
  const exact = headers.findIndex((h) => h.toLowerCase() === wanted.trim().toLowerCase());
  return exact >= 0 ? exact : headers.findIndex((h) => normaliseHeader(h) === normaliseHeader(wanted));
}

/** Parses `field=column` pairs (the CLI's --map), rejecting unknown fields. */
export function parseMapping(pairs: readonly string[]): CsvMapping {
  const mapping: CsvMapping = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = (eq < 0 ? '' : pair.slice(0, eq).trim()) as CsvField;
    if (eq < 0 || !CSV_FIELDS.includes(field)) {
      throw new RangeError(`bad mapping "${pair}": expected field=column with field one of ${CSV_FIELDS.join(', ')}`);
    }
    mapping[field] = pair.slice(eq + 1);
  }
  return mapping;
}
