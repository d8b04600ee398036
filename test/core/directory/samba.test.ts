import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equalityFilter, readOwners, syncOwners, type DirectoryConnectionOptions, type ReadOwnersResult } from '../../../core/directory';
import { makeCertificate } from './fixtures';
import { sambaAvailable, startSambaDc, type SambaDc } from './samba-dc';

// CI installs samba and ldb-tools; locally the suite is skipped (with a note) when they are missing.
const available = await sambaAvailable();
if (!available) console.warn('Samba AD DC tests skipped: install Debian packages samba and ldb-tools');

const USERS = 'CN=Users,DC=corp,DC=example';

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

interface AdUser {
  readonly cn: string;
  readonly sam: string;
  readonly mail?: string;
  readonly given?: string;
  readonly sn?: string;
  readonly disabled?: boolean;
  readonly cert?: Buffer;
}

function userLdif(u: AdUser): string {
  return [
    `dn:: ${b64(`CN=${u.cn},${USERS}`)}`,
    'objectClass: user',
    `sAMAccountName: ${u.sam}`,
    `userPrincipalName: ${u.sam}@corp.example`,
    `displayName:: ${b64(u.cn)}`,
    ...(u.given ? [`givenName:: ${b64(u.given)}`] : []),
    ...(u.sn ? [`sn:: ${b64(u.sn)}`] : []),
    ...(u.mail ? [`mail: ${u.mail}`, `proxyAddresses: SMTP:${u.mail}`, `proxyAddresses: smtp:${u.sam}.alias@corp.example`] : []),
    // 0x20 PASSWD_NOTREQD: the fixture users have no password; 0x2 ACCOUNTDISABLE marks leavers.
    `userAccountControl: ${512 + 32 + (u.disabled ? 2 : 0)}`,
    ...(u.cert ? [`userCertificate:: ${u.cert.toString('base64')}`] : []),
    '',
    '',
  ].join('\n');
}

function groupLdif(cn: string, members: readonly string[]): string {
  return [`dn: CN=${cn},${USERS}`, 'objectClass: group', `sAMAccountName: ${cn.toLowerCase()}`, ...members.map((m) => `member:: ${b64(m)}`), '', ''].join('\n');
}

function fixture(): string {
  const now = Date.now();
  const cert = makeCertificate('certified@corp.example', new Date(now - 86_400_000), new Date(now + 86_400_000 * 30));
  const users: AdUser[] = [
    { cn: 'Zoë Ångström', sam: 'zoe', mail: 'zoe@corp.example', given: 'Zoë', sn: 'Ångström' },
    { cn: '田中 太郎', sam: 'tanaka', mail: 'tanaka@corp.example', given: '太郎', sn: '田中' },
    { cn: 'Lea Leaver', sam: 'leaver', mail: 'leaver@corp.example', disabled: true },
    { cn: 'Cert Holder', sam: 'certified', mail: 'certified@corp.example', cert },
    ...Array.from({ length: 20 }, (_, i) => ({ cn: `User ${i}`, sam: `user${i}`, mail: `user${i}@corp.example` })),
  ];
  const dn = (cn: string): string => `CN=${cn},${USERS}`;
  // Staff ⊃ Engineering ⊃ Platform: members must exist before a group links them.
  return [
    ...users.map(userLdif),
    groupLdif('Platform', [dn('Lea Leaver')]),
    groupLdif('Engineering', [dn('田中 太郎'), dn('Platform')]),
    groupLdif('Staff', [dn('Zoë Ångström'), dn('Engineering')]),
  ].join('');
}

