import { FilterParser } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { dnFromTemplate, dnKey, equalityFilter, escapeDnValue, escapeFilterValue, formatGuid, parseDn } from '../../../core/directory';

describe('RFC 4515 filter escaping', () => {
  it('escapes the five special characters and nothing else', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\u0000c')).toBe('a\\5cb\\00c');
    expect(escapeFilterValue('Zoë 田中')).toBe('Zoë 田中');
  });

  it('builds filters that ldapts parses back to the exact value, non-ASCII included', () => {
    for (const value of ['*)(uid=*', 'Smith, John (Ops) *', '田中 太郎', 'back\\slash', 'cn=Grüne,ou=groups,dc=example,dc=org']) {
      const parsed = FilterParser.parseString(equalityFilter('cn', value)) as unknown as { attribute: string; value: string };
      expect(parsed.attribute).toBe('cn');
      expect(parsed.value).toBe(value);
    }
  });

  it('rejects attribute names that would smuggle filter syntax', () => {
    expect(() => equalityFilter('uid)(objectClass=*', 'x')).toThrow(/not an LDAP attribute name/);
    expect(equalityFilter('userCertificate;binary', 'x')).toBe('(userCertificate;binary=x)');
  });
});

describe('RFC 4514 DN escaping and parsing', () => {
  it('escapes special characters, leading # and spaces at either end', () => {
    expect(escapeDnValue('Smith, John+Jr <x>;"q"\\=')).toBe('Smith\\, John\\+Jr \\<x\\>\\;\\"q\\"\\\\\\=');
    expect(escapeDnValue('#1 ')).toBe('\\#1\\ ');
    expect(escapeDnValue(' lead')).toBe('\\ lead');
    expect(dnFromTemplate('uid={value},ou=people,dc=example,dc=org', 'a,b')).toBe('uid=a\\,b,ou=people,dc=example,dc=org');
    expect(() => dnFromTemplate('ou=people', 'x')).toThrow(/placeholder/);
  });

  it('round-trips escaped values and compares DNs by meaning', () => {
    const dn = `cn=${escapeDnValue('Smith, John (Ops) *')},ou=people,dc=example,dc=org`;
    expect(parseDn(dn)[0]).toEqual([{ type: 'cn', value: 'Smith, John (Ops) *' }]);
    expect(parseDn('cn=Gr\\C3\\BCne\\20,dc=x')[0]).toEqual([{ type: 'cn', value: 'Grüne ' }]);
    expect(parseDn('cn=a+uid=b,dc=x')[0]).toHaveLength(2);
    expect(dnKey('CN=Staff, OU=Groups,DC=Example,DC=org')).toBe(dnKey('cn=staff,ou=groups,dc=example,dc=org'));
    expect(dnKey('cn=a\\2cb,dc=x')).toBe(dnKey('cn=a\\,b,dc=x'));
    expect(() => parseDn('not a dn')).toThrow(/not a DN/);
    expect(() => parseDn('cn=a,')).toThrow(/not a DN/);
  });
});

describe('objectGUID', () => {
  it('prints the mixed-endian form AD tools show', () => {
    const bytes = Buffer.from('0c3a8e3b17d1b54ba8a4a7c4b9f4d2e1', 'hex');
    expect(formatGuid(bytes)).toBe('3b8e3a0c-d117-4bb5-a8a4-a7c4b9f4d2e1');
    expect(() => formatGuid(Buffer.alloc(3))).toThrow(/16/);
  });
});
