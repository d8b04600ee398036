import type { FieldSpec } from './types';

const normalise = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Edit distance with adjacent transpositions (optimal string alignment), capped at `max + 1`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

interface Candidates {
  readonly exact: ReadonlyMap<string, string>;
  readonly names: readonly { readonly norm: string; readonly key: string }[];
}
const candidatesCache = new WeakMap<readonly FieldSpec[], Candidates>();

/** Normalised names (keys, aliases, Meraki labels) of a field list, computed once per list. */
function candidates(fields: readonly FieldSpec[]): Candidates {
  let c = candidatesCache.get(fields);
  if (!c) {
    const exact = new Map<string, string>();
    const names: { norm: string; key: string }[] = [];
    for (const f of fields) {
      for (const name of [f.key, ...(f.aliases ?? [])]) {
        const norm = normalise(name);
        if (!exact.has(norm)) exact.set(norm, f.key);
        names.push({ norm, key: f.key });
      }
      if (f.meraki !== undefined && !exact.has(normalise(f.meraki))) exact.set(normalise(f.meraki), f.key);
    }
    c = { exact, names };
    candidatesCache.set(fields, c);
  }
  return c;
}

/** The catalog key an unknown key most likely meant: same letters in another case, an alias, a Meraki label, or a near miss. */
export function suggestKey(unknown: string, fields: readonly FieldSpec[]): string | undefined {
  if (unknown.length === 0 || unknown.length > 64) return undefined;
  const n = normalise(unknown);
  if (n === '') return undefined;
  const { exact, names } = candidates(fields);
  const hit = exact.get(n);
  if (hit !== undefined) return hit;
  const max = n.length <= 4 ? 1 : n.length <= 9 ? 2 : 3;
  let best: string | undefined;
  let bestD = max + 1;
  for (const { norm, key } of names) {
    const d = editDistance(n, norm, max);
    if (d < bestD) {
      bestD = d;
      best = key;
    }
  }
  return best;
}
