import { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes';
import { SERVICE_KEYS } from './catalog';
import { hasTemplateVariable } from './formats';
import type { Diagnostic, TargetOs } from './types';

/** What a rule knows besides the payload. */
export interface RuleContext {
  readonly target: TargetOs;
  /** Whether the target OS knows this top-level key at all. */
  isSupported(key: string): boolean;
  readonly mode: 'template' | 'profile';
  /** PayloadUUID → PayloadType of the other payloads in the same profile, when the payload sits in one. */
  readonly profilePayloads?: ReadonlyMap<string, string>;
  /** The profile will be encrypted, so secrets inside it are protected. */
  readonly encrypted: boolean;
}

type Payload = Readonly<Record<string, unknown>>;

/** A named cross-field rule: one stable code, one check. */
export interface Rule {
  readonly code: DiagnosticCode;
  check(p: Payload, ctx: RuleContext): readonly Diagnostic[] | Diagnostic | undefined;
}

const diag = (code: DiagnosticCode, path: string, message: string): Diagnostic => ({
  code,
  severity: DIAGNOSTIC_CODES[code].severity,
  path,
  message,
});

const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Payload types that carry a private key, so they can serve as an account or S/MIME identity. */
export const IDENTITY_PAYLOAD_TYPES: ReadonlySet<string> = new Set([
  'com.apple.security.pkcs12',
  'com.apple.security.scep',
  'com.apple.security.acme',
]);

// Exchange Online answers on these hosts; Microsoft turned basic authentication off there in 2022.
const EXCHANGE_ONLINE_RE = /(^|\.)(outlook\.office365\.com|outlook\.office\.com|outlook\.com|office365\.com)(:\d+)?$/i;

const IDENTITY_KEYS = ['PayloadCertificateUUID', 'SMIMESigningCertificateUUID', 'SMIMEEncryptionCertificateUUID'] as const;

export const RULES: readonly Rule[] = [
  {
    code: 'oauth-with-password',
    check: (p) =>
      p.OAuth === true && isSet(p.Password)
        ? diag('oauth-with-password', 'Password', 'OAuth is on, so the account signs in through the web page: remove the password.')
        : undefined,
  },
  {
    code: 'oauth-url-without-oauth',
    check: (p) =>
      p.OAuth === true || (p.OAuthSignInURL === undefined && p.OAuthTokenRequestURL === undefined)
        ? undefined
        : (['OAuthSignInURL', 'OAuthTokenRequestURL'] as const)
            .filter((k) => isSet(p[k]))
            .map((k) => diag('oauth-url-without-oauth', k, `${k} is only used with OAuth: turn on "Use OAuth" or remove the URL.`)),
  },
  {
    code: 'oauth-sign-in-without-host',
    check: (p) =>
      p.OAuth === true && isSet(p.OAuthSignInURL) && !isSet(p.Host)
        ? diag('oauth-sign-in-without-host', 'Host', 'A sign-in URL turns off auto-discovery, so set the Exchange host as well.')
        : undefined,
  },
  {
    code: 'office365-without-oauth',
    check: (p) => {
      const raw = str(p.Host);
      if (raw === undefined || p.OAuth === true) return undefined;
      // Also catch the host inside a URL-shaped value, which gets its own host-is-url error.
      const host = raw.includes('/') ? raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] : raw.trim();
      return EXCHANGE_ONLINE_RE.test(host)
        ? diag(
            'office365-without-oauth',
            'OAuth',
            `${host} is Exchange Online, which no longer accepts passwords (basic authentication): turn on "Use OAuth".`,
          )
        : undefined;
    },
  },
  {
    code: 'no-service-enabled',
    check: (p, ctx) => {
      // Before iOS 13 the service keys do not exist and every service is on.
      if (!ctx.isSupported('EnableMail')) return undefined;
      return p.EnableMail === false && SERVICE_KEYS.every((k) => p[k] === false)
        ? diag('no-service-enabled', 'EnableMail', 'Every service is off: turn on at least one of Mail, Contacts, Calendars, Reminders or Notes.')
        : undefined;
    },
  },
  {
    code: 'smime-without-identity',
    check: (p) => {
      const signing = p.SMIMESigningEnabled === true || p.SMIMEEnabled === true;
      const encrypting = p.SMIMEEncryptByDefault === true || p.SMIMEEncryptionEnabled === true || p.SMIMEEnabled === true;
      if (!signing && !encrypting) return undefined;
      const out: Diagnostic[] = [];
      if (signing && !isSet(p.SMIMESigningCertificateUUID)) {
        out.push(
          diag('smime-without-identity', 'SMIMESigningCertificateUUID', 'S/MIME signing is on but no signing identity is set: add the owner\u2019s certificate and reference it here.'),
        );
      }
      if (encrypting && !isSet(p.SMIMEEncryptionCertificateUUID)) {
        out.push(
          diag('smime-without-identity', 'SMIMEEncryptionCertificateUUID', 'S/MIME encryption is on but no encryption identity is set: add the owner\u2019s certificate and reference it here.'),
        );
      }
      return out;
    },
  },
  {
    code: 'client-cert-without-identity',
    check: (p) =>
      (isSet(p.CertificateName) || isSet(p.CertificatePassword)) && !isSet(p.Certificate) && !isSet(p.PayloadCertificateUUID)
        ? diag(
            'client-cert-without-identity',
            'PayloadCertificateUUID',
            'Client-certificate settings are given but no certificate: reference the owner\u2019s identity payload in PayloadCertificateUUID.',
          )
        : undefined,
  },
  {
    code: 'certificate-and-uuid',
    check: (p) =>
      isSet(p.Certificate) && isSet(p.PayloadCertificateUUID)
        ? diag('certificate-and-uuid', 'Certificate', 'PayloadCertificateUUID is set, so the device ignores this embedded Certificate: remove one of them.')
        : undefined,
  },
  {
    code: 'identity-not-found',
    check: (p, ctx) => {
      const payloads = ctx.profilePayloads;
      if (!payloads) return undefined;
      const out: Diagnostic[] = [];
      for (const k of IDENTITY_KEYS) {
        const uuid = str(p[k]);
        if (!uuid || hasTemplateVariable(uuid)) continue;
        const type = payloads.get(uuid) ?? payloads.get(uuid.toUpperCase());
        if (type === undefined) {
          out.push(diag('identity-not-found', k, `No payload in this profile has the UUID ${uuid}: add the identity payload or fix the UUID.`));
        } else if (!IDENTITY_PAYLOAD_TYPES.has(type)) {
          out.push(diag('identity-wrong-type', k, `${uuid} is a ${type} payload, which has no private key: point at a PKCS#12, SCEP or ACME identity.`));
        }
      }
      return out;
    },
  },
  {
    code: 'password-not-encrypted',
    check: (p, ctx) =>
      ctx.encrypted || (p.Password === undefined && p.CertificatePassword === undefined)
        ? undefined
        : (['Password', 'CertificatePassword'] as const)
            .filter((k) => isSet(p[k]))
            .map((k) => diag('password-not-encrypted', k, `${k} is readable by anyone who gets this profile: encrypt the profile to the device, or leave the password out so the user types it.`)),
  },
  {
    code: 'no-user-name',
    check: (p) =>
      isSet(p.UserName)
        ? undefined
        : diag('no-user-name', 'UserName', 'No user name: installs through MDM need one. Use {{username}} or {{email}} so each owner gets their own.'),
  },
];
