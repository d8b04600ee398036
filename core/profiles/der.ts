// A minimal DER writer and BER-tolerant reader. CMS signing runs once per profile, so the writer works
// on Buffers without an object tree; the reader accepts the indefinite lengths and constructed strings
// other tools (and tampered files) produce, and throws DerError rather than reading out of bounds.

/** Raised when bytes are not the ASN.1 structure expected; callers turn it into a diagnostic. */
export class DerError extends Error {
  override name = 'DerError';
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Buffer.from([0x80 | out.length, ...out]);
}

/** One TLV with the given tag byte around already-encoded content. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Buffer {
  const body = content.length === 1 ? Buffer.from(content[0].buffer, content[0].byteOffset, content[0].byteLength) : Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...items: readonly Uint8Array[]): Buffer => tlv(TAG.sequence, ...items);

/** A DER SET OF: members sorted by their encodings, as DER requires (signed attributes depend on it). */
export function setOf(...items: readonly Uint8Array[]): Buffer {
  const sorted = [...items].map((i) => Buffer.from(i)).sort(Buffer.compare);
  return tlv(TAG.set, ...sorted);
}

export const octets = (b: Uint8Array): Buffer => tlv(TAG.octetString, b);
export const NULL = Buffer.from([TAG.null, 0]);
/** Context-specific constructed tag `[n]` (explicit, or implicit for constructed types). */
export const ctx = (n: number, ...items: readonly Uint8Array[]): Buffer => tlv(0xa0 | n, ...items);

/** A small non-negative INTEGER. */
export function int(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(TAG.integer, Buffer.from(bytes));
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(TAG.oid, Buffer.from(out));
}

/** UTCTime for dates before 2050, GeneralizedTime after, as RFC 5280 prescribes. */
export function time(d: Date): Buffer {
  const iso = d.toISOString();
  const compact = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  return d.getUTCFullYear() < 2050 ? tlv(TAG.utcTime, Buffer.from(compact.slice(2), 'ascii')) : tlv(TAG.generalizedTime, Buffer.from(compact, 'ascii'));
}

/** A parsed TLV. `content` is the value bytes (for constructed strings of BER, already joined). */
export interface Node {
  readonly tag: number;
  readonly constructed: boolean;
  /** The whole TLV as it appeared in the input (header included). */
  readonly raw: Buffer;
  readonly content: Buffer;
  readonly children: readonly Node[];
}

const MAX_DEPTH = 64;

function readNode(buf: Buffer, start: number, end: number, depth: number): { node: Node; next: number } {
  if (depth > MAX_DEPTH) throw new DerError('ASN.1 nested too deeply');
  if (start + 2 > end) throw new DerError('truncated ASN.1 header');
  let pos = start;
  const tag = buf[pos++];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte ASN.1 tags are not supported');
  const constructed = (tag & 0x20) !== 0;
  let len = buf[pos++];
  let indefinite = false;
  if (len === 0x80) {
    if (!constructed) throw new DerError('indefinite length on a primitive value');
    indefinite = true;
  } else if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4 || pos + n > end) throw new DerError('bad ASN.1 length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++];
  }
  if (!indefinite && pos + len > end) throw new DerError('ASN.1 value runs past the end of the data');
  const children: Node[] = [];
  let next: number;
  if (constructed) {
    let p = pos;
    const limit = indefinite ? end : pos + len;
    for (;;) {
      if (indefinite) {
        if (p + 2 > end) throw new DerError('missing end-of-contents');
        if (buf[p] === 0 && buf[p + 1] === 0) {
          p += 2;
          break;
        }
      } else if (p >= limit) break;
      const r = readNode(buf, p, limit, depth + 1);
      children.push(r.node);
      p = r.next;
    }
    next = p;
  } else {
    next = pos + len;
  }
  const universalString = tag === (0x20 | TAG.octetString) || tag === (0x20 | TAG.bitString);
  // BER splits long strings into constructed chunks; join them so callers see one value.
  const content = constructed && (universalString || indefinite) ? Buffer.concat(children.map((c) => c.content)) : buf.subarray(pos, indefinite ? next - 2 : next);
  return { node: { tag, constructed, raw: buf.subarray(start, next), content, children }, next };
}

/** Parses one ASN.1 value that fills `bytes` (trailing garbage is an error). */
export function parseDer(bytes: Uint8Array): Node {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { node, next } = readNode(buf, 0, buf.length, 0);
  if (next !== buf.length) throw new DerError('trailing bytes after the ASN.1 value');
  return node;
}

/** Child `i` of a constructed node, or a DerError naming what was expected. */
export function child(n: Node, i: number, what: string): Node {
  const c = n.children[i];
  if (!c) throw new DerError(`missing ${what}`);
  return c;
}

/** Decodes an OBJECT IDENTIFIER node to its dotted form. */
export function readOid(n: Node): string {
  if (n.tag !== TAG.oid) throw new DerError('expected an object identifier');
  const b = n.content;
  if (b.length === 0) throw new DerError('empty object identifier');
  const parts = [Math.floor(b[0] / 40) > 2 ? 2 : Math.floor(b[0] / 40), b[0] >= 80 ? b[0] - 80 : b[0] % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** Reads an INTEGER node as a non-negative safe integer. */
export function readSmallInt(n: Node): number {
  if (n.tag !== TAG.integer || n.content.length > 6) throw new DerError('expected a small integer');
  return n.content.reduce((acc, b) => acc * 256 + b, 0);
}

/** Reads UTCTime or GeneralizedTime. */
export function readTime(n: Node): Date | undefined {
  const s = n.content.toString('ascii');
  const m = n.tag === TAG.utcTime ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
  if (!m) return undefined;
  const year = n.tag === TAG.utcTime ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
}
