import { isUtf8 } from 'node:buffer';

/** Bytes or text a CSV can be read from: a whole buffer, a string, or a stream of chunks (e.g. fs.createReadStream). */
export type CsvInput = Uint8Array | string | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** The bytes are not valid in the detected encoding (`line` is where decoding stopped), or the encoding named is unknown. */
export class CsvEncodingError extends Error {
  override name = 'CsvEncodingError';
  constructor(
    readonly encoding: string,
    readonly line: number,
    message: string = encodingMessage(encoding, line),
  ) {
    super(message);
  }
}

function encodingMessage(encoding: string, line: number): string {
  if (encoding === 'utf-16-no-bom') return 'the file looks like UTF-16 without a byte order mark; save it as UTF-8 CSV, or name its encoding (utf-16le or utf-16be)';
  if (encoding === 'UTF-8') return `the file is not valid UTF-8 at line ${line}; save it as "CSV UTF-8", or name its encoding (Excel's plain "CSV" is usually windows-1252)`;
  return `the file is not valid ${encoding} at line ${line}; save it as UTF-8 CSV`;
}

async function* chunks(input: CsvInput): AsyncGenerator<Uint8Array | string> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    yield input;
    return;
  }
  yield* input as AsyncIterable<Uint8Array | string>;
}

/** A piece of CSV ready for csv-parse: validated UTF-8 bytes (passed through, so csv-parse decodes only once) or text. */
export type CsvChunk = Uint8Array | string;

function countTextBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function countByteBreaks(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

// Where a chunk ends in the middle of a UTF-8 sequence: those bytes wait for the next chunk.
function completeLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** The WHATWG name of an encoding label ("latin1" → "windows-1252"), or undefined when browsers know no such encoding. */
export function canonicalEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/**
 * Prepares a CSV stream for csv-parse: UTF-8 (BOM optional) is validated and passed through as bytes; UTF-16 LE/BE
 * with BOM is decoded to text, and so is a file in the `encoding` named (any WHATWG label, e.g. windows-1252) unless
 * it starts with a byte order mark, which wins. Throws CsvEncodingError on bytes that are not valid in the encoding.
 */
export async function* decodeCsv(input: CsvInput, encodingLabel?: string): AsyncGenerator<CsvChunk> {
  const named = encodingLabel === undefined ? undefined : canonicalEncoding(encodingLabel);
  if (encodingLabel !== undefined && named === undefined) {
    throw new CsvEncodingError(encodingLabel, 0, `"${encodingLabel}" is not an encoding name (try utf-8, windows-1252, utf-16le)`);
  }
  let mode: 'utf8' | 'utf16' | undefined;
  let decoder: TextDecoder | undefined;
  let encoding = 'UTF-8';
  let pending: Uint8Array = new Uint8Array(0);
  let lines = 1;
  let first = true;
  for await (const chunk of chunks(input)) {
    if (typeof chunk === 'string') {
      const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      first = false;
      if (text) yield text;
      continue;
    }
    let bytes: Uint8Array = chunk;
    if (pending.length > 0) {
      const joined = new Uint8Array(pending.length + bytes.length);
      joined.set(pending);
      joined.set(bytes, pending.length);
      bytes = joined;
      pending = new Uint8Array(0);
    }
    if (mode === undefined) {
      // At least 4 bytes are needed to tell a byte order mark or UTF-16 without one.
      if (bytes.length < 4) {
        pending = bytes;
        continue;
      }
      ({ mode, decoder, encoding, bytes } = pickMode(bytes, named));
      first = false;
    }
    if (mode === 'utf16') {
      let text: string;
      try {
        text = (decoder as TextDecoder).decode(bytes, { stream: true });
      } catch {
        throw new CsvEncodingError(encoding, lines);
      }
      lines += countTextBreaks(text);
      if (text) yield text;
      continue;
    }
    const cut = completeLength(bytes);
    const whole = bytes.subarray(0, cut);
    pending = bytes.slice(cut);
    if (!isUtf8(whole)) throw new CsvEncodingError(encoding, lines + lineOfBadByte(whole));
    lines += countByteBreaks(whole);
    if (whole.length > 0) yield whole;
  }
  if (mode === undefined && pending.length > 0) {
    const picked = pickMode(pending, named);
    ({ mode, decoder, encoding } = picked);
    pending = picked.bytes;
    if (mode === 'utf16') {
      try {
        const text = (decoder as TextDecoder).decode(pending, { stream: true });
        if (text) yield text;
      } catch {
        throw new CsvEncodingError(encoding, lines);
      }
      pending = new Uint8Array(0);
    }
  }
  if (mode === 'utf16') {
    let rest: string;
    try {
      rest = (decoder as TextDecoder).decode();
    } catch {
      throw new CsvEncodingError(encoding, lines);
    }
    if (rest) yield rest;
  } else if (pending.length > 0) {
    if (!isUtf8(pending)) throw new CsvEncodingError(encoding, lines);
    yield pending;
  }
}

// 'utf16' stands for every encoding decoded to text here (UTF-16, or the one the caller named); 'utf8' passes bytes on.
function pickMode(bytes: Uint8Array, named: string | undefined): { mode: 'utf8' | 'utf16'; decoder: TextDecoder | undefined; encoding: string; bytes: Uint8Array } {
  // ignoreBOM: false (the default) makes TextDecoder drop the UTF-16 mark itself.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { mode: 'utf16', decoder: new TextDecoder('utf-16le', { fatal: true }), encoding: 'UTF-16LE', bytes };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { mode: 'utf16', decoder: new TextDecoder('utf-16be', { fatal: true }), encoding: 'UTF-16BE', bytes };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (named !== undefined && named !== 'utf-8' && !bom) return { mode: 'utf16', decoder: new TextDecoder(named, { fatal: true }), encoding: named, bytes };
  // UTF-16 without a mark shows as ASCII interleaved with NUL bytes; read as UTF-8 it would give garbage headers.
  if (bytes.length >= 4 && ((bytes[0] === 0 && bytes[2] === 0) || (bytes[1] === 0 && bytes[3] === 0))) throw new CsvEncodingError('utf-16-no-bom', 1);
  return { mode: 'utf8', decoder: undefined, encoding: 'UTF-8', bytes: bom ? bytes.subarray(3) : bytes };
}

// The line of the first undecodable byte, counted from the chunk start.
function lineOfBadByte(bytes: Uint8Array): number {
  const probe = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const bad = probe.indexOf('\uFFFD');
  return bad < 0 ? 0 : countTextBreaks(probe.slice(0, bad));
}
