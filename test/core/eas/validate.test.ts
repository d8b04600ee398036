import fc from 'fast-check';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, MAX_DIAGNOSTICS, validate, type Diagnostic } from '../../../core/eas';

const GOOD = {
  PayloadDisplayName: 'Corporate mail',
  EmailAddress: '{{email}}',
  UserName: 'CORP\\{{username}}',
  Host: 'mail.example.com',
  SSL: true,
  MailNumberOfPastDaysToSync: 14,
  PreventMove: true,
  PreventAppSheet: false,
  EnableNotes: false,
};

const codes = (payload: unknown, options = {}): string[] => validate(payload, options).diagnostics.map((d) => d.code);
const only = (payload: unknown, code: string, options = {}): Diagnostic[] =>
  validate(payload, options).diagnostics.filter((d) => d.code === code);

describe('validate: a sound payload', () => {
  it('is valid with no diagnostics', () => {
    expect(validate(GOOD)).toEqual({ valid: true, diagnostics: [] });
  });

  it('accepts an Exchange Online payload with OAuth and every service on', () => {
    const r = validate({ Host: 'outlook.office365.com', OAuth: true, SSL: true, UserName: '{{upn}}', EmailAddress: 'a@example.com' }, { platform: 'ios', osVersion: '17.4' });
    expect(r).toEqual({ valid: true, diagnostics: [] });
  });

  it('accepts an internationalised e-mail address and host', () => {
    expect(codes({ ...GOOD, EmailAddress: 'zoë@exämple.de', Host: 'mail.exämple.de' })).toEqual([]);
  });
});

describe('validate: keys and types', () => {
  it('names an unknown key and suggests the near miss', () => {
    const [d] = only({ ...GOOD, Hots: 'x' }, 'unknown-key');
    expect(d).toMatchObject({ severity: 'error', path: 'Hots' });
    expect(d.message).toContain('Did you mean Host?');
    expect(only({ ...GOOD, host: 'x' }, 'unknown-key')[0].message).toContain('Did you mean Host?');
    expect(only({ ...GOOD, UseOnlyInMail: true }, 'unknown-key')[0].message).toContain('PreventAppSheet');
    expect(only({ ...GOOD, Domain: 'CORP' }, 'unknown-key')[0].message).toContain('DOMAIN\\user in UserName');
  });

  it('reports wrong types with a hint', () => {
    const [d] = only({ ...GOOD, SSL: 'true' }, 'wrong-type');
    expect(d).toMatchObject({ path: 'SSL', severity: 'error' });
    expect(d.message).toContain('without quotes');
    expect(only({ ...GOOD, MailNumberOfPastDaysToSync: '7' }, 'wrong-type')[0].path).toBe('MailNumberOfPastDaysToSync');
    expect(only({ ...GOOD, MailNumberOfPastDaysToSync: 7.5 }, 'wrong-type')).toHaveLength(1);
    expect(only({ ...GOOD, CommunicationServiceRules: [] }, 'wrong-type')).toHaveLength(1);
  });

  it('reports a value outside the allowed set', () => {
    const [d] = only({ ...GOOD, MailNumberOfPastDaysToSync: 30 }, 'past-days-not-allowed');
    expect(d.message).toMatch(/0, 1, 3, 7, 14, 31/);
    expect(codes({ ...GOOD, MailNumberOfPastDaysToSync: 0 })).toEqual([]);
    expect(only({ ...GOOD, PayloadVersion: 2 }, 'value-not-allowed')).toHaveLength(1);
  });

  it('checks nested dictionaries by the catalog', () => {
    const p = { ...GOOD, CommunicationServiceRules: { DefaultServiceHandlers: { AudioCall: 'not a bundle id', Video: 'x' } } };
    expect(codes(p).sort()).toEqual(['bundle-id-invalid', 'unknown-key']);
    expect(validate(p).diagnostics.find((d) => d.code === 'unknown-key')?.path).toBe('CommunicationServiceRules.DefaultServiceHandlers.Video');
  });

  it('requires the generated keys only in a finished profile', () => {
    expect(codes(GOOD, { mode: 'template' })).toEqual([]);
    expect(only(GOOD, 'missing-required-key', { mode: 'profile' }).map((d) => d.path).sort()).toEqual(
      ['PayloadIdentifier', 'PayloadType', 'PayloadUUID', 'PayloadVersion'],
    );
  });

  it('rejects another payload type and malformed UUIDs', () => {
    expect(codes({ ...GOOD, PayloadType: 'com.apple.mail.managed' })).toEqual(['wrong-payload-type']);
    expect(codes({ ...GOOD, PayloadCertificateUUID: 'nope' })).toContain('uuid-invalid');
  });

  it('flags a variable left in a finished profile', () => {
    expect(only(GOOD, 'unrendered-variable', { mode: 'profile' }).map((d) => d.path).sort()).toEqual(['EmailAddress', 'UserName']);
  });
});

