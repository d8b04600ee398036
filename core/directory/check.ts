import { withSession, type DirectoryConnectionOptions, type LdapClientFactory, type Transport } from './connection';
import type { DirectoryDiagnostic } from './diagnostics';
import { classifyError, DirectoryError, type DirectoryFailure } from './errors';

/** Outcome of {@link checkConnection}. */
export type ConnectionCheck =
  | { readonly ok: true; readonly transport: Transport; readonly vendor: string | undefined; readonly diagnostics: readonly DirectoryDiagnostic[] }
  | { readonly ok: false; readonly failure: DirectoryFailure };

/** Connects, upgrades, binds and reads the root DSE, then unbinds: what a credential test needs to say "works" or which problem it is. */
export async function checkConnection(options: DirectoryConnectionOptions, factory?: LdapClientFactory): Promise<ConnectionCheck> {
  try {
    return await withSession(
      options,
      async (session) => {
        // A bind alone proves little for anonymous access; one read shows the connection really works.
        let root: Record<string, unknown>;
        try {
          const { searchEntries } = await session.client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['vendorName', 'forestFunctionality', 'objectClass'] });
          root = searchEntries[0] ?? {};
        } catch (error) {
          throw new DirectoryError(classifyError(error, 'search', session.context));
        }
        return { ok: true as const, transport: session.transport, vendor: vendorOf(root), diagnostics: session.diagnostics };
      },
      factory,
    );
  } catch (error) {
    return { ok: false, failure: error instanceof DirectoryError ? error.failure : classifyError(error, 'connect', { url: options.url }) };
  }
}

// ldapts returns a requested attribute the server lacks as an empty array, so "present" means "has a value".
function values(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
}

/** Which directory product answered, from its root DSE; undefined when it does not say. */
export function vendorOf(root: Readonly<Record<string, unknown>>): string | undefined {
  const vendor = values(root.vendorName)[0];
  if (vendor !== undefined) return vendor;
  if (values(root.forestFunctionality).length > 0) return 'Active Directory';
  if (values(root.objectClass).some((c) => c.toLowerCase() === 'openldaprootdse')) return 'OpenLDAP';
  return undefined;
}
