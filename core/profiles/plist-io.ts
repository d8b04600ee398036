import * as plist from 'plist';
import type { PlistValue } from 'plist';

/** XML property list bytes of a value; the plist writer escapes every string and key. */
export function toPlistXml(value: PlistValue): string {
  return plist.build(value, { indent: '\t' });
}

/**
 * Parses XML (or binary) property list bytes; throws on anything else. plist's XML parser (xmldom) prints
 * every problem of a damaged file to console.error and offers no option against it; inspect reads
 * tampered files on purpose, so the synchronous parse runs with console.error muted and reports by throwing.
 */
export function parsePlist(bytes: Uint8Array): PlistValue {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, 6).toString('latin1') === 'bplist') return plist.parseBinary(new Uint8Array(b));
  const text = b.toString('utf8').replace(/^\uFEFF/, '');
  const original = console.error;
  let problems = 0;
  console.error = () => {
    problems++;
  };
  try {
    const value = plist.parse(text);
    if (problems > 0) throw new Error('the property list is damaged');
    return value;
  } finally {
    console.error = original;
  }
}
