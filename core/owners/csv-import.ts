import { parse, CsvError, type Parser } from 'csv-parse';
import type { Owner, OwnerSource } from './owner';
import type { OwnerDiagnostic } from './diagnostics';
import { resolveColumns, type CsvMapping, type ResolvedColumns } from './csv-columns';
import { CsvEncodingError, decodeCsv, type CsvChunk, type CsvInput } from './csv-decode';
import { RowReader } from './csv-row';
import { KeyIndex } from './key-index';

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
  /**
   * Encoding of a file that has no byte order mark, as a WHATWG label (`windows-1252`, `utf-16le`, `shift_jis`, …);
   * default: UTF-8, and UTF-16 when the file starts with its byte order mark.
   */
  readonly encoding?: string;
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

  const text = decodeCsv(input, options.encoding);
  let head: Head;
  let parser: Parser | undefined;
  let fatal = false;
  let mapping: CsvMapping = {};
  let delimiter: CsvDelimiter = options.delimiter ?? ',';
  let rows = 0;
  let accepted = 0;
  try {
    head = await readHeaderLine(text);
    delimiter = options.delimiter ?? detectDelimiter(head.text);
    const p = parse({
      delimiter,
      relax_column_count: true,
      // Explicit, so that files mixing line endings (rows pasted from elsewhere) split at every one of them.
      record_delimiter: ['\r\n', '\n', '\r'],
      // Empty lines come through as [''] and are skipped below: counting them here keeps line numbers exact
      // without csv-parse's per-record info objects, which cost as much as the parsing itself.
      skip_empty_lines: false,
      bom: false,
      max_record_size: MAX_RECORD_CHARS,
    });
    parser = p;
    // The error is taken from `p.errored` right after each write; this listener only keeps the later 'error' event
    // from being an uncaught exception.
    p.on('error', () => undefined);

    let columns: ResolvedColumns | undefined;
    let reader: RowReader | undefined;
    let headerLength = 0;
    let nextLine = 1;
    let stop = false;
    // Hashed indexes, not Maps of strings: a million rows must fit in bounded memory (see key-index.ts).
    const byEmail = new KeyIndex();
    const byId = new KeyIndex();
    const bySerial = new KeyIndex();
    const byUdid = new KeyIndex();

    const onRecord = (record: string[]): void => {
      const line = nextLine;
      nextLine += 1 + breaksIn(record);
      if (isBlank(record)) return;
      if (columns === undefined) {
        columns = resolveColumns(record, options.mapping, line);
        headerLength = record.length;
        mapping = columns.mapping;
        columns.diagnostics.forEach(report);
        if (columns.diagnostics.some((d) => d.severity === 'error')) {
          fatal = true;
          stop = true;
        }
        return;
      }
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
        return;
      }
      const owner = (reader ??= new RowReader(columns, options.source ?? 'csv')).read(record, line);
      const emailKey = reader.emailKey;
      let ok = owner !== undefined;
      if (owner === undefined) (reader.diagnostics as OwnerDiagnostic[]).forEach(report);
      if (emailKey !== undefined) {
        const first = byEmail.setIfAbsent(emailKey, line);
        if (first !== undefined) {
          report({
            code: 'duplicate-owner', severity: 'error', line, column: (columns.fields.email ?? 0) + 1, relatedLine: first,
            message: `${emailKey} is on lines ${first} and ${line}`,
          });
          ok = false;
        }
      }
      if (owner === undefined || !ok) return;
      if (columns.fields.id !== undefined) {
        const first = byId.setIfAbsent(owner.id, line);
        if (first !== undefined) {
          report({
            code: 'duplicate-owner', severity: 'error', line, column: columns.fields.id + 1, relatedLine: first,
            message: `owner id ${owner.id} is on lines ${first} and ${line}`,
          });
          return;
        }
      }
      const devices = owner.devices;
      if (devices !== undefined) {
        let deviceOk = true;
        for (let i = 0; i < devices.length; i++) {
          const { serialNumber, udid } = devices[i];
          if (serialNumber !== undefined && !claimDevice(bySerial, 'serialNumber', serialNumber, line, emailKey as string)) deviceOk = false;
          if (udid !== undefined && !claimDevice(byUdid, 'udid', udid, line, emailKey as string)) deviceOk = false;
        }
        if (!deviceOk) return;
      }
      accepted++;
      onOwner(owner, line);
    };

    // Records a device for the owner on `line`; false (with a diagnostic naming both lines) when another row has it.
    const claimDevice = (index: KeyIndex, kind: 'serialNumber' | 'udid', value: string, line: number, emailKey: string): boolean => {
      const other = index.setIfAbsent(value.toUpperCase(), line);
      if (other === undefined || other === line) return true;
      report({
        code: 'device-conflict', severity: 'error', line, column: ((columns as ResolvedColumns).fields[kind] ?? 0) + 1, relatedLine: other,
        message: `device ${kind === 'udid' ? 'UDID' : 'serial number'} ${value} is given to the owner on line ${other} and to ${emailKey} on line ${line}`,
      });
      return false;
    };

    // The parser is driven by hand: each chunk is written, then its records are read back at once, so rows reach
    // the row mapper without a promise and a microtask per record (what `for await` over the parser costs).
    const drain = (): void => {
      let record: string[] | null;
      while (!stop && (record = p.read() as string[] | null) !== null) onRecord(record);
      if (p.errored) throw p.errored;
    };
    for (const c of head.chunks) {
      p.write(toBuffer(c));
      drain();
      if (stop) break;
    }
    if (!head.done && !stop) {
      for await (const c of text) {
        p.write(toBuffer(c));
        drain();
        if (stop) break;
      }
    }
    if (!stop) {
      // The last record has no line break after it: csv-parse gives it up only when flushing, after end().
      p.end();
      for await (const record of p as AsyncIterable<string[]>) {
        onRecord(record);
        if (stop) break;
      }
    }
    if (columns === undefined && !fatal) {
      report({ code: 'empty-file', severity: 'error', line: 1, column: 0, message: 'the file has no header line' });
      fatal = true;
    }
  } catch (e) {
    fatal = true;
    report(readFailure(e));
  } finally {
    // Stopping early (a missing column, a syntax error) must still close the file: returning the decoder returns the
    // generators beneath it, down to the input's own iterator.
    parser?.destroy();
    await text.return(undefined);
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

// Line breaks inside quoted values: "\r\n", "\n" or "\r" each count as one, as editors show them.
function breaksIn(record: readonly string[]): number {
  let breaks = 0;
  for (const value of record) {
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) continue;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 13 && value.charCodeAt(i + 1) === 10) {
        breaks++;
        i++;
      } else if (c === 10 || c === 13) breaks++;
    }
  }
  return breaks;
}

