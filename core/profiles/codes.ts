import type { DiagnosticCode, Severity } from '../eas';

/** Diagnostic codes of profile building and inspection, beyond the payload codes of core/eas. */
export const PROFILE_CODES = {
  'unknown-variable': { severity: 'error', summary: 'The template uses a {{variable}} that is not an owner variable.' },
  'empty-variable': { severity: 'error', summary: 'The template uses an owner variable this owner has no value for.' },
  'invalid-character': { severity: 'error', summary: 'A value holds a control character that a property list cannot carry.' },
  'identity-missing': { severity: 'error', summary: 'The template refers to {{identity}} but the owner has no identity certificate.' },
  'identity-unreadable': { severity: 'error', summary: "The owner's identity (PKCS#12 or PEM) cannot be read: wrong passphrase, corrupt file or key that does not match." },
  'no-device-certificate': { severity: 'error', summary: 'Encryption is asked for but no device certificate was found for the owner; no unencrypted fallback is made.' },
  'device-certificate-unusable': { severity: 'error', summary: 'The device certificate cannot receive an encrypted profile (a key other than RSA or EC P-256/P-384/P-521, expired, or unreadable).' },
  'profile-failed': { severity: 'error', summary: "The owner's profile could not be made for an unexpected reason, given in the message; the other owners are built." },
  'profile-unwritable': { severity: 'error', summary: "The owner's profile was made but could not be written (for example, no permission or no space in the output folder)." },
  'duplicate-owner': { severity: 'error', summary: 'Two owners have the same id (e-mail): they would share profile identifiers.' },
  'profile-unreadable': { severity: 'error', summary: 'The file is neither a property list nor a CMS signed or enveloped profile.' },
  'signature-invalid': { severity: 'error', summary: 'The signature does not verify: the profile was changed after signing, or the signature is broken.' },
  'chain-untrusted': { severity: 'error', summary: 'The signer certificate does not chain to the given CA (or to a root inside the profile).' },
  'chain-not-checked': { severity: 'warning', summary: 'No CA was given and the profile holds no root, so the signer chain was not checked.' },
  'signer-expired': { severity: 'warning', summary: 'The signing certificate is expired or not yet valid; devices show the profile as unverified.' },
  'unsigned-profile': { severity: 'warning', summary: 'The profile is not signed; devices show it as unverified.' },
  'encrypted-content': { severity: 'warning', summary: 'The payloads are encrypted to a device; they cannot be checked without its key.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type ProfileCode = keyof typeof PROFILE_CODES;

/** A problem found while building or inspecting a profile: a payload code of core/eas or a profile code. */
export interface ProfileDiagnostic {
  readonly code: DiagnosticCode | ProfileCode;
  readonly severity: Severity;
  readonly path: string;
  readonly message: string;
  /** Owner the problem belongs to (id / e-mail), when building for several owners. */
  readonly owner?: string;
}

/** A profile diagnostic with the severity its code carries. */
export function profileDiagnostic(code: ProfileCode, path: string, message: string, owner?: string): ProfileDiagnostic {
  return owner === undefined ? { code, severity: PROFILE_CODES[code].severity, path, message } : { code, severity: PROFILE_CODES[code].severity, path, message, owner };
}

/** Whether any diagnostic is an error. */
export const hasErrors = (ds: readonly ProfileDiagnostic[]): boolean => ds.some((d) => d.severity === 'error');
