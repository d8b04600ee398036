import { EAS_CATALOG } from './catalog';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes';
import { FORMAT_VALIDATORS, hasTemplateVariable } from './formats';
import { isOsVersion, platformFromName, supportFor, supportStatus } from './os';
import { RULES, type RuleContext } from './rules';
import { suggestKey } from './suggest';
import type { Diagnostic, FieldSpec, Platform, TargetOs, ValidationResult } from './types';

/** Options of `validate`. */
export interface ValidateOptions {
  /** `iOS` (default; iPadOS counts as iOS), `visionOS`, `macOS`, `tvOS` or `watchOS`; case does not matter. */
  readonly platform?: string;
  /** Dotted OS version such as `17.4`; absent means the newest release. */
  readonly osVersion?: string;
  /**
   * `template` (default): a payload to be rendered per owner; generated keys may be missing and
   * `{{variables}}` are accepted. `profile`: a payload inside a finished profile.
   */
  readonly mode?: 'template' | 'profile';
  /** PayloadUUID → PayloadType of the other payloads in the same profile, to resolve identity references. */
  readonly profilePayloads?: ReadonlyMap<string, string>;
  /** The profile will be encrypted to the device, so passwords inside are protected. */
  readonly encrypted?: boolean;
  /** Prefix for every diagnostic path, e.g. `PayloadContent[0].`. */
  readonly pathPrefix?: string;
}

/** Diagnostics beyond this many are summarised: a hostile payload must not produce megabytes of output. */
export const MAX_DIAGNOSTICS = 200;

const MAX_SHOWN = 60;

