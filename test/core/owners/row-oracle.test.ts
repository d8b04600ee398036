import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { resolveColumns } from '../../../core/owners/csv-columns';
import { rowToOwner, RowReader } from '../../../core/owners/csv-row';
import { parseEmail } from '../../../core/owners/email';
import { splitList } from '../../../core/owners/list-cell';
import * as reference from './reference/csv-row';
import * as referenceEmail from './reference/email';
import * as referenceList from './reference/list-cell';

// The row mapper, e-mail parser and list splitter were rewritten for speed (fast paths for plain ASCII cells, one
// reader per file). These properties hold them to the results of the code they replaced, on inputs made to hit both
// the fast paths and their edges: whitespace and guard quotes around cells, tabs uncovered by unneutralise, upper case,
// non-ASCII, separators and escapes in lists.
const piece = fc.constantFrom(
  '', ' ', '\t', "'", "'=", "'\t", '=', ';', '\\', '\\;', '.', '..', '@', 'a', 'Z', 'ä', 'ß', '\u3000', '\u00a0', 'x@example.com',
  'A.B@Example.COM', 'jürgen@bücher.de', 'u@xn--bcher-kva.de', 'S1', 's1;S2', 'yes', 'no', 'maybe', 'csv', 'ldap', 'manual', '"',
);
const cell = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
const headers = ['email', 'id', 'username', 'upn', 'name', 'first name', 'sn', 'domain', 'groups', 'serial', 'udid', 'source', 'p12', 'disabled', 'Department', 'notes'];

describe('row mapping against the code it replaced', () => {
  it('gives the same owner or the same diagnostics for any row', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(headers, { minLength: 1 }).map((hs) => (hs.includes('email') ? hs : ['email', ...hs])),
        fc.array(fc.array(cell, { minLength: headers.length, maxLength: headers.length }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('csv' as const, 'ldap' as const),
        (hs, rows, source) => {
          const columns = resolveColumns(hs);
          const reader = new RowReader(columns, source);
          rows.forEach((full, i) => {
            const row = full.slice(0, hs.length);
            const expected = reference.rowToOwner(row, columns, i + 2, source);
            expect(rowToOwner(row, columns, i + 2, source)).toStrictEqual(expected);
            // One reader reused across rows, as the importer uses it.
            const owner = reader.read(row, i + 2);
            expect(owner).toStrictEqual(expected.ok ? expected.owner : undefined);
            expect(reader.emailKey).toBe(expected.emailKey);
            expect(reader.diagnostics).toStrictEqual(expected.ok ? undefined : expected.diagnostics);
            if (owner) expect(Object.keys(owner)).toEqual(Object.keys(expected.ok ? expected.owner : {}));
          });
        },
      ),
      {
        numRuns: 1000,
        // Edges that random rows reach only now and then: a guard quote uncovering a tab in a lone serial number,
        // NBSP and U+3000 around cells, upper case in the local part.
        examples: [
          [['email', 'serial', 'groups'], [["a@example.com", "'\tS1", "'\t"], ['\u00a0B@Example.COM\u3000', ' S2 ', 'x;\\;y']], 'csv'],
          [['email', 'serial', 'udid'], [['c@example.com', "'\t", "'\t"], ['d@example.com', '', ' U1']], 'csv'],
        ],
      },
    );
  });

  it('makes plain objects with only the present fields, in the order of the old literal', () => {
    const columns = resolveColumns(['email', 'name', 'upn', 'groups', 'serial', 'Department']);
    const reader = new RowReader(columns, 'csv');
    // Over PROBE rows, so that repeated columns are being interned and unique ones have been let go.
    for (let i = 0; i < 700; i++) {
      const owner = reader.read([`u${i}@example.com`, `User ${i}`, i % 2 ? '' : `u${i}@corp`, 'Staff;Mail', `S${i}`, i % 3 ? 'Sales' : ''], i + 2);
      expect(Object.getPrototypeOf(owner)).toBe(Object.prototype);
      expect(owner?.constructor).toBe(Object);
      const expected = reference.rowToOwner([`u${i}@example.com`, `User ${i}`, i % 2 ? '' : `u${i}@corp`, 'Staff;Mail', `S${i}`, i % 3 ? 'Sales' : ''], columns, i + 2, 'csv');
      expect(owner).toStrictEqual(expected.ok && expected.owner);
      expect(JSON.stringify(owner)).toBe(JSON.stringify(expected.ok && expected.owner));
    }
  });

  it('parses e-mail addresses the same way', () => {
    const local = fc.array(fc.constantFrom('a', 'B', '.', '+', '-', '_', "'", '!', ' ', '"', '(', 'ä', 'É', '@', '\u00e9', '\u{1F600}'), { maxLength: 70 }).map((p) => p.join(''));
    const domain = fc.constantFrom('example.com', 'Example.COM', 'mple.com', 'sub.example.com', 'example.co', 'bücher.de', 'xn--bcher-kva.de', 'localhost', '-x.com', 'a.123', '', 'exa mple.com', `${'d'.repeat(250)}.com`);
    fc.assert(
      fc.property(fc.oneof(fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`), fc.string({ maxLength: 20 }), local), (input) => {
        expect(parseEmail(input)).toStrictEqual(referenceEmail.parseEmail(input));
        expect(parseEmail(` ${input}\t`)).toStrictEqual(referenceEmail.parseEmail(` ${input}\t`));
      }),
      { numRuns: 3000 },
    );
  });

  it('splits list cells the same way', () => {
    const text = fc.array(fc.constantFrom('a', 'B', ';', '\\', ' ', '\t', ';;', '\\;', 'é'), { maxLength: 10 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, fc.boolean(), (input, keepEmpty) => {
        expect(splitList(input, keepEmpty)).toStrictEqual(referenceList.splitList(input, keepEmpty));
      }),
      { numRuns: 3000 },
    );
  });
});
