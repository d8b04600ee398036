/** Why a certificate or key file could not be read. */
export type CertErrorCode =
  | 'wrong-passphrase'
  | 'passphrase-required'
  | 'unrecognised-format'
  | 'corrupt'
  | 'unsupported'
  | 'no-certificate'
  | 'no-private-key'
  | 'key-mismatch';

/** A file that cannot be read; the message names the file and never carries a passphrase or key material. */
export class CertReadError extends Error {
  override name = 'CertReadError';
  constructor(
    readonly code: CertErrorCode,
    readonly fileName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the user-facing message for each code. */
export function certError(code: CertErrorCode, fileName: string | undefined, detail?: string): CertReadError {
  const file = fileName ?? '<input>';
  const text: Record<CertErrorCode, string> = {
    'wrong-passphrase': `wrong passphrase for ${file}`,
    'passphrase-required': `${file} is protected by a passphrase; give one`,
    'unrecognised-format': `${file} is not a PKCS#12, PEM or DER certificate or key`,
    corrupt: `${file} is damaged or truncated${detail ? `: ${detail}` : ''}`,
    unsupported: `${file} uses something not supported${detail ? `: ${detail}` : ''}`,
    'no-certificate': `${file} holds no certificate`,
    'no-private-key': `${file} holds no private key`,
    'key-mismatch': `the private key in ${file} matches none of its certificates`,
  };
  return new CertReadError(code, file, text[code]);
}
