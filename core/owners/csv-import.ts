import { Readable } from 'node:stream';
import { parse, CsvError, type Info } from 'csv-parse';
import type { Owner, OwnerSource } from './owner';
import type { OwnerDiagnostic } from './diagnostics';
import { resolveColumns, type CsvMapping, type ResolvedColumns } from './csv-columns';
import { CsvEncodingError, decodeCsv, type CsvInput } from './csv-decode';
import { rowToOwner } from './csv-row';

export type { CsvInput } from './csv-decode';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvImportOptions {
  /** Field → column header; overrides the alias for that field. */
  readonly mapping?: CsvMapping;
  /** Import the good rows even when others have errors (default: all or nothing). */
  readonly allowPartial?: boolean;
  /** Forces the delimiter instead of detecting it from the header line. */
  readonly delimiter?: CsvDelimiter;
  /** Source given to owners whose row has no source column; default `csv`. */
  readonly source?: OwnerSource;
  /** Diagnostics kept before the rest are only counted; default 1000. */
  readonly maxDiagnostics?: number;
}

/** What a scan found, without the owners themselves. */
export interface CsvScanSummary {
  readonly mapping: CsvMapping;
  readonly delimiter: CsvDelimiter;
  readonly diagnostics: OwnerDiagnostic[];
  /** Data rows read (blank rows not counted). */
  readonly rows: number;
  /** Rows that gave an owner. */
  readonly accepted: number;
  /** True when some error was found: an all-or-nothing import must then keep none of the owners. */
  readonly hasErrors: boolean;
  /** True when the file could not be read to its end (encoding, syntax): no row is trustworthy. */
  readonly fatal: boolean;
}

/** An import: `owners` is empty when errors stopped an all-or-nothing import. */
export interface CsvImportResult extends CsvScanSummary {
  readonly owners: Owner[];
  readonly imported: boolean;
}

const MAX_RECORD_CHARS = 1_000_000;

/** Reads owners from a CSV, all or nothing unless `allowPartial`; every problem is a diagnostic with line and column. */
export async function importOwnersCsv(input: CsvInput, options: CsvImportOptions = {}): Promise<CsvImportResult> {
  const owners: Owner[] = [];
  const summary = await scanOwnersCsv(input, options, (owner) => {
    owners.push(owner);
  });
  const imported = !summary.fatal && (!summary.hasErrors || options.allowPartial === true);
  return { ...summary, owners: imported ? owners : [], imported };
}

/**
 * Streams owners from a CSV to `onOwner` as rows are read, in bounded memory (besides the keys kept to find duplicates).
 * Owners are handed over before later rows are checked: an all-or-nothing caller must wait for `hasErrors` before committing.
 */