describe('validate: hosts, addresses and URLs', () => {
  it.each([
    ['https://mail.example.com', 'host-is-url'],
    ['mail.example.com/EWS/Exchange.asmx', 'host-is-url'],
    ['https://mail.example.com/Microsoft-Server-ActiveSync', 'host-is-url'],
    ['mail example com', 'host-invalid'],
    [' mail.example.com', 'host-is-url'],
    ['mail.example.com:99999', 'host-invalid'],
  ])('Host %j gives %s', (host, code) => {
    const r = validate({ ...GOOD, Host: host });
    if (code === 'host-is-url' && host.startsWith(' ')) {
      expect(r.diagnostics.map((d) => d.code)).toEqual(['host-invalid']);
    } else {
      expect(r.diagnostics.map((d) => d.code)).toEqual([code]);
    }
  });

  it.each(['mail.example.com', 'mail', '10.0.0.5', '[2001:db8::1]', 'mail.example.com:8443', 'xn--exmple-cua.de'])('Host %j is fine', (host) => {
    expect(codes({ ...GOOD, Host: host })).toEqual([]);
  });

  it('suggests the bare host for a URL', () => {
    expect(only({ ...GOOD, Host: 'https://mail.example.com/owa' }, 'host-is-url')[0].message).toContain('"mail.example.com"');
  });

  it('rejects bad e-mail addresses, user names and OAuth URLs', () => {
    expect(codes({ ...GOOD, EmailAddress: 'jane.doe' })).toEqual(['email-invalid']);
    expect(codes({ ...GOOD, EmailAddress: 'jane@localhost' })).toEqual(['email-invalid']);
    expect(codes({ ...GOOD, UserName: 'CORP\\\\jane' })).toEqual(['user-invalid']);
    const oauth = { ...GOOD, OAuth: true, OAuthSignInURL: 'http://login.example.com/', OAuthTokenRequestURL: 'not a url' };
    expect(codes(oauth).sort()).toEqual(['url-invalid', 'url-invalid']);
  });
});

