export type { Owner, OwnerDevice, OwnerSource } from './owner';
export { parseEmail, isValidEmail, emailKey, sameEmail, displayDomain, addressForms, type EmailParse, type EmailProblem } from './email';
export type { OwnerDiagnostic, OwnerDiagnosticCode } from './diagnostics';
export { isError } from './diagnostics';
export { CSV_FIELDS, ATTRIBUTE_PREFIX, parseMapping, resolveColumns, normaliseHeader, type CsvField, type CsvMapping } from './csv-columns';
export { CsvEncodingError, canonicalEncoding, decodeCsv, type CsvInput } from './csv-decode';
export { importOwnersCsv, scanOwnersCsv, detectDelimiter, type CsvImportOptions, type CsvImportResult, type CsvScanSummary, type CsvDelimiter } from './csv-import';
export { exportOwnersCsv, exportOwnersCsvLines, type CsvExportOptions } from './csv-export';
export { ownerIdFromEmail } from './csv-row';
export { neutralise, unneutralise } from './formula';
export {
  reconcile, diffOwners, ReconcileError, DEFAULT_MAX_DISABLE_RATIO,
  type ReconcileAction, type ReconcileResult, type ReconcileOptions, type ReconcileErrorDetail, type FieldChange, type OwnerField,
} from './reconcile';
