import type { Entry } from 'ldapts';
import { parseEmail } from '../owners/email';
import type { Owner } from '../owners/owner';
import { preferredCertificate, readCertificate, type CertificateIdentity } from './certificates';
import type { DirectoryDiagnostic } from './diagnostics';
import { attributeKey, formatGuid } from './entry';
import type { MappingOptions } from './mapping';
import type { DirectoryPreset } from './presets';

/** An entry that did not become an owner (see read.ts' SkippedEntry, which is the public name). */
export interface Skipped {
  readonly dn: string;
  readonly id?: string;
}

// ldapts hands each attribute as one value or an array of them (an empty array for a requested attribute that was absent).
type Raw = string | Buffer | (string | Buffer)[];

// What an entry key means to this read: computed once per distinct key spelling, not per entry.
interface KeyInfo {
  /** Slot of the mapped attribute this key feeds, or -1 when no mapping reads it. */
  readonly slot: number;
  /** AD's ranged retrieval (`member;range=0-1499`): the entry holds only part of the values. */
  readonly ranged: boolean;
}

const GENERALIZED_TIME = /^\d{14}(\.\d+)?Z$/;
const GUID_TEXT = /^[0-9a-f-]{36}$/i;
const INTEGER = /^-?\d+$/;
const SMTP = /^smtp:/i;
// What #strings gives for an absent attribute: shared, so never changed by its callers (groups are sorted only when there are some).
const NONE: string[] = [];

function text(v: string | Buffer): string {
  return typeof v === 'string' ? v : v.toString('utf8');
}

