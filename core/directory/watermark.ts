import type { LdapClient } from './connection';
import { DirectoryError } from './errors';
import type { EntryValues } from './entry';
import type { WatermarkKind } from './presets';

/** Where an incremental sync continues from; plain JSON, kept by the caller (n8n static data), never by us. */
export type Watermark =
  /** AD: highestCommittedUSN of one domain controller; USNs are per server, so the server is part of it. */
  | { readonly kind: 'usn'; readonly usn: string; readonly server: string }
  /** OpenLDAP: the newest modifyTimestamp seen (GeneralizedTime, one-second resolution). */
  | { readonly kind: 'modifyTimestamp'; readonly timestamp: string }
  /** OpenLDAP with syncprov: the oldest contextCSN of the naming context, compared with entryCSN. */
  | { readonly kind: 'contextCSN'; readonly csn: string };

const GENERALIZED_TIME = /^\d{14}(\.\d+)?Z$/;
const CSN = /^\d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}$/i;

/** Checks a watermark that came back from storage (JSON from an earlier run); undefined when unusable. */
export function parseWatermark(value: unknown): Watermark | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === 'usn' && typeof v.usn === 'string' && /^\d+$/.test(v.usn) && typeof v.server === 'string') return { kind: 'usn', usn: v.usn, server: v.server };
  if (v.kind === 'modifyTimestamp' && typeof v.timestamp === 'string' && GENERALIZED_TIME.test(v.timestamp)) return { kind: 'modifyTimestamp', timestamp: v.timestamp };
  if (v.kind === 'contextCSN' && typeof v.csn === 'string' && CSN.test(v.csn)) return { kind: 'contextCSN', csn: v.csn };
  return undefined;
}

function unsupported(message: string): DirectoryError {
  return new DirectoryError({ code: 'bad-option', phase: 'search', message });
}

async function readBase(client: LdapClient, dn: string, attributes: string[]): Promise<Record<string, string[]>> {
  const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes });
  const entry = searchEntries[0];
  const out: Record<string, string[]> = {};
  if (entry === undefined) return out;
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'dn') continue;
    const list = Array.isArray(v) ? v : [v];
    out[k.toLowerCase()] = list.map((x) => (typeof x === 'string' ? x : x.toString('utf8')));
  }
  return out;
}

/** Reads the server-side starting point before a search, for the kinds that have one (usn, contextCSN). */
export async function readServerWatermark(client: LdapClient, kind: WatermarkKind, baseDn: string): Promise<Watermark | undefined> {
  if (kind === 'usn') {
    const root = await readBase(client, '', ['highestCommittedUSN', 'dsServiceName']);
    const usn = root.highestcommittedusn?.[0];
    if (usn === undefined) throw unsupported('the server publishes no highestCommittedUSN in its root DSE, so it is not Active Directory: use the modifyTimestamp watermark');
    return { kind: 'usn', usn, server: root.dsservicename?.[0] ?? '' };
  }
  if (kind === 'contextCSN') {
    const root = await readBase(client, '', ['namingContexts']);
    const lowerBase = baseDn.toLowerCase().replace(/\s*,\s*/g, ',');
    const context = (root.namingcontexts ?? [])
      .filter((nc) => lowerBase === nc.toLowerCase() || lowerBase.endsWith(`,${nc.toLowerCase().replace(/\s*,\s*/g, ',')}`))
      .sort((a, b) => b.length - a.length)[0];
    if (context === undefined) throw unsupported(`no naming context of the server holds ${baseDn}`);
    const csns = (await readBase(client, context, ['contextCSN'])).contextcsn ?? [];
    if (csns.length === 0) throw unsupported(`${context} has no contextCSN (the syncprov overlay is not loaded): use the modifyTimestamp watermark`);
    // Several providers each have their own CSN; the oldest one bounds what may still be unseen.
    return { kind: 'contextCSN', csn: [...csns].sort()[0] };
  }
  return undefined;
}

/** Tracks the newest modifyTimestamp among read entries. */
export class TimestampTracker {
  #max: string | undefined;
  constructor(start?: string) {
    this.#max = start;
  }
  see(values: EntryValues, attribute: string): void {
    const raw = values.first(attribute);
    if (raw === undefined || !GENERALIZED_TIME.test(raw)) return;
    // Whole seconds only: fractions would make string order differ from time order, and >= re-reads that second anyway.
    const t = `${raw.slice(0, 14)}Z`;
    if (this.#max === undefined || t > this.#max) this.#max = t;
  }
  get value(): string | undefined {
    return this.#max;
  }
}