// A row of empty or blank cells is a blank line. Most rows start with a non-blank cell: that ends the check without
// trimming (which would allocate) or a closure per row.
function isBlank(record: readonly string[]): boolean {
  for (let i = 0; i < record.length; i++) {
    const v = record[i];
    if (v.length === 0) continue;
    const c = v.charCodeAt(0);
    // Printable ASCII is never trimmed; anything else (tabs, NBSP, U+3000, …) asks String.prototype.trim.
    if (c > 32 && c < 127) return false;
    if (v.trim() !== '') return false;
  }
  return true;
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

// The header line decides the delimiter, so chunks are gathered up to its end (bounded: a header is never 64 KiB).
// Bytes are viewed as latin1 here: quotes, delimiters and line breaks are ASCII either way.
interface Head {
  readonly chunks: CsvChunk[];
  readonly text: string;
  readonly done: boolean;
}

async function readHeaderLine(source: AsyncGenerator<CsvChunk>): Promise<Head> {
  const chunks: CsvChunk[] = [];
  let text = '';
  while (text.length < 65536 && !headerComplete(text)) {
    const next = await source.next();
    if (next.done) return { chunks, text, done: true };
    chunks.push(next.value);
    text += typeof next.value === 'string' ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength).toString('latin1');
  }
  return { chunks, text, done: false };
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

// csv-parse takes Buffers; text (from UTF-16 or string input) becomes UTF-8 here.
function toBuffer(c: CsvChunk): Buffer {
  return typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
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
