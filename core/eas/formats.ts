import type { DiagnosticCode } from './codes';
import type { ValueFormat } from './types';

/** A named check of one string's format: returns what is wrong, or undefined when the value is fine. */
export interface FormatValidator {
  readonly name: ValueFormat;
  readonly code: DiagnosticCode;
  check(value: string): { code: DiagnosticCode; message: string } | undefined;
}

const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
// A TLD of letters (any script) or punycode: "mail.example.com", "exämple.de", "xn--bcher-kva.ch".
const DOMAIN_RE = new RegExp(`^(?:${LABEL}\\.)+(?:[\\p{L}]{2,63}|xn--[a-z0-9-]{1,59})$`, 'iu');
// Most names are plain ASCII: a cheaper pattern settles them before the Unicode-aware one.
const ASCII_DOMAIN_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const ASCII_EMAIL_RE = /^[a-z0-9_+-](?:[a-z0-9_.+-]{0,62}[a-z0-9_+-])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const isDomain = (s: string): boolean => ASCII_DOMAIN_RE.test(s) || DOMAIN_RE.test(s);
const SINGLE_LABEL_RE = new RegExp(`^${LABEL}$`, 'iu');
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_RE = /^[0-9A-Fa-f:.]{2,45}$/;
const LOCAL_PART_RE = /^[^\s@"(),:;<>[\]\\]{1,64}$/;
const BUNDLE_ID_RE = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Whether `host` is a host name (possibly internationalised, or a single intranet label) or an IP address. */
export function isHostName(host: string): boolean {
  if (IPV4_RE.test(host)) return true;
  if (host.startsWith('[') && host.endsWith(']')) return IPV6_RE.test(host.slice(1, -1)) && host.includes(':');
  if (host.includes(':')) return IPV6_RE.test(host) && host.split(':').length > 2;
  return isDomain(host) || SINGLE_LABEL_RE.test(host);
}

/** Whether `email` is an address with a real domain, internationalised domains included. */
export function isEmailAddress(email: string): boolean {
  if (ASCII_EMAIL_RE.test(email)) return true;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return false;
  return LOCAL_PART_RE.test(email.slice(0, at)) && isDomain(email.slice(at + 1)) && !email.slice(0, at).startsWith('.');
}

const hostname: FormatValidator = {
  name: 'hostname',
  code: 'host-invalid',
  check(value) {
    if (ASCII_DOMAIN_RE.test(value) || IPV4_RE.test(value)) return undefined;
    const v = value.trim();
    if (SCHEME_RE.test(v) || /[/?#]/.test(v)) {
      const host = v.replace(SCHEME_RE, '').split(/[/?#]/)[0];
      return {
        code: 'host-is-url',
        message: `Write the host name only, without scheme or path: "${host}" instead of the URL.`,
      };
    }
    if (v !== value) return { code: 'host-invalid', message: 'The host has spaces around it; remove them.' };
    // A port is allowed ("mail.example.com:8443"); an IPv6 literal is bracketed when it has one.
    const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(v);
    const host = m ? m[1] : v;
    if (m && (Number(m[2]) < 1 || Number(m[2]) > 65535)) {
      return { code: 'host-invalid', message: `Port ${m[2]} is out of range (1 to 65535).` };
    }
    if (!isHostName(host)) {
      return { code: 'host-invalid', message: 'This is not a host name or IP address; write it like mail.example.com.' };
    }
    return undefined;
  },
};

const email: FormatValidator = {
  name: 'email',
  code: 'email-invalid',
  check(value) {
    return isEmailAddress(value)
      ? undefined
      : { code: 'email-invalid', message: 'This is not an e-mail address; write it like jane.doe@example.com, or use {{email}} per owner.' };
  },
};

const url: FormatValidator = {
  name: 'url',
  code: 'url-invalid',
  check(value) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      return { code: 'url-invalid', message: 'This is not a URL; write the full address, starting with https://.' };
    }
    return parsed.protocol === 'https:'
      ? undefined
      : { code: 'url-invalid', message: 'OAuth endpoints must use https://; tokens would otherwise travel in clear.' };
  },
};

const bundleId: FormatValidator = {
  name: 'bundle-id',
  code: 'bundle-id-invalid',
  check(value) {
    return BUNDLE_ID_RE.test(value)
      ? undefined
      : { code: 'bundle-id-invalid', message: 'Write an app bundle identifier in reverse-DNS form, like com.example.phone.' };
  },
};

const user: FormatValidator = {
  name: 'user',
  code: 'user-invalid',
  check(value) {
    if (value.trim() !== value) return { code: 'user-invalid', message: 'The user name has spaces around it; remove them.' };
    const slash = value.indexOf('\\');
    if (slash >= 0 && (slash === 0 || slash === value.length - 1 || value.indexOf('\\', slash + 1) >= 0)) {
      return { code: 'user-invalid', message: 'Write a domain user as DOMAIN\\user, with one backslash and both parts filled in.' };
    }
    return undefined;
  },
};

/** Apple's UUID format (8-4-4-4-12 letters or digits), checked by hand: it runs for every identity reference. */
export function isUuidShape(v: string): boolean {
  if (v.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) {
      return false;
    }
  }
  return true;
}

const uuid: FormatValidator = {
  name: 'uuid',
  code: 'uuid-invalid',
  check(value) {
    return isUuidShape(value)
      ? undefined
      : { code: 'uuid-invalid', message: 'This is not a UUID; it looks like 6F9619FF-8B86-D011-B42D-00C04FC964FF.' };
  },
};

/** Format validators by the format name the catalog uses. */
export const FORMAT_VALIDATORS: Readonly<Record<ValueFormat, FormatValidator>> = {
  hostname,
  email,
  url,
  'bundle-id': bundleId,
  user,
  uuid,
};

const TEMPLATE_RE = /\{\{[^{}]*\}\}/;

/** Whether a string holds an owner variable such as `{{email}}`, filled in per owner when profiles are built. */
export function hasTemplateVariable(value: string): boolean {
  return value.includes('{{') && TEMPLATE_RE.test(value);
}
