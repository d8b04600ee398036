import { EAS_CATALOG } from './catalog';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes';
import { FORMAT_VALIDATORS, hasTemplateVariable, type FormatValidator } from './formats';
import { isOsVersion, platformFromName, supportFor, supportStatus, type SupportStatus } from './os';
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
  else if (typeof v === 'object') s = ArrayBuffer.isView(v) ? 'binary data' : 'an object';
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

/** Whether `v` is a plain dictionary (not an array, buffer, date or class instance), from this realm or another (an iframe, a vm context). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  try {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return true;
    // Another realm's Object.prototype: the end of its chain, with Object as its constructor.
    if (typeof proto !== 'object' || Object.getPrototypeOf(proto) !== null) return false;
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    return typeof ctor === 'function' && ctor.name === 'Object' && Object.prototype.toString.call(v) === '[object Object]';
  } catch {
    // A proxy whose traps throw is not something to validate.
    return false;
  }
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
  overflow: boolean;
}

function emit(w: Walk, code: DiagnosticCode, path: string, message: string): void {
  if (w.out.length >= MAX_DIAGNOSTICS) {
    w.overflow = true;
    return;
  }
  w.out.push({ code, severity: DIAGNOSTIC_CODES[code].severity, path: w.prefix + path, message });
}

/** A catalog field prepared for one target: its OS support settled and its format check picked. */
interface CompiledField {
  readonly spec: FieldSpec;
  /** Set only when the target does not simply support the key. */
  readonly status?: SupportStatus;
  readonly format?: FormatValidator;
  /** An empty value is itself wrong for hosts and addresses; for UUIDs and the rest it means "not set". */
  readonly emptyIsWrong: boolean;
  readonly sub?: ReadonlyMap<string, CompiledField>;
}

/** The catalog compiled for a target, done once per target: version comparisons are the costly part. */
function compileFields(fields: readonly FieldSpec[], target: TargetOs): ReadonlyMap<string, CompiledField> {
  return new Map(
    fields.map((spec): [string, CompiledField] => {
      const status = supportStatus(supportFor(EAS_CATALOG.supportedOS, spec, target.platform), target.version);
      const fmt = spec.format ?? (spec.pattern ? 'uuid' : undefined);
      return [
        spec.key,
        {
          spec,
          status: status.kind === 'supported' ? undefined : status,
          format: fmt ? FORMAT_VALIDATORS[fmt] : undefined,
          emptyIsWrong: spec.format === 'hostname' || spec.format === 'email',
          sub: spec.subkeys ? compileFields(spec.subkeys, target) : undefined,
        },
      ];
    }),
  );
}

function checkSupport(w: Walk, f: FieldSpec, status: SupportStatus, path: string): void {
  const { platform, version } = w.ctx.target;
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

function checkString(w: Walk, c: CompiledField, v: string, path: string): void {
  const f = c.spec;
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
  if (c.format && (v !== '' || c.emptyIsWrong)) {
    const problem = c.format.check(v);
    if (problem) emit(w, problem.code, path, `${f.key}: ${problem.message}`);
  }
}

const suggestions = new Map<string, string | undefined>();
/** "Did you mean" for an unknown top-level key; the same typo recurs across owners and runs, so answers are kept (bounded). */
function suggestionFor(key: string, fields: readonly FieldSpec[]): string | undefined {
  if (fields !== EAS_CATALOG.fields) return suggestKey(key, fields);
  if (suggestions.has(key)) return suggestions.get(key);
  const s = suggestKey(key, fields);
  if (suggestions.size >= 1024) suggestions.clear();
  if (key.length <= 64) suggestions.set(key, s);
  return s;
}

function checkFields(w: Walk, fields: readonly FieldSpec[], index: ReadonlyMap<string, CompiledField>, obj: Record<string, unknown>, base: string): void {
  // for-in over own keys walks V8's enum cache without allocating a key array.
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    if (w.overflow) return;
    const c = index.get(key);
    if (c === undefined) {
      const guess = suggestionFor(key, fields);
      const hint = key === 'Domain' ? ' There is no Domain key: write DOMAIN\\user in UserName.' : guess ? ` Did you mean ${guess}?` : '';
      emit(w, 'unknown-key', base + showKey(key), `${showKey(key)} is not a key of the Exchange ActiveSync payload.${hint}`);
      continue;
    }
    const f = c.spec;
    const v = obj[key];
    if (!hasType(v, f.type)) {
      const what = f.secret ? 'a value of another type' : show(v);
      emit(w, 'wrong-type', base + key, `${f.key} must be ${TYPE_NAMES[f.type]}, not ${what}.${f.secret ? '' : typeHint(v, f.type)}`);
      continue;
    }
    if (c.status !== undefined) checkSupport(w, f, c.status, base + key);
    if (f.allowed !== undefined && !f.allowed.includes(v as string | number)) {
      const code = f.key === 'MailNumberOfPastDaysToSync' ? 'past-days-not-allowed' : 'value-not-allowed';
      emit(w, code, base + key, `${f.key} cannot be ${show(v)}; choose one of ${f.allowed.join(', ')}${f.key === 'MailNumberOfPastDaysToSync' ? ' (0 means no limit)' : ''}.`);
    } else if (typeof v === 'string') {
      checkString(w, c, v, base + key);
    } else if (c.sub !== undefined && f.subkeys && isPlainObject(v)) {
      checkFields(w, f.subkeys, c.sub, v, `${base}${key}.`);
    }
  }
}

