// The version of this module before the importer's performance work (commit 1a9608f), kept unchanged as an oracle:
// test/core/owners/row-oracle.test.ts checks that the faster code gives exactly the same results.
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
  const ascii = !NON_ASCII.test(trimmed);
  const email = ascii ? trimmed : trimmed.normalize('NFC');
  if (email === '') return fail('empty', 'e-mail address is empty');
  const at = email.lastIndexOf('@');
  if (at < 0) return fail('no-at-sign', `"${email}" has no @`);
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === '' || local.split('.').some((atom) => !ATEXT.test(atom))) {
    return fail('bad-local-part', `"${email}" has an invalid part before the @`);
  }
  if ((ascii ? local.length : new TextEncoder().encode(local).length) > 64) return fail('local-part-too-long', `"${email}" has more than 64 bytes before the @`);
  const asciiDomain = cachedAsciiDomain(domain);
  if (asciiDomain === undefined) return fail('bad-domain', `"${email}" has an invalid domain`);
  if (local.length + 1 + asciiDomain.length > 254) return fail('too-long', `"${email}" is longer than 254 characters`);
  const lowerLocal = local.toLowerCase();
  // Reuse the address itself as its key when it is already canonical: a million owners then share one string each.
  const key = lowerLocal === local && asciiDomain === domain ? email : `${lowerLocal}@${asciiDomain}`;
  return { ok: true, email, key, asciiDomain };
}

// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose: anything outside ASCII
const NON_ASCII = /[^\x00-\x7f]/;
const domainCache = new Map<string, string | undefined>();

// A file has few distinct domains; IDNA conversion per row would dominate a bulk import.
function cachedAsciiDomain(domain: string): string | undefined {
  if (domainCache.has(domain)) return domainCache.get(domain);
  const ascii = toAsciiDomain(domain);
  if (domainCache.size >= 4096) domainCache.clear();
  domainCache.set(domain, ascii);
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

/** The domain of an address in Unicode form, for display. */
export function displayDomain(input: string): string | undefined {
  const parsed = parseEmail(input);
  return parsed.ok ? domainToUnicode(parsed.asciiDomain) : undefined;
}
