import * as plist from 'plist';
import type { PlistValue } from 'plist';

/** XML property list bytes of a value; the plist writer escapes every string and key. */
export function toPlistXml(value: PlistValue): string {
  return plist.build(value, { indent: '\t' });
}

/** Parses XML (or binary) property list bytes; throws on anything else. */
export function parsePlist(bytes: Uint8Array): PlistValue {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, 6).toString('latin1') === 'bplist') return plist.parseBinary(new Uint8Array(b));
  return plist.parse(b.toString('utf8').replace(/^\uFEFF/, ''));
}
