// Full-payload validations per second: our validate() (all diagnostics, cross-field rules, OS
// support) next to Ajv running a JSON Schema compiled from the same catalog, on the same payloads.
import Ajv2020 from 'ajv/dist/2020.js';
import { toJsonSchema, validate } from '../core/eas';

const HOSTS = ['mail.example.com', 'eas.corp.example.org', 'outlook.office365.com', '10.1.2.3', 'mail.exämple.de'];
const DAYS = [0, 1, 3, 7, 14, 31];

/** A realistic mix: most payloads are sound and full, one in ten has a mistake or two. */
function payload(i: number): Record<string, unknown> {
  const p: Record<string, unknown> = {
    PayloadDisplayName: `Corporate mail ${i}`,
    PayloadDescription: 'Exchange account for corporate mail, contacts and calendars',
    PayloadOrganization: 'Example Corp',
    EmailAddress: i % 3 === 0 ? '{{email}}' : `user${i}@example.com`,
    UserName: i % 2 === 0 ? `CORP\\user${i}` : '{{upn}}',
    Host: HOSTS[i % HOSTS.length],
    SSL: true,
    OAuth: HOSTS[i % HOSTS.length] === 'outlook.office365.com',
    MailNumberOfPastDaysToSync: DAYS[i % DAYS.length],
    PreventMove: i % 2 === 0,
    PreventAppSheet: i % 4 === 0,
    allowMailDrop: false,
    disableMailRecentsSyncing: false,
    SMIMESigningEnabled: i % 5 === 0,
    SMIMESigningCertificateUUID: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    SMIMEEncryptByDefault: false,
    SMIMEEncryptionCertificateUUID: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    SMIMEEnableEncryptionPerMessageSwitch: true,
    EnableMail: true,
    EnableContacts: true,
    EnableCalendars: true,
    EnableReminders: i % 2 === 0,
    EnableNotes: false,
    EnableMailUserOverridable: false,
    EnableNotesUserOverridable: true,
    PayloadCertificateUUID: '1C1D6A9E-7F0B-4D5A-9C2E-3B4A5D6E7F81',
  };
  if (i % 10 === 7) p.MailNumberOfPastDaysToSync = 30;
  if (i % 20 === 3) p.Hots = 'typo';
  return p;
}

const payloads = Array.from({ length: 1000 }, (_, i) => payload(i));
const ajvAll = new Ajv2020({ allErrors: true, strict: false }).compile(toJsonSchema());
const ajvFirst = new Ajv2020({ allErrors: false, strict: false }).compile(toJsonSchema());

/** Validations per second of `fn` over all payloads during one ~200 ms slice. */
function slice(fn: (p: unknown) => unknown): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 200) {
    for (const p of payloads) fn(p);
    n += payloads.length;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Sanity: both sides judge the payloads alike on what the schema can express.
const disagree = payloads.filter((p) => Boolean(ajvAll(p)) !== (validate(p).diagnostics.every((d) => !['past-days-not-allowed', 'unknown-key'].includes(d.code)))).length;
if (disagree > 0) throw new Error(`${disagree} payloads judged differently by Ajv and validate()`);

const ourValidate = (p: unknown) => validate(p, { platform: 'iOS', osVersion: '17.0' });
for (let w = 0; w < 3; w++) {
  slice(ourValidate);
  slice(ajvAll);
  slice(ajvFirst);
}
// Slices alternate so that whatever else the machine does weighs on both sides alike.
const oursR: number[] = [];
const ajvR: number[] = [];
const ajv1R: number[] = [];
const ratios: number[] = [];
const ratios1: number[] = [];
for (let r = 0; r < 15; r++) {
  const o = slice(ourValidate);
  const a = slice(ajvAll);
  const a1 = slice(ajvFirst);
  oursR.push(o);
  ajvR.push(a);
  ajv1R.push(a1);
  ratios.push(o / a);
  ratios1.push(o / a1);
}
const ours = median(oursR);
const ajv = median(ajvR);
const ajv1 = median(ajv1R);
const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
console.log(`payloads: ${payloads.length} (26 keys each, 1 in 10 with mistakes)`);
console.log(`validate():                 ${fmt(ours)}`);
console.log(`Ajv, allErrors (baseline):  ${fmt(ajv)}`);
console.log(`Ajv, first error only:      ${fmt(ajv1)}`);
console.log(`ratio validate/Ajv allErrors: ${median(ratios).toFixed(2)}x (goal >= 0.5x; median of 15 alternating slices)`);
console.log(`ratio validate/Ajv first error: ${median(ratios1).toFixed(2)}x`);
