import type { Owner } from './owner';
import { ATTRIBUTE_PREFIX, CSV_FIELDS, type CsvField } from './csv-columns';
import { neutralise } from './formula';
import { joinList } from './list-cell';

export interface CsvExportOptions {
  /** `,` (default) or `;` (for spreadsheets set to a locale with decimal commas). */
  readonly delimiter?: ',' | ';';
  /** Start with a UTF-8 byte order mark, which Excel needs to read UTF-8. */
  readonly bom?: boolean;
}

/** Writes owners as CSV lines (CRLF), header first; the result imports back to the same owners. */
export function* exportOwnersCsvLines(owners: readonly Owner[], options: CsvExportOptions = {}): Generator<string> {
  const delimiter = options.delimiter ?? ',';
  const attributeKeys = [...new Set(owners.flatMap((o) => Object.keys(o.attributes ?? {})))].sort();
  const header = [...CSV_FIELDS, ...attributeKeys.map((k) => `${ATTRIBUTE_PREFIX}${k}`)];
  const line = (cells: readonly string[]): string => `${cells.map((c) => quote(neutralise(c))).join(delimiter)}\r\n`;
  yield (options.bom ? '\uFEFF' : '') + line(header);
  for (const owner of owners) {
    const cells = CSV_FIELDS.map((field) => fieldCell(owner, field));
    for (const key of attributeKeys) cells.push(owner.attributes?.[key] ?? '');
    yield line(cells);
  }
}

/** Writes owners as one CSV string. */
export function exportOwnersCsv(owners: readonly Owner[], options: CsvExportOptions = {}): string {
  let out = '';
  for (const line of exportOwnersCsvLines(owners, options)) out += line;
  return out;
}

function fieldCell(owner: Owner, field: CsvField): string {
  switch (field) {
    case 'groups':
      return joinList(owner.groups ?? []);
    case 'serialNumber':
      return devicesCell(owner, 'serialNumber');
    case 'udid':
      return devicesCell(owner, 'udid');
    case 'disabled':
      return owner.disabled ? 'true' : '';
    default:
      return owner[field] ?? '';
  }
}

// Serials and UDIDs are listed by position, so an empty slot keeps a device's pair together.
function devicesCell(owner: Owner, kind: 'serialNumber' | 'udid'): string {
  const devices = owner.devices ?? [];
  if (!devices.some((d) => d[kind] !== undefined)) return '';
  return joinList(devices.map((d) => d[kind] ?? ''));
}

// Both possible delimiters are quoted, so that delimiter detection on re-import can never be misled by a value.
function quote(cell: string): string {
  return /[",;\t\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}
