import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  IBinaryData, ICredentialDataDecryptedObject, ICredentialTestFunctions, IDataObject, IExecuteFunctions, INode, INodeExecutionData, NodeExecutionHint,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { EasProfile } from '../../nodes/EasProfile/EasProfile.node';
import { EasCertificatePassphraseApi } from '../../credentials/EasCertificatePassphraseApi.credentials';
import { makeOwnerP12 } from '../helpers/ownerIdentities';
import { makePki, type TestPki } from '../helpers/pki';

const node = new EasProfile();
const dir = mkdtempSync(path.join(tmpdir(), 'eas-owners-node-'));
const CANARY = 'Canary-Owner-P4ss-phrase-91';
let pki: TestPki;
const p12: Record<string, Buffer> = {};

beforeAll(async () => {
  pki = await makePki(path.join(dir, 'pki'), { keyType: 'ec' });
  const certs = path.join(dir, 'certs');
  const specs = [
    { file: 'alice-identity.p12', commonName: 'Alice Martin', email: 'Alice.Martin@example.com', upn: 'amartin@corp.example.com', passphrase: CANARY },
    // No e-mail in the certificate: matched by the file name (the owner's user name).
    { file: 'bmoreau.p12', commonName: 'Bruno Moreau', passphrase: CANARY },
    { file: 'stranger.p12', commonName: 'Somebody Else', email: 'someone@elsewhere.example', passphrase: CANARY },
    { file: 'chloe.p12', commonName: 'Chloé Dubois', email: 'chloe.dubois@example.com', passphrase: 'another-passphrase' },
    { file: 'server.p12', commonName: 'Alice as a server', email: 'alice.martin@example.com', passphrase: CANARY, eku: 'serverAuth' },
  ];
  for (const s of specs) p12[s.file] = readFileSync(await makeOwnerP12(pki, certs, s));
}, 60_000);

interface Item {
  json: IDataObject;
  binary?: Record<string, { bytes: Buffer; fileName: string }>;
}

interface Run {
  ctx: IExecuteFunctions;
  hints: NodeExecutionHint[];
  staticData: IDataObject;
}

/** An IExecuteFunctions with binary helpers, the passphrase credential, node static data and execution hints. */
function context(
  items: Item[],
  params: Record<string, unknown> | ((i: number) => Record<string, unknown>),
  opts: { credential?: ICredentialDataDecryptedObject; continueOnFail?: boolean; staticData?: IDataObject } = {},
): Run {
  const n = { name: 'EAS Profile', type: 'n8n-nodes-eas-profiles.easProfile', typeVersion: 1, parameters: {} } as unknown as INode;
  const hints: NodeExecutionHint[] = [];
  const staticData = opts.staticData ?? {};
  const p = typeof params === 'function' ? params : () => params;
  const ctx = {
    getInputData: () =>
      items.map((it) => ({
        json: it.json,
        ...(it.binary
          ? { binary: Object.fromEntries(Object.entries(it.binary).map(([k, b]) => [k, { data: 'filesystem-v2', fileName: b.fileName, mimeType: 'application/octet-stream' } as IBinaryData])) }
          : {}),
      })) as INodeExecutionData[],
    getNodeParameter: (name: string, i: number, fallback?: unknown) => p(i)[name] ?? fallback,
    getNode: () => n,
    continueOnFail: () => opts.continueOnFail ?? false,
    getWorkflowStaticData: (type: string) => {
      if (type !== 'node') throw new Error(`unexpected static data ${type}`);
      return staticData;
    },
    addExecutionHints: (...h: NodeExecutionHint[]) => hints.push(...h),
    getCredentials: async (type: string) => {
      if (type !== 'easCertificatePassphraseApi' || !opts.credential) throw new Error(`no credential ${type}`);
      return opts.credential;
    },
    helpers: {
      getBinaryDataBuffer: async (i: number, property: string) => {
        const b = items[i].binary?.[property];
        if (!b) throw new Error(`no binary ${property}`);
        return b.bytes;
      },
    },
  } as unknown as IExecuteFunctions;
  return { ctx, hints, staticData };
}

