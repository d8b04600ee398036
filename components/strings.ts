import type { DiagnosticCode, SectionId } from '../core/eas';

/** A count in every plural form the portal's language needs (CLDR categories); `{n}` is the number. */
export type Plural = Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & { readonly other: string };

/** A field's human text; the catalog supplies the English default. */
export interface FieldText {
  readonly title?: string;
  readonly help?: string;
  /** Labels of allowed values, keyed by the value as a string (default: the catalog's `valueLabels`). */
  readonly values?: Readonly<Record<string, string>>;
}

/**
 * Every string the editor shows, in one table so a portal can translate it.
 * Field titles, help and section titles default to the catalog's English; diagnostic
 * messages default to the message `validate()` wrote, and a translation is looked up by code.
 */
export interface EditorStrings {
  readonly formLabel: string;
  readonly summaryTitle: string;
  /** `{errors}` and `{warnings}` are replaced by `errorCount` and `warningCount`. */
  readonly summaryCounts: string;
  readonly errorCount: Plural;
  readonly warningCount: Plural;
  readonly summaryGeneral: string;
  readonly noProblems: string;
  readonly error: string;
  readonly warning: string;
  /** Prefix of the Meraki dashboard label, e.g. "Meraki: Exchange host". */
  readonly merakiPrefix: string;
  readonly none: string;
  /** Option for an identity UUID that is not in the `identities` list. */
  readonly unknownIdentity: string;
  readonly identityPlaceholder: string;
  /** Placeholder of a text field whose catalog entry has an example; `{example}` is replaced. */
  readonly example: string;
  readonly on: string;
  readonly off: string;
  readonly defaultValue: string;
  /** A number with the catalog's unit (`unit: 'days'`), e.g. "7 days"; `{n}` is the number. */
  readonly units: Readonly<Record<string, Plural>>;
  readonly certificateLoaded: string;
  readonly certificateNone: string;
  readonly certificateChoose: string;
  readonly certificateRemove: string;
  /** `{platform}` and `{version}` are replaced. */
  readonly needsOs: string;
  readonly deprecatedSince: string;
  readonly removedIn: string;
  readonly notOnPlatform: string;
  readonly useInstead: string;
  readonly invalidSummary: string;
  readonly sections: Readonly<Partial<Record<SectionId, string>>>;
  readonly fields: Readonly<Record<string, FieldText>>;
  readonly diagnostics: Readonly<Partial<Record<DiagnosticCode, string>>>;
}

export const DEFAULT_STRINGS: EditorStrings = {
  formLabel: 'Exchange ActiveSync payload',
  summaryTitle: 'Problems in this payload',
  summaryCounts: '{errors}, {warnings}',
  errorCount: { one: '{n} error', other: '{n} errors' },
  warningCount: { one: '{n} warning', other: '{n} warnings' },
  summaryGeneral: 'Whole payload',
  noProblems: 'No problems found.',
  error: 'Error',
  warning: 'Warning',
  merakiPrefix: 'Meraki:',
  none: 'None',
  unknownIdentity: 'Unknown identity {uuid}',
  identityPlaceholder: 'UUID of an identity payload, or {{variable}}',
  example: 'e.g. {example}',
  on: 'On',
  off: 'Off',
  defaultValue: 'default',
  units: { days: { one: '{n} day', other: '{n} days' } },
  certificateLoaded: 'Certificate embedded ({size} bytes)',
  certificateNone: 'No certificate embedded',
  certificateChoose: 'Embed a .p12 file',
  certificateRemove: 'Remove certificate',
  needsOs: 'Needs {platform} {version}',
  deprecatedSince: 'Deprecated since {platform} {version}',
  removedIn: 'Removed in {platform} {version}',
  notOnPlatform: 'Not supported on {platform}',
  useInstead: 'use {key} instead',
  invalidSummary: 'The payload has errors: fix the fields marked in the editor.',
  sections: {},
  fields: {},
  diagnostics: {},
};

/** Replaces `{name}` placeholders; unknown names are left as they are. */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

const rules = new Map<string, Intl.PluralRules>();

/** `p` for `n` in `locale`'s plural rules; an unknown locale counts as English. */
export function plural(p: Plural, n: number, locale: string): string {
  // English needs no Intl.PluralRules (costly to create on a page's first use): one is 1, the rest other.
  if (Number.isInteger(n) && (locale === 'en' || locale.startsWith('en-'))) return format((n === 1 ? p.one : undefined) ?? p.other, { n });
  let r = rules.get(locale);
  if (!r) {
    try {
      r = new Intl.PluralRules(locale);
    } catch {
      r = new Intl.PluralRules('en');
    }
    rules.set(locale, r);
  }
  return format(p[r.select(n)] ?? p.other, { n });
}

/** The default table with a portal's translation laid over it (nested tables merge key by key). */
export function mergeStrings(over: Partial<EditorStrings> | undefined): EditorStrings {
  if (!over) return DEFAULT_STRINGS;
  return {
    ...DEFAULT_STRINGS,
    ...over,
    units: { ...DEFAULT_STRINGS.units, ...over.units },
    sections: { ...DEFAULT_STRINGS.sections, ...over.sections },
    fields: { ...DEFAULT_STRINGS.fields, ...over.fields },
    diagnostics: { ...DEFAULT_STRINGS.diagnostics, ...over.diagnostics },
  };
}
