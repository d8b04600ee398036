import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, ICredentialsDecrypted, IDataObject, IExecuteFunctions, INode, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LdapDirectory } from '../../nodes/LdapDirectory/LdapDirectory.node';
import { STATE_KEY } from '../../nodes/LdapDirectory/actions/owner/sync.operation';
import { buildFixture, PEOPLE, STAFF } from '../core/directory/fixtures';
import { freePort, makeTlsFiles, startSlapd, type Slapd } from '../helpers/slapd';

const node = new LdapDirectory();
const fx = buildFixture(300);
const CANARY = 'Canary-LDAP-Password-31';
let s: Slapd;
let otherCaPem: string;
let scratch: string;

beforeAll(async () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  scratch = await mkdtemp(join(tmpdir(), 'ldap-node-'));
  [s, { caPem: otherCaPem }] = await Promise.all([startSlapd({ tls: true, ldif: fx.ldif }), makeTlsFiles(scratch, 'IP:127.0.0.1', 'other')]);
});
afterAll(async () => {
  await s?.stop();
  await rm(scratch, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function credential(over: Record<string, unknown> = {}): ICredentialDataDecryptedObject {
  return { url: s.ldapsUrl ?? '', startTls: false, publicCaCertificate: s.caPem ?? '', bindDn: s.rootDn, password: s.rootPassword, connectTimeout: 5, timeout: 20, ...over } as ICredentialDataDecryptedObject;
}

interface Fake {
  ctx: IExecuteFunctions;
  hints: NodeExecutionHint[];
}

/** An IExecuteFunctions with the LDAP credential and a workflow static data object that outlives one execution. */
function context(params: Record<string, unknown>, staticData: IDataObject = {}, cred: ICredentialDataDecryptedObject = credential(), items = 1): Fake {
  const n = { name: 'LDAP Directory Owners', type: 'n8n-nodes-eas-profiles.ldapDirectory', typeVersion: 1, parameters: {} } as unknown as INode;
  const hints: NodeExecutionHint[] = [];
  const all: Record<string, unknown> = { resource: 'owner', preset: 'openldap', baseDn: PEOPLE, pageSize: 100, ...params };
  const ctx = {
    getInputData: () => Array.from({ length: items }, () => ({ json: {} })) as INodeExecutionData[],
    getNodeParameter: (name: string, _i: number, fallback?: unknown) => all[name] ?? fallback,
    getNode: () => n,
    continueOnFail: () => false,
    getCredentials: async (type: string) => {
      if (type !== 'ldapDirectoryApi') throw new Error(`no credential ${type}`);
      return cred;
    },
    getWorkflowStaticData: (type: string) => {
      if (type !== 'node') throw new Error(`unexpected static data scope ${type}`);
      return staticData;
    },
    addExecutionHints: (...h: NodeExecutionHint[]) => hints.push(...h),
  } as unknown as IExecuteFunctions;
  return { ctx, hints };
}

async function run(params: Record<string, unknown>, staticData?: IDataObject, cred?: ICredentialDataDecryptedObject, items?: number): Promise<IDataObject[]> {
  const [out] = await node.execute.call(context(params, staticData, cred, items).ctx);
  return out.map((o) => o.json);
}

async function failure(params: Record<string, unknown>, staticData?: IDataObject, cred?: ICredentialDataDecryptedObject): Promise<NodeOperationError> {
  const err = await node.execute.call(context(params, staticData, cred).ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NodeOperationError);
  return err as NodeOperationError;
}

async function admin(fn: (c: Client) => Promise<void>): Promise<void> {
  const c = new Client({ url: s.url });
  try {
    await c.bind(s.rootDn, s.rootPassword);
    await fn(c);
  } finally {
    await c.unbind();
  }
}

const byUid = (items: IDataObject[], uid: string) => items.find((i) => i.username === uid);

describe('LDAP Directory Owners: Read Owners', () => {
  it('gives one item per owner in the Owner shape, paged over ldaps, with each entry\u2019s diagnostics and certificates', async () => {
    const { ctx, hints } = context({ operation: 'read', lookup: 'all', output: 'owners' });
    const [out] = await node.execute.call(ctx);
    expect(out).toHaveLength(fx.ownerCount);
    expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
    const items = out.map((o) => o.json);
    expect(byUid(items, 'zoe')).toMatchObject({ email: 'zoe@example.org', displayName: 'Zoë Ångström', source: 'ldap', groups: [STAFF], diagnostics: [] });
    expect(byUid(items, 'zoe')?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(byUid(items, 'locked')?.disabled).toBe(true);
    const certified = byUid(items, 'certified');
    expect(certified?.identityRef).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(certified?.certificates).toEqual([expect.objectContaining({ validNow: true, fingerprint: String(certified?.identityRef).slice(7) })]);
    expect(byUid(items, 'expired')?.diagnostics).toEqual([expect.objectContaining({ code: 'expired-certificate' })]);
    // The entry without e-mail is no owner; its diagnostic is a run-level hint.
    expect(byUid(items, 'nomail')).toBeUndefined();
    expect(hints.map((h) => h.message)).toEqual([expect.stringMatching(/^missing-email: uid=nomail/)]);
    expect(JSON.stringify(items)).not.toContain(s.rootPassword);
  });

  it('summary output: owners, skipped entries, every diagnostic and the watermark in one item', async () => {
    const [summary] = await run({ operation: 'read', lookup: 'all', output: 'summary', groups: STAFF });
    // staff ⊃ engineering ⊃ platform (and back): nested members are included.
    expect((summary.owners as IDataObject[]).map((o) => o.username).sort()).toEqual(['jsmith', 'locked', 'tanaka', 'zoe']);
    expect(summary).toMatchObject({ count: 4, transport: 'ldaps', watermark: { kind: 'modifyTimestamp' } });
  });

  it('looks one person up by e-mail with the value escaped: "*)(uid=*" finds no one', async () => {
    const found = await run({ operation: 'read', lookup: 'email', lookupValue: 'Tanaka@Example.org' });
    expect(found.map((o) => o.displayName)).toEqual(['田中 太郎']);
    expect(await run({ operation: 'read', lookup: 'email', lookupValue: '*)(uid=*' })).toEqual([]);
    expect(await run({ operation: 'read', lookup: 'username', lookupValue: '*' })).toEqual([]);
    const [special] = await run({ operation: 'read', lookup: 'username', lookupValue: 'jsmith', filter: '(objectClass=person)' });
    expect(special).toMatchObject({ displayName: 'Smith, John (Ops) *', attributes: { dn: expect.stringMatching(/^cn=Smith\\2C John \(Ops\) \*,ou=people,/) } });
    const err = await failure({ operation: 'read', lookup: 'email', lookupValue: '  ' });
    expect(err.message).toMatch(/Nothing to look up/);
  });

  it('applies attribute mapping overrides, extra attributes and a "disabled" attribute from Directory Options', async () => {
    const [zoe] = await run({
      operation: 'read',
      lookup: 'email',
      lookupValue: 'zoe@example.org',
      directoryOptions: { mapping: { mapping: [{ field: 'username', attribute: 'sn' }, { field: 'memberOf', attribute: '' }] }, extraAttributes: 'givenName, uid', disabledAttribute: 'givenName', domain: 'CORP' },
    });
    expect(zoe).toMatchObject({ username: 'Ångström', domain: 'CORP', disabled: true, attributes: { givenName: 'Zoë', uid: 'zoe' } });
    expect(zoe.groups).toBeUndefined();
  });

  it('over plain LDAP: a hint warns that the password crosses the network unencrypted', async () => {
    const { ctx, hints } = context({ operation: 'read', lookup: 'username', lookupValue: 'zoe' }, {}, credential({ url: s.url, publicCaCertificate: '' }));
    const [out] = await node.execute.call(ctx);
    expect(out).toHaveLength(1);
    expect(hints).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^plain-ldap: .* is plain LDAP: the password and all data cross the network unencrypted/) })]);
    expect(JSON.stringify(hints)).not.toContain(s.rootPassword);
  });

  it('with Continue On Fail, a failed read becomes an error item without the password', async () => {
    const { ctx } = context({ operation: 'read', lookup: 'all' }, {}, credential({ password: CANARY }));
    const [out] = await node.execute.call({ ...ctx, continueOnFail: () => true } as IExecuteFunctions);
    expect(out).toEqual([{ json: { error: expect.stringMatching(/wrong password/), description: expect.stringMatching(/invalid-credentials/) }, pairedItem: { item: 0 } }]);
    expect(JSON.stringify(out)).not.toContain(CANARY);
  });

  it('says which connection problem it is, never with the password', async () => {
    const wrong = await failure({ operation: 'read', lookup: 'all' }, {}, credential({ password: CANARY }));
    expect(wrong.message).toMatch(/wrong password or unknown bind DN/);
    expect(wrong.description).toMatch(/invalid-credentials/);
    const untrusted = await failure({ operation: 'read', lookup: 'all' }, {}, credential({ publicCaCertificate: otherCaPem, password: CANARY }));
    expect(untrusted.message).toMatch(/untrusted certificate/);
    expect(untrusted.description).toMatch(/CA Certificate \(PEM\)/);
    for (const e of [wrong, untrusted]) expect(JSON.stringify({ m: e.message, d: e.description, c: e.context })).not.toContain(CANARY);
  });
});

