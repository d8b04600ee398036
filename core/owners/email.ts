import { domainToASCII, domainToUnicode } from 'node:url';

/** Why an e-mail address was rejected. */
export type EmailProblem =
  | 'empty'
  | 'no-at-sign'
  | 'bad-local-part'
  | 'local-part-too-long'
  | 'bad-domain'
  | 'too-long';

/** Result of {@link parseEmail}: the address as given (trimmed, NFC) and its comparison key, or why it is invalid. */
export type EmailParse =
  | { readonly ok: true; readonly email: string; readonly key: string; readonly asciiDomain: string }
  | { readonly ok: false; readonly problem: EmailProblem; readonly message: string };

// RFC 5322 atext plus any non-ASCII character (RFC 6531 SMTPUTF8 local parts).
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10FFFF}-]+$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function fail(problem: EmailProblem, message: string): EmailParse {
  return { ok: false, problem, message };
}

/** Validates an e-mail address, accepting internationalised domains (IDNA) and UTF-8 local parts. */
export function parseEmail(input: string): EmailParse {
  const trimmed = input.trim();
  // NFC and byte counting only matter outside ASCII; skipping them keeps bulk imports fast.
  const ascii = isAscii(trimmed);
  const email = ascii ? trimmed : trimmed.normalize('NFC');
  if (email === '') return fail('empty', 'e-mail address is empty');
  const at = email.lastIndexOf('@');
  if (at < 0) return fail('no-at-sign', `"${email}" has no @`);
  // ASCII local parts (nearly all) are checked by one pass over character codes: no atoms split off, no regex.
  const localCheck = ascii ? checkAsciiLocal(email, at) : checkLocal(email.slice(0, at));
  if (localCheck === BAD) return fail('bad-local-part', `"${email}" has an invalid part before the @`);
  if ((ascii ? at : new TextEncoder().encode(email.slice(0, at)).length) > 64) {
    return fail('local-part-too-long', `"${email}" has more than 64 bytes before the @`);
  }
  // Rows of one file share a few domains: the last one is recognised in place, without slicing it out and hashing it.
  const known = lastDomain.length > 0 && email.length - at - 1 === lastDomain.length && email.endsWith(lastDomain);
  const domain = known ? lastDomain : email.slice(at + 1);
  const asciiDomain = known ? lastAscii : cachedAsciiDomain(domain);
  if (!known && asciiDomain !== undefined) {
    lastDomain = domain;
    lastAscii = asciiDomain;
  }
  if (asciiDomain === undefined) return fail('bad-domain', `"${email}" has an invalid domain`);
  if (at + 1 + asciiDomain.length > 254) return fail('too-long', `"${email}" is longer than 254 characters`);
  // Reuse the address itself as its key when it is already canonical: a million owners then share one string each.
  const key = localCheck === LOWER && asciiDomain === domain ? email : `${email.slice(0, at).toLowerCase()}@${asciiDomain}`;
  return { ok: true, email, key, asciiDomain };
}

// What a local-part check found: invalid, valid and already lower case, or valid with upper case in it.
const BAD = 0;
const LOWER = 1;
const MIXED = 2;

// RFC 5322 atext in ASCII: letters, digits and !#$%&'*+-/=?^_`{|}~ (the same set as ATEXT below).
const ASCII_ATEXT = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-") ASCII_ATEXT[c.charCodeAt(0)] = 1;

// Dot-separated atoms of atext, none empty: the same rule as splitting on "." and testing each atom with ATEXT.
function checkAsciiLocal(email: string, at: number): number {
  if (at === 0) return BAD;
  let result = LOWER;
  let previousDot = true;
  for (let i = 0; i < at; i++) {
    const c = email.charCodeAt(i);
    if (c === 46) {
      if (previousDot) return BAD;
      previousDot = true;
      continue;
    }
    if (ASCII_ATEXT[c] !== 1) return BAD;
    if (c >= 65 && c <= 90) result = MIXED;
    previousDot = false;
  }
  return previousDot ? BAD : result;
}

function checkLocal(local: string): number {
  if (local === '' || local.split('.').some((atom) => !ATEXT.test(atom))) return BAD;
  return local.toLowerCase() === local ? LOWER : MIXED;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

let lastDomain = '';
let lastAscii = '';

// null marks a domain known to be invalid, so that a single lookup answers both questions.
const domainCache = new Map<string, string | null>();

// A file has few distinct domains; IDNA conversion per row would dominate a bulk import.
function cachedAsciiDomain(domain: string): string | undefined {
  const cached = domainCache.get(domain);
  if (cached !== undefined) return cached ?? undefined;
  const ascii = toAsciiDomain(domain);
  if (domainCache.size >= 4096) domainCache.clear();
  domainCache.set(domain, ascii ?? null);
  return ascii;
}

// Punycode through node:url (WHATWG IDNA), then check it is a real host name with a dot and a non-numeric TLD.
function toAsciiDomain(domain: string): string | undefined {
  if (domain === '' || /[\s\\/?#[\]@%:]/u.test(domain)) return undefined;
  const ascii = domainToASCII(domain);
  if (ascii === '' || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return undefined;
  return ascii;
}

/** True when the address is valid. */
export function isValidEmail(input: string): boolean {
  return parseEmail(input).ok;
}

/** Key for case-insensitive comparison: lower-cased, domain in punycode; falls back to a trimmed lower-case string for invalid input. */
export function emailKey(input: string): string {
  const parsed = parseEmail(input);
  return parsed.ok ? parsed.key : input.trim().normalize('NFC').toLowerCase();
}

/** Compares two addresses case-insensitively, treating a Unicode domain and its punycode form as equal. */
export function sameEmail(a: string, b: string): boolean {
  return emailKey(a) === emailKey(b);
}

/** An address as written, with its domain in punycode (the comparison key), and with its domain in Unicode: the forms certificates and file names carry it in. */
export function addressForms(input: string): string[] {
  const key = emailKey(input);
  const unicodeDomain = displayDomain(input);
  const at = key.lastIndexOf('@');
  return [...new Set([input.trim(), key, ...(at > 0 && unicodeDomain ? [`${key.slice(0, at)}@${unicodeDomain}`] : [])])];
}

/** The domain of an address in Unicode form, for display. */
export function displayDomain(input: string): string | undefined {
  const parsed = parseEmail(input);
  return parsed.ok ? domainToUnicode(parsed.asciiDomain) : undefined;
}