function bytes(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

/**
 * Maps ldapts entries to owners on the read's hot path (100k entries per full read), with exactly the
 * result of `mapEntry(new EntryValues(entry), preset, options)` plus read.ts' duplicate and watermark
 * bookkeeping, but without a Map, closures or result objects per entry: each mapped attribute gets a
 * numbered slot once per read, an entry's keys are resolved through a per-spelling cache, values are
 * turned into text or bytes only for the attributes that are read, and certificates are parsed only
 * where there are some. test/core/directory/collect.test.ts holds it to mapEntry (the oracle).
 */
export class OwnerCollector {
  readonly owners: Owner[] = [];
  readonly identities: CertificateIdentity[] = [];
  readonly skipped: Skipped[] = [];
  /** Newest modifyTimestamp seen, whole seconds (as TimestampTracker), when the preset follows it. */
  stamp: string | undefined;

  readonly #preset: DirectoryPreset;
  readonly #diagnostics: DirectoryDiagnostic[];
  readonly #domain: string | undefined;
  readonly #now: Date;
  readonly #keys = new Map<string, KeyInfo>();
  readonly #slotOf = new Map<string, number>();
  // Slots of each mapped field; -1 when the preset maps nothing there.
  readonly #id: number;
  readonly #username: number;
  readonly #email: number;
  readonly #upn: number;
  readonly #displayName: number;
  readonly #firstName: number;
  readonly #lastName: number;
  readonly #aliases: number;
  readonly #memberOf: number;
  readonly #certificate: number;
  readonly #disabled: number;
  readonly #stampSlot: number;
  readonly #extra: readonly { readonly name: string; readonly slot: number }[];
  readonly #disabledValues: ReadonlySet<string> | undefined;
  readonly #disabledBit: number;
  /** Values of the current entry by slot; reused from entry to entry. */
  readonly #values: (Raw | undefined)[];
  /** Ids of the owners kept so far, by hash: owners[i] has the id and #dns[i] its DN. */
  readonly #seen = new IdIndex();
  readonly #dns: string[] = [];

  constructor(preset: DirectoryPreset, options: MappingOptions, diagnostics: DirectoryDiagnostic[]) {
    this.#preset = preset;
    this.#diagnostics = diagnostics;
    this.#domain = options.domain;
    this.#now = options.now ?? new Date();
    const a = preset.attributes;
    this.#id = this.#slot(a.id);
    this.#username = this.#slot(a.username);
    this.#email = this.#slot(a.email);
    this.#upn = this.#slot(a.upn);
    this.#displayName = this.#slot(a.displayName);
    this.#firstName = this.#slot(a.firstName);
    this.#lastName = this.#slot(a.lastName);
    this.#aliases = this.#slot(a.aliases);
    this.#memberOf = this.#slot(a.memberOf);
    this.#certificate = this.#slot(a.certificate);
    const rule = preset.disabled;
    this.#disabled = rule.kind === 'none' ? -1 : this.#slot(rule.attribute);
    this.#disabledValues = rule.kind === 'equals' ? new Set(rule.values.map((v) => v.toLowerCase())) : undefined;
    this.#disabledBit = rule.kind === 'flag-bit' ? rule.bit : 0;
    this.#stampSlot = preset.watermark === 'modifyTimestamp' ? this.#slot('modifyTimestamp') : -1;
    this.#extra = preset.extraAttributes.map((name) => ({ name, slot: this.#slot(name) }));
    this.#values = new Array<Raw | undefined>(this.#slotOf.size).fill(undefined);
  }

  #slot(name: string | undefined): number {
    if (name === undefined) return -1;
    const key = attributeKey(name);
    let slot = this.#slotOf.get(key);
    if (slot === undefined) {
      slot = this.#slotOf.size;
      this.#slotOf.set(key, slot);
    }
    return slot;
  }

  #keyInfo(key: string): KeyInfo {
    const name = attributeKey(key);
    const info: KeyInfo = { slot: this.#slotOf.get(name) ?? -1, ranged: name.length !== key.length && /;range=/i.test(key) };
    if (this.#keys.size < 4096) this.#keys.set(key, info);
    return info;
  }

  /** Maps one page; the entries are not kept. */
  addPage(entries: readonly Entry[]): void {
    for (let i = 0; i < entries.length; i++) this.add(entries[i]);
  }

  /** Maps one entry into owners, identities, skipped and diagnostics. */
  add(entry: Entry): void {
    const values = this.#values;
    values.fill(undefined);
    let ranged: string[] | undefined;
    // for…in walks the same keys in the same order as Object.keys, without an array per entry.
    for (const key in entry) {
      if (key === 'dn') continue;
      const info = this.#keys.get(key) ?? this.#keyInfo(key);
      if (info.ranged) (ranged ??= []).push(key);
      if (info.slot < 0) continue;
      const raw = entry[key] as Raw;
      const before = values[info.slot];
      // Two spellings of one attribute (userCertificate and userCertificate;binary): values in key order.
      values[info.slot] = before === undefined ? raw : [...(Array.isArray(before) ? before : [before]), ...(Array.isArray(raw) ? raw : [raw])];
    }
    const dn = entry.dn;
    if (this.#stampSlot >= 0) this.#see(this.#first(this.#stampSlot));
    const preset = this.#preset;
    const a = preset.attributes;
    const id = this.#entryId();
    if (id === undefined) {
      this.#diagnostics.push({ code: 'missing-id', severity: 'error', path: dn, message: `${dn} has no ${a.id}; it cannot be tracked and was skipped` });
      this.skipped.push({ dn });
      return;
    }
    const aliases = this.#strings(this.#aliases);
    const rawEmail = this.#first(this.#email) ?? primaryFromAliases(aliases);
    if (rawEmail === undefined) {
      this.#diagnostics.push({ code: 'missing-email', severity: 'warning', path: dn, message: `${dn} has no ${a.email} address; skipped` });
      this.skipped.push({ dn, id });
      return;
    }
    const email = parseEmail(rawEmail);
    if (!email.ok) {
      this.#diagnostics.push({ code: 'invalid-email', severity: 'warning', path: dn, message: `${dn}: ${email.message}; skipped` });
      this.skipped.push({ dn, id });
      return;
    }
    // Certificate and ranged-retrieval findings are collected first and go out before the duplicate check, in mapEntry's order.
    let pending: DirectoryDiagnostic[] | undefined;
    let unique: CertificateIdentity[] | undefined;
    let preferred: CertificateIdentity | undefined;
    const certificates = this.#certificate < 0 ? undefined : values[this.#certificate];
    // Entries without certificates (nearly all) skip certificate parsing and its bookkeeping.
    if (certificates !== undefined && (!Array.isArray(certificates) || certificates.length > 0)) {
      const upn = this.#first(this.#upn);
      const byFingerprint = new Map<string, CertificateIdentity>();
      for (const v of Array.isArray(certificates) ? certificates : [certificates]) {
        const read = readCertificate(bytes(v), { id, email: email.email, upn }, dn, this.#now);
        if (read.ok) byFingerprint.set(read.identity.fingerprint, read.identity);
        else (pending ??= []).push({ code: 'bad-certificate', severity: 'warning', path: dn, message: read.message });
      }
      unique = [...byFingerprint.values()];
      preferred = unique.length > 0 ? preferredCertificate(unique) : undefined;
      if (unique.length > 0 && preferred === undefined) {
        (pending ??= []).push({ code: 'expired-certificate', severity: 'warning', path: dn, message: `no certificate of ${dn} is valid now; the owner gets no identity` });
      }
    }
    if (ranged !== undefined) {
      for (const r of ranged) {
        (pending ??= []).push({
          code: 'ranged-attribute',
          severity: 'warning',
          path: dn,
          message: `${dn}: the server returned only part of ${r} (ranged retrieval, more than its MaxValRange values); the owner's data may be incomplete`,
        });
      }
    }
    if (pending !== undefined) for (const d of pending) this.#diagnostics.push(d);
    const earlier = this.#seen.addOrFind(id, this.owners);
    if (earlier >= 0) {
      this.#diagnostics.push({ code: 'duplicate-id', severity: 'error', path: dn, message: `${dn} has the same id ${id} as ${this.#dns[earlier]}; the second one was skipped` });
      return;
    }
    this.#dns.push(dn);
    const attributes: Record<string, string> = { dn };
    let smtp: string | undefined;
    for (const x of aliases) {
      if (SMTP.test(x)) smtp = smtp === undefined ? x.slice(5) : `${smtp} ${x.slice(5)}`;
    }
    if (smtp !== undefined) attributes.aliases = smtp;
    for (const extra of this.#extra) {
      const v = this.#strings(extra.slot);
      if (v.length > 0) attributes[extra.name] = v.join('\n');
    }
    const username = this.#first(this.#username);
    const upn = this.#first(this.#upn);
    const displayName = this.#first(this.#displayName);
    const firstName = this.#first(this.#firstName);
    const lastName = this.#first(this.#lastName);
    const groups = this.#strings(this.#memberOf);
    const disabled = this.#isDisabled();
    let owner: Owner;
    if (username !== undefined && displayName !== undefined && firstName !== undefined && lastName !== undefined && upn === undefined && this.#domain === undefined && groups.length === 0 && preferred === undefined && !disabled) {
      // The usual entry in one literal: its fields then sit in the object itself, about 60 bytes less per kept owner than
      // growing it field by field (100k owners outlive the read). Same keys in the same order as below.
      owner = { id, email: email.email, source: 'ldap', username, displayName, firstName, lastName, attributes };
    } else {
      // Owners travel as JSON: absent fields are left out rather than carried as `undefined`.
      const o: { -readonly [K in keyof Owner]: Owner[K] } = { id, email: email.email, source: 'ldap' };
      if (username !== undefined) o.username = username;
      if (upn !== undefined) o.upn = upn;
      if (displayName !== undefined) o.displayName = displayName;
      if (firstName !== undefined) o.firstName = firstName;
      if (lastName !== undefined) o.lastName = lastName;
      if (this.#domain !== undefined) o.domain = this.#domain;
      if (groups.length > 0) o.groups = groups.sort();
      if (preferred !== undefined) o.identityRef = `sha256:${preferred.fingerprint}`;
      if (disabled) o.disabled = true;
      o.attributes = attributes;
      owner = o;
    }
    this.owners.push(owner);
    if (unique !== undefined) for (const identity of unique) this.identities.push(identity);
  }

  /** The first value as text, trimmed; undefined when absent or blank (EntryValues.first). */
  #first(slot: number): string | undefined {
    if (slot < 0) return undefined;
    const raw = this.#values[slot];
    const v = raw === undefined ? undefined : Array.isArray(raw) ? raw[0] : raw;
    if (v === undefined) return undefined;
    const t = text(v).trim();
    return t === '' ? undefined : t;
  }

  /** All values as text (EntryValues.strings): a new array, or the shared empty one, which callers must not change. */
  #strings(slot: number): string[] {
    const raw = slot < 0 ? undefined : this.#values[slot];
    if (raw === undefined) return NONE;
    if (!Array.isArray(raw)) return [text(raw)];
    if (raw.length === 0) return NONE;
    const out: string[] = new Array<string>(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = text(raw[i]);
    return out;
  }

  #entryId(): string | undefined {
    if (this.#preset.idFormat === 'guid-binary') {
      const raw = this.#values[this.#id];
      const v = raw === undefined ? undefined : Array.isArray(raw) ? raw[0] : raw;
      if (v === undefined) return undefined;
      const b = bytes(v);
      // Some servers return the GUID as text when asked through a gateway; accept that form too.
      if (b.length !== 16) return GUID_TEXT.test(b.toString('utf8')) ? b.toString('utf8').toLowerCase() : undefined;
      return formatGuid(b);
    }
    return this.#first(this.#id)?.toLowerCase();
  }

  #isDisabled(): boolean {
    const rule = this.#preset.disabled;
    switch (rule.kind) {
      case 'none':
        return false;
      case 'present': {
        const raw = this.#values[this.#disabled];
        return raw !== undefined && (!Array.isArray(raw) || raw.length > 0);
      }
      case 'equals': {
        const wanted = this.#disabledValues ?? new Set<string>();
        for (const v of this.#strings(this.#disabled)) if (wanted.has(v.trim().toLowerCase())) return true;
        return false;
      }
      case 'flag-bit': {
        const raw = this.#first(this.#disabled);
        if (raw === undefined || !INTEGER.test(raw)) return false;
        const n = Number(raw);
        const bit = this.#disabledBit;
        // userAccountControl is a signed 32-bit integer: `>>> 0` is BigInt.asUintN(32) for safe integers; anything else takes the exact path.
        if (Number.isSafeInteger(n) && Number.isInteger(bit) && bit >= 0 && bit <= 0xffffffff) return ((n >>> 0) & bit) >>> 0 !== 0;
        return (BigInt.asUintN(32, BigInt(raw)) & BigInt(bit)) !== 0n;
      }
    }
  }

  #see(raw: string | undefined): void {
    if (raw === undefined || !GENERALIZED_TIME.test(raw)) return;
    // Whole seconds only, as TimestampTracker: fractions would make string order differ from time order.
    // A value that is already whole seconds (nearly all) is used as it is, without a new string per entry.
    const t = raw.length === 15 ? raw : `${raw.slice(0, 14)}Z`;
    if (this.stamp === undefined || t > this.stamp) this.stamp = t;
  }
}

/**
 * The ids of kept owners, for the duplicate check: open addressing over one Int32Array of (hash, owner index + 1)
 * pairs. A Map or Set of 100k fresh id strings cost about 400 ns per entry in a full read, nearly all cache misses
 * (bucket, chain, and each candidate key's string); here a probe touches one pair, and a string is compared only
 * when the 32-bit hashes match.
 */
class IdIndex {
  #table = new Int32Array(2 << 12);
  #mask = (1 << 12) - 1;
  #count = 0;

  /** The index in `owners` of an owner with this id, or -1 after taking the id as that of owners.length. */
  addOrFind(id: string, owners: readonly Owner[]): number {
    const hash = fnv1a(id);
    const table = this.#table;
    let i = hash & this.#mask;
    for (;;) {
      const slot = table[2 * i + 1];
      if (slot === 0) break;
      if (table[2 * i] === hash && owners[slot - 1].id === id) return slot - 1;
      i = (i + 1) & this.#mask;
    }
    table[2 * i] = hash;
    table[2 * i + 1] = owners.length + 1;
    // Kept at most half full, so that probes stay short.
    if (++this.#count * 2 > this.#mask + 1) this.#grow();
    return -1;
  }

  #grow(): void {
    const old = this.#table;
    const size = (this.#mask + 1) * 2;
    const table = new Int32Array(2 * size);
    const mask = size - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = old[j] & mask;
      while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = old[j];
      table[2 * i + 1] = old[j + 1];
    }
    this.#table = table;
    this.#mask = mask;
  }
}

// FNV-1a over UTF-16 code units: cheap for 36-character UUIDs, and spreads their hex digits well enough.
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function primaryFromAliases(aliases: readonly string[]): string | undefined {
  // In proxyAddresses the upper-case "SMTP:" prefix marks the primary address.
  for (const a of aliases) if (a.startsWith('SMTP:')) return a.slice(5);
  return undefined;
}
