import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { importOwnersCsv, type CsvImportResult } from '../../../core/owners/csv-import';
import { exportOwnersCsv } from '../../../core/owners/csv-export';
import { isValidEmail } from '../../../core/owners/email';

// The invariants of any import, whatever the input: no throw, every diagnostic well formed, nothing half-imported.
function checkInvariants(r: CsvImportResult, allowPartial: boolean): void {
  for (const d of r.diagnostics) {
    expect(['error', 'warning']).toContain(d.severity);
    expect(Number.isInteger(d.line) && Number.isInteger(d.column)).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
  }
  const errors = r.diagnostics.some((d) => d.severity === 'error');
  if (!allowPartial && errors) expect(r.owners).toEqual([]);
  if (r.fatal) expect(r.owners).toEqual([]);
  expect(r.imported).toBe(r.owners.length > 0 || !errors || (allowPartial && !r.fatal));
  for (const o of r.owners) expect(isValidEmail(o.email)).toBe(true);
}

const sample = exportOwnersCsv(
  Array.from({ length: 6 }, (_, i) => ({
    id: `id${i}`, email: `user${i}@exämple.com`, source: 'csv' as const, displayName: `Zoë "${i}", Jr.\nline`, groups: ['a;b', 'c'],
    devices: [{ serialNumber: `S${i}` }],
  })),
);
const sampleBytes = new TextEncoder().encode(sample);

describe('CSV reader under bad input', () => {
  it('survives random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), async (bytes, allowPartial) => {
        checkInvariants(await importOwnersCsv(bytes, { allowPartial }), allowPartial);
      }),
      { numRuns: 300 },
    );
  });

  it('survives random text built from CSV-ish pieces', async () => {
    const piece = fc.constantFrom('email', 'E-mail', ',', ';', '"', '""', '\n', '\r\n', '\r', 'a@example.com', 'bad', '=', ' ', 'serial', 'S1', '\uFEFF');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.boolean(), async (pieces, allowPartial) => {
        checkInvariants(await importOwnersCsv(pieces.join(''), { allowPartial }), allowPartial);
      }),
      { numRuns: 300 },
    );
  });

  it('reports truncated files cleanly and imports only whole rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: sampleBytes.length }), fc.boolean(), async (cut, allowPartial) => {
        const r = await importOwnersCsv(sampleBytes.subarray(0, cut), { allowPartial });
        checkInvariants(r, allowPartial);
        for (const o of r.owners) expect(sample).toContain(o.email);
      }),
      { numRuns: 200 },
    );
  });

  it('reports wrong encodings instead of importing garbage', async () => {
    const encodings: Array<(s: string) => Uint8Array> = [
      (s) => new Uint8Array(Buffer.from(s, 'latin1')),
      (s) => new Uint8Array(Buffer.from(s, 'utf16le')),
      (s) => new Uint8Array([0xff, 0xfe, ...Buffer.from(s, 'utf8')]),
    ];
    for (const encode of encodings) {
      const r = await importOwnersCsv(encode(sample));
      checkInvariants(r, false);
      expect(r.owners).toEqual([]);
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });
});
