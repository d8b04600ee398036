import { resolveColumns } from './csv-columns';
import { rowToOwner } from './csv-row';
import type { OwnerDiagnostic } from './diagnostics';
import type { Owner, OwnerSource } from './owner';

/** An owner read from one record, or why it could not be. */
export type OwnerRecordResult = { readonly ok: true; readonly owner: Owner } | { readonly ok: false; readonly diagnostics: readonly OwnerDiagnostic[] };

/** An owner from a flat record (a CSV row as an n8n item, a directory entry, an Owner itself), with the CSV importer's header aliases. */
export function ownerFromRecord(record: Readonly<Record<string, unknown>>, source: OwnerSource = 'manual', line = 1): OwnerRecordResult {
  if (isOwnerShaped(record)) return { ok: true, owner: record };
  const keys = Object.keys(record).filter((k) => ['string', 'number', 'boolean'].includes(typeof record[k]) || Array.isArray(record[k]));
  const columns = resolveColumns(keys);
  const errors = columns.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, diagnostics: errors };
  const row = keys.map((k) => {
    const v = record[k];
    return Array.isArray(v) ? v.join(';') : String(v);
  });
  const r = rowToOwner(row, columns, line, source);
  return r.ok ? { ok: true, owner: r.owner } : { ok: false, diagnostics: r.diagnostics };
}

/** Whether a record already is an Owner (as `owners import` and `directory read` print them). */
function isOwnerShaped(r: Readonly<Record<string, unknown>>): r is Owner & Record<string, unknown> {
  return typeof r.id === 'string' && typeof r.email === 'string' && typeof r.source === 'string' && ['manual', 'csv', 'ldap', 'meraki'].includes(r.source);
}
