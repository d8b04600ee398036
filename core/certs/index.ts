export { readIdentity, readIdentityPair, readCertificateFile, identityOf, type ReadOptions } from './read';
export { Identity, CertificateBundle, keyMatches, type CertFormat } from './identity';
export { CertReadError, type CertErrorCode } from './errors';
export { Secret, secret, REDACTED } from './secret';
