// Spreadsheets run a cell starting with = + - @ (or tab / CR) as a formula. Export prefixes such cells with "'";
// cells already starting with "'" before such a character get one more, so import can strip exactly one and round-trip.
const NEEDS_GUARD = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/** Prefixes a cell that a spreadsheet would evaluate as a formula with a single quote. */
export function neutralise(cell: string): string {
  return NEEDS_GUARD.test(cell) ? `'${cell}` : cell;
}

/** Undoes {@link neutralise} on import. */
export function unneutralise(cell: string): string {
  return cell.charCodeAt(0) === 39 && GUARDED.test(cell) ? cell.slice(1) : cell;
}
