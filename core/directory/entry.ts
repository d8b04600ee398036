import type { Entry } from 'ldapts';

// Attribute names repeat on every entry: normalise each spelling once (bounded, in case a server invents many).
const NAMES = new Map<string, string>();

/** Lower-case attribute name without ;options, the key values are looked up by. */
export function attributeKey(name: string): string {
  let key = NAMES.get(name);
  if (key === undefined) {
    const semi = name.indexOf(';');
    key = (semi < 0 ? name : name.slice(0, semi)).toLowerCase();
    if (NAMES.size < 4096) NAMES.set(name, key);
  }
  return key;
}

/** Raw attribute values of one entry, looked up case-insensitively and with ;options folded (servers differ in both). */
export class EntryValues {
  readonly dn: string;
  readonly #byName = new Map<string, (string | Buffer)[]>();
  /** Attributes AD returned in part (`member;range=0-1499`): it does so above MaxValRange values. */
  readonly ranged: string[] = [];

  constructor(entry: Entry) {
    this.dn = entry.dn;
    // Hot path (100k entries per read): no intermediate arrays where a plain loop will do.
    for (const key of Object.keys(entry)) {
      if (key === 'dn') continue;
      const raw = entry[key];
      const name = attributeKey(key);
      if (name.length !== key.length && /;range=/i.test(key)) this.ranged.push(key);
      const list = this.#byName.get(name);
      if (list === undefined) this.#byName.set(name, Array.isArray(raw) ? raw : [raw]);
      else if (Array.isArray(raw)) for (const v of raw) list.push(v);
      else list.push(raw);
    }
  }

  /** All values as text. */
  strings(attribute: string | undefined): string[] {
    if (attribute === undefined) return [];
    return (this.#byName.get(attributeKey(attribute)) ?? []).map((v) => (typeof v === 'string' ? v : v.toString('utf8')));
  }

  /** The first value as text, trimmed; undefined when absent or blank. */
  first(attribute: string | undefined): string | undefined {
    if (attribute === undefined) return undefined;
    const raw = this.#byName.get(attributeKey(attribute))?.[0];
    const v = (typeof raw === 'string' ? raw : raw?.toString('utf8'))?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  /** All values as bytes; a value that ldapts decoded as UTF-8 is re-encoded (lossless for valid UTF-8). */
  buffers(attribute: string | undefined): Buffer[] {
    if (attribute === undefined) return [];
    return (this.#byName.get(attributeKey(attribute)) ?? []).map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v));
  }

  has(attribute: string): boolean {
    return (this.#byName.get(attributeKey(attribute)) ?? []).length > 0;
  }
}

/** Formats AD's 16-byte objectGUID (first three groups little-endian) the way AD tools print it. */
export function formatGuid(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`objectGUID has ${bytes.length} bytes, expected 16`);
  const hex = (b: Buffer): string => b.toString('hex');
  const le = (start: number, end: number): string => hex(Buffer.from(bytes.subarray(start, end)).reverse());
  return `${le(0, 4)}-${le(4, 6)}-${le(6, 8)}-${hex(bytes.subarray(8, 10))}-${hex(bytes.subarray(10, 16))}`;
}
