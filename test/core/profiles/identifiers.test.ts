import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProfile, uuidV5, type BuiltProfile, type PlistDict } from '../../../core/profiles';
import { owner } from './helpers';

const template = { PayloadDisplayName: 'Work mail', Host: 'mail.example.com', EmailAddress: '{{email}}', UserName: '{{email}}', MailNumberOfPastDaysToSync: 7 };

function ok(r: ReturnType<typeof buildProfile>): BuiltProfile {
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics, null, 2));
  return r;
}
const easOf = (b: BuiltProfile): PlistDict => (b.profile.PayloadContent as PlistDict[]).find((p) => p.PayloadType === 'com.apple.eas.account') as PlistDict;

describe('stable identifiers (decision 3)', () => {
  it('UUID v5 matches Python uuid.uuid5', () => {
    const names = ['python.org', 'Zoë', 'a\nb'];
    const py = execFileSync('python3', ['-c', 'import uuid,sys,json\nfor n in json.loads(sys.argv[1]): print(str(uuid.uuid5(uuid.NAMESPACE_DNS, n)).upper())', JSON.stringify(names)])
      .toString()
      .trim()
      .split('\n');
    expect(names.map((n) => uuidV5(n, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'))).toEqual(py);
  });

  it('building twice gives byte-identical unsigned output', () => {
    const o = owner('jane@example.com');
    const a = ok(buildProfile(template, o, { organization: 'Example' }));
    const b = ok(buildProfile(structuredClone(template), { ...o }, { organization: 'Example' }));
    expect(a.xml.equals(b.xml)).toBe(true);
    expect(a.ids).toEqual(b.ids);
  });

  it('changing a setting keeps the profile id and the EAS id and UUID, and changes the top-level UUID', () => {
    const o = owner('jane@example.com');
    const a = ok(buildProfile(template, o, { organization: 'Example' }));
    const b = ok(buildProfile({ ...template, MailNumberOfPastDaysToSync: 31, PayloadDisplayName: 'Renamed' }, o, { organization: 'Example' }));
    expect(b.ids.profileIdentifier).toBe(a.ids.profileIdentifier);
    expect(easOf(b).PayloadIdentifier).toBe(easOf(a).PayloadIdentifier);
    expect(easOf(b).PayloadUUID).toBe(easOf(a).PayloadUUID);
    expect(b.profile.PayloadIdentifier).toBe(a.profile.PayloadIdentifier);
    expect(b.profile.PayloadUUID).not.toBe(a.profile.PayloadUUID);
    expect(b.contentHash).not.toBe(a.contentHash);
  });

  it('the top-level UUID is the content hash: independent of when or where it is built', () => {
    const a = ok(buildProfile(template, owner('jane@example.com'), { organization: 'Example' }));
    expect(a.profile.PayloadUUID).toBe(uuidV5(`content:${a.contentHash}`));
    expect(a.xml.toString()).toContain(`<string>${a.ids.profileUuid}</string>`);
  });

  it('organisation and account are part of the identity', () => {
    const o = owner('jane@example.com');
    const base = ok(buildProfile(template, o, { organization: 'Example' }));
    const otherOrg = ok(buildProfile(template, o, { organization: 'Other' }));
    const otherAccount = ok(buildProfile(template, o, { organization: 'Example', account: 'archive' }));
    const ids = [base, otherOrg, otherAccount].map((b) => b.ids.easUuid);
    expect(new Set(ids).size).toBe(3);
  });

  it('two owners never share an identifier or UUID', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.emailAddress(), { minLength: 2, maxLength: 30, selector: (e) => e.toLowerCase() }), (emails) => {
        const all: string[] = [];
        for (const e of emails) {
          const b = ok(buildProfile({ Host: 'mail.example.com', EmailAddress: 'x@example.com', UserName: 'u' }, owner(e), { organization: 'Example' }));
          all.push(b.ids.profileIdentifier, b.ids.easIdentifier, b.ids.easUuid, b.ids.identityUuid, b.ids.profileUuid);
        }
        // Same settings for everyone: even the content-derived top-level UUID differs, through the ids inside.
        expect(new Set(all).size).toBe(all.length);
      }),
      { numRuns: 25 },
    );
  });
});
