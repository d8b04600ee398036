import type { Owner, OwnerDevice, OwnerSource } from './owner';
import type { OwnerDiagnostic } from './diagnostics';
import type { CsvField, ResolvedColumns } from './csv-columns';
import { parseEmail } from './email';
import { splitList } from './list-cell';
import { unneutralise } from './formula';

const SOURCES: readonly OwnerSource[] = ['manual', 'csv', 'ldap', 'meraki'];
const TRUE = new Set(['true', 'yes', 'y', '1', 'disabled', 'x']);
const FALSE = new Set(['', 'false', 'no', 'n', '0', 'enabled', 'active']);

/** An owner read from one row, with the keys used to find duplicates, or the row's problems. */
export type RowResult =
  | { readonly ok: true; readonly owner: Owner; readonly emailKey: string }
  | { readonly ok: false; readonly diagnostics: OwnerDiagnostic[]; readonly emailKey?: string };

/** The id a CSV owner gets when the file has no id column: stable as long as the e-mail is. */
export function ownerIdFromEmail(emailKey: string): string {
  return `email:${emailKey}`;
}

/** Turns one data row into an owner; `line` is where the row starts. */
export function rowToOwner(row: readonly string[], columns: ResolvedColumns, line: number, defaultSource: OwnerSource): RowResult {
  const reader = new RowReader(columns, defaultSource);
  const owner = reader.read(row, line);
  if (owner !== undefined) return { ok: true, owner, emailKey: reader.emailKey as string };
  return { ok: false, diagnostics: reader.diagnostics ?? [], emailKey: reader.emailKey };
}

type MutableOwner = { -readonly [K in keyof Owner]: Owner[K] };

/**
 * Reads rows of one file into owners, the same way as {@link rowToOwner}, for the importer's loop over every row:
 * column positions are looked up once, and a row costs no result object, closure or array beyond what the owner keeps.
 * After `read`, `emailKey` is the row's e-mail key (also when the row has other problems) and `diagnostics` its
 * problems when no owner was made.
 */
export class RowReader {
  emailKey: string | undefined = undefined;
  diagnostics: OwnerDiagnostic[] | undefined = undefined;

  // Column index per field, -1 when the file has no such column.
  readonly #id: number;
  readonly #email: number;
  readonly #username: number;
  readonly #upn: number;
  readonly #displayName: number;
  readonly #firstName: number;
  readonly #lastName: number;
  readonly #domain: number;
  readonly #groups: number;
  readonly #serialNumber: number;
  readonly #udid: number;
  readonly #source: number;
  readonly #identityRef: number;
  readonly #disabled: number;
  readonly #attributeIndex: number[];
  readonly #attributeKey: string[];
  readonly #fields: ResolvedColumns['fields'];
  readonly #defaultSource: OwnerSource;
  // By column index: the interner of each column whose values may repeat (not e-mail, id or devices, unique by rule).
  readonly #interners: Array<Interner | undefined>;
  // Group lists by cell, and attribute sets by their values: most rows repeat another's (see Shared).
  readonly #lists = new Shared<readonly string[]>();
  readonly #attributeSets = new Shared<Readonly<Record<string, string>>>();
  readonly #attributeValues: Array<string | undefined> = [];

