import fc from 'fast-check';
import type { Entry } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { ACTIVE_DIRECTORY, mapEntry, OPENLDAP, resolvePreset, type DirectoryPreset } from '../../../core/directory';
import { OwnerCollector } from '../../../core/directory/collect';
import type { CertificateIdentity } from '../../../core/directory/certificates';
import type { DirectoryDiagnostic } from '../../../core/directory/diagnostics';
import { EntryValues } from '../../../core/directory/entry';
import type { Owner } from '../../../core/owners/owner';
import { TimestampTracker } from '../../../core/directory/watermark';
import { makeCertificate } from './fixtures';

// The page loop readOwners ran before OwnerCollector, kept verbatim as the oracle: mapEntry on EntryValues per entry.
function oracle(entries: readonly Entry[], preset: DirectoryPreset, now: Date, domain?: string, since?: string) {
  const owners: Owner[] = [];
  const identities: CertificateIdentity[] = [];
  const skipped: { dn: string; id?: string }[] = [];
  const diagnostics: DirectoryDiagnostic[] = [];
  const seen = new Map<string, string>();
  const stamps = new TimestampTracker(since);
  for (const entry of entries) {
    const values = new EntryValues(entry);
    if (preset.watermark === 'modifyTimestamp') stamps.see(values, 'modifyTimestamp');
    const mapped = mapEntry(values, preset, { domain, now });
    diagnostics.push(...mapped.diagnostics);
    if (mapped.kind === 'skipped') {
      skipped.push(mapped.id === undefined ? { dn: mapped.dn } : { dn: mapped.dn, id: mapped.id });
      continue;
    }
    const earlier = seen.get(mapped.owner.id);
    if (earlier !== undefined) {
      diagnostics.push({ code: 'duplicate-id', severity: 'error', path: values.dn, message: `${values.dn} has the same id ${mapped.owner.id} as ${earlier}; the second one was skipped` });
      continue;
    }
    seen.set(mapped.owner.id, values.dn);
    owners.push(mapped.owner);
    identities.push(...mapped.identities);
  }
  return { owners, identities, skipped, diagnostics, stamp: preset.watermark === 'modifyTimestamp' ? stamps.value : undefined };
}

function collect(entries: readonly Entry[], preset: DirectoryPreset, now: Date, domain?: string, since?: string) {
  const diagnostics: DirectoryDiagnostic[] = [];
  const c = new OwnerCollector(preset, { domain, now }, diagnostics);
  if (preset.watermark === 'modifyTimestamp') c.stamp = since;
  c.addPage(entries);
  return { owners: c.owners, identities: c.identities, skipped: c.skipped, diagnostics, stamp: preset.watermark === 'modifyTimestamp' ? c.stamp : undefined };
}

// Certificates are slow to make: a few, reused by the generated entries.
const NOW = new Date();
const VALID = makeCertificate('a@example.org', new Date(NOW.getTime() - 86_400_000), new Date(NOW.getTime() + 86_400_000));
const EXPIRED = makeCertificate('b@example.org', new Date(NOW.getTime() - 9 * 86_400_000), new Date(NOW.getTime() - 86_400_000));
const GUIDS = [Buffer.from('0c3a8e3b17d1b54ba8a4a7c4b9f4d2e1', 'hex'), Buffer.from('00112233445566778899aabbccddeeff', 'hex')];

