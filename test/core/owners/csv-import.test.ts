import { describe, it, expect } from 'vitest';
import { importOwnersCsv } from '../../../core/owners/csv-import';
import type { OwnerDiagnostic } from '../../../core/owners/diagnostics';

const codes = (ds: readonly OwnerDiagnostic[]): string[] => ds.map((d) => d.code);
const utf16le = (text: string): Uint8Array => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
const utf16be = (text: string): Uint8Array => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), le]));
};

describe('CSV import', () => {
  it('reads aliases case-insensitively and reports the mapping', async () => {
    const csv = 'E-Mail,User Name,Display Name,Serial Number,Department\nalice@example.com,alice,Alice A,C02ABC,Sales\n';
    const r = await importOwnersCsv(csv);
    expect(r.diagnostics).toEqual([]);
    expect(r.mapping).toEqual({ email: 'E-Mail', username: 'User Name', displayName: 'Display Name', serialNumber: 'Serial Number' });
    expect(r.owners).toEqual([
      {
        id: 'email:alice@example.com', email: 'alice@example.com', username: 'alice', displayName: 'Alice A', source: 'csv',
        devices: [{ serialNumber: 'C02ABC' }], attributes: { Department: 'Sales' },
      },
    ]);
  });

  it.each([
    ['Email Address', 'Login'],
    ['mail', 'sAMAccountName'],
    ['EMAIL', 'samaccountname'],
  ])('maps %s and %s', async (emailHeader, userHeader) => {
    const r = await importOwnersCsv(`${emailHeader},${userHeader}\nbob@example.com,bob\n`);
    expect(r.owners[0]).toMatchObject({ email: 'bob@example.com', username: 'bob' });
  });

  it('knows the usual headers of German, French, Spanish and Dutch exports, accents or not', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['Vorname;Nachname;E-Mail-Adresse;Benutzername;Seriennummer;Gruppen;Domäne', { firstName: 'Vorname', lastName: 'Nachname', email: 'E-Mail-Adresse', username: 'Benutzername', serialNumber: 'Seriennummer', groups: 'Gruppen', domain: 'Domäne' }],
      ["Nom;Prénom;Courriel;Nom d'utilisateur;Numéro de série;Groupes", { lastName: 'Nom', firstName: 'Prénom', email: 'Courriel', username: "Nom d'utilisateur", serialNumber: 'Numéro de série', groups: 'Groupes' }],
      ['Nombre;Apellidos;Correo electrónico;Nombre de usuario;Número de serie', { firstName: 'Nombre', lastName: 'Apellidos', email: 'Correo electrónico', username: 'Nombre de usuario', serialNumber: 'Número de serie' }],
      ['Voornaam;Achternaam;E-mailadres;Gebruikersnaam;Serienummer', { firstName: 'Voornaam', lastName: 'Achternaam', email: 'E-mailadres', username: 'Gebruikersnaam', serialNumber: 'Serienummer' }],
    ];
    for (const [header, mapping] of cases) {
      const r = await importOwnersCsv(`${header}\n${header.split(';').map((_, i) => (i === header.split(';').indexOf(mapping.email) ? 'a@example.com' : `v${i}`)).join(';')}\n`);
      expect(r.mapping, header).toEqual(mapping);
      expect(r.owners[0].email).toBe('a@example.com');
    }
    // "Name" is still the display name, and an explicit mapping ignores accents and case like the aliases do.
    expect((await importOwnersCsv('Name,Mail\nAlice A,a@example.com\n')).mapping).toEqual({ displayName: 'Name', email: 'Mail' });
    const explicit = await importOwnersCsv('Prénom usuel,Mail\nAli,a@example.com\n', { mapping: { firstName: 'prenom usuel' } });
    expect(explicit.owners[0]).toMatchObject({ firstName: 'Ali' });
    // Only Latin, Greek and Cyrillic accents are dropped: パス (path) and バス (bus) stay two headers.
    const kana = await importOwnersCsv('パス,バス,Mail\np.p12,b.p12,a@example.com\n', { mapping: { identityRef: 'バ-ス' } });
    expect(kana.owners[0]).toMatchObject({ identityRef: 'b.p12', attributes: { パス: 'p.p12' } });
  });

  it('warns when two columns look like the same field and uses the first', async () => {
    const r = await importOwnersCsv('Email Address,mail\nbob@example.com,other@example.com\n');
    expect(r.owners[0].email).toBe('bob@example.com');
    expect(r.diagnostics).toMatchObject([{ code: 'ambiguous-column', severity: 'warning', line: 1, column: 2 }]);
    expect(r.imported).toBe(true);
  });

  it('detects semicolons, reads quoted fields with newlines and quotes, and CRLF', async () => {
    const csv = 'mail;displayName;notes\r\n"carol@example.com";"Carol ""CJ"" Jones";"line one\r\nline two; still"\r\ndave@example.com;Dave;x\r\n';
    const r = await importOwnersCsv(csv);
    expect(r.delimiter).toBe(';');
    expect(r.diagnostics).toEqual([]);
    expect(r.owners.map((o) => o.displayName)).toEqual(['Carol "CJ" Jones', 'Dave']);
    expect(r.owners[0].attributes).toEqual({ notes: 'line one\r\nline two; still' });
  });

  it('reads UTF-8 with and without BOM and UTF-16 with BOM alike', async () => {
    const text = 'E-mail,Name\r\njürgen@bücher.de,Jürgen Groß\r\n';
    const variants = [
      new TextEncoder().encode(text),
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]),
      utf16le(text),
      utf16be(text),
    ];
    for (const bytes of variants) {
      const r = await importOwnersCsv(bytes);
      expect(r.diagnostics).toEqual([]);
      expect(r.mapping.email).toBe('E-mail');
      expect(r.owners.map((o) => [o.email, o.displayName])).toEqual([['jürgen@bücher.de', 'Jürgen Groß']]);
    }
  });

  it('streams chunks split anywhere, even inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('email,name\n' + Array.from({ length: 50 }, (_, i) => `u${i}@exämple.com,Zoë ${i}\n`).join(''));
    async function* pieces(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const r = await importOwnersCsv(pieces());
    expect(r.diagnostics).toEqual([]);
    expect(r.owners).toHaveLength(50);
    expect(r.owners[49].displayName).toBe('Zoë 49');
  });

  it('names line and column of each problem, and imports nothing by default', async () => {
    const csv = [
      'name,email,serial', // 1
      'Alice,alice@example.com,S1', // 2
      'Bob,not-an-email,S2', // 3
      'Carol,,S3', // 4
      '"Dan', // 5: quoted name with a newline
      'Dee",ALICE@example.com,S4', // 6
      'Eve,eve@example.com,S1', // 7
      'Fay,fay@example.com', // 8
      'Gus,gus@example.com,S9,extra', // 9
      'Hal,hal@example.com,S10', // 10
    ].join('\n');
    const r = await importOwnersCsv(csv);
    expect(r.imported).toBe(false);
    expect(r.owners).toEqual([]);
    const pick = r.diagnostics.map(({ code, line, column, relatedLine }) => ({ code, line, column, relatedLine }));
    expect(pick).toEqual([
      { code: 'bad-email', line: 3, column: 2, relatedLine: undefined },
      { code: 'missing-value', line: 4, column: 2, relatedLine: undefined },
      { code: 'duplicate-owner', line: 5, column: 2, relatedLine: 2 },
      { code: 'device-conflict', line: 7, column: 3, relatedLine: 2 },
      { code: 'too-few-fields', line: 8, column: 3, relatedLine: undefined },
      { code: 'too-many-fields', line: 9, column: 4, relatedLine: undefined },
    ]);
    expect(r.diagnostics.find((d) => d.code === 'duplicate-owner')?.message).toBe('alice@example.com is on lines 2 and 5');
    expect(r.diagnostics.find((d) => d.code === 'device-conflict')?.message).toMatch(/serial number S1 is given to the owner on line 2 and to eve@example.com on line 7/);
    expect(r.diagnostics.every((d) => d.severity === 'error' && d.message.length > 0)).toBe(true);
  });

  it('imports the good rows with allowPartial', async () => {
    const r = await importOwnersCsv('email\nalice@example.com\nbad\nbob@example.com\n', { allowPartial: true });
    expect(r.imported).toBe(true);
    expect(r.owners.map((o) => o.email)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(codes(r.diagnostics)).toEqual(['bad-email']);
  });

  it('skips blank lines, before the header too, and still counts them', async () => {
    const r = await importOwnersCsv('\n\r\nemail,name\n\n,\nok@example.com,A\n   \nbad,B\n');
    expect(r.mapping.email).toBe('email');
    expect(r.rows).toBe(2);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['bad-email', 8, 1]]);
  });

  it('closes the input stream when it stops early', async () => {
    const { Readable } = await import('node:stream');
    const stream = Readable.from((function* () {
      yield Buffer.from('name,phone\n');
      for (let i = 0; i < 1000; i++) yield Buffer.from(`n${i},${i}\n`);
    })());
    const r = await importOwnersCsv(stream);
    expect(r.diagnostics[0].code).toBe('missing-column');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.destroyed).toBe(true);
  });

  it('counts lines right after CRLF inside quotes', async () => {
    const r = await importOwnersCsv('email,notes\r\na@example.com,"x\r\ny\r\nz"\r\n\r\nnope,1\r\n');
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['bad-email', 6]]);
  });

  it('takes an explicit mapping over the aliases, and says when the column is missing', async () => {
    const csv = 'mail,Work Mail,login\nold@example.com,new@example.com,n\n';
    const r = await importOwnersCsv(csv, { mapping: { email: 'work mail' } });
    expect(r.mapping.email).toBe('Work Mail');
    expect(r.owners[0]).toMatchObject({ email: 'new@example.com', username: 'n', attributes: { mail: 'old@example.com' } });
    const missing = await importOwnersCsv(csv, { mapping: { email: 'Courriel' } });
    expect(missing.imported).toBe(false);
    expect(missing.diagnostics[0]).toMatchObject({ code: 'missing-column', line: 1 });
  });

  it('fails clearly without an e-mail column, on an empty file, and on a broken quote', async () => {
    expect((await importOwnersCsv('name,phone\nA,1\n')).diagnostics[0]).toMatchObject({ code: 'missing-column', line: 1, column: 0 });
    expect((await importOwnersCsv('')).diagnostics[0]).toMatchObject({ code: 'empty-file' });
    const broken = await importOwnersCsv('email,name\na@example.com,"Unclosed\nb@example.com,B\n', { allowPartial: true });
    expect(broken.imported).toBe(false);
    expect(broken.owners).toEqual([]);
    expect(broken.diagnostics[0]).toMatchObject({ code: 'csv-syntax', message: 'a quoted field is never closed' });
  });

  it('reports invalid UTF-8 and UTF-16 without a BOM as encoding problems', async () => {
    const latin1 = new Uint8Array(Buffer.from('email,name\nj@example.com,J\xfcrgen\n', 'latin1'));
    const r = await importOwnersCsv(latin1, { allowPartial: true });
    expect(r.owners).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'bad-encoding', line: 2 });
    const noBom = new Uint8Array(Buffer.from('email\na@example.com\n', 'utf16le'));
    expect((await importOwnersCsv(noBom)).diagnostics[0]).toMatchObject({ code: 'bad-encoding' });
  });

  it('reads a file in the encoding named, a byte order mark still winning', async () => {
    // Excel's plain "CSV" on Western European Windows: windows-1252, where 0x80 is the euro sign and 0xFC "ü".
    const ansi = new Uint8Array(Buffer.from('email;name;Cost centre\nj@example.com;J\xfcrgen;\x80 12\n', 'latin1'));
    const r = await importOwnersCsv(ansi, { encoding: 'windows-1252' });
    expect(r.diagnostics).toEqual([]);
    expect(r.owners[0]).toMatchObject({ displayName: 'Jürgen', attributes: { 'Cost centre': '€ 12' } });
    // Any label browsers know, in any case: "latin1" is windows-1252 to them.
    expect((await importOwnersCsv(ansi, { encoding: ' Latin1 ' })).owners[0].displayName).toBe('Jürgen');
    // Streamed in pieces, UTF-16 without a BOM reads once its byte order is named.
    const noBom = Buffer.from('email,name\nz@example.com,Zoë\n', 'utf16le');
    const r16 = await importOwnersCsv([noBom.subarray(0, 3), noBom.subarray(3, 17), noBom.subarray(17)], { encoding: 'utf-16le' });
    expect(r16.owners[0]).toMatchObject({ email: 'z@example.com', displayName: 'Zoë' });
    // A UTF-8 file with its BOM stays UTF-8 whatever was named.
    const utf8 = new Uint8Array(Buffer.from('\ufeffemail,name\nj@example.com,Jürgen\n', 'utf8'));
    expect((await importOwnersCsv(utf8, { encoding: 'windows-1252' })).owners[0].displayName).toBe('Jürgen');
  });

  it('says which encoding to name when a file is not UTF-8, and refuses an unknown name', async () => {
    const ansi = new Uint8Array(Buffer.from('email,name\nj@example.com,J\xfcrgen\n', 'latin1'));
    expect((await importOwnersCsv(ansi)).diagnostics[0].message).toBe(
      'the file is not valid UTF-8 at line 2; save it as "CSV UTF-8", or name its encoding (Excel\'s plain "CSV" is usually windows-1252)',
    );
    const r = await importOwnersCsv(ansi, { encoding: 'klingon' });
    expect(r.imported).toBe(false);
    expect(r.diagnostics).toMatchObject([{ code: 'bad-encoding', severity: 'error', message: '"klingon" is not an encoding name (try utf-8, windows-1252, utf-16le)' }]);
  });

  it('reads groups, devices with UDIDs, disabled flags and ids', async () => {
    const csv = 'id,email,groups,serial number,udid,disabled\nguid-1,a@example.com,Sales;VIP,S1;S2,;U2,yes\n';
    const r = await importOwnersCsv(csv);
    expect(r.owners[0]).toEqual({
      id: 'guid-1', email: 'a@example.com', source: 'csv', groups: ['Sales', 'VIP'],
      devices: [{ serialNumber: 'S1' }, { serialNumber: 'S2', udid: 'U2' }], disabled: true,
    });
    const bad = await importOwnersCsv('email,disabled\na@example.com,maybe\n');
    expect(bad.diagnostics[0]).toMatchObject({ code: 'bad-value', line: 2, column: 2 });
  });

  // Rows that repeat a group list or a set of attribute values may give their owners one shared value (it keeps a large
  // import small); whatever is shared, a write to one owner's list or attributes must never show up in another's.
  it('never lets a write to the groups or attributes of one owner reach another', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const groups = i < 600 ? 'Staff;Mail' : `Team ${i}`;
      const attrs = i < 600 ? 'Sales,Paris' : `Dept ${i},Office ${i}`;
      return `u${i}@example.com,${groups},${attrs}\n`;
    });
    const r = await importOwnersCsv(`email,groups,Department,Office\n${rows.join('')}`);
    expect(r.diagnostics).toEqual([]);
    const before = JSON.stringify(r.owners);
    for (let i = 0; i < r.owners.length; i += 2) {
      const o = r.owners[i];
      try {
        (o.groups as string[]).push('Injected');
      } catch {
        // A shared list is frozen.
      }
      try {
        (o.attributes as Record<string, string>).Department = 'Injected';
      } catch {
        // So is a shared attribute set.
      }
    }
    const after = JSON.parse(JSON.stringify(r.owners)) as typeof r.owners;
    const expected = JSON.parse(before) as typeof r.owners;
    for (let i = 1; i < r.owners.length; i += 2) expect(after[i]).toEqual(expected[i]);
    expect(after[1]).toMatchObject({ groups: ['Staff', 'Mail'], attributes: { Department: 'Sales', Office: 'Paris' } });
    expect(after[1001]).toMatchObject({ groups: ['Team 1001'], attributes: { Department: 'Dept 1001', Office: 'Office 1001' } });
  });

  // The importer writes each chunk to csv-parse and reads its records back by hand (no for-await per record): these
  // cover a chunk holding far more records than the parser's read buffer, a syntax error in a later chunk, and the
  // last row, which csv-parse gives up only when flushing.
  it('reads every row of a chunk holding thousands of records', async () => {
    const r = await importOwnersCsv('email,serial\n' + Array.from({ length: 3000 }, (_, i) => `u${i}@example.com,S${i}\n`).join(''));
    expect(r.diagnostics).toEqual([]);
    expect(r.owners).toHaveLength(3000);
    expect(r.owners[2999]).toEqual({ id: 'email:u2999@example.com', email: 'u2999@example.com', source: 'csv', devices: [{ serialNumber: 'S2999' }] });
  });

  it('reports a syntax error in a later chunk with its line, importing nothing', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('email,name\n');
      for (let i = 0; i < 500; i++) yield Buffer.from(`u${i}@example.com,N${i}\n`);
      yield Buffer.from('bad@example.com,"closed" and more\n');
      for (let i = 500; i < 600; i++) yield Buffer.from(`u${i}@example.com,N${i}\n`);
    }
    const r = await importOwnersCsv(chunks(), { allowPartial: true });
    expect(r.imported).toBe(false);
    expect(r.owners).toEqual([]);
    expect(r.diagnostics).toMatchObject([{ code: 'csv-syntax', line: 502 }]);
  });

  it('takes the last row without a line break after it, also when it is the header', async () => {
    const r = await importOwnersCsv('email,name\r\na@example.com,A\r\nb@example.com,B');
    expect(r.owners.map((o) => o.displayName)).toEqual(['A', 'B']);
    const headerOnly = await importOwnersCsv('email,name');
    expect(headerOnly).toMatchObject({ imported: true, owners: [], rows: 0, diagnostics: [] });
  });

  it('caps the diagnostics list and says how many were left out', async () => {
    const csv = 'email\n' + 'bad\n'.repeat(30);
    const r = await importOwnersCsv(csv, { maxDiagnostics: 5 });
    expect(r.diagnostics).toHaveLength(6);
    expect(r.diagnostics[5]).toMatchObject({ code: 'too-many-diagnostics', message: '25 more problems not listed' });
  });
});