export async function scanOwnersCsv(input: CsvInput, options: CsvImportOptions, onOwner: (owner: Owner, line: number) => void): Promise<CsvScanSummary> {
  const maxDiagnostics = options.maxDiagnostics ?? 1000;
  const diagnostics: OwnerDiagnostic[] = [];
  let suppressed = 0;
  let suppressedError = false;
  let hasErrors = false;
  const report = (d: OwnerDiagnostic): void => {
    if (d.severity === 'error') hasErrors = true;
    if (diagnostics.length < maxDiagnostics) diagnostics.push(d);
    else {
      suppressed++;
      suppressedError ||= d.severity === 'error';
    }
  };

  const text = decodeCsv(input);
  let head: { prefix: string; done: boolean };
  let fatal = false;
  let mapping: CsvMapping = {};
  let delimiter: CsvDelimiter = options.delimiter ?? ',';
  let rows = 0;
  let accepted = 0;
  try {
    head = await readHeaderLine(text);
    delimiter = options.delimiter ?? detectDelimiter(head.prefix);
    const parser = parse({
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      bom: false,
      max_record_size: MAX_RECORD_CHARS,
    });
    const source = Readable.from(restOf(head, text), { objectMode: false, encoding: 'utf8' });
    source.on('error', (e) => parser.destroy(e));
    source.pipe(parser);

    let columns: ResolvedColumns | undefined;
    let headerLength = 0;
    let crlfInQuotes = 0;
    const byEmail = new Map<string, number>();
    const byId = new Map<string, number>();
    const byDevice = new Map<string, { line: number; email: string }>();

    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const { record, info } = item;
      const { line, extra } = recordLines(record, info.lines - crlfInQuotes);
      crlfInQuotes += extra;
      if (columns === undefined) {
        columns = resolveColumns(record, options.mapping, line);
        headerLength = record.length;
        mapping = columns.mapping;
        columns.diagnostics.forEach(report);
        if (columns.diagnostics.some((d) => d.severity === 'error')) {
          fatal = true;
          parser.destroy();
          break;
        }
        continue;
      }
      if (record.every((v) => v.trim() === '')) continue;
      rows++;
      if (record.length !== headerLength) {
        const tooMany = record.length > headerLength;
        report({
          code: tooMany ? 'too-many-fields' : 'too-few-fields',
          severity: 'error',
          line,
          column: Math.min(record.length, headerLength) + 1,
          message: `${record.length} fields where the header has ${headerLength}`,
        });
        continue;
      }
      const result = rowToOwner(record, columns, line, options.source ?? 'csv');
      let ok = result.ok;
      if (!result.ok) result.diagnostics.forEach(report);
      const emailColumn = (columns.fields.email ?? 0) + 1;
      if (result.emailKey !== undefined) {
        const first = byEmail.get(result.emailKey);
        if (first !== undefined) {
          report({
            code: 'duplicate-owner', severity: 'error', line, column: emailColumn, relatedLine: first,
            message: `${result.emailKey} is on lines ${first} and ${line}`,
          });
          ok = false;
        } else {
          byEmail.set(result.emailKey, line);
        }
      }
      if (!result.ok || !ok) continue;
      const owner = result.owner;
      if (columns.fields.id !== undefined) {
        const first = byId.get(owner.id);
        if (first !== undefined) {
          report({
            code: 'duplicate-owner', severity: 'error', line, column: columns.fields.id + 1, relatedLine: first,
            message: `owner id ${owner.id} is on lines ${first} and ${line}`,
          });
          continue;
        }
        byId.set(owner.id, line);
      }
      let deviceOk = true;
      for (const device of owner.devices ?? []) {
        for (const [kind, value] of [['serialNumber', device.serialNumber], ['udid', device.udid]] as const) {
          if (value === undefined) continue;
          const key = `${kind}:${value.toUpperCase()}`;
          const other = byDevice.get(key);
          if (other !== undefined && other.email !== result.emailKey) {
            report({
              code: 'device-conflict', severity: 'error', line, column: (columns.fields[kind] ?? 0) + 1, relatedLine: other.line,
              message: `device ${kind === 'udid' ? 'UDID' : 'serial number'} ${value} is given to ${other.email} on line ${other.line} and to ${result.emailKey} on line ${line}`,
            });
            deviceOk = false;
          } else if (other === undefined) {
            byDevice.set(key, { line, email: result.emailKey });
          }
        }
      }
      if (!deviceOk) continue;
      accepted++;
      onOwner(owner, line);
    }
    if (columns === undefined && !fatal) {
      report({ code: 'empty-file', severity: 'error', line: 1, column: 0, message: 'the file has no header line' });
      fatal = true;
    }
  } catch (e) {
    fatal = true;
    report(readFailure(e));
  }
  if (suppressed > 0) {
    // Listed beyond the cap on purpose: the reader must learn that the list is incomplete.
    diagnostics.push({
      code: 'too-many-diagnostics', severity: suppressedError ? 'error' : 'warning', line: 0, column: 0,
      message: `${suppressed} more problems not listed`,
    });
  }
  return { mapping, delimiter, diagnostics, rows, accepted, hasErrors: hasErrors || fatal, fatal };
}

// csv-parse counts "\r\n" inside a quoted value as two lines; undo that so lines match what an editor shows.
function recordLines(record: readonly string[], endLine: number): { line: number; extra: number } {
  let breaks = 0;
  let extra = 0;
  for (const value of record) {
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) continue;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 13 && value.charCodeAt(i + 1) === 10) {
        extra++;
        breaks++;
        i++;
      } else if (c === 10 || c === 13) breaks++;
    }
  }
  return { line: endLine - extra - breaks, extra };
}

function readFailure(e: unknown): OwnerDiagnostic {
  if (e instanceof CsvEncodingError) return { code: 'bad-encoding', severity: 'error', line: e.line, column: 0, message: e.message };
  if (e instanceof CsvError) {
    const line = typeof e.lines === 'number' ? e.lines : 0;
    const messages: Record<string, string> = {
      CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
      CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters; double a quote inside a quoted field',
      CSV_MAX_RECORD_SIZE: `a row is longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)`,
      CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by other characters',
      INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field; quote the whole field',
    };
    return { code: 'csv-syntax', severity: 'error', line, column: 0, message: messages[e.code] ?? `the CSV cannot be read (${e.code})` };
  }
  return { code: 'csv-syntax', severity: 'error', line: 0, column: 0, message: 'the CSV cannot be read' };
}

// The header line decides the delimiter, so text is gathered up to its end (bounded: a header is never 64 KiB).
async function readHeaderLine(text: AsyncGenerator<string>): Promise<{ prefix: string; done: boolean }> {
  let prefix = '';
  while (prefix.length < 65536 && !headerComplete(prefix)) {
    const next = await text.next();
    if (next.done) return { prefix, done: true };
    prefix += next.value;
  }
  return { prefix, done: false };
}

function headerComplete(text: string): boolean {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) return true;
  }
  return false;
}

async function* restOf(head: { prefix: string; done: boolean }, text: AsyncGenerator<string>): AsyncGenerator<string> {
  if (head.prefix) yield head.prefix;
  if (!head.done) yield* text;
}

/** Picks `,`, `;` or tab by counting them outside quotes in the header line; `,` on a tie. */
export function detectDelimiter(headerText: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of headerText) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}
