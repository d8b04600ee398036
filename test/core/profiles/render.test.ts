import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProfile, renderTemplate, withDomain, type BuiltProfile, type PlistDict } from '../../../core/profiles';
import { owner, plistlib } from './helpers';

const template = {
  PayloadDisplayName: 'Mail of {{displayName}}',
  Host: 'mail.example.com',
  EmailAddress: '{{email}}',
  UserName: '{{username}}',
  MailNumberOfPastDaysToSync: 14,
  PreventMove: true,
};

const eas = (b: BuiltProfile): PlistDict => (b.profile.PayloadContent as PlistDict[]).find((p) => p.PayloadType === 'com.apple.eas.account') as PlistDict;

function ok(r: ReturnType<typeof buildProfile>): BuiltProfile {
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics, null, 2));
  return r;
}

describe('rendering per owner', () => {
  it('fills every owner variable in any string field', () => {
    const t = {
      PayloadDisplayName: '{{firstName}} {{lastName}}',
      PayloadDescription: '{{displayName}} / {{upn}} / {{domain}}',
      Host: 'mail.example.com',
      EmailAddress: '{{ email }}',
      UserName: '{{upn}}',
    };
    const o = owner('Jane.Doe@example.com', { username: 'jdoe', upn: 'jdoe@corp.example.com', displayName: 'Jane Doe', firstName: 'Jane', lastName: 'Doe', domain: 'CORP' });
    const p = eas(ok(buildProfile(t, o)));
    expect(p.PayloadDisplayName).toBe('Jane Doe');
    expect(p.PayloadDescription).toBe('Jane Doe / jdoe@corp.example.com / CORP');
    expect(p.EmailAddress).toBe('Jane.Doe@example.com');
    expect(p.UserName).toBe('jdoe@corp.example.com');
    expect(p.MailNumberOfPastDaysToSync).toBeUndefined();
  });

  it('writes DOMAIN\\user when a domain is set, from the owner or the run', () => {
    const withOwnerDomain = eas(ok(buildProfile(template, owner('a@example.com', { username: 'alice', displayName: 'A', domain: 'CORP' }))));
    expect(withOwnerDomain.UserName).toBe('CORP\\alice');
    const withRunDomain = eas(ok(buildProfile(template, owner('b@example.com', { username: 'bob', displayName: 'B' }), { domain: 'HQ' })));
    expect(withRunDomain.UserName).toBe('HQ\\bob');
    const none = eas(ok(buildProfile(template, owner('c@example.com', { username: 'carol', displayName: 'C' }))));
    expect(none.UserName).toBe('carol');
    const explicit = eas(ok(buildProfile({ ...template, UserName: '{{domain}}\\{{username}}' }, owner('d@example.com', { username: 'dan', displayName: 'D', domain: 'X' }))));
    expect(explicit.UserName).toBe('X\\dan');
    expect(withDomain('jane@example.com', 'CORP')).toBe('jane@example.com');
    expect(withDomain('CORP\\jane', 'OTHER')).toBe('CORP\\jane');
  });

  it('an empty or unknown variable is an error naming owner and field; that owner gets no profile, the others do', () => {
    const owners = [
      owner('ok@example.com', { username: 'ok', displayName: 'Ok' }),
      owner('nouser@example.com', { displayName: 'No User' }),
      owner('blank@example.com', { username: '  ', displayName: 'Blank' }),
    ];
    const results = owners.map((o) => buildProfile(template, o));
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    const bad = results[1];
    if (bad.ok) throw new Error('unreachable');
    expect(bad.diagnostics).toEqual([
      expect.objectContaining({ code: 'empty-variable', severity: 'error', path: 'UserName', owner: 'nouser@example.com' }),
    ]);
    expect(bad.diagnostics[0].message).toContain('nouser@example.com');
    expect(bad.diagnostics[0].message).toContain('UserName');

    const typo = buildProfile({ ...template, EmailAddress: '{{Email}}' }, owners[0]);
    expect(typo.ok).toBe(false);
    if (typo.ok) throw new Error('unreachable');
    expect(typo.diagnostics[0]).toMatchObject({ code: 'unknown-variable', path: 'EmailAddress', owner: 'ok@example.com' });
    expect(typo.diagnostics[0].message).toContain('{{email}}');
  });

  it('never ships an empty e-mail address or a literal {{email}}', () => {
    const r = buildProfile(template, owner('', { id: 'x1', username: 'u', displayName: 'U' }));
    expect(r.ok).toBe(false);
    for (const o of [owner('jane@example.com', { username: 'j', displayName: 'J' })]) {
      const b = ok(buildProfile(template, o));
      expect(b.xml.toString()).not.toContain('{{');
    }
    // A literal variable that slipped past rendering is caught by validation in profile mode too.
    const literal = renderTemplate({ EmailAddress: '{{email}}' }, { email: '{{email}}' }, 'x');
    expect(literal.ok).toBe(true);
    const b = buildProfile({ ...template, EmailAddress: '{{email}}' }, owner('{{email}}', { username: 'u', displayName: 'U' }));
    expect(b.ok).toBe(false);
  });

  it('escapes values through the plist writer: Zoë <"O\'Brien"> & Co comes out intact', () => {
    const name = 'Zoë <"O\'Brien"> & Co';
    const o = owner('zoe@example.com', { username: 'zoe', displayName: name, firstName: ']]> <!-- &amp;' });
    const b = ok(buildProfile({ ...template, PayloadDescription: '{{firstName}}' }, o, { organization: 'A & B <Ltd>', description: 'For {{displayName}}' }));
    const parsed = plistlib(b.xml) as { PayloadOrganization: string; PayloadDescription: string; PayloadContent: { PayloadDisplayName: string; PayloadDescription: string }[] };
    expect(parsed.PayloadContent[0].PayloadDisplayName).toBe(`Mail of ${name}`);
    expect(parsed.PayloadContent[0].PayloadDescription).toBe(']]> <!-- &amp;');
    expect(parsed.PayloadOrganization).toBe('A & B <Ltd>');
    expect(parsed.PayloadDescription).toBe(`For ${name}`);
    expect(b.xml.toString()).toContain('&lt;"O\'Brien"&gt; &amp; Co');
  });

  it('a control character in a value is an error, not a broken plist', () => {
    const r = buildProfile(template, owner('e@example.com', { username: 'e\u0001', displayName: 'E' }));
    expect(r.ok).toBe(false);
    if (r.ok) throw new Error('unreachable');
    expect(r.diagnostics[0]).toMatchObject({ code: 'invalid-character', path: 'UserName' });
  });

  it('payload errors from validate() stop the profile; warnings travel with it', () => {
    const bad = buildProfile({ ...template, Host: 'https://mail.example.com/EWS' }, owner('f@example.com', { username: 'f', displayName: 'F' }));
    expect(bad.ok).toBe(false);
    if (bad.ok) throw new Error('unreachable');
    expect(bad.diagnostics.map((d) => d.code)).toContain('host-is-url');
    expect(bad.diagnostics[0].path).toBe('PayloadContent[0].Host');
    const warn = ok(buildProfile({ ...template, Password: 'shared' }, owner('g@example.com', { username: 'g', displayName: 'G' })));
    expect(warn.diagnostics.map((d) => d.code)).toEqual(['password-not-encrypted']);
    const quiet = ok(buildProfile({ ...template, Password: 'shared' }, owner('g@example.com', { username: 'g', displayName: 'G' }), { encrypted: true }));
    expect(quiet.diagnostics).toEqual([]);
  });

  it('assembles the top level per TopLevel.yaml', () => {
    const b = ok(
      buildProfile(template, owner('h@example.com', { username: 'h', displayName: 'H' }), {
        organization: 'Example',
        displayName: 'Exchange for {{displayName}}',
        consentText: { default: 'Agree?' },
        removalDisallowed: false,
      }),
    );
    const p = plistlib(b.xml) as Record<string, unknown>;
    expect(Object.keys(p).sort()).toEqual(
      ['ConsentText', 'PayloadContent', 'PayloadDisplayName', 'PayloadIdentifier', 'PayloadOrganization', 'PayloadRemovalDisallowed', 'PayloadType', 'PayloadUUID', 'PayloadVersion'].sort(),
    );
    expect(p).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, PayloadDisplayName: 'Exchange for H', ConsentText: { default: 'Agree?' } });
    expect((p.PayloadContent as unknown[]).length).toBe(1);
  });
});

