import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportOwnersCsv } from '../../core/owners/csv-export';
import { parseMapping, type CsvMapping } from '../../core/owners/csv-columns';
import { canonicalEncoding } from '../../core/owners/csv-decode';
import { importOwnersCsv, type CsvImportOptions, type CsvImportResult } from '../../core/owners/csv-import';
import type { OwnerDiagnostic } from '../../core/owners/diagnostics';
import type { Owner, OwnerSource } from '../../core/owners/owner';
import { parseCommandArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from '../command';

const importHelp = `Usage: eas-profiles owners import <file.csv> [--map <field>=<column> ...] [--allow-partial]
         [--encoding <name>] [--json]

Reads owners from a CSV file (UTF-8 with or without BOM, UTF-16 with BOM, or the
encoding named; comma, semicolon or tab, detected). Columns are recognised by
their header, case, accents and punctuation ignored: E-mail / Email Address /
mail, User Name / sAMAccountName, UPN, Display Name, First Name, Last Name,
Domain, Groups, Serial Number, UDID, Disabled, ..., and the usual German,
French, Spanish and Dutch headers (Vorname, Prénom, Courriel, Seriennummer, ...).
Other columns become free attributes.

All or nothing: with any error no owner is imported, unless --allow-partial.

Options:
  --map <field>=<column>  use this column for this field (repeatable), e.g.
                          --map email="Work Mail"; fields: id email username
                          upn displayName firstName lastName domain groups
                          serialNumber udid source identityRef disabled
  --allow-partial         import the good rows and report the others
  --encoding <name>       encoding of a file without a byte order mark, e.g.
                          windows-1252 (Excel's plain "CSV" in Western Europe),
                          utf-16le; default utf-8
  --json                  print {"owners": [...], "mapping": {...}, "diagnostics": [...]}
  -h, --help              show this help

Exit status: 0 imported without errors, 1 errors reported, 2 unreadable file
or wrong usage.`;

const exportHelp = `Usage: eas-profiles owners export <owners.json> [--out <file.csv>] [--delimiter ,|;] [--bom]

Writes owners as CSV that "owners import" reads back unchanged. Takes the JSON
that "owners import --json" or "directory read --json" prints (or a plain
array of owners). Cells a spreadsheet would run as formulas (starting with
= + - @) are prefixed with a quote.

Options:
  --out <file.csv>   write here instead of standard output
  --delimiter <c>    , (default) or ;
  --bom              start with a UTF-8 byte order mark (for Excel)
  -h, --help         show this help

Exit status: 0 written, 2 unreadable input or wrong usage.`;

type PrintedDiagnostic = Pick<OwnerDiagnostic, 'code' | 'severity' | 'line' | 'column' | 'message'>;

const printable = (d: OwnerDiagnostic): PrintedDiagnostic => ({ code: d.code, severity: d.severity, line: d.line, column: d.column, message: d.message });

/** "alice.csv:12:3: error bad-email: ..." lines, the way compilers print them. */
export function ownerDiagnosticLines(file: string, diagnostics: readonly OwnerDiagnostic[]): string {
  return diagnostics.map((d) => `${file}:${d.line}${d.column > 0 ? `:${d.column}` : ''}: ${d.severity} ${d.code}: ${d.message}\n`).join('');
}

async function requireFile(path: string, what: string): Promise<void> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new UsageError(`${what} ${path} is not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${what} ${path}: no such file` : `${what} ${path} cannot be read (${code ?? 'error'})`);
  }
}

/** The `--encoding` value, checked: an unknown name is a usage error, not a file problem. */
export function encodingOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (canonicalEncoding(value) === undefined) throw new UsageError(`--encoding: "${value}" is not an encoding name (try utf-8, windows-1252, utf-16le)`);
  return value;
}

/** Imports an owner CSV from disk, streaming; shared with `certs match`. */
export async function importOwnersFile(file: string, cwd: string, options: CsvImportOptions): Promise<CsvImportResult> {
  const path = resolve(cwd, file);
  await requireFile(path, 'owners file');
  try {
    return await importOwnersCsv(createReadStream(path), options);
  } catch (e) {
    throw new UsageError(`${file} cannot be read: ${(e as Error).message}`);
  }
}

