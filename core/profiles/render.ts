import type { PlistValue } from 'plist';
import { fieldByKey, isPlainObject } from '../eas';
import type { Owner } from '../owners/owner';
import { profileDiagnostic, type ProfileDiagnostic } from './codes';

/** A property-list dictionary. */
export type PlistDict = { [key: string]: PlistValue };

/** A payload template as JSON: EAS keys with `{{variable}}` placeholders in any string. */
export type PayloadTemplate = Readonly<Record<string, unknown>>;

/** Owner variables a template may use, as `{{name}}`. */
export const OWNER_VARIABLES = ['email', 'username', 'upn', 'domain', 'displayName', 'firstName', 'lastName'] as const;
export type OwnerVariable = (typeof OWNER_VARIABLES)[number];

/** Values of a rendering: owner variables plus builder-provided ones such as `identity`. */
export type Variables = Readonly<Record<string, string | undefined>>;

/** The variable values of one owner. */
export function ownerVariables(owner: Owner, domain?: string): Record<OwnerVariable, string | undefined> {
  return {
    email: owner.email,
    username: owner.username,
    upn: owner.upn,
    domain: owner.domain ?? domain,
    displayName: owner.displayName,
    firstName: owner.firstName,
    lastName: owner.lastName,
  };
}

export type RenderResult = { readonly ok: true; readonly payload: PlistDict } | { readonly ok: false; readonly diagnostics: readonly ProfileDiagnostic[] };

const VARIABLE_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;
// Characters XML 1.0 cannot carry at all, and lone surrogates: the device would refuse the whole profile.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Ctx {
  readonly vars: Variables;
  readonly owner: string;
  readonly out: ProfileDiagnostic[];
}

function renderString(s: string, path: string, c: Ctx): string {
  const rendered = s.includes('{{')
    ? s.replace(VARIABLE_RE, (whole, name: string) => {
        if (!Object.hasOwn(c.vars, name)) {
          const known = Object.keys(c.vars).map((k) => `{{${k}}}`).join(', ');
          const close = Object.keys(c.vars).find((k) => k.toLowerCase() === name.toLowerCase());
          const hint = close ? ` Did you mean {{${close}}}?` : ` Known variables: ${known}.`;
          c.out.push(profileDiagnostic('unknown-variable', path, `${path} uses ${whole.slice(0, 60)}, which is not an owner variable.${hint}`, c.owner));
          return whole;
        }
        const v = c.vars[name];
        if ((v === undefined || v.trim() === '') && name === 'identity') {
          c.out.push(profileDiagnostic('identity-missing', path, `${path} refers to {{identity}} but owner ${c.owner} has no identity certificate.`, c.owner));
          return whole;
        }
        if (v === undefined || v.trim() === '') {
          c.out.push(profileDiagnostic('empty-variable', path, `Owner ${c.owner} has no ${name}, which ${path} needs ({{${name}}}); this owner's profile is not built.`, c.owner));
          return whole;
        }
        return v;
      })
    : s;
  if (INVALID_XML_RE.test(rendered)) {
    c.out.push(profileDiagnostic('invalid-character', path, `${path} of owner ${c.owner} holds a control character a profile cannot carry; remove it.`, c.owner));
  }
  return rendered;
}

function renderValue(v: unknown, path: string, c: Ctx, isData: boolean): PlistValue | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    // Data keys travel as base64 text in JSON; the plist needs the bytes.
    return isData ? Buffer.from(v.replace(/\s+/g, ''), 'base64') : renderString(v, path, c);
  }
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.flatMap((x, i) => {
    const r = renderValue(x, `${path}[${i}]`, c, false);
    return r === undefined ? [] : [r];
  });
  if (isPlainObject(v)) return renderDict(v, `${path}.`, c);
  return String(v);
}

function renderDict(obj: Readonly<Record<string, unknown>>, base: string, c: Ctx): PlistDict {
  const out: PlistDict = {};
  for (const [k, v] of Object.entries(obj)) {
    if (INVALID_XML_RE.test(k)) {
      c.out.push(profileDiagnostic('invalid-character', base + k, `The key ${JSON.stringify(k)} holds a control character a profile cannot carry.`, c.owner));
      continue;
    }
    const r = renderValue(v, base + k, c, base === '' && fieldByKey(k)?.type === 'data');
    if (r !== undefined) out[k] = r;
  }
  return out;
}

/** Fills `{{variables}}` in every string of `template` for one owner; unknown or empty variables are error diagnostics. */
export function renderTemplate(template: PayloadTemplate, vars: Variables, ownerLabel: string): RenderResult {
  const c: Ctx = { vars, owner: ownerLabel, out: [] };
  const payload = renderDict(template, '', c);
  return c.out.length > 0 ? { ok: false, diagnostics: c.out } : { ok: true, payload };
}

/** `DOMAIN\user` when a domain is set and the user name has neither a domain nor an @ (a UPN or address needs none). */
export function withDomain(userName: string, domain: string | undefined): string {
  if (!domain || userName.includes('\\') || userName.includes('@')) return userName;
  return `${domain}\\${userName}`;
}