describe('LDAP Directory Owners: Sync Owners', () => {
  it('full sync, then incremental from the watermark kept in workflow static data, then full again sees the deletion', async () => {
    const staticData: IDataObject = {};
    const first = await run({ operation: 'sync', mode: 'auto' }, staticData);
    expect(first).toHaveLength(fx.ownerCount);
    expect(new Set(first.map((i) => i.action))).toEqual(new Set(['create']));
    expect(first[0].mode).toBe('full');
    const state = staticData[STATE_KEY] as { owners: unknown[]; watermark: { kind: string; timestamp: string }; fullSyncAt: string };
    expect(state.owners).toHaveLength(fx.ownerCount);
    expect(state.watermark).toMatchObject({ kind: 'modifyTimestamp' });
    // Plain JSON: what n8n stores in the workflow.
    expect(JSON.parse(JSON.stringify(staticData))).toEqual(staticData);

    // Nothing changed: a full run yields no create / update / disable items.
    expect(await run({ operation: 'sync', mode: 'full' }, staticData)).toEqual([]);

    // modifyTimestamp has one-second resolution; step past the stored mark so the change is newer.
    await new Promise((r) => setTimeout(r, 1100));
    await admin(async (c) => {
      await c.modify(`uid=user000001,${PEOPLE}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'cn', values: ['Renamed User'] }) }));
      await c.add(`uid=newcomer,${PEOPLE}`, { objectClass: 'inetOrgPerson', uid: 'newcomer', cn: 'New Comer', sn: 'Comer', mail: 'newcomer@example.org' });
      await c.del(`uid=user000002,${PEOPLE}`);
    });
    const before = JSON.parse(JSON.stringify(staticData[STATE_KEY])) as typeof state;
    const incremental = await run({ operation: 'sync', mode: 'auto' }, staticData);
    expect(incremental.map((i) => [i.action, i.username, i.mode])).toEqual([
      ['update', 'user000001', 'incremental'],
      ['create', 'newcomer', 'incremental'],
    ]);
    expect(incremental[0].changes).toEqual([{ field: 'displayName', before: 'User 000001', after: 'Renamed User' }]);
    const after = staticData[STATE_KEY] as typeof state;
    expect(after.watermark.timestamp > before.watermark.timestamp).toBe(true);
    expect(after.fullSyncAt).toBe(before.fullSyncAt);
    expect(after.owners).toHaveLength(fx.ownerCount + 1);

    const full = await run({ operation: 'sync', mode: 'full' }, staticData);
    expect(full.map((i) => [i.action, i.username, i.reason])).toEqual([['disable', 'user000002', 'missing']]);
    expect(full[0]).toMatchObject({ disabled: true, changes: [{ field: 'disabled', after: true }] });
  });

  it('refuses to disable beyond the limit and leaves the stored state as it was; Force disables', async () => {
    const staticData: IDataObject = {};
    await run({ operation: 'sync', mode: 'full', actions: [] }, staticData);
    const stored = JSON.stringify(staticData);
    const err = await failure({ operation: 'sync', mode: 'full', filter: '(uid=zoe)' }, staticData);
    expect(err.message).toMatch(/^Sync stopped, no one was disabled and the stored state is unchanged: refusing to disable \d+ of \d+ owners/);
    expect(err.description).toMatch(/Max Disabled per Run/);
    expect(JSON.stringify(staticData)).toBe(stored);
    // 3 of ~300 active owners is within 10%.
    const few = await run({ operation: 'sync', mode: 'full', filter: '(!(|(uid=user000010)(uid=user000011)(uid=user000012)))' }, JSON.parse(stored) as IDataObject);
    expect(few.map((i) => i.action)).toEqual(['disable', 'disable', 'disable']);
    const forced = await run({ operation: 'sync', mode: 'full', filter: '(uid=zoe)', force: true, output: 'summary' }, staticData);
    expect(forced[0]).toMatchObject({ mode: 'full', counts: { disable: fx.ownerCount - 2 } });
    expect((staticData[STATE_KEY] as { owners: { disabled?: boolean }[] }).owners.filter((o) => o.disabled !== true)).toHaveLength(1);
  });

  it('runs once per execution whatever the number of input items', async () => {
    const staticData: IDataObject = {};
    const out = await run({ operation: 'sync', mode: 'full', output: 'summary' }, staticData, undefined, 3);
    expect(out).toHaveLength(1);
  });
});

describe('LDAP Directory Owners: all or nothing', () => {
  it('a server dying in the middle of the paged search fails the node, disables no one and keeps the static data', async () => {
    const dying = await startSlapd({ ldif: buildFixture(400).ldif });
    try {
      const cred = credential({ url: dying.url, publicCaCertificate: '', password: dying.rootPassword });
      const staticData: IDataObject = {};
      await run({ operation: 'sync', mode: 'full', pageSize: 50, actions: [] }, staticData, cred);
      const stored = JSON.stringify(staticData);
      const original = Client.prototype.searchPaginated;
      vi.spyOn(Client.prototype, 'searchPaginated').mockImplementation(function (this: Client, ...args: Parameters<Client['searchPaginated']>) {
        const pages = original.apply(this, args);
        return (async function* () {
          let n = 0;
          for await (const page of pages) {
            yield page;
            n += 1;
            if (n === 3) dying.kill();
          }
        })();
      });
      const err = await failure({ operation: 'sync', mode: 'full', pageSize: 50 }, staticData, cred);
      expect(err.message).toMatch(/^Sync stopped, no one was disabled and the stored state is unchanged: the connection to ldap:\/\/127\.0\.0\.1:\d+ was lost during the search/);
      expect(err.description).toMatch(/connection-lost/);
      expect(JSON.stringify(staticData)).toBe(stored);
    } finally {
      await dying.stop();
    }
  });
});

describe('LDAP Directory API credential test', () => {
  const test = (over: Record<string, unknown> = {}) =>
    node.methods.credentialTest.ldapDirectoryConnectionTest.call({} as ICredentialTestFunctions, { id: '1', name: 'ldap', type: 'ldapDirectoryApi', data: credential(over) } as ICredentialsDecrypted);

  it('connects over LDAPS and StartTLS, and warns about plain LDAP', async () => {
    expect(await test()).toEqual({ status: 'OK', message: `Connected over LDAPS to OpenLDAP as ${s.rootDn}` });
    expect(await test({ url: s.url, startTls: true })).toEqual({ status: 'OK', message: `Connected over StartTLS to OpenLDAP as ${s.rootDn}` });
    expect((await test({ url: s.url, publicCaCertificate: '' })).message).toMatch(/plain LDAP \(unencrypted: for development only\)/);
  });

  it('gives its own message for a wrong password, an unreachable server, an untrusted certificate and a TLS name mismatch', async () => {
    const wrong = await test({ password: CANARY });
    expect(wrong).toMatchObject({ status: 'Error', message: expect.stringMatching(/^wrong password or unknown bind DN/) });
    const unreachable = await test({ url: `ldaps://127.0.0.1:${await freePort()}`, password: CANARY });
    expect(unreachable).toMatchObject({ status: 'Error', message: expect.stringMatching(/^cannot reach the directory server/) });
    const untrusted = await test({ publicCaCertificate: otherCaPem, password: CANARY });
    expect(untrusted).toMatchObject({ status: 'Error', message: expect.stringMatching(/^untrusted certificate/) });
    const noCa = await test({ publicCaCertificate: '', password: CANARY });
    expect(noCa.message).toMatch(/^untrusted certificate/);
    const other = await startSlapd({ tls: { san: 'DNS:directory.invalid' }, ldif: '' });
    try {
      const mismatch = await test({ url: other.ldapsUrl, publicCaCertificate: other.caPem, password: CANARY });
      expect(mismatch).toMatchObject({ status: 'Error', message: expect.stringMatching(/^TLS name mismatch/) });
    } finally {
      await other.stop();
    }
    for (const r of [wrong, unreachable, untrusted, noCa]) expect(r.message).not.toContain(CANARY);
  });

  it('names a missing password instead of binding anonymously', async () => {
    expect(await test({ password: '' })).toMatchObject({ status: 'Error', message: expect.stringMatching(/no password for bind DN/) });
  });
});