type Value = string | Buffer;
const text = fc.constantFrom('', ' ', 'zoe', ' Zoë Ångström ', 'ZOE', 'user000001', 'Leaver', '514', '512', '-2147483646', '9007199254740993', 'x');
const mail = fc.constantFrom('zoe@example.org', ' Zoe@Example.org ', 'not-an-address', '', 'ünï@bücher.example', 'a@b');
const uuid = fc.constantFrom('0C3A8E3B-17D1-B54B-A8A4-A7C4B9F4D2E1', '0c3a8e3b-17d1-b54b-a8a4-a7c4b9f4d2e1', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', ' ', '');
const stamp = fc.constantFrom('20260101120000Z', '20260101120000.5Z', '20250101000000Z', 'garbage', '20270101000000Z');
const proxy = fc.constantFrom('SMTP:zoe@example.org', 'smtp:alias@example.org', 'X500:/o=x', 'sMtP:mixed@example.org', 'SMTP:not-an-address');
const cert = fc.constantFrom<Value>(VALID, EXPIRED, Buffer.from('junk'));

// One attribute as ldapts hands it: a value, several, or an empty array for a requested attribute that was absent.
function shape<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | T[]> {
  return fc.oneof(arb, fc.array(arb, { maxLength: 3 }));
}

function entryArb(idArb: fc.Arbitrary<Value>): fc.Arbitrary<Entry> {
  return fc
    .record(
      {
        id: shape(idArb),
        uid: shape(text),
        sAMAccountName: shape(text),
        mail: shape(mail),
        MAIL: shape(mail),
        userPrincipalName: shape(mail),
        cn: shape(text),
        displayName: shape(text),
        givenName: shape(text),
        sn: shape(text),
        proxyAddresses: shape(proxy),
        memberOf: shape(fc.constantFrom('cn=b,dc=x', 'cn=a,dc=x', 'CN=C,DC=X')),
        'memberOf;range=0-1499': shape(fc.constantFrom('cn=z,dc=x')),
        userCertificate: shape(cert),
        'userCertificate;binary': shape(cert),
        pwdAccountLockedTime: shape(fc.constantFrom('000001010000Z')),
        userAccountControl: shape(text),
        employeeType: shape(text),
        modifyTimestamp: shape(stamp),
        title: shape(text),
      },
      { requiredKeys: [] },
    )
    .chain((r) => fc.tuple(fc.constant(r), fc.constantFrom('uid=a,dc=x', 'cn=b,dc=x'), fc.shuffledSubarray(Object.keys(r))))
    .map(([r, dn, order]) => {
      const entry: Entry = { dn };
      const rec = r as Record<string, Value | Value[]>;
      for (const k of order) entry[k === 'id' ? 'ID-PLACEHOLDER' : k] = rec[k] as Entry[string];
      return entry;
    });
}

function withId(entries: Entry[], idName: string): Entry[] {
  return entries.map((e) => {
    const out: Entry = { dn: e.dn };
    for (const k of Object.keys(e)) if (k !== 'dn') out[k === 'ID-PLACEHOLDER' ? idName : k] = e[k];
    return out;
  });
}

const presets: [string, DirectoryPreset, fc.Arbitrary<Value>][] = [
  ['openldap', OPENLDAP, uuid],
  ['openldap with extras and an equals rule', resolvePreset('openldap', { extraAttributes: ['title', 'employeeType'], disabled: { kind: 'equals', attribute: 'employeeType', values: ['Leaver'] } }), uuid],
  ['openldap with contextCSN', resolvePreset('openldap', { watermark: 'contextCSN', attributes: { email: 'MAIL', displayName: '' } }), uuid],
  ['ad', ACTIVE_DIRECTORY, fc.oneof(fc.constantFrom<Value>(...GUIDS), uuid, fc.constantFrom<Value>(Buffer.from('0c3a8e3b-17d1-b54b-a8a4-a7c4b9f4d2e1')))],
  ['ad with a flag on bit 31 and upn as e-mail', resolvePreset('ad', { attributes: { email: 'userPrincipalName' }, disabled: { kind: 'flag-bit', attribute: 'userAccountControl', bit: 0x80000000 } }), fc.constantFrom<Value>(...GUIDS)],
];

describe('OwnerCollector', () => {
  for (const [name, preset, idArb] of presets) {
    it(`gives what mapEntry gave, entry for entry (${name})`, () => {
      fc.assert(
        fc.property(fc.array(entryArb(idArb), { maxLength: 8 }), fc.constantFrom(undefined, 'CORP'), fc.constantFrom(undefined, '20260101120000Z'), (raw, domain, since) => {
          const entries = withId(raw, preset.attributes.id);
          // The oracle may change ldapts' arrays in place (EntryValues appends to them): give each side its own copy.
          const copy = (): Entry[] => entries.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])) as Entry);
          const want = oracle(copy(), preset, NOW, domain, since);
          const got = collect(copy(), preset, NOW, domain, since);
          expect(got).toEqual(want);
          // Owners travel as JSON: the same keys in the same order.
          expect(JSON.stringify(got.owners)).toBe(JSON.stringify(want.owners));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('keeps nothing of an entry but its owner, and maps a page of the usual shape', () => {
    const diagnostics: DirectoryDiagnostic[] = [];
    const c = new OwnerCollector(OPENLDAP, { now: NOW }, diagnostics);
    const page: Entry[] = [];
    for (let i = 0; i < 50; i++) page.push({ dn: `uid=u${i},dc=x`, entryUUID: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, uid: `u${i}`, mail: `u${i}@example.org`, cn: `U ${i}`, memberOf: [], userCertificate: [], 'userCertificate;binary': [], modifyTimestamp: '20260101120000Z' });
    page.push({ ...page[3], dn: 'uid=again,dc=x' });
    page.push({ dn: 'uid=full,dc=x', entryUUID: 'ffffffff-0000-0000-0000-000000000000', uid: 'full', mail: 'full@example.org', cn: 'Full Name', givenName: 'Full', sn: 'Name', memberOf: [], userCertificate: [] });
    c.addPage(page);
    expect(c.owners).toHaveLength(51);
    // The usual entry, built in one literal: the same keys in the same order as one grown field by field.
    expect(JSON.stringify(c.owners[50])).toBe(
      JSON.stringify({ id: 'ffffffff-0000-0000-0000-000000000000', email: 'full@example.org', source: 'ldap', username: 'full', displayName: 'Full Name', firstName: 'Full', lastName: 'Name', attributes: { dn: 'uid=full,dc=x' } }),
    );
    expect(c.owners[7]).toEqual({ id: '00000000-0000-0000-0000-000000000007', email: 'u7@example.org', source: 'ldap', username: 'u7', displayName: 'U 7', attributes: { dn: 'uid=u7,dc=x' } });
    expect(diagnostics.map((d) => d.code)).toEqual(['duplicate-id']);
    expect(c.stamp).toBe('20260101120000Z');
  });

  it('finds duplicate ids among many (the id index grows several times), as the oracle does', () => {
    const entries: Entry[] = [];
    const hex = (n: number): string => n.toString(16).padStart(12, '0');
    for (let i = 0; i < 20_000; i++) {
      // Every 997th entry repeats an earlier id, in another spelling now and then (ids compare lower-cased).
      const n = i % 997 === 996 ? (i * 7919) % (i - 1) : i;
      const id = `0000${hex(n).slice(0, 4)}-0000-0000-0000-${hex(n)}`;
      entries.push({ dn: `uid=u${i},dc=x`, entryUUID: i % 2 === 0 ? id : id.toUpperCase(), uid: `u${i}`, mail: `u${i}@example.org`, cn: `U ${i}` });
    }
    const got = collect(entries, OPENLDAP, NOW);
    const want = oracle(entries, OPENLDAP, NOW);
    expect(got.diagnostics.filter((d) => d.code === 'duplicate-id').length).toBeGreaterThan(15);
    expect(got).toEqual(want);
  });
});
