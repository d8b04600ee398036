import { describe, expect, it } from 'vitest';
import { ACTIVE_DIRECTORY, mapEntry, resolvePreset } from '../../../core/directory';
import { EntryValues } from '../../../core/directory/entry';
import { makeCertificate } from './fixtures';

const GUID = Buffer.from('0c3a8e3b17d1b54ba8a4a7c4b9f4d2e1', 'hex');

function adEntry(extra: Record<string, string | string[] | Buffer | Buffer[]> = {}) {
  return new EntryValues({
    dn: 'CN=Zoë Ångström,OU=Staff,DC=corp,DC=example',
    objectGUID: GUID,
    sAMAccountName: 'zoe',
    userPrincipalName: 'zoe@corp.example',
    givenName: 'Zoë',
    sn: 'Ångström',
    displayName: 'Zoë Ångström',
    userAccountControl: '512',
    proxyAddresses: ['smtp:zoe.alias@corp.example', 'SMTP:zoe@corp.example', 'X500:/o=x'],
    memberOf: ['CN=Staff,OU=Groups,DC=corp,DC=example'],
    ...extra,
  });
}

describe('mapping AD-shaped entries', () => {
  it('maps objectGUID, UPN, the primary SMTP proxy address and aliases', () => {
    const m = mapEntry(adEntry(), ACTIVE_DIRECTORY, { domain: 'CORP' });
    expect(m.kind).toBe('owner');
    if (m.kind !== 'owner') return;
    expect(m.owner).toMatchObject({
      id: '3b8e3a0c-d117-4bb5-a8a4-a7c4b9f4d2e1',
      username: 'zoe',
      upn: 'zoe@corp.example',
      email: 'zoe@corp.example',
      domain: 'CORP',
      source: 'ldap',
      groups: ['CN=Staff,OU=Groups,DC=corp,DC=example'],
      attributes: { dn: 'CN=Zoë Ångström,OU=Staff,DC=corp,DC=example', aliases: 'zoe.alias@corp.example zoe@corp.example' },
    });
    expect(m.owner.disabled).toBeUndefined();
  });

  it('reads userAccountControl bit 2 as disabled, whatever the other bits', () => {
    for (const [uac, disabled] of [['514', true], ['66050', true], ['66048', undefined], ['-2147483646', true]] as const) {
      const m = mapEntry(adEntry({ userAccountControl: uac }), ACTIVE_DIRECTORY);
      expect(m.kind === 'owner' && m.owner.disabled).toBe(disabled ?? false ? true : undefined);
    }
  });

  it('takes certificates from userCertificate and userCertificate;binary and skips junk with a diagnostic', () => {
    const cert = makeCertificate('zoe@corp.example', new Date(Date.now() - 1000), new Date(Date.now() + 86_400_000));
    const m = mapEntry(adEntry({ userCertificate: [cert, Buffer.from('junk')], 'userCertificate;binary': cert }), ACTIVE_DIRECTORY);
    if (m.kind !== 'owner') throw new Error('skipped');
    expect(m.identities).toHaveLength(1);
    expect(m.owner.identityRef).toBe(`sha256:${m.identities[0].fingerprint}`);
    expect(m.diagnostics.map((d) => d.code)).toEqual(['bad-certificate']);
  });

  it('warns when AD returned a multi-valued attribute only in part (ranged retrieval)', () => {
    const m = mapEntry(adEntry({ memberOf: [], 'memberOf;range=0-1499': ['CN=G1,DC=corp,DC=example'] }), ACTIVE_DIRECTORY);
    expect(m.kind === 'owner' && m.owner.groups).toEqual(['CN=G1,DC=corp,DC=example']);
    expect(m.diagnostics).toContainEqual(expect.objectContaining({ code: 'ranged-attribute', severity: 'warning' }));
  });

  it('lets every mapping change, and skips entries without id or e-mail', () => {
    const preset = resolvePreset('ad', { attributes: { email: 'userPrincipalName', aliases: '' }, disabled: { kind: 'equals', attribute: 'employeeType', values: ['Leaver'] } });
    const m = mapEntry(adEntry({ employeeType: 'leaver' }), preset);
    expect(m.kind === 'owner' && m.owner).toMatchObject({ email: 'zoe@corp.example', disabled: true });
    expect(m.kind === 'owner' && m.owner.attributes?.aliases).toBeUndefined();
    expect(() => resolvePreset('ad', { attributes: { id: '' } })).toThrow(/cannot be empty/);
    expect(mapEntry(adEntry({ objectGUID: [] as Buffer[] }), ACTIVE_DIRECTORY)).toMatchObject({ kind: 'skipped', diagnostics: [{ code: 'missing-id' }] });
    expect(mapEntry(adEntry({ proxyAddresses: [] as string[] }), ACTIVE_DIRECTORY)).toMatchObject({ kind: 'skipped', id: '3b8e3a0c-d117-4bb5-a8a4-a7c4b9f4d2e1', diagnostics: [{ code: 'missing-email' }] });
    expect(mapEntry(adEntry({ mail: 'not-an-address' }), ACTIVE_DIRECTORY)).toMatchObject({ kind: 'skipped', diagnostics: [{ code: 'invalid-email' }] });
  });
});