/** Everything a run produced or threw, as text, for leak checks. */
const seen: string[] = [];
async function execute(run: Run): Promise<INodeExecutionData[]> {
  try {
    const [out] = await node.execute.call(run.ctx);
    seen.push(JSON.stringify(out), JSON.stringify(run.hints), JSON.stringify(run.staticData));
    return out;
  } catch (error) {
    const e = error as NodeOperationError;
    seen.push(e.message, String(e.description), JSON.stringify(e.context), String(e.stack));
    throw error;
  }
}
async function failure(run: Run): Promise<NodeOperationError> {
  const error = await execute(run).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NodeOperationError);
  return error as NodeOperationError;
}

const csv = (text: string, fileName = 'hr.csv'): Item => ({ json: {}, binary: { data: { bytes: Buffer.from(text, 'utf8'), fileName } } });

const HR = [
  'Employee ID;Work Email;Login;Given Name;Family Name;Department;Status',
  'E1001;alice.martin@example.com;amartin;Alice;Martin;Sales;',
  'E1002;bruno.moreau@example.com;bmoreau;Bruno;Moreau;IT;',
  'E1003;chloe.dubois@example.com;cdubois;Chloé;Dubois;Sales;',
].join('\r\n');

const importParams = (extra: Record<string, unknown> = {}) => ({
  resource: 'owner',
  operation: 'importCsv',
  binaryPropertyName: 'data',
  allowPartial: false,
  'columnMapping.columns': [
    { field: 'email', column: 'Work Email' },
    { field: 'username', column: 'login' },
    { field: 'id', column: 'Employee ID' },
  ],
  options: {},
  ...extra,
});

describe('Owner: Import from CSV', () => {
  it('gives one item per owner, with the explicit column mapping, paired with the file\u2019s item', async () => {
    const out = await execute(context([csv(HR)], importParams()));
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({
      json: {
        id: 'E1001', email: 'alice.martin@example.com', username: 'amartin', firstName: 'Alice', lastName: 'Martin', source: 'csv',
        attributes: { Department: 'Sales' },
      },
      pairedItem: { item: 0 },
    });
    expect(out.map((o) => o.json.username)).toEqual(['amartin', 'bmoreau', 'cdubois']);
  });

  it('fails all or nothing, naming line and column of the first problems', async () => {
    const bad = `${HR}\r\nE1004;not-an-address;dx;D;X;IT;\r\nE1005;alice.martin@example.com;am2;A;M;IT;`;
    const run = context([csv(bad)], importParams());
    const error = await failure(run);
    expect(error.message).toBe('hr.csv has 2 problems; no owner was imported');
    expect(error.context.itemIndex).toBe(0);
    expect(error.description).toContain('line 5, column 2: bad-email');
    expect(error.description).toMatch(/line 6, column 2: duplicate-owner: alice\.martin@example\.com is on lines 2 and 6/);
    expect(error.description).toContain('Allow Partial Import');
  });

  it('under Continue On Fail gives one error item with every diagnostic', async () => {
    const [item] = await execute(context([csv(`${HR}\r\nE1004;not-an-address;dx;D;X;IT;`)], importParams(), { continueOnFail: true }));
    expect(item.pairedItem).toEqual({ item: 0 });
    expect(item.json).toMatchObject({ error: 'hr.csv has 1 problem; no owner was imported', imported: false, rows: 4 });
    expect(item.json.diagnostics).toEqual([expect.objectContaining({ code: 'bad-email', severity: 'error', line: 5, column: 2 })]);
  });

  it('reports a missing e-mail column with a hint to map it', async () => {
    const error = await failure(context([csv('Name,Login\nA,a\n')], importParams({ 'columnMapping.columns': [] })));
    expect(error.description).toMatch(/line 1: missing-column: no e-mail column/);
  });

  it('imports the good rows with Allow Partial Import, and says which rows were skipped', async () => {
    const run = context([csv(`${HR}\r\nE1004;not-an-address;dx;D;X;IT;`)], importParams({ allowPartial: true }));
    const out = await execute(run);
    expect(out.map((o) => o.json.email)).toEqual(['alice.martin@example.com', 'bruno.moreau@example.com', 'chloe.dubois@example.com']);
    expect(run.hints).toEqual([expect.objectContaining({ message: expect.stringContaining('1 of 4 rows skipped. line 5, column 2: bad-email') })]);
  });

  it('gives the whole report as one item with the summary output, without failing', async () => {
    const [item] = await execute(context([csv(`${HR}\r\nE1004;not-an-address;dx;D;X;IT;`)], importParams({ options: { output: 'summary' } })));
    expect(item.json).toMatchObject({ imported: false, rows: 4, accepted: 3, errorCount: 1, delimiter: ';', owners: [] });
    expect(item.json.mapping).toMatchObject({ email: 'Work Email', username: 'Login', id: 'Employee ID', firstName: 'Given Name', lastName: 'Family Name' });
  });

  it('reads a windows-1252 export with the Encoding option', async () => {
    const ansi: Item = { json: {}, binary: { data: { bytes: Buffer.from('E-mail;Display Name\r\nc@example.com;Chlo\xe9 Dubois\r\n', 'latin1'), fileName: 'hr.csv' } } };
    const out = await execute(context([ansi], importParams({ 'columnMapping.columns': [], options: { encoding: 'windows-1252' } })));
    expect(out.map((o) => o.json.displayName)).toEqual(['Chloé Dubois']);
    const error = await failure(context([ansi], importParams({ 'columnMapping.columns': [] })));
    expect(error.description).toContain('bad-encoding: the file is not valid UTF-8 at line 2');
  });

  it('reads each input file on its own', async () => {
    const first = csv('E-mail;Login\nalice.martin@example.com;amartin\nbruno.moreau@example.com;bmoreau\n');
    const out = await execute(context([first, csv('email\nzoe@example.com\n', 'more.csv')], importParams({ 'columnMapping.columns': [] })));
    expect(out.map((o) => [o.json.email, o.json.username, o.pairedItem])).toEqual([
      ['alice.martin@example.com', 'amartin', { item: 0 }],
      ['bruno.moreau@example.com', 'bmoreau', { item: 0 }],
      ['zoe@example.com', undefined, { item: 1 }],
    ]);
  });
});

