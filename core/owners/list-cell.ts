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
  // Without escapes every ";" separates: slices, not one string per character appended.
  if (cell.indexOf('\\') < 0) {
    let start = 0;
    for (let end = cell.indexOf(';'); ; end = cell.indexOf(';', start)) {
      const v = (end < 0 ? cell.slice(start) : cell.slice(start, end)).trim();
      if (keepEmpty || v !== '') out.push(v);
      // A copy of exact length: an array grown by push keeps room for 17 values, and owners keep their lists.
      if (end < 0) return out.slice();
      start = end + 1;
    }
  }
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
