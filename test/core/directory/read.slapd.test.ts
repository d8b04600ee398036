import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConnection, equalityFilter, readOwners, type DirectoryConnectionOptions, type ReadOwnersResult } from '../../../core/directory';
import { freePort, makeTlsFiles, startSlapd, type Slapd } from '../../helpers/slapd';
import { buildFixture, ENGINEERING, OTHERS, PEOPLE, SPECIAL, STAFF, SUFFIX } from './fixtures';

const fx = buildFixture(1200);
let s: Slapd;
let otherCaPem: string;
let scratch: string;

beforeAll(async () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  scratch = await mkdtemp(join(tmpdir(), 'dir-test-'));
  [s, { caPem: otherCaPem }] = await Promise.all([startSlapd({ tls: true, ldif: fx.ldif }), makeTlsFiles(scratch, 'IP:127.0.0.1', 'other')]);
});
afterAll(async () => {
  await s?.stop();
  await rm(scratch, { recursive: true, force: true });
});

function ldaps(over: Partial<DirectoryConnectionOptions> = {}): DirectoryConnectionOptions {
  return { url: s.ldapsUrl ?? '', ca: s.caPem, bindDn: s.rootDn, password: s.rootPassword, ...over };
}

function ok(r: ReadOwnersResult): Extract<ReadOwnersResult, { ok: true }> {
  if (!r.ok) throw new Error(`read failed: ${r.failure.code}: ${r.failure.message}`);
  return r;
}

function byDn(r: Extract<ReadOwnersResult, { ok: true }>, rdn: string) {
  const dn = `${rdn},${PEOPLE}`.toLowerCase();
  return r.owners.find((o) => o.attributes?.dn?.toLowerCase() === dn);
}

describe('readOwners against a real slapd', () => {
  it('reads every user over ldaps, page by page, with nothing cut off', async () => {
    const progress: number[] = [];
    const r = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, pageSize: 100, onProgress: (n) => progress.push(n) }));
    expect(r.owners).toHaveLength(fx.ownerCount);
    expect(r.entries).toBe(fx.ownerCount + 1);
    expect(progress.length).toBeGreaterThan(12);
    expect(r.transport).toBe('ldaps');
    expect(r.skipped).toEqual([expect.objectContaining({ dn: expect.stringMatching(/^uid=nomail,/i), id: expect.any(String) })]);
    expect(r.diagnostics.map((d) => d.code)).toContain('missing-email');
    for (const o of r.owners) expect(o.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(r.owners.map((o) => o.id)).size).toBe(r.owners.length);
    expect(r.watermark).toMatchObject({ kind: 'modifyTimestamp' });
  });

  it('keeps non-ASCII names, marks locked accounts disabled and maps certificates to identities', async () => {
    const r = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE }));
    expect(byDn(r, SPECIAL.tanaka)).toMatchObject({ displayName: '田中 太郎', lastName: '田中', firstName: '太郎', email: 'tanaka@example.org', source: 'ldap' });
    expect(byDn(r, SPECIAL.zoe)).toMatchObject({ displayName: 'Zoë Ångström', firstName: 'Zoë', groups: [STAFF] });
    expect(byDn(r, SPECIAL.locked)?.disabled).toBe(true);
    expect(byDn(r, SPECIAL.zoe)?.disabled).toBeUndefined();
    const holder = byDn(r, SPECIAL.withCert);
    const identity = r.identities.find((i) => i.ownerId === holder?.id);
    expect(identity).toMatchObject({ kind: 'certificate-only', info: { emails: ['certified@example.org'] }, validNow: true });
    expect(identity?.checks).toEqual([]);
    expect(holder?.identityRef).toBe(`sha256:${identity?.fingerprint}`);
    const old = byDn(r, SPECIAL.expiredCert);
    expect(old?.identityRef).toBeUndefined();
    expect(r.identities.find((i) => i.ownerId === old?.id)?.checks.map((c) => c.code)).toEqual(['expired']);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'expired-certificate' }));
  });

  it('works over StartTLS with the CA, and over plain LDAP only with a warning', async () => {
    const tls = ok(await readOwners({ connection: ldaps({ url: s.url, startTls: true }), baseDn: PEOPLE, filter: '(uid=zoe)' }));
    expect(tls.transport).toBe('starttls');
    expect(tls.owners).toHaveLength(1);
    expect(tls.diagnostics).toEqual([]);
    const plain = ok(await readOwners({ connection: ldaps({ url: s.url, ca: undefined }), baseDn: PEOPLE, filter: '(uid=zoe)' }));
    expect(plain.transport).toBe('plain');
    expect(plain.diagnostics).toContainEqual(expect.objectContaining({ code: 'plain-ldap', severity: 'warning' }));
  });

  it('scopes by group through nested groups (expanded on the client, cycles included)', async () => {
    const staff = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, groups: [STAFF] }));
    expect(staff.owners.map((o) => o.username).sort()).toEqual(['jsmith', 'locked', 'tanaka', 'zoe']);
    const others = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, groups: [OTHERS.toUpperCase()] }));
    expect(others.owners.map((o) => o.username)).toEqual(['certified']);
    const both = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, groups: [ENGINEERING, OTHERS], filter: '(!(uid=zoe))' }));
    expect(both.owners).toHaveLength(4);
  });

  it('refuses an unknown group instead of reading nobody', async () => {
    const r = await readOwners({ connection: ldaps(), baseDn: PEOPLE, groups: [`cn=nope,ou=groups,${SUFFIX}`] });
    expect(r).toMatchObject({ ok: false, failure: { code: 'group-not-found' } });
  });

  it('escapes filter values: "*)(uid=*" matches nothing, special and non-ASCII values match exactly', async () => {
    const injected = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, filter: equalityFilter('uid', '*)(uid=*') }));
    expect(injected.owners).toEqual([]);
    const star = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, filter: equalityFilter('uid', '*') }));
    expect(star.owners).toEqual([]);
    const smith = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, filter: equalityFilter('cn', 'Smith, John (Ops) *') }));
    expect(smith.owners.map((o) => o.username)).toEqual(['jsmith']);
    const tanaka = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, filter: equalityFilter('cn', '田中 太郎') }));
    expect(tanaka.owners.map((o) => o.username)).toEqual(['tanaka']);
    // A group DN with escaped characters goes through filter escaping too.
    const group = ok(await readOwners({ connection: ldaps(), baseDn: PEOPLE, filter: equalityFilter('memberOf', STAFF) }));
    expect(group.owners.map((o) => o.username)).toEqual(['zoe']);
  });

  it('says which: wrong password, untrusted certificate, unreachable server, bad filter, missing base', async () => {
    const wrong = await readOwners({ connection: ldaps({ password: 'nope' }), baseDn: PEOPLE });
    expect(wrong).toMatchObject({ ok: false, failure: { code: 'invalid-credentials', phase: 'bind' } });
    if (!wrong.ok) expect(wrong.failure.message).toMatch(/wrong password/);
    const userBind = ok(await readOwners({ connection: ldaps({ bindDn: `uid=zoe,${PEOPLE}`, password: 'user-secret' }), baseDn: PEOPLE, filter: '(uid=zoe)' }));
    expect(userBind.owners).toHaveLength(1);

    const untrustedStartTls = await readOwners({ connection: ldaps({ url: s.url, startTls: true, ca: otherCaPem }), baseDn: PEOPLE });
    expect(untrustedStartTls).toMatchObject({ ok: false, failure: { code: 'tls-untrusted' } });
    if (!untrustedStartTls.ok) expect(untrustedStartTls.failure.message).toMatch(/untrusted certificate/);
    const untrustedLdaps = await readOwners({ connection: ldaps({ ca: undefined }), baseDn: PEOPLE });
    expect(untrustedLdaps).toMatchObject({ ok: false, failure: { code: 'tls-untrusted' } });

    const port = await freePort();
    const down = await readOwners({ connection: ldaps({ url: `ldap://127.0.0.1:${port}`, startTls: true }), baseDn: PEOPLE });
    expect(down).toMatchObject({ ok: false, failure: { code: 'unreachable' } });

    const badFilter = await readOwners({ connection: ldaps(), baseDn: PEOPLE, filter: '(uid=a' });
    expect(badFilter).toMatchObject({ ok: false, failure: { code: 'bad-filter' } });
    const noBase = await readOwners({ connection: ldaps(), baseDn: `ou=nowhere,${SUFFIX}` });
    expect(noBase).toMatchObject({ ok: false, failure: { code: 'no-such-object' } });
    const empty = await readOwners({ connection: ldaps({ password: '' }), baseDn: PEOPLE });
    expect(empty).toMatchObject({ ok: false, failure: { code: 'bad-option' } });
  });
});