const owner = (email: string, extra: IDataObject = {}): IDataObject => ({ id: `email:${email}`, email, source: 'csv', ...extra });
const PEOPLE = Array.from({ length: 12 }, (_, n) => owner(`user${n}@example.com`, { username: `user${n}` }));
const reconcileParams = (extra: Record<string, unknown> = {}) => (i: number) => ({
  resource: 'owner',
  operation: 'reconcile',
  previousSource: 'staticData',
  maxDisablePercent: 10,
  force: false,
  saveAsPrevious: true,
  ...extra,
  desiredOwner: (extra.desired as IDataObject[] | undefined)?.[i],
});
const items = (owners: IDataObject[]): Item[] => owners.map((json) => ({ json }));

describe('Owner: Reconcile', () => {
  it('creates everyone on the first run and remembers the set in the node\u2019s static data', async () => {
    const run = context(items(PEOPLE), reconcileParams({ desired: PEOPLE }));
    const out = await execute(run);
    expect(out.map((o) => o.json.action)).toEqual(Array(12).fill('create'));
    expect(out[3]).toMatchObject({ json: { id: 'email:user3@example.com', email: 'user3@example.com', owner: PEOPLE[3] }, pairedItem: { item: 3 } });
    expect((run.staticData.previousOwners as { owners: IDataObject[] }).owners).toEqual(PEOPLE);
    expect(run.hints[0].message).toBe('12 to create, 0 to update, 0 to disable (0.0% of active owners), 0 unchanged');
  });

  it('updates with the changed fields, disables who left, and refuses beyond the limit leaving the stored set as it was', async () => {
    const first = context(items(PEOPLE), reconcileParams({ desired: PEOPLE }));
    await execute(first);
    const stored = structuredClone(first.staticData);

    // One owner changes, one leaves: 1 of 12 disabled = 8.3%, under 10%.
    const next = PEOPLE.slice(0, 11).map((o, n) => (n === 2 ? { ...o, displayName: 'User Two', username: 'u2' } : o));
    const run = context(items(next), reconcileParams({ desired: next }), { staticData: first.staticData });
    const out = await execute(run);
    const byAction = (a: string) => out.filter((o) => o.json.action === a).map((o) => o.json);
    expect(byAction('update')).toEqual([
      expect.objectContaining({
        id: 'email:user2@example.com',
        changes: [
          { field: 'username', before: 'user2', after: 'u2' },
          { field: 'displayName', before: null, after: 'User Two' },
        ],
      }),
    ]);
    expect(byAction('disable')).toEqual([expect.objectContaining({ id: 'email:user11@example.com', reason: 'missing', owner: { ...PEOPLE[11], disabled: true } })]);
    expect(out.find((o) => o.json.action === 'disable')?.pairedItem).toBeUndefined();
    expect(byAction('unchanged')).toHaveLength(10);
    const afterSecond = structuredClone(run.staticData);
    expect((afterSecond.previousOwners as { owners: IDataObject[] }).owners).toContainEqual({ ...PEOPLE[11], disabled: true });

    // A truncated source: 9 of 11 active owners would go. Refused, and nothing stored.
    const truncated = next.slice(0, 2);
    const refused = context(items(truncated), reconcileParams({ desired: truncated }), { staticData: run.staticData });
    const error = await failure(refused);
    expect(error.message).toBe('Refusing to disable 9 of 11 owners');
    expect(error.description).toMatch(/81\.8%, limit 10\.0%.*empty or truncated.*Nothing was changed or stored/s);
    expect(refused.staticData).toEqual(afterSecond);
    expect(stored).not.toEqual(afterSecond);

    // Under Continue On Fail the refusal is one error item with the counts, still storing nothing.
    const soft = context(items(truncated), reconcileParams({ desired: truncated }), { staticData: run.staticData, continueOnFail: true });
    const [errorItem] = await execute(soft);
    expect(errorItem.json).toMatchObject({ code: 'too-many-disables', disableCount: 9, activeCount: 11 });
    expect(errorItem.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
    expect(soft.staticData).toEqual(afterSecond);

    // Forced: the plan goes through and becomes the stored set.
    const forced = context(items(truncated), reconcileParams({ desired: truncated, force: true }), { staticData: run.staticData });
    const forcedOut = await execute(forced);
    expect(forcedOut.filter((o) => o.json.action === 'disable')).toHaveLength(9);
    expect((forced.staticData.previousOwners as { owners: IDataObject[] }).owners.filter((o) => o.disabled === true)).toHaveLength(10);
  });

  it('takes the previous set as JSON when asked, stores nothing, and reads CSV-shaped records', async () => {
    const desired = [{ 'E-mail': 'user0@example.com', 'User Name': 'user0' }, { 'E-mail': 'new@example.com' }];
    const run = context(items(desired), reconcileParams({ desired, previousSource: 'json', previousOwners: JSON.stringify([PEOPLE[0], owner('gone@example.com')]), maxDisablePercent: 50 }));
    const out = await execute(run);
    expect(out.map((o) => `${o.json.action}:${o.json.email}`)).toEqual(['update:user0@example.com', 'create:new@example.com', 'disable:gone@example.com']);
    // CSV-shaped records come in as source "manual": the only change.
    expect(out[0].json.changes).toEqual([{ field: 'source', before: 'csv', after: 'manual' }]);
    expect(run.staticData).toEqual({});
  });

  it('names the item of an owner it cannot read, and of a duplicate', async () => {
    const bad = [PEOPLE[0], { email: 'nope' }];
    const error = await failure(context(items(bad), reconcileParams({ desired: bad })));
    expect(error.context.itemIndex).toBe(1);
    expect(error.message).toMatch(/The owner of item 1 is not a usable owner: bad-email/);
    const twice = [PEOPLE[0], PEOPLE[1], PEOPLE[0]];
    const dup = await failure(context(items(twice), reconcileParams({ desired: twice })));
    expect(dup.message).toBe('Owner id "email:user0@example.com" appears twice in the desired owners');
  });
});

const p12Item = (file: string, property = 'data'): Item => ({ json: { name: file }, binary: { [property]: { bytes: p12[file], fileName: file } } });
const CREDENTIAL = { passphrase: CANARY };

describe('Certificate: Inspect', () => {
  const params = (options: IDataObject = {}) => ({ resource: 'certificate', operation: 'inspect', usePassphrase: true, binaryPropertyName: 'data', options });

  it('describes a PKCS#12: subject, issuer, validity, key, usages, SAN e-mail, fingerprint, key match', async () => {
    const [item] = await execute(context([p12Item('alice-identity.p12')], params(), { credential: CREDENTIAL }));
    expect(item.json).toMatchObject({
      fileName: 'alice-identity.p12',
      format: 'pkcs12',
      commonName: 'Alice Martin',
      issuer: expect.stringContaining('Test Profiles CA'),
      keyType: 'ec',
      keySize: 256,
      keyUsage: ['digitalSignature', 'keyAgreement'],
      extendedKeyUsage: ['clientAuth'],
      emails: ['Alice.Martin@example.com'],
      upns: ['amartin@corp.example.com'],
      fingerprintSha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      hasPrivateKey: true,
      keyMatchesCertificate: true,
      valid: true,
      diagnostics: [],
    });
    expect(Date.parse(item.json.notAfter as string)).toBeGreaterThan(Date.now());
    expect(item.json.certificates).toHaveLength(2);
  });

  it('checks the identity against an owner and roles', async () => {
    const [ok] = await execute(context([p12Item('alice-identity.p12')], params({ owner: 'alice.martin@EXAMPLE.com', roles: ['eas-client'] }), { credential: CREDENTIAL }));
    expect(ok.json).toMatchObject({ valid: true, diagnostics: [] });
    const [bad] = await execute(context([p12Item('server.p12')], params({ owner: JSON.stringify(owner('bruno.moreau@example.com')), roles: ['eas-client', 'smime-signing'] }), { credential: CREDENTIAL }));
    expect(bad.json.valid).toBe(false);
    expect((bad.json.diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['owner-mismatch', 'missing-client-auth', 'missing-email-protection']);
  });

  it('says "wrong passphrase for <file>" and what to do', async () => {
    const error = await failure(context([p12Item('alice-identity.p12')], params(), { credential: { passphrase: 'Wrong-but-secret-55' } }));
    expect(error.message).toBe('wrong passphrase for alice-identity.p12');
    expect(error.description).toContain('EAS Certificate Passphrase API');
    expect(error.context.itemIndex).toBe(0);
    expect(JSON.stringify([error.message, error.description, error.context])).not.toContain('Wrong-but-secret-55');
    const missing = await failure(context([p12Item('alice-identity.p12')], { ...params(), usePassphrase: false }));
    expect(missing.message).toBe('alice-identity.p12 is protected by a passphrase; give one');
  });

  it('reads a bare PEM certificate without a credential', async () => {
    const item: Item = { json: {}, binary: { data: { bytes: readFileSync(pki.caCert), fileName: 'ca.pem' } } };
    const [out] = await execute(context([item], { ...params(), usePassphrase: false }));
    expect(out.json).toMatchObject({ format: 'pem', commonName: 'Test Profiles CA', isCA: true, hasPrivateKey: false });
  });
});

describe('Certificate: Match to Owners', () => {
  const owners = [
    owner('alice.martin@example.com', { username: 'amartin' }),
    owner('bruno.moreau@example.com', { username: 'bmoreau' }),
    owner('chloe.dubois@example.com', { username: 'cdubois' }),
    owner('denis.roy@example.com', { username: 'droy' }),
  ];
  const params = (extra: Record<string, unknown> = {}) => ({
    resource: 'certificate', operation: 'match', usePassphrase: true, binaryPropertyName: 'data', owners: owners, roles: ['eas-client'], options: {}, ...extra,
  });
  const files = ['alice-identity.p12', 'bmoreau.p12', 'stranger.p12', 'chloe.p12'];

  it('gives one item per file with its status, owner and a summary; a wrong passphrase fails that file only', async () => {
    const run = context(files.map((f) => p12Item(f)), params(), { credential: CREDENTIAL });
    const out = await execute(run);
    expect(out.map((o) => [o.json.file, o.json.status, o.pairedItem])).toEqual([
      ['alice-identity.p12', 'matched', { item: 0 }],
      ['bmoreau.p12', 'matched', { item: 1 }],
      ['stranger.p12', 'unmatched', { item: 2 }],
      ['chloe.p12', 'failed', { item: 3 }],
    ]);
    expect(out[0].json).toMatchObject({ by: 'certificate', email: 'alice.martin@example.com', valid: true, owner: { ...owners[0], identityRef: 'alice-identity.p12' } });
    expect(out[1].json).toMatchObject({ by: 'file-name', ownerId: 'email:bruno.moreau@example.com', valid: false });
    // Bruno's certificate names no one, so the owner check flags it even though the file name matched.
    expect((out[1].json.diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['owner-mismatch']);
    expect(out[3].json).toMatchObject({ code: 'wrong-passphrase', message: 'wrong passphrase for chloe.p12' });
    expect(out[0].json.summary).toEqual({ matched: 2, ambiguous: 0, unmatched: 1, failed: 1, unmatchedOwners: 2 });
    expect(out[0].binary?.data).toMatchObject({ fileName: 'alice-identity.p12' });
    expect(run.hints[0].message).toBe('2 matched, 0 ambiguous, 1 unmatched, 1 failed; 2 owners without a file');
  });

  it('reports two files for one owner as ambiguous, and gives the whole report on request', async () => {
    const run = context(['alice-identity.p12', 'server.p12'].map((f) => p12Item(f)), params({ options: { output: 'report', keepBinary: false } }), { credential: CREDENTIAL });
    const [report] = await execute(run);
    expect(report.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
    expect(report.json).toMatchObject({
      counts: { matched: 0, ambiguous: 2 },
      files: [
        { kind: 'ambiguous', reason: 'several-files', otherFiles: ['server.p12'] },
        { kind: 'ambiguous', reason: 'several-files', otherFiles: ['alice-identity.p12'] },
      ],
    });
    expect((report.json.unmatchedOwners as { email: string }[]).map((o) => o.email)).toEqual(['bruno.moreau@example.com', 'chloe.dubois@example.com', 'denis.roy@example.com']);
  });

  it('refuses owners that are not a list, and items without the file', async () => {
    const notList = await failure(context([p12Item('bmoreau.p12')], params({ owners: '{"email":"a@example.com"}' }), { credential: CREDENTIAL }));
    expect(notList.message).toBe('Owners is not a list of owners');
    const noFile = await failure(context([p12Item('bmoreau.p12', 'other')], params(), { credential: CREDENTIAL }));
    expect(noFile.message).toBe('Item 0 has no binary field "data"');
  });
});

describe('EAS Certificate Passphrase API credential', () => {
  const test = node.methods.credentialTest.easCertificatePassphraseTest;
  const call = (data: ICredentialDataDecryptedObject) => test.call({} as ICredentialTestFunctions, { id: '1', name: 'p', type: 'easCertificatePassphraseApi', data });

  it('keeps its secrets out of sight and is named as n8n wants', () => {
    const cred = new EasCertificatePassphraseApi();
    expect(cred.name).toBe('easCertificatePassphraseApi');
    for (const p of cred.properties) expect(p.typeOptions?.password, p.name).toBe(true);
    expect(node.description.credentials).toContainEqual(
      expect.objectContaining({ name: 'easCertificatePassphraseApi', testedBy: 'easCertificatePassphraseTest', displayOptions: { show: { usePassphrase: [true] } } }),
    );
  });

  it('opens the sample PKCS#12 with the passphrase, or says why not', async () => {
    const sample = p12['alice-identity.p12'].toString('base64');
    const ok = await call({ passphrase: CANARY, samplePkcs12WithPrivateKey: sample });
    expect(ok).toEqual({ status: 'OK', message: expect.stringContaining('opens the sample PKCS#12 file (CN=Alice Martin') });
    const wrong = await call({ passphrase: 'Wrong-but-secret-55', samplePkcs12WithPrivateKey: sample });
    expect(wrong).toEqual({ status: 'Error', message: 'wrong passphrase for the sample PKCS#12 file' });
    expect((await call({ passphrase: CANARY })).status).toBe('OK');
    expect((await call({ passphrase: '' })).status).toBe('Error');
    seen.push(JSON.stringify([ok, wrong]));
  });
});

describe('secrets', () => {
  it('never show in any output, hint, stored state or error of these tests', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain('Wrong-but-secret-55');
      expect(text).not.toContain('PRIVATE KEY');
    }
  });
});
