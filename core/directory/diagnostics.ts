/** Codes of the non-fatal findings of a directory read or sync. */
export type DirectoryDiagnosticCode =
  | 'plain-ldap'
  | 'missing-id'
  | 'missing-email'
  | 'invalid-email'
  | 'duplicate-id'
  | 'bad-certificate'
  | 'expired-certificate'
  | 'ranged-attribute'
  | 'watermark-reset';

/** A finding about one entry or about the run, shaped like the project's other diagnostics. */
export interface DirectoryDiagnostic {
  readonly code: DirectoryDiagnosticCode;
  readonly severity: 'error' | 'warning';
  /** The entry DN, or the option the finding is about. */
  readonly path: string;
  readonly message: string;
}
