import type { FieldSpec, OsSupport, Platform, SupportedOs, TargetOs } from './types';

export const PLATFORMS: readonly Platform[] = ['iOS', 'macOS', 'tvOS', 'visionOS', 'watchOS'];

const PLATFORM_NAMES: Readonly<Record<string, Platform>> = {
  ios: 'iOS',
  ipados: 'iOS',
  iphoneos: 'iOS',
  macos: 'macOS',
  osx: 'macOS',
  tvos: 'tvOS',
  visionos: 'visionOS',
  watchos: 'watchOS',
};

/** Apple's platform for a name such as `ios`, `iPadOS` or `visionOS`; undefined if unknown. */
export function platformFromName(name: string): Platform | undefined {
  return PLATFORM_NAMES[name.trim().toLowerCase()];
}

const VERSION_RE = /^\d{1,3}(\.\d{1,3}){0,2}$/;

/** Whether `v` is a dotted OS version such as `17`, `17.4` or `17.4.1`. */
export function isOsVersion(v: string): boolean {
  return VERSION_RE.test(v);
}

/** Compares dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < 3; i++) {
    const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Parses `ios@17.0`, `iPadOS 17`, or `visionos` into a target; throws on anything else. */
export function parseTarget(spec: string): TargetOs {
  const m = /^\s*([A-Za-z]+)\s*(?:[@ ]\s*(\S+))?\s*$/.exec(spec);
  const platform = m ? platformFromName(m[1]) : undefined;
  if (!m || !platform) {
    throw new Error(`Unknown target "${spec}": write a platform and version such as ios@17.0 or visionos@1.1.`);
  }
  if (m[2] !== undefined && !isOsVersion(m[2])) {
    throw new Error(`Unknown OS version "${m[2]}" in "${spec}": write it as 17, 17.4 or 17.4.1.`);
  }
  return m[2] === undefined ? { platform } : { platform, version: m[2] };
}

/** A key's support on a platform: the payload's, updated by the key's own entry (Apple's inheritance rule). */
export function supportFor(payloadOs: SupportedOs, field: Pick<FieldSpec, 'supportedOS'>, platform: Platform): OsSupport {
  return { ...payloadOs[platform], ...field.supportedOS?.[platform] };
}

export type SupportStatus =
  | { readonly kind: 'supported' }
  | { readonly kind: 'never' }
  | { readonly kind: 'not-yet'; readonly introduced: string }
  | { readonly kind: 'removed'; readonly removed: string }
  | { readonly kind: 'deprecated'; readonly deprecated: string };

/** How a target OS treats something with this support; no version means the newest release. */
export function supportStatus(support: OsSupport, version: string | undefined): SupportStatus {
  if (support.introduced === undefined || support.introduced === 'n/a') {
    // A key that only says "deprecated" (HeaderMagic) inherits the payload's introduction.
    if (support.introduced === 'n/a') return { kind: 'never' };
  } else if (version !== undefined && compareVersions(version, support.introduced) < 0) {
    return { kind: 'not-yet', introduced: support.introduced };
  }
  if (support.removed && (version === undefined || compareVersions(version, support.removed) >= 0)) {
    return { kind: 'removed', removed: support.removed };
  }
  if (support.deprecated && (version === undefined || compareVersions(version, support.deprecated) >= 0)) {
    return { kind: 'deprecated', deprecated: support.deprecated };
  }
  return { kind: 'supported' };
}
