export { readIdentity, readIdentityPair, readCertificateFile, identityOf, type ReadOptions } from './read';
export { Identity, CertificateBundle, keyMatches, type CertFormat } from './identity';
export { CertReadError, type CertErrorCode } from './errors';
export { Secret, secret, REDACTED } from './secret';
export { inspectCertificate, inspectBundle, type CertificateInfo, type BundleInspection } from './inspect';
export { decodeExtensions, KEY_USAGE_NAMES, type KeyUsageName } from './extensions';
export { checkIdentity, certificateNamesOwner, type IdentityRole, type CertDiagnostic, type CertDiagnosticCode, type CheckOptions } from './check';
export { OwnersByAddress, addressKeys, certAddressKey, ownerAddressKeys, ownerFileNames } from './owner-addresses';
export {
  matchCertificates, matchCertificateDir, certFilesInDir, fileStem,
  type CertFile, type CertSummary, type FileMatch, type MatchReport, type MatchOptions,
} from './match';