/** A short, safe rendering of a value for a message (never used for secrets). */
function show(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = JSON.stringify(v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}\u2026` : v);
  else if (v === null) s = 'null';
  else if (Array.isArray(v)) s = 'a list';
  else if (v instanceof Uint8Array) s = 'binary data';
  else if (typeof v === 'object') s = 'a dictionary';
  else s = String(v);
  return s;
}

/** A key name safe to print: no control characters, bounded length. */
function showKey(k: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = k.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > MAX_SHOWN ? `${clean.slice(0, MAX_SHOWN)}\u2026` : clean;
}

const TYPE_NAMES: Readonly<Record<FieldSpec['type'], string>> = {
  string: 'text',
  integer: 'a whole number',
  real: 'a number',
  boolean: 'true or false',
  data: 'binary data (base64 text in JSON)',
  date: 'a date',
  array: 'a list',
  dictionary: 'a dictionary',
};

/** Whether `v` is a plain dictionary (not an array, buffer, date or class instance). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const BASE64_RE = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function hasType(v: unknown, type: FieldSpec['type']): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'real':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'data':
      return v instanceof Uint8Array || (typeof v === 'string' && BASE64_RE.test(v));
    case 'date':
      return v instanceof Date || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
    case 'array':
      return Array.isArray(v);
    case 'dictionary':
      return isPlainObject(v);
  }
}

function typeHint(v: unknown, type: FieldSpec['type']): string {
  if (typeof v === 'string' && type === 'boolean' && /^(true|false)$/i.test(v.trim())) return ` Write ${v.trim().toLowerCase()} without quotes.`;
  if (typeof v === 'string' && (type === 'integer' || type === 'real') && v.trim() !== '' && !Number.isNaN(Number(v))) {
    return ` Write ${Number(v)} without quotes.`;
  }
  return '';
}

interface Walk {
  readonly ctx: RuleContext;
  readonly prefix: string;
  readonly out: Diagnostic[];
  readonly payloadOs: typeof EAS_CATALOG.supportedOS;
  overflow: boolean;
}

function emit(w: Walk, code: DiagnosticCode, path: string, message: string): void {
  if (w.out.length >= MAX_DIAGNOSTICS) {
    w.overflow = true;
    return;
  }
  w.out.push({ code, severity: DIAGNOSTIC_CODES[code].severity, path: w.prefix + path, message });
}

function checkSupport(w: Walk, f: FieldSpec, path: string): void {
  const { platform, version } = w.ctx.target;
  const status = supportStatus(supportFor(w.payloadOs, f, platform), version);
  const on = version ? `${platform} ${version}` : platform;
  switch (status.kind) {
    case 'supported':
      return;
    case 'never':
      return emit(w, 'key-not-supported', path, `${f.key} is not supported on ${platform}; the device ignores it.`);
    case 'not-yet':
      return emit(w, 'key-not-supported', path, `${f.key} needs ${platform} ${status.introduced} or later; ${on} ignores it.`);
    case 'removed':
      return emit(w, 'key-not-supported', path, `${f.key} was removed in ${platform} ${status.removed}; the device ignores it.`);
    case 'deprecated':
      return emit(
        w,
        'deprecated-key',
        path,
        `${f.key} is deprecated since ${platform} ${status.deprecated}` + (f.replacedBy ? `: use ${f.replacedBy} instead.` : '; remove it.'),
      );
  }
}

function checkString(w: Walk, f: FieldSpec, v: string, path: string): void {
  if (f.maxLength !== undefined && v.length > f.maxLength) {
    return emit(w, 'value-too-long', path, `${f.key} is ${v.length} characters long; at most ${f.maxLength} make sense here.`);
  }
  if (hasTemplateVariable(v)) {
    // Owner variables are filled in per owner; the rendered value is checked when the profile is built.
    if (w.ctx.mode === 'profile') {
      emit(w, 'unrendered-variable', path, `${f.key} still holds ${show(v)}: build the profile per owner so that the variable is filled in.`);
    }
    return;
  }
  if (f.fixed !== undefined && v !== f.fixed) {
    return emit(w, 'wrong-payload-type', path, `PayloadType is ${show(v)}; an Exchange ActiveSync payload must say ${f.fixed}.`);
  }
  const fmt = f.format ?? (f.pattern ? 'uuid' : undefined);
  if (fmt && (v !== '' || f.format === 'hostname' || f.format === 'email')) {
    const problem = FORMAT_VALIDATORS[fmt].check(v);
    if (problem) emit(w, problem.code, path, `${f.key}: ${problem.message}`);
  }
}

function checkFields(w: Walk, fields: readonly FieldSpec[], index: ReadonlyMap<string, FieldSpec>, obj: Record<string, unknown>, base: string): void {
  for (const key of Object.keys(obj)) {
    if (w.overflow) return;
    const path = base + key;
    const f = index.get(key);
    if (f === undefined) {
      const guess = suggestKey(key, fields);
      const hint = key === 'Domain' ? ' There is no Domain key: write DOMAIN\\user in UserName.' : guess ? ` Did you mean ${guess}?` : '';
      emit(w, 'unknown-key', base + showKey(key), `${showKey(key)} is not a key of the Exchange ActiveSync payload.${hint}`);
      continue;
    }
    const v = obj[key];
    if (!hasType(v, f.type)) {
      const what = f.secret ? 'a value of another type' : show(v);
      emit(w, 'wrong-type', path, `${f.key} must be ${TYPE_NAMES[f.type]}, not ${what}.${f.secret ? '' : typeHint(v, f.type)}`);
      continue;
    }
    checkSupport(w, f, path);
    if (f.allowed !== undefined && !f.allowed.includes(v as string | number)) {
      const code = f.key === 'MailNumberOfPastDaysToSync' ? 'past-days-not-allowed' : 'value-not-allowed';
      emit(w, code, path, `${f.key} cannot be ${show(v)}; choose one of ${f.allowed.join(', ')}${f.key === 'MailNumberOfPastDaysToSync' ? ' (0 means no limit)' : ''}.`);
    } else if (typeof v === 'string') {
      checkString(w, f, v, path);
    } else if (f.subkeys && isPlainObject(v)) {
      checkFields(w, f.subkeys, subIndex(f), v, `${path}.`);
    }
  }
}

const indexes = new WeakMap<FieldSpec, ReadonlyMap<string, FieldSpec>>();
function subIndex(f: FieldSpec): ReadonlyMap<string, FieldSpec> {
  let m = indexes.get(f);
  if (!m) {
    m = new Map((f.subkeys ?? []).map((s) => [s.key, s]));
    indexes.set(f, m);
  }
  return m;
}

const topIndex: ReadonlyMap<string, FieldSpec> = new Map(EAS_CATALOG.fields.map((f) => [f.key, f]));

/** The target named by `platform` and `osVersion`, or a diagnostic saying what is wrong with them. */
function resolveTarget(options: ValidateOptions): TargetOs | Diagnostic {
  const platform: Platform | undefined = options.platform === undefined ? 'iOS' : platformFromName(options.platform);
  const bad = (message: string): Diagnostic => ({ code: 'unknown-platform', severity: 'error', path: '', message });
  if (!platform) return bad(`Unknown platform "${options.platform}": use iOS, iPadOS, visionOS, macOS, tvOS or watchOS.`);
  if (options.osVersion !== undefined && !isOsVersion(options.osVersion)) {
    return bad(`Unknown OS version "${options.osVersion}": write it as 17, 17.4 or 17.4.1.`);
  }
  return options.osVersion === undefined ? { platform } : { platform, version: options.osVersion };
}

function result(diagnostics: Diagnostic[]): ValidationResult {
  return { valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics };
}

/** Checks an EAS payload against the catalog and the cross-field rules; never throws. */
export function validate(payload: unknown, options: ValidateOptions = {}): ValidationResult {
  const prefix = options.pathPrefix ?? '';
  const target = resolveTarget(options);
  if (!('platform' in target)) return result([target]);
  const ctx: RuleContext = {
    target,
    mode: options.mode ?? 'template',
    profilePayloads: options.profilePayloads,
    encrypted: options.encrypted ?? false,
  };
  const w: Walk = { ctx, prefix, out: [], payloadOs: EAS_CATALOG.supportedOS, overflow: false };
  if (!isPlainObject(payload)) {
    emit(w, 'payload-not-object', '', `The payload must be a dictionary of keys and values, not ${show(payload)}.`);
    return result(w.out);
  }
  try {
    const payloadSupport = supportStatus(EAS_CATALOG.supportedOS[target.platform] ?? { introduced: 'n/a' }, target.version);
    if (payloadSupport.kind === 'never' || payloadSupport.kind === 'not-yet') {
      emit(w, 'payload-not-supported', '', `${target.platform}${target.version ? ` ${target.version}` : ''} does not support Exchange ActiveSync payloads.`);
      return result(w.out);
    }
    checkFields(w, EAS_CATALOG.fields, topIndex, payload, '');
    for (const f of EAS_CATALOG.fields) {
      if (f.required && (ctx.mode === 'profile' || !f.generated) && payload[f.key] === undefined) {
        emit(w, 'missing-required-key', f.key, `${f.key} is missing; every installed payload needs it.`);
      }
    }
    for (const rule of RULES) {
      if (w.overflow) break;
      const found = rule.check(payload, ctx);
      if (found === undefined) continue;
      for (const d of Array.isArray(found) ? found : [found]) emit(w, d.code, d.path, d.message);
    }
  } catch {
    // Hostile input (a getter or proxy that throws) must not take the caller down.
    w.out.push({ code: 'payload-unreadable', severity: 'error', path: '', message: 'The payload could not be read: one of its values failed when accessed.' });
  }
  if (w.overflow) {
    w.out.push({
      code: 'too-many-diagnostics',
      severity: 'warning',
      path: '',
      message: `More than ${MAX_DIAGNOSTICS} problems; fix these first and validate again.`,
    });
  }
  return result(w.out);
}
