import type { DiagnosticCode } from './codes';

/** Value types of payload keys, as Apple's schema names them without the angle brackets. */
export type FieldType = 'string' | 'integer' | 'real' | 'boolean' | 'data' | 'date' | 'array' | 'dictionary';

/** Apple platforms that Apple's schema describes; iPadOS follows iOS. */
export type Platform = 'iOS' | 'macOS' | 'tvOS' | 'visionOS' | 'watchOS';

/** Support of a payload or key on one platform, in Apple's words; `'n/a'` means never supported. */
export interface OsSupport {
  readonly introduced?: string;
  readonly deprecated?: string;
  readonly removed?: string;
}

export type SupportedOs = Readonly<Partial<Record<Platform, OsSupport>>>;

/** Form sections, in the order an admin fills them in. */
export type SectionId = 'account' | 'server' | 'authentication' | 'mail' | 'smime' | 'services' | 'advanced';

/** Extra meaning of a string beyond "any text": drives format checks and form controls. */
export type ValueFormat = 'hostname' | 'url' | 'email' | 'uuid' | 'bundle-id' | 'user';

/** Roles an identity certificate plays for the account. */
export type IdentityPurpose = 'authentication' | 'smime-signing' | 'smime-encryption';

/** One key of the payload, described as data. */
export interface FieldSpec {
  readonly key: string;
  /** Short human title (Apple's where it has one). */
  readonly title: string;
  readonly type: FieldType;
  readonly default?: string | number | boolean;
  /** Allowed values (Apple's `rangelist`). */
  readonly allowed?: readonly (string | number)[];
  /** Regular expression the value must match (Apple's `format`). */
  readonly pattern?: string;
  readonly format?: ValueFormat;
  /** A value every payload of this type must carry, such as its PayloadType. */
  readonly fixed?: string | number;
  /** Required by Apple's schema. */
  readonly required: boolean;
  /** Filled in by the profile builder; only required in a finished profile, not in a template. */
  readonly generated?: boolean;
  /** Apple's per-key OS support, overriding the payload's (see `supportFor`). */
  readonly supportedOS?: SupportedOs;
  /** Key that replaces this deprecated one. */
  readonly replacedBy?: string;
  /** Passwords and private key material: never echoed, never a node parameter in clear. */
  readonly secret: boolean;
  /** Names admins use for this key elsewhere (Meraki, other MDMs), for "did you mean". */
  readonly aliases?: readonly string[];
  /** The label of Meraki's dashboard that sets this key, where there is one. */
  readonly meraki?: string;
  /** One line of help, in an admin's words. */
  readonly help: string;
  readonly section: SectionId;
  /** Key common to every payload type rather than specific to EAS. */
  readonly common?: boolean;
  /** Holds the PayloadUUID of an identity payload in the same profile. */
  readonly identityRef?: boolean;
  /** What the referenced identity is used for, so pickers can offer the right certificates. */
  readonly identityPurpose?: IdentityPurpose;
  /** Human labels of allowed values that are not self-explanatory, e.g. 0 → "No limit". */
  readonly valueLabels?: Readonly<Record<string, string>>;
  /** Unit of a number, for labels such as "7 days". */
  readonly unit?: string;
  /** An example value for placeholders. */
  readonly example?: string;
  /** Longest string accepted; a guard against pasted garbage rather than an Apple limit. */
  readonly maxLength?: number;
  readonly subkeys?: readonly FieldSpec[];
}

export interface SectionSpec {
  readonly id: SectionId;
  readonly title: string;
}

export interface PayloadCatalog {
  readonly payloadType: string;
  readonly title: string;
  readonly supportedOS: SupportedOs;
  readonly sections: readonly SectionSpec[];
  readonly fields: readonly FieldSpec[];
}

export type Severity = 'error' | 'warning';

/** A problem found in a payload: stable `code`, where it is (`path`), and what to do. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly path: string;
  readonly message: string;
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** The device a payload is meant for. */
export interface TargetOs {
  readonly platform: Platform;
  /** Dotted version such as `17.4`; absent means "the newest". */
  readonly version?: string;
}
