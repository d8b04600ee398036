// The version of this module before the importer's performance work (commit 1a9608f), kept unchanged as an oracle:
// test/core/owners/row-oracle.test.ts checks that the faster code gives exactly the same results.
import type { Owner, OwnerDevice, OwnerSource } from '../../../../core/owners/owner';
import type { OwnerDiagnostic } from '../../../../core/owners/diagnostics';
import type { CsvField, ResolvedColumns } from '../../../../core/owners/csv-columns';
import { parseEmail } from './email';
import { splitList } from './list-cell';
import { unneutralise } from '../../../../core/owners/formula';

const SOURCES: readonly OwnerSource[] = ['manual', 'csv', 'ldap', 'meraki'];
const TRUE = new Set(['true', 'yes', 'y', '1', 'disabled', 'x']);
const FALSE = new Set(['', 'false', 'no', 'n', '0', 'enabled', 'active']);

const TEXT_FIELDS: ReadonlyArray<'username' | 'upn' | 'displayName' | 'firstName' | 'lastName' | 'domain' | 'identityRef'> = [
  'username', 'upn', 'displayName', 'firstName', 'lastName', 'domain', 'identityRef',
];

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
  // Written without per-row closures or arrays: at a million rows the garbage they make costs more than the checks.
  const f = columns.fields;
  let diagnostics: OwnerDiagnostic[] | undefined;
  const problem = (code: OwnerDiagnostic['code'], field: CsvField, message: string): void => {
    (diagnostics ??= []).push({ code, severity: 'error', line, column: (f[field] as number) + 1, message });
  };

  const rawEmail = cellAt(row, f.email);
  let email = '';
  let emailKey: string | undefined;
  if (rawEmail === undefined) {
    problem('missing-value', 'email', 'the e-mail address is empty');
  } else {
    const parsed = parseEmail(rawEmail);
    if (parsed.ok) {
      email = parsed.email;
      emailKey = parsed.key;
    } else {
      problem('bad-email', 'email', parsed.message);
    }
  }

  let disabled: boolean | undefined;
  const rawDisabled = cellAt(row, f.disabled);
  if (rawDisabled !== undefined) {
    const v = rawDisabled.toLowerCase();
    if (TRUE.has(v)) disabled = true;
    else if (!FALSE.has(v)) problem('bad-value', 'disabled', `"${rawDisabled}" is not a yes/no value`);
  }

  let source = defaultSource;
  const rawSource = cellAt(row, f.source);
  if (rawSource !== undefined) {
    if ((SOURCES as readonly string[]).includes(rawSource)) source = rawSource as OwnerSource;
    else problem('bad-value', 'source', `"${rawSource}" is not one of ${SOURCES.join(', ')}`);
  }

  if (diagnostics !== undefined || emailKey === undefined) return { ok: false, diagnostics: diagnostics ?? [], emailKey };

  const owner: { -readonly [K in keyof Owner]: Owner[K] } = { id: cellAt(row, f.id) ?? ownerIdFromEmail(emailKey), email, source };
  for (const field of TEXT_FIELDS) {
    const value = cellAt(row, f[field]);
    if (value !== undefined) owner[field] = value;
  }
  const groups = cellAt(row, f.groups);
  if (groups !== undefined) {
    const list = splitList(groups);
    if (list.length > 0) owner.groups = list;
  }
  const serials = cellAt(row, f.serialNumber);
  const udids = cellAt(row, f.udid);
  if (serials !== undefined || udids !== undefined) {
    const devices = zipDevices(splitList(serials ?? '', true), splitList(udids ?? '', true));
    if (devices.length > 0) owner.devices = devices;
  }
  if (disabled) owner.disabled = true;
  let attributes: Record<string, string> | undefined;
  for (const { index, key } of columns.attributes) {
    const value = cellAt(row, index);
    if (value !== undefined) (attributes ??= {})[key] = value;
  }
  if (attributes !== undefined) owner.attributes = attributes;
  return { ok: true, owner, emailKey };
}

function cellAt(row: readonly string[], index: number | undefined): string | undefined {
  if (index === undefined) return undefined;
  const raw = row[index];
  if (raw === undefined || raw === '') return undefined;
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
