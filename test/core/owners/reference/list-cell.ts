// The version of this module before the importer's performance work (commit 1a9608f), kept unchanged as an oracle:
// test/core/owners/row-oracle.test.ts checks that the faster code gives exactly the same results.
// Several values in one cell (groups, device serials) are joined by ";", with "\" escaping ";" and "\" inside a value.

/** Joins values into one cell, escaping the separator so that {@link splitList} gives them back. */
export function joinList(values: readonly string[]): string {
  return values.map((v) => v.replace(/[\\;]/g, (c) => `\\${c}`)).join(';');
}

/** Splits a cell on unescaped ";", trimming each value; an empty cell gives []. */
export function splitList(cell: string, keepEmpty = false): string[] {
  if (cell === '') return [];
  // Most cells hold one plain value: skip the character loop.
  if (cell.indexOf(';') < 0 && cell.indexOf('\\') < 0) {
    const v = cell.trim();
    return v === '' && !keepEmpty ? [] : [v];
  }
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i];
    if (c === '\\' && i + 1 < cell.length) {
      current += cell[++i];
    } else if (c === ';') {
      out.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current.trim());
  return keepEmpty ? out : out.filter((v) => v !== '');
}
