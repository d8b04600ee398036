import type { ClientOptions } from 'ldapts';
import { InvalidCredentialsError } from 'ldapts';
import { describe, expect, it, vi } from 'vitest';
import { openSession, readOwners, type LdapClient } from '../../../core/directory';
import { Secret } from '../../../core/certs/secret';

function fakeClient(overrides: Partial<LdapClient> = {}) {
  const calls: string[] = [];
  const client: LdapClient = {
    startTLS: vi.fn(async () => void calls.push('startTLS')),
    bind: vi.fn(async () => void calls.push('bind')),
    search: vi.fn(async () => ({ searchEntries: [], searchReferences: [] })),
    searchPaginated: vi.fn(async function* () {
      yield { searchEntries: [], searchReferences: [] };
    }),
    unbind: vi.fn(async () => void calls.push('unbind')),
    ...overrides,
  };
  return { client, calls };
}

describe('the client factory and connection options', () => {
  it('gives tlsOptions only to ldaps:// and uses startTLS({ ca, host }) for ldap://', async () => {
    const seen: ClientOptions[] = [];
    const { client, calls } = fakeClient();
    await openSession({ url: 'ldap://127.0.0.1:3890', startTls: true, ca: 'PEM', bindDn: 'cn=a', password: new Secret('pw') }, (o) => (seen.push(o), client));
    expect(seen[0].tlsOptions).toBeUndefined();
    expect(seen[0]).toMatchObject({ url: 'ldap://127.0.0.1:3890', connectTimeout: 10_000, timeout: 60_000 });
    expect(client.startTLS).toHaveBeenCalledWith(expect.objectContaining({ ca: ['PEM'], host: '127.0.0.1' }));
    expect((vi.mocked(client.startTLS).mock.calls[0][0] as { servername?: string }).servername).toBeUndefined();
    expect(client.bind).toHaveBeenCalledWith('cn=a', 'pw');
    expect(calls).toEqual(['startTLS', 'bind']);

    await openSession({ url: 'ldaps://dc1.corp.example', ca: 'PEM', connectTimeoutMs: 5, timeoutMs: 7 }, (o) => (seen.push(o), client));
    expect(seen[1]).toMatchObject({ url: 'ldaps://dc1.corp.example:636', connectTimeout: 5, timeout: 7, tlsOptions: { ca: ['PEM'], servername: 'dc1.corp.example' } });
  });

  it('rejects unusable URLs and option mixes before connecting', async () => {
    const factory = vi.fn();
    await expect(openSession({ url: 'http://x' }, factory)).rejects.toThrow(/ldaps:\/\/ or ldap:\/\//);
    await expect(openSession({ url: 'ldap://x/dc=example' }, factory)).rejects.toThrow(/only scheme, host and port/);
    await expect(openSession({ url: 'ldaps://x', startTls: true }, factory)).rejects.toThrow(/StartTLS applies to ldap/);
    await expect(openSession({ url: 'ldaps://x', bindDn: 'cn=a', password: '' }, factory)).rejects.toThrow(/bind anonymously/);
    expect(factory).not.toHaveBeenCalled();
  });

  it('unbinds in finally, also when the bind fails, and never shows the password', async () => {
    const { client } = fakeClient({ bind: vi.fn(async () => Promise.reject(new InvalidCredentialsError('80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563'))) });
    const r = await readOwners({ connection: { url: 'ldaps://127.0.0.1', bindDn: 'zoe@corp.example', password: 'hunter2' }, baseDn: 'dc=corp', clientFactory: () => client });
    expect(r).toMatchObject({ ok: false, failure: { code: 'invalid-credentials', phase: 'bind' } });
    if (!r.ok) expect(r.failure.message).toBe('wrong password or unknown bind DN/UPN "zoe@corp.example": the password is wrong');
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(client.unbind).toHaveBeenCalledTimes(1);

    const { client: c2 } = fakeClient();
    const ok = await readOwners({ connection: { url: 'ldaps://127.0.0.1' }, baseDn: 'dc=corp', clientFactory: () => c2 });
    expect(ok.ok).toBe(true);
    expect(c2.unbind).toHaveBeenCalledTimes(1);
  });

  it('treats a continuation reference as a failure, not as fewer entries', async () => {
    const { client } = fakeClient({
      searchPaginated: vi.fn(async function* () {
        yield { searchEntries: [], searchReferences: ['ldap://other.corp.example/DC=other'] };
      }),
    });
    const r = await readOwners({ connection: { url: 'ldaps://127.0.0.1' }, baseDn: 'dc=corp', clientFactory: () => client });
    expect(r).toMatchObject({ ok: false, failure: { code: 'referral' } });
  });
});

describe('timeouts against a silent server on 127.0.0.1', () => {
  it('reports an operation timeout when the server accepts but never answers, and a TLS failure when it does not speak TLS', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const silent = await readOwners({ connection: { url: `ldap://127.0.0.1:${port}`, bindDn: 'cn=a', password: 'pw', timeoutMs: 300 }, baseDn: 'dc=x' });
      expect(silent).toMatchObject({ ok: false, failure: { code: 'operation-timeout', phase: 'bind' } });
      const notTls = await readOwners({ connection: { url: `ldaps://127.0.0.1:${port}`, connectTimeoutMs: 300 }, baseDn: 'dc=x' });
      expect(notTls.ok).toBe(false);
      if (!notTls.ok) expect(['connect-timeout', 'tls-handshake']).toContain(notTls.failure.code);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
