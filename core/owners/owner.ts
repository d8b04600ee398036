/** Where an owner came from. */
export type OwnerSource = 'manual' | 'csv' | 'ldap' | 'meraki';

/** A device assigned to an owner, known by serial number and/or UDID. */
export interface OwnerDevice {
  readonly serialNumber?: string;
  readonly udid?: string;
}

/** The person a managed device belongs to, whose mail account the profile provisions. */
export interface Owner {
  /** Stable id: the directory's own (objectGUID / entryUUID) or, for CSV and manual owners, derived from the e-mail. */
  readonly id: string;
  readonly username?: string;
  /** E-mail address; compared case-insensitively. */
  readonly email: string;
  readonly upn?: string;
  readonly displayName?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** NetBIOS-style domain, rendered as DOMAIN\user in the EAS UserName. */
  readonly domain?: string;
  readonly groups?: readonly string[];
  readonly devices?: readonly OwnerDevice[];
  readonly source: OwnerSource;
  /** Reference (file name, fingerprint or directory attribute) of the owner's identity certificate. */
  readonly identityRef?: string;
  readonly disabled?: boolean;
  readonly attributes?: Readonly<Record<string, string>>;
}
