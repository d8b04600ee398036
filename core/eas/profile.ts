import { EAS_PAYLOAD_TYPE } from './catalog';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes';
import { IDENTITY_PAYLOAD_TYPES } from './rules';
import type { Diagnostic, ValidationResult } from './types';
import { isPlainObject, validate, type ValidateOptions } from './validate';

/** Payload types that may share a profile with the EAS payload: the identities and CA certificates it uses. */
const COMPANION_TYPES: ReadonlySet<string> = new Set([
  ...IDENTITY_PAYLOAD_TYPES,
  'com.apple.security.root',
  'com.apple.security.pkcs1',
  'com.apple.security.pem',
]);

const d = (code: DiagnosticCode, path: string, message: string): Diagnostic => ({
  code,
  severity: DIAGNOSTIC_CODES[code].severity,
  path,
  message,
});

/** Validates every EAS payload of a parsed configuration profile, with profile-wide checks (identities, duplicates, sharing). */
export function validateProfile(profile: unknown, options: Omit<ValidateOptions, 'mode' | 'profilePayloads' | 'pathPrefix'> = {}): ValidationResult {
  const out: Diagnostic[] = [];
  const content = isPlainObject(profile) ? profile.PayloadContent : undefined;
  if (!Array.isArray(content)) {
    const encrypted = isPlainObject(profile) && profile.EncryptedPayloadContent !== undefined;
    out.push(
      d(
        'profile-invalid',
        'PayloadContent',
        encrypted
          ? 'The profile is encrypted: decrypt it with the device key first (eas-profiles inspect).'
          : 'This is not a configuration profile: it has no PayloadContent list.',
      ),
    );
    return { valid: false, diagnostics: out };
  }
  const types = new Map<string, string>();
  const seenIds = new Map<string, number>();
  content.forEach((p, i) => {
    if (!isPlainObject(p)) {
      out.push(d('profile-invalid', `PayloadContent[${i}]`, `Payload ${i} is not a dictionary.`));
      return;
    }
    const uuid = typeof p.PayloadUUID === 'string' ? p.PayloadUUID : undefined;
    const id = typeof p.PayloadIdentifier === 'string' ? p.PayloadIdentifier : undefined;
    if (uuid !== undefined) {
      if (types.has(uuid)) out.push(d('duplicate-payload-uuid', `PayloadContent[${i}].PayloadUUID`, `PayloadUUID ${uuid} is used twice; the device refuses the profile.`));
      types.set(uuid, typeof p.PayloadType === 'string' ? p.PayloadType : '');
    }
    if (id !== undefined) {
      if (seenIds.has(id)) {
        out.push(d('duplicate-payload-identifier', `PayloadContent[${i}].PayloadIdentifier`, `PayloadIdentifier ${id} is also used by payload ${seenIds.get(id)}; the device refuses the profile.`));
      }
      seenIds.set(id, i);
    }
  });
  const easIndexes = content.flatMap((p, i) => (isPlainObject(p) && p.PayloadType === EAS_PAYLOAD_TYPE ? [i] : []));
  if (easIndexes.length === 0) {
    out.push(d('no-eas-payload', 'PayloadContent', 'The profile has no Exchange ActiveSync (com.apple.eas.account) payload.'));
  }
  for (const i of easIndexes) {
    out.push(...validate(content[i], { ...options, mode: 'profile', profilePayloads: types, pathPrefix: `PayloadContent[${i}].` }).diagnostics);
  }
  const others = content.filter((p) => isPlainObject(p) && p.PayloadType !== EAS_PAYLOAD_TYPE && !COMPANION_TYPES.has(String(p.PayloadType)));
  if (easIndexes.length > 0 && others.length > 0) {
    const names = [...new Set(others.map((p) => String((p as Record<string, unknown>).PayloadType)))].join(', ');
    out.push(
      d('eas-shares-profile', 'PayloadContent', `The EAS payload shares this profile with ${names}: any change to those resets the mail account on every device. Give the EAS payload a profile of its own.`),
    );
  }
  return { valid: !out.some((x) => x.severity === 'error'), diagnostics: out };
}
