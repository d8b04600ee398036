import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Owner } from '../../../core/owners/owner';
import { exportOwnersCsv } from '../../../core/owners/csv-export';
import { importOwnersCsv } from '../../../core/owners/csv-import';
import { emailKey } from '../../../core/owners/email';

// Import trims cells and list items, so generated values are trimmed and non-empty: the normal form of an owner.
const piece = fc.oneof(
  fc.constantFrom(',', ';', '"', '\n', '\r\n', '=', '+', '-', '@', "'", '\\', ' ', '\t', 'é', '😀', 'a'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
);
const text = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join('').trim()).filter((s) => s !== '');
const local = fc.stringMatching(/^[A-Za-z0-9+=_-][A-Za-z0-9+=_.-]{0,8}[A-Za-z0-9]$/).filter((s) => !s.includes('..'));
const domain = fc.constantFrom('example.com', 'Example.ORG', 'bücher.de', 'xn--bcher-kva.ch', 'sub.example.co.uk');
const email = fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);
const device = fc
  .record({ serialNumber: text, udid: text }, { requiredKeys: [] })
  .filter((d) => d.serialNumber !== undefined || d.udid !== undefined);

const ownerArb = fc.record(
  {
    id: text,
    email,
    username: text,
    upn: text,
    displayName: text,
    firstName: text,
    lastName: text,
    domain: text,
    groups: fc.array(text, { minLength: 1, maxLength: 3 }),
    devices: fc.array(device, { minLength: 1, maxLength: 2 }),
    source: fc.constantFrom('manual' as const, 'csv' as const, 'ldap' as const, 'meraki' as const),
    identityRef: text,
    disabled: fc.constant(true),
    attributes: fc.dictionary(text, text, { minKeys: 1, maxKeys: 3 }),
  },
  { requiredKeys: ['id', 'email', 'source'] },
);

const deviceKeys = (o: Owner): string[] =>
  (o.devices ?? []).flatMap((d) => [d.serialNumber && `s:${d.serialNumber.toUpperCase()}`, d.udid && `u:${d.udid.toUpperCase()}`]).filter((k): k is string => !!k);

// Owners in one file need distinct e-mails, ids and devices, or import (rightly) reports duplicates.
const ownersArb = fc
  .uniqueArray(ownerArb, { maxLength: 8, selector: (o) => emailKey(o.email) })
  .filter((os) => new Set(os.map((o) => o.id)).size === os.length)
  .filter((os) => {
    const all = os.flatMap((o) => [...new Set(deviceKeys(o))]);
    return new Set(all).size === all.length;
  });

describe('CSV export', () => {
  it('round-trips any owner set through import', async () => {
    await fc.assert(
      fc.asyncProperty(ownersArb, fc.constantFrom(',' as const, ';' as const), async (owners, delimiter) => {
        const csv = exportOwnersCsv(owners, { delimiter });
        const back = await importOwnersCsv(csv);
        expect(back.diagnostics).toEqual([]);
        expect(back.owners).toEqual(owners);
      }),
      { numRuns: 150 },
    );
  });

  it('neutralises formula injection at the start of a cell', () => {
    const csv = exportOwnersCsv([
      { id: '=1+1', email: 'a@example.com', source: 'csv', displayName: '@SUM(A1)', firstName: '+cmd', lastName: "-2", attributes: { x: "'=already" } },
    ]);
    const row = csv.split('\r\n')[1];
    expect(row).toContain("'=1+1");
    expect(row).toContain("'@SUM(A1)");
    expect(row).toContain("'+cmd");
    expect(row).toContain("'-2");
    expect(row).toContain("''=already");
    expect(row.split(',').some((cell) => /^[=+\-@]/.test(cell.replace(/^"/, '')))).toBe(false);
  });

  it('writes a BOM for Excel when asked, which import skips', async () => {
    const csv = exportOwnersCsv([{ id: 'x', email: 'a@example.com', source: 'csv' }], { bom: true });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect((await importOwnersCsv(new TextEncoder().encode(csv))).owners).toHaveLength(1);
  });
});
