/** Stable codes of owner import problems. */
export type OwnerDiagnosticCode =
  | 'bad-email'
  | 'missing-value'
  | 'duplicate-owner'
  | 'too-many-fields'
  | 'too-few-fields'
  | 'device-conflict'
  | 'bad-value'
  | 'missing-column'
  | 'unknown-column'
  | 'ambiguous-column'
  | 'bad-encoding'
  | 'csv-syntax'
  | 'empty-file'
  | 'too-many-diagnostics';

/** One problem in an owner CSV: `line` is the file's 1-based line where the row starts, `column` the 1-based field (0: the whole row). */
export interface OwnerDiagnostic {
  readonly code: OwnerDiagnosticCode;
  readonly severity: 'error' | 'warning';
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The other line involved (first occurrence of a duplicate owner or device). */
  readonly relatedLine?: number;
}

/** True when a diagnostic blocks an all-or-nothing import. */
export function isError(d: OwnerDiagnostic): boolean {
  return d.severity === 'error';
}
