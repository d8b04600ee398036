import type { Owner } from '../owners/owner';
import { DEFAULT_MAX_DISABLE_RATIO, reconcile, ReconcileError, type ReconcileErrorDetail, type ReconcileResult } from '../owners/reconcile';
import type { CertificateIdentity } from './certificates';
import type { DirectoryDiagnostic } from './diagnostics';
import type { DirectoryFailure } from './errors';
import { readOwners, type ReadOwnersOptions } from './read';
import { applyOverrides, resolvePreset, type DirectoryPreset } from './presets';
import { parseWatermark, type Watermark } from './watermark';

/** What a sync must remember between runs; plain JSON for n8n's workflow static data (nodes keep no state, decision 9). */
export interface SyncState {
  readonly version: 1;
  readonly owners: Owner[];
  readonly watermark?: Watermark;
  /** ISO time of the last full sync: only a full sync sees deletions and moves out of scope. */
  readonly fullSyncAt?: string;
}

/** A sync run: what to read, and how cautious to be. */
export interface SyncOptions extends Omit<ReadOwnersOptions, 'changedSince'> {
  /** 'auto' (default) runs incrementally from a usable watermark, and fully when there is none or the last full sync is older than `fullSyncEveryMs`. */
  readonly mode?: 'full' | 'incremental' | 'auto';
  /** Default one day. */
  readonly fullSyncEveryMs?: number;
  /** Passed to reconcile: the largest share of active owners one run may disable (default 0.1). */
  readonly maxDisableRatio?: number;
  readonly force?: boolean;
}

/** Why a sync stopped; the previous state stays as it was and no one is disabled. */
export type SyncFailure =
  | { readonly source: 'directory'; readonly code: DirectoryFailure['code']; readonly message: string; readonly failure: DirectoryFailure }
  | { readonly source: 'reconcile'; readonly code: ReconcileErrorDetail['code']; readonly message: string; readonly detail: ReconcileErrorDetail };

/** Result of {@link syncOwners}. */
export type SyncResult =
  | {
      readonly ok: true;
      readonly mode: 'full' | 'incremental';
      /** Full: one action per owner. Incremental: actions only for the entries read (changed since the watermark). */
      readonly plan: ReconcileResult;
      /** Store this and pass it to the next run. */
      readonly state: SyncState;
      readonly identities: CertificateIdentity[];
      readonly diagnostics: DirectoryDiagnostic[];
    }
  | { readonly ok: false; readonly mode: 'full' | 'incremental'; readonly failure: SyncFailure; readonly state: SyncState; readonly diagnostics: DirectoryDiagnostic[] };

const EMPTY: SyncState = { version: 1, owners: [] };

/** Checks state that came back from storage; unusable state means "first run". */
export function parseSyncState(value: unknown): SyncState {
  if (value === null || typeof value !== 'object') return EMPTY;
  const v = value as Record<string, unknown>;
  if (v.version !== 1 || !Array.isArray(v.owners)) return EMPTY;
  const owners = (v.owners as unknown[]).filter((o): o is Owner => o !== null && typeof o === 'object' && typeof (o as Owner).id === 'string' && typeof (o as Owner).email === 'string');
  const watermark = parseWatermark(v.watermark);
  const fullSyncAt = typeof v.fullSyncAt === 'string' ? v.fullSyncAt : undefined;
  return { version: 1, owners, ...(watermark ? { watermark } : {}), ...(fullSyncAt ? { fullSyncAt } : {}) };
}

function presetOf(options: SyncOptions): DirectoryPreset {
  const p = options.preset ?? 'openldap';
  return typeof p === 'string' ? resolvePreset(p, options.overrides) : applyOverrides(p, options.overrides);
}

// A watermark only continues a sync of the same kind (the domain controller of a USN is checked after the read).
function usableWatermark(state: SyncState, preset: DirectoryPreset): { ok: true; watermark: Watermark } | { ok: false; why: string } {
  const w = state.watermark;
  if (w === undefined) return { ok: false, why: 'there is no stored watermark' };
  if (w.kind !== preset.watermark) return { ok: false, why: `the stored watermark is a ${w.kind}, the preset uses ${preset.watermark}` };
  return { ok: true, watermark: w };
}

/**
 * Reads owners and reconciles them with the last known set; all or nothing.
 *
 * Full: every owner in scope; owners no longer found are disabled (within `maxDisableRatio`).
 * Incremental: only entries changed since the watermark are read and merged into the last set; it
 * cannot see deletions or moves out of scope, which is why 'auto' runs a full sync periodically.
 * Entries skipped for bad data (no e-mail, ...) keep their last known owner instead of being disabled.
 */
