import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EAS_CATALOG, supportFor, type FieldSpec, type Platform } from '../../../core/eas';

// Apple's schema is read at test time, never copied into code: the catalog must agree with it key by key.
const REFERENCE = path.resolve(__dirname, '../../../../shared/reference/apple-device-management/mdm/profiles');

interface AppleKey {
  key: string;
  type: string;
  presence: 'required' | 'optional';
  default?: unknown;
  rangelist?: unknown[];
  format?: string;
  supportedOS?: Record<string, Record<string, unknown>>;
  subkeys?: AppleKey[];
}
interface AppleSchema {
  payload: { payloadtype: string; supportedOS: Record<string, Record<string, unknown>> };
  payloadkeys: AppleKey[];
}

const load = (name: string): AppleSchema => parse(readFileSync(path.join(REFERENCE, name), 'utf8')) as AppleSchema;
const eas = load('com.apple.eas.account.yaml');
const common = load('CommonPayloadKeys.yaml');

const PLATFORMS: Platform[] = ['iOS', 'macOS', 'tvOS', 'visionOS', 'watchOS'];
const osFields = ['introduced', 'deprecated', 'removed'] as const;

function appleSupport(key: AppleKey, platform: Platform): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...eas.payload.supportedOS[platform], ...key.supportedOS?.[platform] };
  return Object.fromEntries(osFields.filter((k) => merged[k] !== undefined).map((k) => [k, merged[k]]));
}

function compareKey(apple: AppleKey, ours: FieldSpec | undefined, where: string, withOs: boolean): void {
  expect(ours, `${where}: missing from the catalog`).toBeDefined();
  if (!ours) return;
  expect(`<${ours.type}>`, `${where}: type`).toBe(apple.type);
  expect(ours.required, `${where}: presence`).toBe(apple.presence === 'required');
  expect(ours.default, `${where}: default`).toEqual(apple.default);
  expect(ours.allowed, `${where}: allowed values`).toEqual(apple.rangelist);
  expect(ours.pattern, `${where}: format`).toEqual(apple.format);
  if (withOs) {
    for (const p of PLATFORMS) {
      const mine = supportFor(EAS_CATALOG.supportedOS, ours, p);
      const theirs = appleSupport(apple, p);
      const picked = Object.fromEntries(osFields.filter((k) => mine[k] !== undefined).map((k) => [k, mine[k]]));
      expect(picked, `${where}: supportedOS.${p}`).toEqual(theirs);
    }
  }
  const subs = apple.subkeys ?? [];
  expect((ours.subkeys ?? []).map((s) => s.key), `${where}: subkeys`).toEqual(subs.map((s) => s.key));
  for (const s of subs) compareKey(s, ours.subkeys?.find((o) => o.key === s.key), `${where}.${s.key}`, withOs);
}

describe('EAS field catalog against Apple\u2019s schema', () => {
  it('describes the same payload type and payload-level OS support', () => {
    expect(EAS_CATALOG.payloadType).toBe(eas.payload.payloadtype);
    for (const p of PLATFORMS) {
      expect(EAS_CATALOG.supportedOS[p]?.introduced, p).toBe(eas.payload.supportedOS[p]?.introduced);
    }
  });

  it('has every EAS key with Apple\u2019s type, presence, default, allowed values, format and OS support', () => {
    for (const k of eas.payloadkeys) compareKey(k, EAS_CATALOG.fields.find((f) => f.key === k.key && !f.common), k.key, true);
  });

  it('has every common payload key with Apple\u2019s type, presence and allowed values', () => {
    for (const k of common.payloadkeys) compareKey(k, EAS_CATALOG.fields.find((f) => f.key === k.key && f.common), k.key, false);
  });

  it('has no key that Apple does not define', () => {
    const apple = new Set([...eas.payloadkeys, ...common.payloadkeys].map((k) => k.key));
    expect(EAS_CATALOG.fields.map((f) => f.key).filter((k) => !apple.has(k))).toEqual([]);
  });

  it('gives every field help text, a known section, and marks exactly the secrets', () => {
    const sections = new Set(EAS_CATALOG.sections.map((s) => s.id));
    for (const f of EAS_CATALOG.fields) {
      expect(f.help.length, f.key).toBeGreaterThan(10);
      expect(f.help, f.key).not.toContain('\n');
      expect(sections.has(f.section), f.key).toBe(true);
    }
    expect(EAS_CATALOG.fields.filter((f) => f.secret).map((f) => f.key).sort()).toEqual(['Certificate', 'CertificatePassword', 'Password']);
  });

  it('names the Meraki dashboard labels from the Meraki guide', () => {
    const meraki = readFileSync(path.resolve(REFERENCE, '../../../meraki/configuring-an-exchange-activesync-profile.txt'), 'utf8');
    const labels = EAS_CATALOG.fields.flatMap((f) => (f.meraki ? [f.meraki.split(/[:(/]/)[0].trim()] : []));
    expect(labels.length).toBeGreaterThanOrEqual(15);
    const missing = labels.filter((l) => !meraki.toLowerCase().includes(l.toLowerCase()));
    expect(missing).toEqual([]);
  });

  it('says what each identity reference is for, and labels only values it allows', () => {
    for (const f of EAS_CATALOG.fields.filter((x) => x.identityRef)) expect(f.identityPurpose, f.key).toBeDefined();
    expect(EAS_CATALOG.fields.filter((x) => x.identityPurpose && !x.identityRef)).toEqual([]);
    for (const f of EAS_CATALOG.fields.filter((x) => x.valueLabels)) {
      for (const v of Object.keys(f.valueLabels ?? {})) expect(f.allowed?.map(String), f.key).toContain(v);
    }
  });

  it('gives deprecated keys their replacement where Apple names one', () => {
    for (const f of EAS_CATALOG.fields.filter((x) => x.replacedBy)) {
      expect(EAS_CATALOG.fields.some((g) => g.key === f.replacedBy), f.key).toBe(true);
    }
  });
});
