import { createHash } from 'node:crypto';
import { uuidV5 } from './uuid';

/** What identifies one owner's profile of one account: decision 3 derives every stable id from these. */
export interface IdentitySeed {
  readonly organization: string;
  readonly account: string;
  /** Owner id (the directory's own, or the lower-cased e-mail). */
  readonly owner: string;
  /** Reverse-DNS prefix of the identifiers. */
  readonly prefix: string;
}

/** Stable identifiers of a profile, its EAS payload and its companion payloads. */
export interface ProfileIds {
  readonly profileIdentifier: string;
  readonly easIdentifier: string;
  readonly easUuid: string;
  readonly identityIdentifier: string;
  readonly identityUuid: string;
}

// Fields joined with a separator that cannot occur in them unescaped, so ("a b", "c") and ("a", "b c") differ.
const key = (s: IdentitySeed, role: string): string => [s.organization, s.account, s.owner, role].map((x) => x.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')).join('\n');

/** The identifiers that never change for the same organisation, account and owner. */
export function stableIds(s: IdentitySeed): ProfileIds {
  const profileUuid = uuidV5(key(s, 'profile'));
  const profileIdentifier = `${s.prefix}.${profileUuid.toLowerCase()}`;
  return {
    profileIdentifier,
    easIdentifier: `${profileIdentifier}.eas`,
    easUuid: uuidV5(key(s, 'eas')),
    identityIdentifier: `${profileIdentifier}.identity`,
    identityUuid: uuidV5(key(s, 'identity')),
  };
}

/** UUID and identifier of a CA certificate payload: stable per owner profile and certificate. */
export function caIds(s: IdentitySeed, der: Uint8Array): { uuid: string; identifier: string } {
  const fp = createHash('sha256').update(der).digest('hex');
  return { uuid: uuidV5(key(s, `ca:${fp}`)), identifier: `${s.prefix}.${uuidV5(key(s, 'profile')).toLowerCase()}.ca.${fp.slice(0, 16)}` };
}

/** Top-level PayloadUUID from the content hash: same content, same UUID, so ProfileList shows what a device has. */
export const contentUuid = (contentHash: string): string => uuidV5(`content:${contentHash}`);
