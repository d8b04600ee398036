import type { DirectorySession } from './connection';
import { DirectoryError } from './errors';
import { dnKey, parseDn } from './escape';
import { inChainFilter, memberOfFilter } from './filter';
import type { DirectoryPreset } from './presets';
import { pagedSearch, readEntry } from './search';

/** The domain part (trailing dc= RDNs) of a DN, where groups are looked for by default. */
export function domainRoot(dn: string): string {
  const rdns = dn.split(/,(?=\s*dc=)/i);
  const idx = rdns.findIndex((r) => /^\s*dc=/i.test(r));
  return idx < 0 ? dn : rdns.slice(idx).join(',');
}

// groupOfUniqueNames members may carry "#'0101'B" (an optional unique identifier) after the DN.
function memberDn(value: string): string {
  return value.replace(/#'[01]*'B$/, '');
}

function safeKey(dn: string): string | undefined {
  try {
    return dnKey(dn);
  } catch {
    return undefined;
  }
}

/** Scope of group membership: the groups as the server spells them, and the nested groups found under them. */
export interface GroupScope {
  readonly groups: readonly string[];
  /** All groups whose direct members are in scope (the given ones and every nested group), only for 'expand'. */
  readonly expanded: readonly string[];
  readonly filter: string | undefined;
}

/** Builds the membership filter for the given groups, nested groups included; throws group-not-found for an unknown group. */
export async function resolveGroupScope(
  session: DirectorySession,
  preset: DirectoryPreset,
  groups: readonly string[],
  options: { readonly groupBaseDn: string; readonly pageSize: number },
): Promise<GroupScope> {
  if (groups.length === 0) return { groups: [], expanded: [], filter: undefined };
  const memberOf = preset.attributes.memberOf;
  if (memberOf === undefined) throw new DirectoryError({ code: 'bad-option', phase: 'search', message: 'group scoping needs the memberOf attribute mapping' });
  const found: string[] = [];
  for (const dn of groups) {
    try {
      parseDn(dn);
    } catch (error) {
      throw new DirectoryError({ code: 'bad-option', phase: 'search', message: `group ${JSON.stringify(dn)}: ${(error as Error).message}` });
    }
    const entry = await readEntry(session, dn, ['1.1']);
    // A missing group would put all its members out of scope and get them disabled: stop instead.
    if (entry === undefined) throw new DirectoryError({ code: 'group-not-found', phase: 'search', message: `group "${dn}" does not exist on ${session.url.url}; nothing was changed` });
    found.push(entry.dn);
  }
  if (preset.nestedGroups === 'matching-rule-in-chain') return { groups: found, expanded: found, filter: inChainFilter(memberOf, found) };

  // Expand on the client: one paged read of all groups, then a walk over member links (cycles allowed).
  const members = new Map<string, { dn: string; members: string[] }>();
  await pagedSearch(
    session,
    { baseDn: options.groupBaseDn, filter: preset.groupFilter, attributes: ['member', 'uniqueMember'], pageSize: options.pageSize },
    (entries) => {
      for (const e of entries) {
        const key = safeKey(e.dn);
        if (key === undefined) continue;
        const list: string[] = [];
        for (const attr of ['member', 'uniqueMember']) {
          const raw = e[attr];
          const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
          for (const v of values) {
            const k = safeKey(memberDn(typeof v === 'string' ? v : v.toString('utf8')));
            if (k !== undefined) list.push(k);
          }
        }
        members.set(key, { dn: e.dn, members: list });
      }
    },
  );
  const seen = new Set<string>();
  const expanded: string[] = [];
  const queue = found.map((dn) => dnKey(dn));
  while (queue.length > 0) {
    const key = queue.shift() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    const group = members.get(key);
    expanded.push(group?.dn ?? found.find((f) => dnKey(f) === key) ?? key);
    for (const m of group?.members ?? []) if (members.has(m) && !seen.has(m)) queue.push(m);
  }
  return { groups: found, expanded, filter: memberOfFilter(memberOf, expanded) };
}
