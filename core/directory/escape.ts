/**
 * RFC 4515 escaping of a value placed inside a search filter.
 *
 * Only the five characters the RFC requires are hex-escaped; non-ASCII text stays literal UTF-8
 * because ldapts' filter parser turns each `\xx` into one UTF-16 unit, so escaped UTF-8 bytes would
 * arrive at the server double-encoded.
 */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        out += '\\5c';
        break;
      case '*':
        out += '\\2a';
        break;
      case '(':
        out += '\\28';
        break;
      case ')':
        out += '\\29';
        break;
      case '\u0000':
        out += '\\00';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** RFC 4514 escaping of one attribute value placed in a DN (e.g. a user name in a bind DN template). */
export function escapeDnValue(value: string): string {
  let out = '';
  const chars = [...value];
  chars.forEach((ch, i) => {
    if (ch === '\u0000') out += '\\00';
    else if ('"+,;<>\\='.includes(ch)) out += `\\${ch}`;
    else if (i === 0 && (ch === ' ' || ch === '#')) out += `\\${ch}`;
    else if (i === chars.length - 1 && ch === ' ') out += '\\ ';
    else out += ch;
  });
  return out;
}

/** Fills `{value}` in a DN template such as `uid={value},ou=people,dc=example,dc=org`, escaping per RFC 4514. */
export function dnFromTemplate(template: string, value: string): string {
  if (!template.includes('{value}')) throw new Error(`DN template "${template}" has no {value} placeholder`);
  return template.split('{value}').join(escapeDnValue(value));
}

/** One parsed RDN component: attribute type and unescaped value. */
export interface RdnPart {
  readonly type: string;
  readonly value: string;
}

/** Parses an RFC 4514 DN into RDNs (multi-valued RDNs flattened in order); throws on malformed input. */
export function parseDn(dn: string): RdnPart[][] {
  const rdns: RdnPart[][] = [];
  let current: RdnPart[] = [];
  let i = 0;
  const s = dn.trimStart();
  if (s.trim() === '') return [];
  while (i < s.length) {
    const eq = s.indexOf('=', i);
    if (eq < 0) throw new Error(`"${dn}" is not a DN: "${s.slice(i)}" has no "="`);
    const type = s.slice(i, eq).trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)$/.test(type)) throw new Error(`"${dn}" is not a DN: bad attribute type "${type}"`);
    i = eq + 1;
    while (s[i] === ' ') i += 1;
    let value = '';
    // Length of the value up to its last escaped character: trailing spaces after it are insignificant, escaped ones are not.
    let kept = 0;
    const bytes: number[] = [];
    const flush = (): void => {
      if (bytes.length > 0) {
        value += Buffer.from(bytes).toString('utf8');
        kept = value.length;
        bytes.length = 0;
      }
    };
    while (i < s.length && s[i] !== ',' && s[i] !== '+' && s[i] !== ';') {
      const ch = s[i];
      if (ch === '\\') {
        const hex = s.slice(i + 1, i + 3);
        if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(Number.parseInt(hex, 16));
          i += 3;
          continue;
        }
        const next = s[i + 1];
        if (next === undefined) throw new Error(`"${dn}" is not a DN: it ends with a lone backslash`);
        flush();
        value += next;
        kept = value.length;
        i += 2;
        continue;
      }
      flush();
      value += ch;
      i += 1;
    }
    flush();
    current.push({ type, value: value.slice(0, kept) + value.slice(kept).trimEnd() });
    const sep = s[i];
    i += 1;
    if (sep !== '+') {
      rdns.push(current);
      current = [];
    }
    if (sep !== undefined && i >= s.length) throw new Error(`"${dn}" is not a DN: it ends with "${sep}"`);
  }
  if (current.length > 0) rdns.push(current);
  return rdns;
}

/** A comparison key for DNs: types and values lower-cased, escaping and spacing normalised. */
export function dnKey(dn: string): string {
  return parseDn(dn)
    .map((rdn) => rdn.map((p) => `${p.type.toLowerCase()}=${escapeDnValue(p.value.toLowerCase())}`).join('+'))
    .join(',');
}