export async function syncOwners(previous: SyncState | undefined, options: SyncOptions): Promise<SyncResult> {
  const state = previous ?? EMPTY;
  const preset = presetOf(options);
  const now = options.now ?? new Date();
  const diagnostics: DirectoryDiagnostic[] = [];
  let mode: 'full' | 'incremental' = options.mode === 'full' ? 'full' : 'incremental';
  let changedSince: Watermark | undefined;
  if (mode === 'incremental') {
    const usable = usableWatermark(state, preset);
    const stale = options.mode !== 'incremental' && (state.fullSyncAt === undefined || now.getTime() - Date.parse(state.fullSyncAt) > (options.fullSyncEveryMs ?? 86_400_000));
    if (!usable.ok || stale) {
      if (options.mode === 'incremental' && !usable.ok)
        diagnostics.push({ code: 'watermark-reset', severity: 'warning', path: 'watermark', message: `incremental sync not possible (${usable.why}); ran a full sync` });
      mode = 'full';
    } else changedSince = usable.watermark;
  }
  const read = await readOwners({ ...options, preset, overrides: undefined, changedSince, now });
  diagnostics.push(...read.diagnostics);
  if (!read.ok) return { ok: false, mode, failure: { source: 'directory', code: read.failure.code, message: read.failure.message, failure: read.failure }, state, diagnostics };
  // The server may have changed between runs (another DC behind the same name): then only a full read is sound.
  if (mode === 'incremental' && changedSince?.kind === 'usn' && read.watermark?.kind === 'usn' && read.watermark.server !== changedSince.server) {
    diagnostics.push({ code: 'watermark-reset', severity: 'warning', path: 'watermark', message: `answered by another domain controller (${read.watermark.server}); ran a full sync` });
    const retry = await syncOwners({ ...state, watermark: undefined }, { ...options, mode: 'full' });
    const all = [...diagnostics, ...retry.diagnostics];
    // On failure the caller must get back exactly what it passed in, watermark included.
    return retry.ok ? { ...retry, diagnostics: all } : { ...retry, state, diagnostics: all };
  }
  const byId = new Map(state.owners.map((o) => [o.id, o]));
  let plan: ReconcileResult;
  let owners: Owner[];
  try {
    if (mode === 'full') {
      const desired = [...read.owners];
      const present = new Set(desired.map((o) => o.id));
      for (const s of read.skipped) {
        const old = s.id !== undefined ? byId.get(s.id) : undefined;
        if (old !== undefined && !present.has(old.id)) desired.push(old);
      }
      plan = reconcile(state.owners, desired, { maxDisableRatio: options.maxDisableRatio, force: options.force });
      owners = plan.actions.map((a) => a.owner);
    } else {
      // Only the entries read can have changed: reconcile just those (diffing 100k unchanged owners is most of the
      // cost otherwise), keeping the disable limit as an absolute number of the whole set's active owners.
      const changed = read.owners;
      const before = changed.map((o) => byId.get(o.id)).filter((o): o is Owner => o !== undefined);
      const activeAll = state.owners.filter((o) => o.disabled !== true).length;
      const activeSubset = before.filter((o) => o.disabled !== true).length;
      const max = options.maxDisableRatio ?? DEFAULT_MAX_DISABLE_RATIO;
      const subsetRatio = activeSubset === 0 ? max : Math.min(1, (max * activeAll) / activeSubset);
      plan = reconcile(before, changed, { maxDisableRatio: subsetRatio, force: options.force });
      const merged = new Map(byId);
      for (const a of plan.actions) merged.set(a.id, a.owner);
      owners = [...merged.values()];
    }
  } catch (error) {
    if (error instanceof ReconcileError) return { ok: false, mode, failure: { source: 'reconcile', code: error.detail.code, message: error.message, detail: error.detail }, state, diagnostics };
    throw error;
  }
  const nextState: SyncState = {
    version: 1,
    owners,
    ...(read.watermark ? { watermark: read.watermark } : {}),
    ...(mode === 'full' ? { fullSyncAt: now.toISOString() } : state.fullSyncAt ? { fullSyncAt: state.fullSyncAt } : {}),
  };
  return { ok: true, mode, plan, state: nextState, identities: read.identities, diagnostics };
}