describe.skipIf(!available)('Active Directory preset against a real Samba AD DC', () => {
  let dc: SambaDc;
  beforeAll(async () => {
    dc = await startSambaDc(fixture());
  }, 120_000);
  afterAll(async () => dc?.stop());

  const conn = (over: Partial<DirectoryConnectionOptions> = {}): DirectoryConnectionOptions => ({ url: dc.ldapsUrl, ca: dc.caPem, bindDn: dc.adminUpn, password: dc.adminPassword, ...over });
  const ok = (r: ReadOwnersResult) => {
    if (!r.ok) throw new Error(`${r.failure.code}: ${r.failure.message}`);
    return r;
  };

  it('reads users with objectGUID ids, UPN bind over ldaps, disabled bit, proxy addresses, certificates and non-ASCII names', async () => {
    const r = ok(await readOwners({ connection: conn(), baseDn: USERS, preset: 'ad', domain: dc.domain, pageSize: 5 }));
    const by = (u: string) => r.owners.find((o) => o.username === u);
    expect(r.owners).toHaveLength(24);
    expect(by('zoe')).toMatchObject({ displayName: 'Zoë Ångström', firstName: 'Zoë', upn: 'zoe@corp.example', domain: 'CORP', attributes: { aliases: 'zoe@corp.example zoe.alias@corp.example' } });
    expect(by('tanaka')?.lastName).toBe('田中');
    expect(by('leaver')?.disabled).toBe(true);
    expect(by('zoe')?.disabled).toBeUndefined();
    expect(by('certified')?.identityRef).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const o of r.owners) expect(o.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // Built-in accounts (Administrator, Guest, krbtgt, the host's dns-* account) have no mail and are skipped with a diagnostic.
    expect(r.diagnostics.filter((d) => d.code === 'missing-email').map((d) => /^CN=([^,]+)/.exec(d.path)?.[1]).sort()).toEqual(
      expect.arrayContaining(['Administrator', 'Guest', 'krbtgt']),
    );
    expect(r.watermark).toMatchObject({ kind: 'usn', server: expect.stringMatching(/^CN=NTDS Settings,/) });
  });

  it('scopes through nested groups with the in-chain matching rule', async () => {
    const r = ok(await readOwners({ connection: conn(), baseDn: USERS, preset: 'ad', groups: [`CN=Staff,${USERS}`] }));
    expect(r.owners.map((o) => o.username).sort()).toEqual(['leaver', 'tanaka', 'zoe']);
    const inj = ok(await readOwners({ connection: conn(), baseDn: USERS, preset: 'ad', filter: equalityFilter('sAMAccountName', '*)(sAMAccountName=*') }));
    expect(inj.owners).toEqual([]);
  });

  it('StartTLS works; a simple bind over plain LDAP is refused with a clear message; a wrong password says so', async () => {
    const st = ok(await readOwners({ connection: conn({ url: dc.ldapUrl, startTls: true }), baseDn: USERS, preset: 'ad', filter: '(sAMAccountName=zoe)' }));
    expect(st.owners).toHaveLength(1);
    const plain = await readOwners({ connection: conn({ url: dc.ldapUrl }), baseDn: USERS, preset: 'ad' });
    expect(plain).toMatchObject({ ok: false, failure: { code: 'confidentiality-required' } });
    const wrong = await readOwners({ connection: conn({ password: 'wrong' }), baseDn: USERS, preset: 'ad' });
    expect(wrong).toMatchObject({ ok: false, failure: { code: 'invalid-credentials' } });
    if (!wrong.ok) expect(wrong.failure.message).toMatch(/password is wrong/);
  });

  it('syncs incrementally from uSNChanged', async () => {
    const options = { connection: conn(), baseDn: USERS, preset: 'ad' as const };
    const full = await syncOwners(undefined, { ...options, mode: 'full' });
    if (!full.ok) throw new Error(full.failure.message);
    const c = new Client({ url: dc.ldapsUrl, tlsOptions: { ca: [dc.caPem] } });
    try {
      await c.bind(dc.adminUpn, dc.adminPassword);
      await c.modify(`CN=User 3,${USERS}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: ['546'] }) }));
      await c.modify(`CN=User 4,${USERS}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'givenName', values: ['Renamed'] }) }));
    } finally {
      await c.unbind();
    }
    let read = 0;
    const inc = await syncOwners(JSON.parse(JSON.stringify(full.state)), { ...options, mode: 'incremental', onProgress: (n) => (read = n) });
    if (!inc.ok) throw new Error(inc.failure.message);
    expect(inc.mode).toBe('incremental');
    expect(read).toBe(2);
    expect(inc.plan.actions.map((a) => [a.kind, a.owner.username]).sort()).toEqual([['disable', 'user3'], ['update', 'user4']]);
    expect(inc.state.owners).toHaveLength(24);

    // USNs belong to one domain controller: a watermark from another one forces a full sync.
    const foreign = { ...inc.state, watermark: { kind: 'usn' as const, usn: '1', server: 'CN=NTDS Settings,CN=OTHER-DC' } };
    const again = await syncOwners(foreign, { ...options, mode: 'incremental' });
    expect(again).toMatchObject({ ok: true, mode: 'full' });
    expect(again.diagnostics).toContainEqual(expect.objectContaining({ code: 'watermark-reset' }));
    if (again.ok) expect(again.plan.counts).toMatchObject({ create: 0, disable: 0 });
  });
});
