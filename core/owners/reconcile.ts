import type { Owner } from './owner';
import { emailKey } from './email';

/** The owner fields that reconcile compares. */
export type OwnerField = Exclude<keyof Owner, 'id'>;

/** One changed field of an updated owner. */
export interface FieldChange {
  readonly field: OwnerField;
  readonly before: unknown;
  readonly after: unknown;
}

/** What to do with one owner to move from the previous set to the desired one. */
export type ReconcileAction =
  | { readonly kind: 'create'; readonly id: string; readonly owner: Owner }
  | { readonly kind: 'update'; readonly id: string; readonly owner: Owner; readonly previous: Owner; readonly changes: readonly FieldChange[] }
  | {
      readonly kind: 'disable';
      readonly id: string;
      /** The owner as it should now be stored: the previous one (or the desired one) with `disabled: true`. */
      readonly owner: Owner;
      readonly previous: Owner;
      /** `missing`: gone from the desired set; `disabled-in-source`: present but flagged disabled there. */
      readonly reason: 'missing' | 'disabled-in-source';
      readonly changes: readonly FieldChange[];
    }
  | { readonly kind: 'unchanged'; readonly id: string; readonly owner: Owner };

/** The plan: one action per owner id, creates and updates in desired order, then disables. */
export interface ReconcileResult {
  readonly actions: readonly ReconcileAction[];
  readonly counts: { readonly create: number; readonly update: number; readonly disable: number; readonly unchanged: number };
  /** Disabled owners divided by the previously active ones (0 when there were none). */
  readonly disableRatio: number;
}

export interface ReconcileOptions {
  /** Largest share of previously active owners that may be disabled in one run; default 0.1. */
  readonly maxDisableRatio?: number;
  /** Disable beyond the ratio anyway. */
  readonly force?: boolean;
}

/** Why reconcile refused to produce a plan. */
export type ReconcileErrorDetail =
  | {
      readonly code: 'too-many-disables';
      readonly disableCount: number;
      readonly activeCount: number;
      readonly ratio: number;
      readonly maxDisableRatio: number;
    }
  | { readonly code: 'duplicate-id'; readonly id: string; readonly set: 'previous' | 'desired' }
  | { readonly code: 'bad-option'; readonly option: 'maxDisableRatio' };

/** Typed refusal of {@link reconcile}; `detail.code` says which. */
export class ReconcileError extends Error {
  override name = 'ReconcileError';
  constructor(readonly detail: ReconcileErrorDetail) {
    super(reconcileErrorMessage(detail));
  }
}

function reconcileErrorMessage(d: ReconcileErrorDetail): string {
  switch (d.code) {
    case 'too-many-disables':
      return (
        `refusing to disable ${d.disableCount} of ${d.activeCount} owners (${(d.ratio * 100).toFixed(1)}%, limit ${(d.maxDisableRatio * 100).toFixed(1)}%): ` +
        'the source may be empty or truncated; check it, or force the run'
      );
    case 'duplicate-id':
      return `owner id "${d.id}" appears twice in the ${d.set} owners`;
    case 'bad-option':
      return 'maxDisableRatio must be a number between 0 and 1';
  }
}

export const DEFAULT_MAX_DISABLE_RATIO = 0.1;

const FIELDS: readonly OwnerField[] = [
  'username', 'email', 'upn', 'displayName', 'firstName', 'lastName', 'domain', 'groups', 'devices', 'source', 'identityRef', 'disabled', 'attributes',
];

/** Plans create / update / disable / unchanged per owner id, refusing to disable more than `maxDisableRatio` of active owners unless forced. */
export function reconcile(previous: Owner[], desired: Owner[], options?: { maxDisableRatio?: number; force?: boolean }): ReconcileResult {
  const maxDisableRatio = options?.maxDisableRatio ?? DEFAULT_MAX_DISABLE_RATIO;
  if (!(maxDisableRatio >= 0 && maxDisableRatio <= 1)) throw new ReconcileError({ code: 'bad-option', option: 'maxDisableRatio' });
  const before = indexById(previous, 'previous');
  const after = indexById(desired, 'desired');

  const actions: ReconcileAction[] = [];
  const disables: ReconcileAction[] = [];
  for (const owner of after.values()) {
    const old = before.get(owner.id);
    if (old === undefined) {
      actions.push({ kind: 'create', id: owner.id, owner });
      continue;
    }
    const changes = diffOwners(old, owner);
    if (owner.disabled === true && old.disabled !== true) {
      disables.push({ kind: 'disable', id: owner.id, owner, previous: old, reason: 'disabled-in-source', changes });
    } else if (changes.length > 0) {
      actions.push({ kind: 'update', id: owner.id, owner, previous: old, changes });
    } else {
      actions.push({ kind: 'unchanged', id: owner.id, owner });
    }
  }
  for (const old of before.values()) {
    if (after.has(old.id)) continue;
    // An owner already disabled and now gone needs nothing more.
    if (old.disabled === true) actions.push({ kind: 'unchanged', id: old.id, owner: old });
    else {
      const changes: FieldChange[] = [{ field: 'disabled', before: old.disabled, after: true }];
      disables.push({ kind: 'disable', id: old.id, owner: { ...old, disabled: true }, previous: old, reason: 'missing', changes });
    }
  }

  const activeCount = previous.filter((o) => o.disabled !== true).length;
  const ratio = activeCount === 0 ? 0 : disables.length / activeCount;
  if (ratio > maxDisableRatio && options?.force !== true) {
    throw new ReconcileError({ code: 'too-many-disables', disableCount: disables.length, activeCount, ratio, maxDisableRatio });
  }
  actions.push(...disables);
  const counts = { create: 0, update: 0, disable: 0, unchanged: 0 };
  for (const a of actions) counts[a.kind] += 1;
  return { actions, counts, disableRatio: ratio };
}

function indexById(owners: readonly Owner[], set: 'previous' | 'desired'): Map<string, Owner> {
  const map = new Map<string, Owner>();
  for (const o of owners) {
    if (map.has(o.id)) throw new ReconcileError({ code: 'duplicate-id', id: o.id, set });
    map.set(o.id, o);
  }
  return map;
}

/** Fields that differ between two versions of an owner; e-mail case and group order do not count. */
export function diffOwners(before: Owner, after: Owner): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of FIELDS) {
    const a = before[field];
    const b = after[field];
    if (!sameValue(field, a, b)) changes.push({ field, before: a, after: b });
  }
  return changes;
}

function sameValue(field: OwnerField, a: unknown, b: unknown): boolean {
  if (field === 'email' && typeof a === 'string' && typeof b === 'string') return emailKey(a) === emailKey(b);
  if (field === 'upn' && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (field === 'disabled') return (a === true) === (b === true);
  if (field === 'groups') return canonical(sortedStrings(a)) === canonical(sortedStrings(b));
  if (field === 'devices' || field === 'attributes') return canonical(emptyToUndefined(a)) === canonical(emptyToUndefined(b));
  return canonical(a) === canonical(b);
}

function sortedStrings(v: unknown): unknown {
  return Array.isArray(v) && v.length > 0 ? [...(v as string[])].sort() : undefined;
}

function emptyToUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v;
  if (v !== null && typeof v === 'object') return Object.keys(v).length === 0 ? undefined : v;
  return v;
}

// JSON with sorted keys, so that key order never counts as a change.
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val !== null && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : val,
  ) ?? 'undefined';
}
