/** Bytes or text a CSV can be read from: a whole buffer, a string, or a stream of chunks (e.g. fs.createReadStream). */
export type CsvInput = Uint8Array | string | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** The bytes are not valid in the detected encoding; `line` is where decoding stopped. */
export class CsvEncodingError extends Error {
  override name = 'CsvEncodingError';
  constructor(
    readonly encoding: string,
    readonly line: number,
  ) {
    super(
      encoding === 'utf-16-no-bom'
        ? 'the file looks like UTF-16 without a byte order mark; save it as UTF-8 CSV'
        : `the file is not valid ${encoding} at line ${line}; save it as UTF-8 CSV`,
    );
  }
}

async function* chunks(input: CsvInput): AsyncGenerator<Uint8Array | string> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    yield input;
    return;
  }
  yield* input as AsyncIterable<Uint8Array | string>;
}

function countBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** Decodes a CSV stream to text: UTF-8 (BOM optional) or UTF-16 LE/BE with BOM; throws CsvEncodingError on bad bytes. */
export async function* decodeCsv(input: CsvInput): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let encoding = 'UTF-8';
  let head = new Uint8Array(0);
  let lines = 1;
  let first = true;
  const emit = (text: string): string => {
    lines += countBreaks(text);
    return text;
  };
  for await (const chunk of chunks(input)) {
    if (typeof chunk === 'string') {
      const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      first = false;
      if (text) yield emit(text);
      continue;
    }
    let bytes = chunk;
    if (decoder === undefined) {
      // Gather at least 4 bytes before looking for a byte order mark.
      const joined = new Uint8Array(head.length + bytes.length);
      joined.set(head);
      joined.set(bytes, head.length);
      if (joined.length < 4) {
        head = joined;
        continue;
      }
      ({ decoder, encoding } = pickDecoder(joined));
      bytes = joined;
      first = false;
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw new CsvEncodingError(encoding, lines + lineOfBadByte(bytes));
    }
    if (text) yield emit(text);
  }
  if (decoder === undefined && head.length > 0) {
    ({ decoder, encoding } = pickDecoder(head));
    try {
      const text = decoder.decode(head, { stream: true });
      if (text) yield emit(text);
    } catch {
      throw new CsvEncodingError(encoding, lines);
    }
  }
  if (decoder !== undefined) {
    let rest: string;
    try {
      rest = decoder.decode();
    } catch {
      throw new CsvEncodingError(encoding, lines);
    }
    if (rest) yield emit(rest);
  }
}

function pickDecoder(bytes: Uint8Array): { decoder: TextDecoder; encoding: string } {
  // ignoreBOM: false (the default) makes TextDecoder drop the mark itself.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { decoder: new TextDecoder('utf-16le', { fatal: true }), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { decoder: new TextDecoder('utf-16be', { fatal: true }), encoding: 'UTF-16BE' };
  // UTF-16 without a mark shows as ASCII interleaved with NUL bytes; decoding it as UTF-8 would "work" and give garbage headers.
  if (bytes.length >= 4 && ((bytes[0] === 0 && bytes[2] === 0) || (bytes[1] === 0 && bytes[3] === 0))) throw new CsvEncodingError('utf-16-no-bom', 1);
  return { decoder: new TextDecoder('utf-8', { fatal: true }), encoding: 'UTF-8' };
}

// The line of the first undecodable byte in this chunk, counted from the chunk start (good enough for ASCII-compatible input).
function lineOfBadByte(bytes: Uint8Array): number {
  const probe = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const bad = probe.indexOf('\uFFFD');
  return bad < 0 ? 0 : countBreaks(probe.slice(0, bad));
}