describe('checkConnection (what a credential test runs)', () => {
  it('says it works, or which problem it is', async () => {
    expect(await checkConnection(ldaps())).toMatchObject({ ok: true, transport: 'ldaps' });
    expect(await checkConnection(ldaps({ url: s.url, startTls: true }))).toMatchObject({ ok: true, transport: 'starttls' });
    expect(await checkConnection(ldaps({ password: 'nope' }))).toMatchObject({ ok: false, failure: { code: 'invalid-credentials' } });
    expect(await checkConnection(ldaps({ ca: otherCaPem }))).toMatchObject({ ok: false, failure: { code: 'tls-untrusted' } });
    expect(await checkConnection(ldaps({ url: `ldaps://127.0.0.1:${await freePort()}` }))).toMatchObject({ ok: false, failure: { code: 'unreachable' } });
  });
});

describe('limits and TLS names', () => {
  it('reports a server size limit instead of returning a short list', async () => {
    const small = await startSlapd({ ldif: buildFixture(150).ldif, pagedTotalLimit: 100 });
    try {
      const r = await readOwners({ connection: { url: small.url, bindDn: `uid=zoe,${PEOPLE}`, password: 'user-secret' }, baseDn: PEOPLE, pageSize: 50 });
      expect(r).toMatchObject({ ok: false, failure: { code: 'size-limit' } });
    } finally {
      await small.stop();
    }
  });

  it('reports a certificate issued for another name as a TLS name mismatch', async () => {
    const other = await startSlapd({ tls: { san: 'DNS:directory.invalid' }, ldif: '' });
    try {
      const r = await readOwners({ connection: { url: other.ldapsUrl ?? '', ca: other.caPem, bindDn: other.rootDn, password: other.rootPassword }, baseDn: SUFFIX });
      expect(r).toMatchObject({ ok: false, failure: { code: 'tls-name-mismatch', phase: 'tls' } });
      const st = await readOwners({ connection: { url: other.url, startTls: true, ca: other.caPem, bindDn: other.rootDn, password: other.rootPassword }, baseDn: SUFFIX });
      expect(st).toMatchObject({ ok: false, failure: { code: 'tls-name-mismatch' } });
      if (!st.ok) expect(st.failure.message).toMatch(/TLS name mismatch/);
    } finally {
      await other.stop();
    }
  });
});
