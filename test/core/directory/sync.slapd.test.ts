import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOwners, type SyncOptions, type SyncResult, type SyncState } from '../../../core/directory';
import { startSlapd, type Slapd } from '../../helpers/slapd';
import { buildFixture, PEOPLE } from './fixtures';

function ok(r: SyncResult): Extract<SyncResult, { ok: true }> {
  if (!r.ok) throw new Error(`sync failed: ${r.failure.code}: ${r.failure.message}`);
  return r;
}

async function admin(s: Slapd, fn: (c: Client) => Promise<void>): Promise<void> {
  const c = new Client({ url: s.url });
  try {
    await c.bind(s.rootDn, s.rootPassword);
    await fn(c);
  } finally {
    await c.unbind();
  }
}

async function addUser(c: Client, uid: string): Promise<void> {
  await c.add(`uid=${uid},${PEOPLE}`, { objectClass: 'inetOrgPerson', uid, cn: `New ${uid}`, sn: uid, mail: `${uid}@example.org` });
}

describe('syncOwners against a real slapd', () => {
  const fx = buildFixture(1200);
  let s: Slapd;
  let options: SyncOptions;
  beforeAll(async () => {
    s = await startSlapd({ ldif: fx.ldif });
    options = { connection: { url: s.url, bindDn: s.rootDn, password: s.rootPassword }, baseDn: PEOPLE, pageSize: 200 };
  });
  afterAll(async () => s?.stop());

  it('full, then incremental from the modifyTimestamp watermark, then full again sees deletions; the state is plain JSON', async () => {
    const first = ok(await syncOwners(undefined, { ...options, mode: 'auto' }));
    expect(first.mode).toBe('full');
    expect(first.plan.counts).toMatchObject({ create: fx.ownerCount, disable: 0, update: 0 });
    const state = JSON.parse(JSON.stringify(first.state)) as SyncState;
    expect(state.watermark).toMatchObject({ kind: 'modifyTimestamp' });

    await admin(s, async (c) => {
      await c.modify(`uid=user000001,${PEOPLE}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'mail', values: ['renamed@example.org'] }) }));
      await c.modify(`uid=user000002,${PEOPLE}`, new Change({ operation: 'add', modification: new Attribute({ type: 'pwdAccountLockedTime', values: ['000001010000Z'] }) }));
      await addUser(c, 'newcomer');
      await c.del(`uid=user000003,${PEOPLE}`);
    });
    const incremental = ok(await syncOwners(state, { ...options, mode: 'auto', now: new Date() }));
    expect(incremental.mode).toBe('incremental');
    const kinds = (k: string) => incremental.plan.actions.filter((a) => a.kind === k).map((a) => a.owner.username);
    expect(kinds('create')).toEqual(['newcomer']);
    expect(kinds('update')).toEqual(['user000001']);
    expect(kinds('disable')).toEqual(['user000002']);
    // An incremental read cannot see a deletion; the owner stays until the next full sync.
    expect(incremental.state.owners.find((o) => o.username === 'user000003')?.disabled).toBeUndefined();

    const full = ok(await syncOwners(JSON.parse(JSON.stringify(incremental.state)) as SyncState, { ...options, mode: 'full' }));
    const gone = full.plan.actions.filter((a) => a.kind === 'disable');
    expect(gone.map((a) => [a.owner.username, a.kind === 'disable' ? a.reason : ''])).toEqual([['user000003', 'missing']]);
    expect(full.plan.counts.create).toBe(0);
  });

  it('refuses to disable a large share of owners when the scope suddenly shrinks', async () => {
    const first = ok(await syncOwners(undefined, { ...options, mode: 'full' }));
    const shrunk = await syncOwners(first.state, { ...options, mode: 'full', filter: '(uid=zoe)' });
    expect(shrunk).toMatchObject({ ok: false, failure: { source: 'reconcile', code: 'too-many-disables' } });
    expect(shrunk.state).toBe(first.state);
    const forced = ok(await syncOwners(first.state, { ...options, mode: 'full', filter: '(uid=zoe)', force: true }));
    expect(forced.plan.counts.unchanged).toBeGreaterThan(0);
  });

  it('keeps an owner whose entry lost its e-mail instead of disabling it', async () => {
    const first = ok(await syncOwners(undefined, { ...options, mode: 'full' }));
    await admin(s, (c) => c.modify(`uid=user000010,${PEOPLE}`, new Change({ operation: 'delete', modification: new Attribute({ type: 'mail' }) })));
    const next = ok(await syncOwners(first.state, { ...options, mode: 'full' }));
    expect(next.plan.counts.disable).toBe(0);
    expect(next.diagnostics).toContainEqual(expect.objectContaining({ code: 'missing-email' }));
    expect(next.state.owners.find((o) => o.username === 'user000010')).toBeDefined();
  });

  it('reads only what changed with the contextCSN watermark', async () => {
    const csn = { ...options, overrides: { watermark: 'contextCSN' as const } };
    const first = ok(await syncOwners(undefined, { ...csn, mode: 'full' }));
    expect(first.state.watermark).toMatchObject({ kind: 'contextCSN' });
    await admin(s, async (c) => addUser(c, 'csn-newcomer'));
    let entries = 0;
    const next = ok(await syncOwners(first.state, { ...csn, mode: 'incremental', onProgress: (n) => (entries = n) }));
    expect(next.mode).toBe('incremental');
    expect(entries).toBeLessThanOrEqual(3);
    expect(next.plan.actions.filter((a) => a.kind === 'create').map((a) => a.owner.username)).toEqual(['csn-newcomer']);
  });
});

describe('all or nothing', () => {
  it('disables no one when slapd dies in the middle of a paged search', async () => {
    const s = await startSlapd({ ldif: buildFixture(1200).ldif });
    try {
      const options: SyncOptions = { connection: { url: s.url, bindDn: s.rootDn, password: s.rootPassword }, baseDn: PEOPLE, pageSize: 50 };
      const first = ok(await syncOwners(undefined, { ...options, mode: 'full' }));
      let pages = 0;
      const r = await syncOwners(first.state, {
        ...options,
        mode: 'full',
        onProgress: () => {
          pages += 1;
          if (pages === 3) s.kill();
        },
      });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.failure).toMatchObject({ source: 'directory', code: 'connection-lost' });
      expect(r.failure.message).toMatch(/lost during the search; nothing was changed/);
      expect(r.state).toBe(first.state);
      expect('plan' in r).toBe(false);
    } finally {
      await s.stop();
    }
  });
});