const REQUIRED_IN_PROFILE = EAS_CATALOG.fields.filter((f) => f.required);
const REQUIRED_IN_TEMPLATE = REQUIRED_IN_PROFILE.filter((f) => !f.generated);

/** The target named by `platform` and `osVersion`, or a diagnostic saying what is wrong with them. */
function resolveTarget(platformName: string | undefined, osVersion: string | undefined): TargetOs | Diagnostic {
  const platform: Platform | undefined = platformName === undefined ? 'iOS' : platformFromName(platformName);
  const bad = (message: string): Diagnostic => ({ code: 'unknown-platform', severity: 'error', path: '', message });
  if (!platform) return bad(`Unknown platform "${platformName}": use iOS, iPadOS, visionOS, macOS, tvOS or watchOS.`);
  if (osVersion !== undefined && !isOsVersion(osVersion)) {
    return bad(`Unknown OS version "${osVersion}": write it as 17, 17.4 or 17.4.1.`);
  }
  return osVersion === undefined ? { platform } : { platform, version: osVersion };
}

/** What validation needs to know about a target, worked out once per distinct platform and version. */
interface TargetInfo {
  readonly target: TargetOs;
  readonly fields: ReadonlyMap<string, CompiledField>;
  readonly payloadSupported: boolean;
  readonly isSupported: (key: string) => boolean;
}
const targets = new Map<string, TargetInfo | Diagnostic>();
// Callers validate many payloads for one target in a row: compare against the last target before hashing a key.
let lastPlatform: string | undefined;
let lastVersion: string | undefined;
let lastInfo: TargetInfo | Diagnostic | undefined;
function targetInfo(options: ValidateOptions): TargetInfo | Diagnostic {
  if (lastInfo !== undefined && options.platform === lastPlatform && options.osVersion === lastVersion) return lastInfo;
  lastInfo = lookupTarget(options);
  lastPlatform = options.platform;
  lastVersion = options.osVersion;
  return lastInfo;
}

function lookupTarget(options: ValidateOptions): TargetInfo | Diagnostic {
  const cacheKey = `${options.platform ?? ''}\u0000${options.osVersion ?? ''}`;
  let info = targets.get(cacheKey);
  if (!info) {
    const target = resolveTarget(options.platform, options.osVersion);
    if ('platform' in target) {
      const fields = compileFields(EAS_CATALOG.fields, target);
      const isSupported = (key: string): boolean => {
        const c = fields.get(key);
        return c !== undefined && (c.status === undefined || c.status.kind === 'deprecated');
      };
      const payload = supportStatus(EAS_CATALOG.supportedOS[target.platform] ?? { introduced: 'n/a' }, target.version);
      info = { target, fields, payloadSupported: payload.kind !== 'never' && payload.kind !== 'not-yet', isSupported };
    } else {
      info = target;
    }
    if (targets.size >= 256) targets.clear();
    targets.set(cacheKey, info);
  }
  return info;
}

const isDiagnosticList = (x: readonly Diagnostic[] | Diagnostic): x is readonly Diagnostic[] => Array.isArray(x);

function result(diagnostics: Diagnostic[]): ValidationResult {
  return { valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics };
}

/** Checks an EAS payload against the catalog and the cross-field rules; never throws. */
export function validate(payload: unknown, options: ValidateOptions = {}): ValidationResult {
  const prefix = options.pathPrefix ?? '';
  const info = targetInfo(options);
  if (!('target' in info)) return result([info]);
  const { target } = info;
  const ctx: RuleContext = {
    target,
    isSupported: info.isSupported,
    mode: options.mode ?? 'template',
    profilePayloads: options.profilePayloads,
    encrypted: options.encrypted ?? false,
  };
  const w: Walk = { ctx, prefix, out: [], overflow: false };
  if (!isPlainObject(payload)) {
    emit(w, 'payload-not-object', '', `The payload must be a dictionary of keys and values, not ${show(payload)}.`);
    return result(w.out);
  }
  try {
    if (!info.payloadSupported) {
      emit(w, 'payload-not-supported', '', `${target.platform}${target.version ? ` ${target.version}` : ''} does not support Exchange ActiveSync payloads.`);
      return result(w.out);
    }
    checkFields(w, EAS_CATALOG.fields, info.fields, payload, '');
    for (const f of ctx.mode === 'profile' ? REQUIRED_IN_PROFILE : REQUIRED_IN_TEMPLATE) {
      if (payload[f.key] === undefined) {
        emit(w, 'missing-required-key', f.key, `${f.key} is missing; every installed payload needs it.`);
      }
    }
    for (const rule of RULES) {
      if (w.overflow) break;
      const found = rule.check(payload, ctx);
      if (found === undefined) continue;
      if (isDiagnosticList(found)) for (const d of found) emit(w, d.code, d.path, d.message);
      else emit(w, found.code, found.path, found.message);
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
