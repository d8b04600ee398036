// How certificates name owners: the key a certificate address is compared by, and owners indexed by those keys.
import type { Owner } from '../owners/owner';
import { addressForms } from '../owners/email';

/**
 * The key an address found in a certificate is compared by: NFC, lower case, except that a character which would
 * lower-case into ASCII (the Kelvin sign into "k") stays as it is. Owners' addresses are folded further for comparing
 * owners with each other (IDNA mapping); doing that to certificate text would let look-alikes such as the Kelvin sign,
 * full-width letters or an ideographic full stop stand for an owner's address.
 */
export function certAddressKey(address: string): string {
  const trimmed = address.trim();
  const nfc = trimmed.normalize('NFC');
  // NFC itself turns a few look-alikes into ASCII (the Kelvin sign into "K"): such an address matches no one.
  if (asciiCount(nfc) > asciiCount(trimmed)) return `\u0000${trimmed}`;
  let key = '';
  for (const ch of nfc) {
    if (ch.charCodeAt(0) < 0x80) {
      key += ch.toLowerCase();
      continue;
    }
    const lower = ch.toLowerCase();
    key += asciiCount(lower) > 0 ? ch : lower;
  }
  // Letter by letter, a capital sigma lower-cases to σ even at a word's end, where the owner's address has ς.
  return key.replace(/ς/g, 'σ');
}

function asciiCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x80) n++;
  return n;
}

/** The keys under which one address of an owner appears in certificates: as written, and with its domain in punycode or in Unicode. */
export function addressKeys(address: string): string[] {
  return addressForms(address).map(certAddressKey);
}

/** The keys under which an owner's e-mail address and UPN appear in certificates (see certAddressKey). */
export function ownerAddressKeys(owner: Pick<Owner, 'email' | 'upn'>): Set<string> {
  return new Set([...addressKeys(owner.email), ...(owner.upn ? addressKeys(owner.upn) : [])]);
}

/**
 * Owners by the addresses certificates name them with. An address belongs to the owner whose e-mail it is, and only
 * failing that to the owners whose UPN it is: one owner's UPN may be another's e-mail.
 */
export class OwnersByAddress {
  readonly #byEmail = new Map<string, Owner[]>();
  readonly #byUpn = new Map<string, Owner[]>();

  constructor(owners: Iterable<Owner>) {
    for (const owner of owners) {
      for (const key of addressKeys(owner.email)) add(this.#byEmail, key, owner);
      if (owner.upn) for (const key of addressKeys(owner.upn)) add(this.#byUpn, key, owner);
    }
  }

  /** The owners an address found in a certificate belongs to. */
  ownersOf(address: string): readonly Owner[] {
    const key = certAddressKey(address);
    return this.#byEmail.get(key) ?? this.#byUpn.get(key) ?? [];
  }

  /** The owners a certificate's addresses belong to, each once. */
  ownersNamed(addresses: readonly string[]): Owner[] {
    return [...new Set(addresses.flatMap((a) => this.ownersOf(a)))];
  }
}

/** Names people give an owner's file (lower case, NFC): the address in its forms, its local part, the user name, the UPN and its local part. */
export function ownerFileNames(owner: Owner): string[] {
  const local = (a: string): string => a.slice(0, a.lastIndexOf('@'));
  const names = [...addressForms(owner.email), local(owner.email), owner.username, ...(owner.upn ? [...addressForms(owner.upn), local(owner.upn)] : [])];
  return [...new Set(names.filter((x): x is string => Boolean(x)).map((x) => x.normalize('NFC').toLowerCase()))];
}

function add(map: Map<string, Owner[]>, key: string, owner: Owner): void {
  const list = map.get(key);
  if (!list) map.set(key, [owner]);
  else if (!list.includes(owner)) list.push(owner);
}