  constructor(columns: ResolvedColumns, defaultSource: OwnerSource) {
    const f = columns.fields;
    this.#fields = f;
    this.#defaultSource = defaultSource;
    this.#id = f.id ?? -1;
    this.#email = f.email ?? -1;
    this.#username = f.username ?? -1;
    this.#upn = f.upn ?? -1;
    this.#displayName = f.displayName ?? -1;
    this.#firstName = f.firstName ?? -1;
    this.#lastName = f.lastName ?? -1;
    this.#domain = f.domain ?? -1;
    this.#groups = f.groups ?? -1;
    this.#serialNumber = f.serialNumber ?? -1;
    this.#udid = f.udid ?? -1;
    this.#source = f.source ?? -1;
    this.#identityRef = f.identityRef ?? -1;
    this.#disabled = f.disabled ?? -1;
    this.#attributeIndex = columns.attributes.map((a) => a.index);
    this.#attributeKey = columns.attributes.map((a) => a.key);
    this.#interners = [];
    for (const index of [this.#username, this.#upn, this.#displayName, this.#firstName, this.#lastName, this.#domain, this.#identityRef, this.#groups, ...this.#attributeIndex]) {
      if (index >= 0) this.#interners[index] = new Interner();
    }
  }

  // The cell at `index`, trimmed and unguarded as cellAt gives it, kept once if its column repeats values.
  #text(row: readonly string[], index: number): string | undefined {
    const value = cellAt(row, index);
    return value === undefined ? undefined : (this.#interners[index] as Interner).intern(value);
  }

  /** The owner on this row (`line` is where it starts), or undefined with `diagnostics` set. */
  read(row: readonly string[], line: number): Owner | undefined {
    this.emailKey = undefined;
    this.diagnostics = undefined;

    const rawEmail = cellAt(row, this.#email);
    let email = '';
    if (rawEmail === undefined) {
      this.#problem('missing-value', 'email', line, 'the e-mail address is empty');
    } else {
      const parsed = parseEmail(rawEmail);
      if (parsed.ok) {
        email = parsed.email;
        this.emailKey = parsed.key;
      } else {
        this.#problem('bad-email', 'email', line, parsed.message);
      }
    }

    let disabled = false;
    const rawDisabled = cellAt(row, this.#disabled);
    if (rawDisabled !== undefined) {
      const v = rawDisabled.toLowerCase();
      if (TRUE.has(v)) disabled = true;
      else if (!FALSE.has(v)) this.#problem('bad-value', 'disabled', line, `"${rawDisabled}" is not a yes/no value`);
    }

    let source = this.#defaultSource;
    const rawSource = cellAt(row, this.#source);
    if (rawSource !== undefined) {
      if ((SOURCES as readonly string[]).includes(rawSource)) source = rawSource as OwnerSource;
      else this.#problem('bad-value', 'source', line, `"${rawSource}" is not one of ${SOURCES.join(', ')}`);
    }

    const emailKey = this.emailKey;
    if (this.diagnostics !== undefined || emailKey === undefined) {
      this.diagnostics ??= [];
      return undefined;
    }

    const id = cellAt(row, this.#id) ?? ownerIdFromEmail(emailKey);
    const username = this.#text(row, this.#username);
    const upn = this.#text(row, this.#upn);
    const displayName = this.#text(row, this.#displayName);
    const firstName = this.#text(row, this.#firstName);
    const lastName = this.#text(row, this.#lastName);
    const domain = this.#text(row, this.#domain);
    const identityRef = this.#text(row, this.#identityRef);
    let groups: readonly string[] | undefined;
    const groupsCell = cellAt(row, this.#groups);
    if (groupsCell !== undefined) {
      groups = this.#lists.get(groupsCell);
      if (groups === undefined) {
        const list = splitList(groupsCell);
        if (list.length > 0) {
          const interner = this.#interners[this.#groups] as Interner;
          for (let i = 0; i < list.length; i++) list[i] = interner.intern(list[i]);
          groups = this.#lists.offer(groupsCell, list);
        }
      }
    }
    let devices: OwnerDevice[] | undefined;
    const serials = cellAt(row, this.#serialNumber);
    const udids = cellAt(row, this.#udid);
    if (udids === undefined && serials !== undefined && isPlainListValue(serials)) {
      // One serial number and no UDID, the usual row: what zipDevices would give, without its two lists. (Trimmed
      // again because unneutralise can uncover a tab: "'\tX" is the cell "\tX".)
      const serialNumber = serials.trim();
      if (serialNumber !== '') devices = [{ serialNumber }];
    } else if (serials !== undefined || udids !== undefined) {
      const list = zipDevices(splitList(serials ?? '', true), splitList(udids ?? '', true));
      if (list.length > 0) devices = list;
    }
    let attributes: Readonly<Record<string, string>> | undefined;
    const attributeIndex = this.#attributeIndex;
    if (attributeIndex.length > 0) {
      // Looked up by the row's values (length-prefixed, so that no two rows' values make the same key) before an
      // object is made: a row like many before it costs no object at all.
      const values = this.#attributeValues;
      let key = '';
      if (attributeIndex.length === 1) {
        // One column: its (interned) value is the key, with no string to build and hash.
        const value = this.#text(row, attributeIndex[0]);
        values[0] = value;
        key = value ?? '';
      } else {
        for (let i = 0; i < attributeIndex.length; i++) {
          const value = this.#text(row, attributeIndex[i]);
          values[i] = value;
          key += value === undefined ? '-' : `${value.length}:${value}`;
        }
      }
      attributes = this.#attributeSets.get(key);
      if (attributes === undefined) {
        let made: Record<string, string> | undefined;
        for (let i = 0; i < attributeIndex.length; i++) {
          const value = values[i];
          if (value !== undefined) (made ??= {})[this.#attributeKey[i]] = value;
        }
        if (made !== undefined) attributes = this.#attributeSets.offer(key, made);
      }
    }
    const owner: Owner = new OwnerObject(id, email, source, username, upn, displayName, firstName, lastName, domain, identityRef, groups, devices, disabled, attributes);
    return owner;
  }

  #problem(code: OwnerDiagnostic['code'], field: CsvField, line: number, message: string): void {
    (this.diagnostics ??= []).push({ code, severity: 'error', line, column: (this.#fields[field] as number) + 1, message });
  }
}

// Values repeated down a column (first names, departments, offices, groups) are kept once instead of once per owner:
// every kept string is copied by the young-generation collector and marked by the old one, and for a large import
// that is what holding the owners costs most. A column is watched for its first PROBE values; if fewer than a quarter
// of them repeat (names, e-mail-like ids), it is left alone. At most MAX_VALUES short values are kept a column, so
// memory stays bounded whatever the file.
const PROBE = 512;
const MAX_VALUES = 1024;
const MAX_LENGTH = 64;

// Kept once per key while it pays: watched over the first PROBE lookups and dropped if fewer than a quarter of them
// found a value, at most MAX_VALUES values, keys no longer than the limit given. Serves single values (Interner below)
// and whole group lists and attribute sets, which owners whose rows repeat one share as one frozen array or object
// (an owner's fields are readonly; freezing makes a write through a cast fail instead of changing its neighbours).
class Repeats<T> {
  #values: Map<string, T> | undefined = new Map();
  #seen = 0;
  #hits = 0;

  constructor(
    private readonly maxKeyLength: number,
    private readonly keep: (value: T) => T,
  ) {}

  /** The kept value for `key`, if there is one. */
  get(key: string): T | undefined {
    const values = this.#values;
    if (values === undefined || key.length > this.maxKeyLength) return undefined;
    const known = values.get(key);
    if (this.#seen < PROBE) {
      this.#seen++;
      if (known !== undefined) this.#hits++;
      if (this.#seen === PROBE && this.#hits * 4 < PROBE) this.#values = undefined;
    }
    return known;
  }

  /** Keeps `value` for later lookups of `key` while there is room; returns what the caller should use. */
  offer(key: string, value: T): T {
    const values = this.#values;
    if (values === undefined || values.size >= MAX_VALUES || key.length > this.maxKeyLength) return value;
    const kept = this.keep(value);
    values.set(key, kept);
    return kept;
  }
}

/** Shared group lists and attribute sets, frozen. */
class Shared<T extends object> extends Repeats<T> {
  constructor() {
    super(MAX_LENGTH * 4, Object.freeze);
  }
}

/** Values repeated down a column, kept once. */
class Interner extends Repeats<string> {
  constructor() {
    super(MAX_LENGTH, (v) => v);
  }

  intern(value: string): string {
    return this.get(value) ?? this.offer(value, value);
  }
}

// An owner object exactly as a literal with only the present fields would be (prototype Object.prototype, the same own
// properties in the same order), made by a constructor for V8's sake: a constructor's objects get room inside
// themselves for every property it may set, whereas `{ id, email, source }` followed by adds puts the rest in a separate
// property array, grown twice on the way. For 100,000 kept owners that is 100,000 fewer objects for the collector and
// about 35 ms less CPU.
interface OwnerObjectConstructor {
  new (
    id: string, email: string, source: OwnerSource, username: string | undefined, upn: string | undefined, displayName: string | undefined,
    firstName: string | undefined, lastName: string | undefined, domain: string | undefined, identityRef: string | undefined,
    groups: readonly string[] | undefined, devices: OwnerDevice[] | undefined, disabled: boolean, attributes: Readonly<Record<string, string>> | undefined,
  ): Owner;
}

const OwnerObject = function (
  this: MutableOwner, id: string, email: string, source: OwnerSource, username: string | undefined, upn: string | undefined,
  displayName: string | undefined, firstName: string | undefined, lastName: string | undefined, domain: string | undefined,
  identityRef: string | undefined, groups: readonly string[] | undefined, devices: OwnerDevice[] | undefined, disabled: boolean,
  attributes: Readonly<Record<string, string>> | undefined,
): void {
  this.id = id;
  this.email = email;
  this.source = source;
  if (username !== undefined) this.username = username;
  if (upn !== undefined) this.upn = upn;
  if (displayName !== undefined) this.displayName = displayName;
  if (firstName !== undefined) this.firstName = firstName;
  if (lastName !== undefined) this.lastName = lastName;
  if (domain !== undefined) this.domain = domain;
  if (identityRef !== undefined) this.identityRef = identityRef;
  if (groups !== undefined) this.groups = groups;
  if (devices !== undefined) this.devices = devices;
  if (disabled) this.disabled = true;
  if (attributes !== undefined) this.attributes = attributes;
} as unknown as OwnerObjectConstructor;
// Plain objects, not instances of anything: Object.getPrototypeOf(owner) === Object.prototype, owner.constructor === Object.
OwnerObject.prototype = Object.prototype;

// A cell with no list separator or escape holds one value.
function isPlainListValue(cell: string): boolean {
  return cell.indexOf(';') < 0 && cell.indexOf('\\') < 0;
}

function cellAt(row: readonly string[], index: number): string | undefined {
  if (index < 0) return undefined;
  const raw = row[index];
  if (raw === undefined || raw === '') return undefined;
  // A cell that starts and ends with printable ASCII other than "'" needs neither trimming nor unneutralise: the
  // usual cell is returned as it is, without calling either.
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(raw.length - 1);
  if (first > 32 && first < 127 && first !== 39 && last > 32 && last < 127) return raw;
  const value = unneutralise(raw.trim());
  return value === '' ? undefined : value;
}

// Serial numbers and UDIDs are paired by position; export writes an empty slot where a device lacks one of them.
function zipDevices(serials: string[], udids: string[]): OwnerDevice[] {
  const devices: OwnerDevice[] = [];
  for (let i = 0; i < Math.max(serials.length, udids.length); i++) {
    const serialNumber = serials[i] || undefined;
    const udid = udids[i] || undefined;
    if (serialNumber && udid) devices.push({ serialNumber, udid });
    else if (serialNumber) devices.push({ serialNumber });
    else if (udid) devices.push({ udid });
  }
  return devices;
}
