import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { importOwnersCsv } from '../../../core/owners/csv-import';

// Line numbers name the line where a row starts, as editors count lines (a quoted "\r\n" is one line). This holds
// the importer to line numbers worked out independently while the file is generated: mixed line endings between rows,
// quoted values with "\n", "\r\n" and "\r" inside, blank lines, and the bytes cut into chunks anywhere.
const breakArb = fc.constantFrom('\n', '\r\n', '\r');
const noteArb = fc.array(fc.oneof(fc.constantFrom('x', 'y z', ',', '""'), breakArb), { maxLength: 4 }).map((parts) => parts.join(''));
const rowArb = fc.record({ bad: fc.boolean(), note: noteArb, end: breakArb, blankAfter: fc.boolean() });

const breaksIn = (text: string): number => (text.match(/\r\n|\n|\r/g) ?? []).length;

describe('CSV line numbers', () => {
  it('name the line where each row starts, across quoted line breaks, blank lines and chunk cuts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), async (rows, cuts) => {
        let text = 'email,note\r\n';
        let line = 2;
        const expected: number[] = [];
        rows.forEach((row, i) => {
          if (row.bad) expected.push(line);
          text += `${row.bad ? 'not-an-address' : `u${i}@example.com`},"${row.note}"${row.end}`;
          line += 1 + breaksIn(row.note);
          if (row.blankAfter) {
            // "\r\n", not "\n": after a row ending in "\r", a "\n" would make one line break of the two.
            text += '\r\n';
            line += 1;
          }
        });
        const bytes = Buffer.from(text);
        const chunks: Uint8Array[] = [];
        for (let at = 0, c = 0; at < bytes.length; c++) {
          const size = cuts[c % cuts.length];
          chunks.push(bytes.subarray(at, at + size));
          at += size;
        }
        const r = await importOwnersCsv(chunks, { allowPartial: true });
        expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual(expected.map((l) => ['bad-email', l]));
        expect(r.owners).toHaveLength(rows.filter((row) => !row.bad).length);
      }),
      { numRuns: 300 },
    );
  });
});
