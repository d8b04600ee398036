import { readFile } from 'node:fs/promises';
import * as plist from 'plist';
import { UsageError } from './command';

/** What a payload or profile file held. */
export type InputDocument =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'plist'; readonly value: unknown; readonly signed: boolean };

const XML_START = Buffer.from('<?xml');
const PLIST_END = Buffer.from('</plist>');

/** Parses a JSON payload or an XML `.mobileconfig`; a signed profile's plist is read from inside its CMS envelope. */
export function parseDocument(bytes: Buffer, name: string): InputDocument {
  let text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const head = text.trimStart();
  let signed = false;
  if (head.startsWith('{') || head.startsWith('[')) {
    try {
      return { kind: 'json', value: JSON.parse(text) };
    } catch (e) {
      throw new UsageError(`${name} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!head.startsWith('<')) {
    // A signed profile is DER CMS with the plist stored as-is inside: read it from there.
    const start = bytes.indexOf(XML_START);
    const end = bytes.lastIndexOf(PLIST_END);
    if (start < 0 || end < start) throw new UsageError(`${name} is neither JSON nor a configuration profile (XML plist).`);
    text = bytes.subarray(start, end + PLIST_END.length).toString('utf8');
    signed = true;
  }
  try {
    return { kind: 'plist', value: plist.parse(text), signed };
  } catch (e) {
    throw new UsageError(`${name} is not a readable property list: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Reads and parses a payload or profile file, with a clear error when it cannot be read. */
export async function readDocument(file: string): Promise<InputDocument> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file.` : `${file} cannot be read (${code ?? 'error'}).`);
  }
  return parseDocument(bytes, file);
}
