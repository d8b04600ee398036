import { describe, expect, it } from 'vitest';
import { checkConnection, type LdapClient } from '../../../core/directory';
import { vendorOf } from '../../../core/directory/check';

// ldapts hands back every requested attribute, an absent one as an empty array.
describe('checkConnection names the directory product from the root DSE', () => {
  it('does not take an empty attribute for a present one', () => {
    expect(vendorOf({ dn: '', vendorName: [], forestFunctionality: [], objectClass: ['top', 'OpenLDAProotDSE'] })).toBe('OpenLDAP');
    expect(vendorOf({ dn: '', vendorName: [], forestFunctionality: ['7'], objectClass: ['top'] })).toBe('Active Directory');
    expect(vendorOf({ dn: '', vendorName: 'Samba Team (https://www.samba.org)', forestFunctionality: '7' })).toBe('Samba Team (https://www.samba.org)');
    expect(vendorOf({ dn: '', vendorName: [], forestFunctionality: [] })).toBeUndefined();
  });

  it('reports it in the check result', async () => {
    const client = {
      bind: async () => undefined,
      unbind: async () => undefined,
      startTLS: async () => undefined,
      search: async () => ({ searchEntries: [{ dn: '', vendorName: [], forestFunctionality: [], objectClass: ['top', 'OpenLDAProotDSE'] }], searchReferences: [] }),
      searchPaginated: () => {
        throw new Error('not used');
      },
    } as unknown as LdapClient;
    expect(await checkConnection({ url: 'ldap://127.0.0.1:1' }, () => client)).toMatchObject({ ok: true, transport: 'plain', vendor: 'OpenLDAP' });
  });
});
