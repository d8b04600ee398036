import type { Owner } from '../owners/owner';
import type { CertificateIdentity } from './certificates';
import { withSession, type DirectoryConnectionOptions, type DirectorySession, type LdapClientFactory, type Transport } from './connection';
import type { DirectoryDiagnostic } from './diagnostics';
import { OwnerCollector } from './collect';
import { classifyError, DirectoryError, type DirectoryFailure } from './errors';
import { and, changedSinceFilter, checkRawFilter } from './filter';
import { domainRoot, resolveGroupScope } from './groups';
import { applyOverrides, requestedAttributes, resolvePreset, type DirectoryPreset, type PresetOverrides } from './presets';
import { pagedSearch } from './search';
import { readServerWatermark, type Watermark } from './watermark';

/** What to read and how to map it. */
export interface ReadOwnersOptions {
  readonly connection: DirectoryConnectionOptions;
  readonly baseDn: string;
  /** Preset name (default 'openldap') or a complete preset. */
  readonly preset?: DirectoryPreset['name'] | DirectoryPreset;
  readonly overrides?: PresetOverrides;
  /** Extra LDAP filter written by the administrator, ANDed with the preset's user filter. */
  readonly filter?: string;
  /** Only members (also through nested groups) of any of these group DNs. */
  readonly groups?: readonly string[];
  /** Where nested groups are looked for when expanding on the client; default the base DN's domain root. */
  readonly groupBaseDn?: string;
  /** Entries per page; default 500. */
  readonly pageSize?: number;
  /** NetBIOS domain written into each owner. */
  readonly domain?: string;
  /** Read only entries changed since this watermark. */
  readonly changedSince?: Watermark;
  readonly now?: Date;
  /** Called after each page with the number of entries read so far. */
  readonly onProgress?: (entries: number) => void;
  /** Replaces the ldapts client, for tests. */
  readonly clientFactory?: LdapClientFactory;
}

/** An entry that did not become an owner. */
export interface SkippedEntry {
  readonly dn: string;
  /** Present when the entry's id is known: a sync keeps that owner as it was. */
  readonly id?: string;
}

/** Owners read from the directory, complete, or the reason there are none. */
export type ReadOwnersResult =
  | {
      readonly ok: true;
      readonly owners: Owner[];
      readonly identities: CertificateIdentity[];
      readonly skipped: SkippedEntry[];
      readonly diagnostics: DirectoryDiagnostic[];
      /** Where the next incremental read continues; store it with the owners. */
      readonly watermark: Watermark | undefined;
      readonly transport: Transport;
      readonly entries: number;
    }
  | { readonly ok: false; readonly failure: DirectoryFailure; readonly diagnostics: DirectoryDiagnostic[] };

function presetOf(options: ReadOwnersOptions): DirectoryPreset {
  const p = options.preset ?? 'openldap';
  return typeof p === 'string' ? resolvePreset(p, options.overrides) : applyOverrides(p, options.overrides);
}

/** Reads all owners in scope with a paged search; all or nothing: any failure part way returns `ok: false` and no owners. */
export async function readOwners(options: ReadOwnersOptions): Promise<ReadOwnersResult> {
  const diagnostics: DirectoryDiagnostic[] = [];
  try {
    const preset = presetOf(options);
    return await withSession(
      options.connection,
      async (session) => {
        diagnostics.push(...session.diagnostics);
        return await readInSession(session, preset, options, diagnostics);
      },
      options.clientFactory,
    );
  } catch (error) {
    const failure = error instanceof DirectoryError ? error.failure : classifyError(error, 'search', { url: options.connection.url, baseDn: options.baseDn });
    return { ok: false, failure, diagnostics };
  }
}

async function readInSession(session: DirectorySession, preset: DirectoryPreset, options: ReadOwnersOptions, diagnostics: DirectoryDiagnostic[]): Promise<ReadOwnersResult> {
  const pageSize = options.pageSize ?? 500;
  // The server-side mark is taken before the search so that changes made during it are read again next time.
  let serverMark: Watermark | undefined;
  try {
    serverMark = await readServerWatermark(session.client, preset.watermark, options.baseDn);
  } catch (error) {
    throw new DirectoryError(classifyError(error, 'search', session.context));
  }
  const scope = await resolveGroupScope(session, preset, options.groups ?? [], { groupBaseDn: options.groupBaseDn ?? domainRoot(options.baseDn), pageSize });
  const filter = and([
    checkRawFilter(preset.userFilter),
    options.filter !== undefined && options.filter.trim() !== '' ? checkRawFilter(options.filter) : undefined,
    scope.filter,
    options.changedSince ? changedSinceFilter(options.changedSince) : undefined,
  ]);
  const { attributes, binary } = requestedAttributes(preset);
  const collector = new OwnerCollector(preset, { domain: options.domain, now: options.now ?? new Date() }, diagnostics);
  if (preset.watermark === 'modifyTimestamp' && options.changedSince?.kind === 'modifyTimestamp') collector.stamp = options.changedSince.timestamp;
  let read = 0;
  // Each page is mapped as it arrives and then dropped: only the owners outlive it.
  const entries = await pagedSearch(session, { baseDn: options.baseDn, filter, attributes, binaryAttributes: binary, pageSize }, (page) => {
    collector.addPage(page);
    read += page.length;
    options.onProgress?.(read);
  });
  const { owners, identities, skipped } = collector;
  const watermark: Watermark | undefined =
    preset.watermark === 'modifyTimestamp' ? (collector.stamp !== undefined ? { kind: 'modifyTimestamp', timestamp: collector.stamp } : options.changedSince) : serverMark;
  return { ok: true, owners, identities, skipped, diagnostics, watermark, transport: session.transport, entries };
}