describe('escaping, property-based', () => {
  it('any printable text an owner may have comes back identical through Python plistlib', () => {
    // Characters XML 1.0 can carry; control characters are refused with a diagnostic instead (tested above).
    // eslint-disable-next-line no-control-regex -- characters XML cannot carry are excluded on purpose
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s) && s.trim() !== '');
    const samples = fc.sample(fc.tuple(text, text, text), 60);
    samples.push(['Zoë <"O\'Brien"> & Co', ']]>', '&amp; &#x41; <![CDATA[x]]>'], ['😀 emoji \u{1F469}\u200D\u{1F4BB}', '\u00A0nbsp', 'tab\there cr\r\nlf']);
    const built = samples.map(([displayName, firstName, lastName], i) =>
      ok(buildProfile({ ...template, PayloadDescription: '{{firstName}}|{{lastName}}' }, owner(`u${i}@example.com`, { username: `u${i}`, displayName, firstName, lastName }))),
    );
    const script = 'import plistlib,sys,json,base64\nprint(json.dumps([plistlib.loads(base64.b64decode(x))["PayloadContent"][0]["PayloadDisplayName"] + "\\u0000" + plistlib.loads(base64.b64decode(x))["PayloadContent"][0]["PayloadDescription"] for x in json.load(sys.stdin)]))';
    const out = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(built.map((b) => b.xml.toString('base64'))) }).toString()) as string[];
    out.forEach((got, i) => {
      const [displayName, firstName, lastName] = samples[i];
      expect(got).toBe(`Mail of ${displayName}\u0000${firstName}|${lastName}`);
    });
  });
});