describe('validate: cross-field rules', () => {
  it('refuses a password with OAuth', () => {
    const d = only({ ...GOOD, OAuth: true, Password: 'hunter2' }, 'oauth-with-password');
    expect(d).toHaveLength(1);
    expect(d[0].path).toBe('Password');
  });

  it('refuses OAuth URLs without OAuth', () => {
    expect(only({ ...GOOD, OAuthSignInURL: 'https://login.example.com/' }, 'oauth-url-without-oauth')[0].path).toBe('OAuthSignInURL');
    expect(only({ ...GOOD, OAuth: true, OAuthSignInURL: 'https://login.example.com/' }, 'oauth-url-without-oauth')).toEqual([]);
  });

  it('warns that an OAuth sign-in URL needs a host', () => {
    const { Host: _, ...noHost } = GOOD;
    expect(only({ ...noHost, OAuth: true, OAuthSignInURL: 'https://login.example.com/' }, 'oauth-sign-in-without-host')[0].severity).toBe('warning');
  });

  it('requires OAuth for Exchange Online hosts', () => {
    for (const host of ['outlook.office365.com', 'OUTLOOK.OFFICE.COM', 'eas.outlook.com']) {
      expect(codes({ ...GOOD, Host: host }), host).toContain('office365-without-oauth');
      expect(codes({ ...GOOD, Host: host, OAuth: true }), host).not.toContain('office365-without-oauth');
    }
    expect(codes({ ...GOOD, Host: 'outlook.office365.com.evil.example' })).not.toContain('office365-without-oauth');
    expect(codes({ ...GOOD, Host: 'https://outlook.office365.com/EWS/Exchange.asmx' }).sort()).toEqual(['host-is-url', 'office365-without-oauth']);
  });

  it('needs at least one service on iOS 13+', () => {
    const off = { ...GOOD, EnableMail: false, EnableContacts: false, EnableCalendars: false, EnableReminders: false, EnableNotes: false };
    expect(only(off, 'no-service-enabled')).toHaveLength(1);
    expect(only({ ...off, EnableNotes: true }, 'no-service-enabled')).toHaveLength(0);
    expect(only(off, 'no-service-enabled', { osVersion: '12.4' })).toHaveLength(0);
  });

  it('needs identities for S/MIME and client certificates', () => {
    expect(only({ ...GOOD, SMIMESigningEnabled: true }, 'smime-without-identity')[0].path).toBe('SMIMESigningCertificateUUID');
    expect(only({ ...GOOD, SMIMEEncryptByDefault: true }, 'smime-without-identity')[0].path).toBe('SMIMEEncryptionCertificateUUID');
    expect(only({ ...GOOD, CertificateName: 'Jane' }, 'client-cert-without-identity')).toHaveLength(1);
    const uuid = '6F9619FF-8B86-D011-B42D-00C04FC964FF';
    expect(codes({ ...GOOD, SMIMESigningEnabled: true, SMIMESigningCertificateUUID: uuid })).toEqual([]);
  });

  it('resolves identity UUIDs against the profile when it knows the profile', () => {
    const id = '6F9619FF-8B86-D011-B42D-00C04FC964FF';
    const root = '11111111-2222-3333-4444-555555555555';
    const profilePayloads = new Map([
      [id, 'com.apple.security.pkcs12'],
      [root, 'com.apple.security.root'],
    ]);
    expect(codes({ ...GOOD, PayloadCertificateUUID: id }, { profilePayloads })).toEqual([]);
    expect(codes({ ...GOOD, PayloadCertificateUUID: root }, { profilePayloads })).toEqual(['identity-wrong-type']);
    expect(codes({ ...GOOD, PayloadCertificateUUID: '99999999-2222-3333-4444-555555555555' }, { profilePayloads })).toEqual(['identity-not-found']);
  });

  it('warns about passwords in profiles that are not encrypted, without echoing them', () => {
    const r = validate({ ...GOOD, Password: 'canary-S3cret!' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['password-not-encrypted']);
    expect(r.valid).toBe(true);
    expect(validate({ ...GOOD, Password: 'canary-S3cret!' }, { encrypted: true }).diagnostics).toEqual([]);
    expect(JSON.stringify(validate({ ...GOOD, Password: 12345, OAuth: true, CertificatePassword: ['canary-S3cret!'] }))).not.toMatch(/canary|12345/);
  });

  it('warns when no user name is given', () => {
    const { UserName: _, ...rest } = GOOD;
    expect(only(rest, 'no-user-name')[0].severity).toBe('warning');
  });

  it('warns about both an embedded certificate and a certificate UUID', () => {
    expect(codes({ ...GOOD, Certificate: 'AAAA', PayloadCertificateUUID: '6F9619FF-8B86-D011-B42D-00C04FC964FF' })).toEqual(['certificate-and-uuid']);
  });
});

describe('validate: target OS', () => {
  it('marks keys newer than the target and deprecated keys', () => {
    const p = { ...GOOD, OAuth: true, EnableMail: true };
    expect(only(p, 'key-not-supported', { platform: 'iOS', osVersion: '11.4' }).map((d) => d.path).sort()).toEqual(['EnableMail', 'EnableNotes', 'OAuth']);
    expect(only(p, 'key-not-supported', { platform: 'iPadOS', osVersion: '17.0' })).toEqual([]);
    const dep = only({ ...GOOD, SMIMEEnabled: false }, 'deprecated-key', { osVersion: '17.0' });
    expect(dep[0].message).toContain('SMIMESigningEnabled');
    expect(only({ ...GOOD, SMIMEEnabled: false }, 'deprecated-key', { osVersion: '9.3' })).toEqual([]);
    expect(only({ ...GOOD, SMIMEEnabled: false }, 'key-not-supported', { platform: 'visionOS' })).toHaveLength(1);
  });

  it('refuses platforms without EAS payloads and unknown targets', () => {
    expect(codes(GOOD, { platform: 'macOS' })).toEqual(['payload-not-supported']);
    expect(codes(GOOD, { platform: 'android' })).toEqual(['unknown-platform']);
    expect(codes(GOOD, { osVersion: 'latest' })).toEqual(['unknown-platform']);
  });
});

describe('validate: hostile input', () => {
  it('gives a diagnostic for anything that is not a dictionary', () => {
    for (const v of [null, undefined, 42, 'Host', [], [GOOD], new Map(), new Date(), Buffer.from('x')]) {
      expect(codes(v), String(v)).toEqual(['payload-not-object']);
    }
  });

  it('accepts plain objects made in another realm (an iframe, a vm context), and nothing else from there', () => {
    const foreign = runInNewContext('({ Host: "mail.example.com", UserName: "u", SSL: true, CommunicationServiceRules: { DefaultServiceHandlers: { AudioCall: "com.example.voip" } } })') as unknown;
    expect(validate(foreign)).toEqual({ valid: true, diagnostics: [] });
    expect(codes(runInNewContext('[1, 2]'))).toEqual(['payload-not-object']);
    expect(codes(runInNewContext('new Map()'))).toEqual(['payload-not-object']);
    expect(codes(runInNewContext('new (class Payload { constructor() { this.Host = "x"; } })()'))).toEqual(['payload-not-object']);
    const hostile = new Proxy({}, { getPrototypeOf() { throw new Error('trap'); } });
    expect(codes(hostile)).toEqual(['payload-not-object']);
  });

  it('neither pollutes prototypes nor trusts __proto__ and constructor keys', () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "Host": "mail.example.com", "UserName": "u"}');
    const r = validate(evil);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unknown-key', 'unknown-key']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('survives megabyte strings and keys', () => {
    const big = 'x'.repeat(2 ** 20);
    const r = validate({ ...GOOD, Host: big, [big]: 1, PayloadDisplayName: big });
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['unknown-key', 'value-too-long', 'value-too-long']);
    expect(JSON.stringify(r).length).toBeLessThan(4000);
  });

  it('survives deep nesting and throwing getters', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { DefaultServiceHandlers: deep };
    expect(validate({ ...GOOD, CommunicationServiceRules: deep }).diagnostics.length).toBeGreaterThan(0);
    const trap = Object.defineProperty({ ...GOOD }, 'Host', { enumerable: true, get() { throw new Error('boom'); } });
    expect(codes(trap)).toEqual(['payload-unreadable']);
  });

  it('caps the number of diagnostics', () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const r = validate(many);
    expect(r.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(r.diagnostics.at(-1)?.code).toBe('too-many-diagnostics');
  });

  it('never throws and only emits documented codes, for any JSON value', () => {
    const known = new Set(Object.keys(DIAGNOSTIC_CODES));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('Host', 'SSL', 'OAuth', 'Password', '__proto__', 'constructor', 'MailNumberOfPastDaysToSync', 'CommunicationServiceRules', 'EnableMail', 'UserName'), fc.jsonValue())), (v) => {
        const r = validate(v, { mode: 'profile' });
        for (const d of r.diagnostics) {
          expect(known.has(d.code)).toBe(true);
          expect(d.severity).toBe(DIAGNOSTIC_CODES[d.code].severity);
        }
        expect(r.valid).toBe(!r.diagnostics.some((d) => d.severity === 'error'));
      }),
      { numRuns: 2000 },
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