async function runImport(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    { map: { type: 'string', multiple: true }, 'allow-partial': { type: 'boolean' }, encoding: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    importHelp,
  );
  if (values.help) {
    io.stdout(`${importHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one CSV file.\n\n${importHelp}`);
  let mapping: CsvMapping;
  try {
    mapping = parseMapping(values.map ?? []);
  } catch (e) {
    throw new UsageError(`--map: ${(e as Error).message}`);
  }
  const file = positionals[0];
  const encoding = encodingOption(values.encoding);
  const result = await importOwnersFile(file, io.cwd, { mapping, allowPartial: values['allow-partial'] === true, ...(encoding ? { encoding } : {}) });
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (values.json) {
    io.stdout(`${JSON.stringify({ owners: result.owners, mapping: result.mapping, diagnostics: result.diagnostics.map(printable) }, null, 2)}\n`);
  } else {
    const map = Object.entries(result.mapping).map(([field, column]) => `${field}←"${column}"`).join(', ');
    io.stdout(`${result.owners.length} owner${result.owners.length === 1 ? '' : 's'} imported from ${result.rows} row${result.rows === 1 ? '' : 's'} of ${file}${map ? ` (columns: ${map})` : ''}\n`);
    for (const o of result.owners) io.stdout(`  ${o.email}\t${o.username ?? '-'}\t${o.displayName ?? '-'}${o.devices ? `\t${o.devices.length} device(s)` : ''}\n`);
    if (result.diagnostics.length > 0) io.stderr(ownerDiagnosticLines(file, result.diagnostics));
    if (errors > 0 && !result.imported) io.stderr(`nothing imported: ${errors} error${errors === 1 ? '' : 's'}${result.fatal ? '' : ' (use --allow-partial to import the good rows)'}\n`);
  }
  return errors > 0 ? EXIT.diagnostics : EXIT.ok;
}

const SOURCES: readonly OwnerSource[] = ['manual', 'csv', 'ldap', 'meraki'];

/** Checks the owners JSON just enough that export writes what the user meant; a bad element is a usage error naming its index. */
export function ownersFromJson(value: unknown, name: string): Owner[] {
  const list = Array.isArray(value) ? value : value !== null && typeof value === 'object' && Array.isArray((value as { owners?: unknown }).owners) ? (value as { owners: unknown[] }).owners : undefined;
  if (list === undefined) throw new UsageError(`${name} holds neither {"owners": [...]} nor an array of owners`);
  return list.map((item, i) => {
    const o = item as Partial<Record<keyof Owner, unknown>> | null;
    if (o === null || typeof o !== 'object') throw new UsageError(`${name}: owner #${i} is not an object`);
    if (typeof o.email !== 'string' || o.email === '') throw new UsageError(`${name}: owner #${i} has no email`);
    if (typeof o.id !== 'string' || o.id === '') throw new UsageError(`${name}: owner #${i} (${o.email}) has no id`);
    if (o.source !== undefined && !SOURCES.includes(o.source as OwnerSource)) throw new UsageError(`${name}: owner #${i} has an unknown source "${String(o.source)}"`);
    for (const key of ['groups', 'devices'] as const) {
      if (o[key] !== undefined && !Array.isArray(o[key])) throw new UsageError(`${name}: owner #${i} has ${key} that is not a list`);
    }
    return { ...(o as Owner), source: (o.source as OwnerSource | undefined) ?? 'manual' };
  });
}

async function runExport(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    { out: { type: 'string' }, delimiter: { type: 'string' }, bom: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    exportHelp,
  );
  if (values.help) {
    io.stdout(`${exportHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one owners JSON file.\n\n${exportHelp}`);
  const delimiter = values.delimiter ?? ',';
  if (delimiter !== ',' && delimiter !== ';') throw new UsageError(`--delimiter must be , or ;, not "${delimiter}"`);
  const file = positionals[0];
  const path = resolve(io.cwd, file);
  await requireFile(path, 'owners file');
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const owners = ownersFromJson(parsed, file);
  const csv = exportOwnersCsv(owners, { delimiter, bom: values.bom === true });
  if (values.out !== undefined) {
    try {
      await writeFile(resolve(io.cwd, values.out), csv, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot write ${values.out}: ${(e as Error).message}`);
    }
    io.stderr(`${owners.length} owner${owners.length === 1 ? '' : 's'} written to ${values.out}\n`);
  } else {
    io.stdout(csv);
  }
  return EXIT.ok;
}

/** `eas-profiles owners import`. */
export const ownersImportCommand: Command = { path: ['owners', 'import'], summary: 'Import owners from a CSV file (all or nothing)', help: importHelp, run: runImport };

/** `eas-profiles owners export`. */
export const ownersExportCommand: Command = { path: ['owners', 'export'], summary: 'Write owners JSON as CSV that imports back unchanged', help: exportHelp, run: runExport };

/** The owners commands, for the lead to register in the dispatcher. */
export const ownersCommands: Command[] = [ownersImportCommand, ownersExportCommand];
