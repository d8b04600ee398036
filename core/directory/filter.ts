import { FilterParser } from 'ldapts';
import { DirectoryError } from './errors';
import { escapeFilterValue } from './escape';
import type { Watermark } from './watermark';
import { watermarkAttribute } from './presets';

// RFC 4512 attribute description: a name or OID, with options such as ;binary.
const ATTRIBUTE = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)(;[A-Za-z0-9-]+)*$/;

/** AD's LDAP_MATCHING_RULE_IN_CHAIN: memberOf through any depth of nested groups. */
export const IN_CHAIN = '1.2.840.113556.1.4.1941';

/** Checks an attribute name before it is placed in a filter; user-chosen mappings pass through here. */
export function checkAttributeName(name: string): string {
  if (!ATTRIBUTE.test(name)) throw new DirectoryError({ code: 'bad-option', phase: 'search', message: `"${name}" is not an LDAP attribute name` });
  return name;
}

/** `(attribute=value)` with the value escaped per RFC 4515. */
export function equalityFilter(attribute: string, value: string): string {
  return `(${checkAttributeName(attribute)}=${escapeFilterValue(value)})`;
}

/** Checks a filter written by an administrator (not user data) and puts it in parentheses; throws bad-filter. */
export function checkRawFilter(filter: string): string {
  const trimmed = filter.trim();
  const wrapped = trimmed.startsWith('(') ? trimmed : `(${trimmed})`;
  try {
    FilterParser.parseString(wrapped);
  } catch (error) {
    throw new DirectoryError({
      code: 'bad-filter',
      phase: 'search',
      message: `the filter ${JSON.stringify(filter)} is not valid LDAP filter syntax (RFC 4515): ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  return wrapped;
}

/** AND of the parts that are present; a single part stays unwrapped. */
export function and(parts: readonly (string | undefined)[]): string {
  const present = parts.filter((p): p is string => p !== undefined && p !== '');
  if (present.length === 0) return '(objectClass=*)';
  return present.length === 1 ? present[0] : `(&${present.join('')})`;
}

/** OR of parts; undefined when empty. */
export function or(parts: readonly string[]): string | undefined {
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(|${parts.join('')})`;
}

/** Membership in any of the groups, through nested groups by AD's in-chain rule. */
export function inChainFilter(memberOfAttribute: string, groupDns: readonly string[]): string | undefined {
  return or(groupDns.map((dn) => `(${checkAttributeName(memberOfAttribute)}:${IN_CHAIN}:=${escapeFilterValue(dn)})`));
}

/** Direct membership in any of the groups (the caller has already expanded nested groups). */
export function memberOfFilter(memberOfAttribute: string, groupDns: readonly string[]): string | undefined {
  return or(groupDns.map((dn) => equalityFilter(memberOfAttribute, dn)));
}

/** Entries changed at or after the watermark (>= overlaps by one tick on purpose: re-reading is harmless, missing is not). */
export function changedSinceFilter(watermark: Watermark): string {
  switch (watermark.kind) {
    case 'usn':
      return `(${watermarkAttribute('usn')}>=${(BigInt(watermark.usn) + 1n).toString()})`;
    case 'modifyTimestamp':
      return `(${watermarkAttribute('modifyTimestamp')}>=${escapeFilterValue(watermark.timestamp)})`;
    case 'contextCSN':
      return `(${watermarkAttribute('contextCSN')}>=${escapeFilterValue(watermark.csn)})`;
  }
}
