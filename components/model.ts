import {
  EAS_CATALOG,
  platformFromName,
  supportFor,
  supportStatus,
  type FieldSpec,
  type PayloadCatalog,
  type Platform,
  type SectionId,
  type SupportStatus,
} from '../core/eas';

// The form is derived from the catalog here and nowhere else: the element only walks this model.

/** The control a field is edited with. */
export type ControlKind = 'text' | 'email' | 'url' | 'password' | 'number' | 'select' | 'switch' | 'identity' | 'data' | 'group';

export interface FieldModel {
  readonly spec: FieldSpec;
  /** Dotted path in the payload, as `validate()` writes it in diagnostics. */
  readonly path: string;
  /** Id of the control inside the shadow root. */
  readonly id: string;
  readonly control: ControlKind;
  readonly children: readonly FieldModel[];
}

export interface SectionModel {
  readonly id: SectionId;
  readonly title: string;
  readonly fields: readonly FieldModel[];
}

/** The payload as the editor handles it: a JSON-like dictionary. */
export type Payload = Readonly<Record<string, unknown>>;

function controlFor(f: FieldSpec): ControlKind | undefined {
  switch (f.type) {
    case 'boolean':
      return 'switch';
    case 'integer':
    case 'real':
      return f.allowed ? 'select' : 'number';
    case 'data':
      return 'data';
    case 'dictionary':
      return f.subkeys?.length ? 'group' : undefined;
    case 'string':
      if (f.secret) return 'password';
      if (f.identityRef) return 'identity';
      if (f.allowed) return 'select';
      if (f.format === 'email') return 'email';
      if (f.format === 'url') return 'url';
      return 'text';
    // The EAS payload has no array or date keys; a catalog that gains one needs a control here first.
    case 'array':
    case 'date':
      return undefined;
  }
}

function fieldModel(f: FieldSpec, base: string): FieldModel | undefined {
  // Keys the profile builder fills in (identifier, UUID, type, version) are not the admin's to edit;
  // their values still pass through `value` untouched.
  if (f.generated || f.fixed !== undefined) return undefined;
  const control = controlFor(f);
  if (!control) return undefined;
  const path = base + f.key;
  const children = (f.subkeys ?? []).map((s) => fieldModel(s, `${path}.`)).filter((m): m is FieldModel => m !== undefined);
  return { spec: f, path, id: `f-${path}`, control, children };
}

const cache = new WeakMap<PayloadCatalog, readonly SectionModel[]>();

/** Sections in the catalog's order, each with its editable fields in catalog order. */
export function formModel(catalog: PayloadCatalog = EAS_CATALOG): readonly SectionModel[] {
  let m = cache.get(catalog);
  if (!m) {
    m = catalog.sections
      .map((s) => ({
        id: s.id,
        title: s.title,
        fields: catalog.fields
          .filter((f) => f.section === s.id)
          .map((f) => fieldModel(f, ''))
          .filter((x): x is FieldModel => x !== undefined),
      }))
      .filter((s) => s.fields.length > 0);
    cache.set(catalog, m);
  }
  return m;
}

/** Every field of the model, groups and their children included, in tab order. */
export function allFields(sections: readonly SectionModel[]): FieldModel[] {
  const out: FieldModel[] = [];
  const walk = (fs: readonly FieldModel[]): void => {
    for (const f of fs) {
      out.push(f);
      walk(f.children);
    }
  };
  for (const s of sections) walk(s.fields);
  return out;
}

/** The platform named by the `platform` attribute; unknown names fall back to iOS (validation reports them). */
export function resolvePlatform(name: string | undefined): Platform {
  return (name && platformFromName(name)) || 'iOS';
}

/** How the target OS treats a field, by Apple's inheritance rule. */
export function fieldSupport(f: FieldSpec, platform: Platform, version: string | undefined, catalog: PayloadCatalog = EAS_CATALOG): SupportStatus {
  return supportStatus(supportFor(catalog.supportedOS, f, platform), version || undefined);
}

export function getPath(obj: Payload, path: string): unknown {
  // Most paths are top-level keys: no split for them.
  if (path.indexOf('.') < 0) return obj[path];
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * A copy of `obj` with `path` set, or removed when `v` is undefined. Dictionaries left empty by a
 * removal are removed too, so clearing a nested field does not leave `{}` behind. Untouched
 * branches are shared, never mutated: the page's object stays as it gave it.
 */
export function setPath(obj: Payload, path: string, v: unknown): Payload {
  const [head, ...rest] = path.split('.');
  const next: Record<string, unknown> = { ...obj };
  if (rest.length === 0) {
    if (v === undefined) delete next[head];
    else next[head] = v;
    return next;
  }
  const child = next[head];
  const base: Payload = typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Payload) : {};
  const updated = setPath(base, rest.join('.'), v);
  if (Object.keys(updated).length === 0) delete next[head];
  else next[head] = updated;
  return next;
}

/** The value a control shows: the payload's, else the catalog default. */
export function shownValue(value: Payload, f: FieldModel): unknown {
  const v = getPath(value, f.path);
  return v === undefined ? f.spec.default : v;
}

/** The payload with every secret left out, for places that must not hold one (restore state, logs). */
export function withoutSecrets(value: Payload, fields: readonly FieldModel[]): Payload {
  let out = value;
  for (const f of fields) if (f.spec.secret && getPath(out, f.path) !== undefined) out = setPath(out, f.path, undefined);
  return out;
}
