import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { CertificateIdentity, DirectoryDiagnostic, DirectoryFailure } from '../../../core/directory';
import type { Owner } from '../../../core/owners';
import { scrub } from './connection';

/** What a user can do about each kind of failure; the failure's own message says what happened and where. */
const FIXES: Partial<Record<DirectoryFailure['code'], string>> = {
	'bad-option': 'Check the node parameters and the LDAP Directory credential.',
	unreachable: 'Check the server URL (host and port) in the LDAP Directory credential, and that n8n can reach it through firewalls.',
	'connect-timeout': 'The server did not answer in time: check host, port and firewall, or raise the connect timeout in the credential.',
	'tls-name-mismatch': 'Use the host name the server certificate is issued for (its subjectAltName) in the credential\u2019s server URL.',
	'tls-untrusted': 'Paste the CA certificate that signed the directory\u2019s certificate into the credential\u2019s "CA Certificate (PEM)".',
	'tls-expired': 'The directory\u2019s certificate must be renewed (or the clock of this machine is wrong).',
	'tls-handshake': 'Check that the port speaks TLS (ldaps:// usually 636) or use ldap:// with StartTLS.',
	'starttls-refused': 'Use an ldaps:// URL, or enable TLS on the server.',
	'invalid-credentials': 'Check the bind DN or UPN and the password in the LDAP Directory credential.',
	'confidentiality-required': 'The server requires encryption: use an ldaps:// URL or turn on StartTLS in the credential.',
	'operation-timeout': 'Raise the operation timeout in the credential, narrow the scope, or lower the page size.',
	'connection-lost': 'Run the workflow again once the server is reachable; nothing was changed and no one was disabled.',
	'size-limit': 'Narrow the scope, or raise the server limit for paged searches (OpenLDAP: limits size.prtotal; AD: MaxPageSize).',
	'time-limit': 'Narrow the scope or raise the server\u2019s time limit; nothing was changed.',
	'admin-limit': 'Narrow the scope or raise the server\u2019s administrative limit; nothing was changed.',
	referral: 'Point the credential at a server that holds the base DN (for AD, a domain controller of that domain or a global catalog).',
	'no-such-object': 'Check the base DN (and group DNs): it does not exist on this server.',
	'group-not-found': 'Check the group DNs: one of them does not exist.',
	'insufficient-access': 'Give the bind account read access to this part of the directory.',
	'bad-filter': 'Fix the Filter parameter: it must be LDAP filter syntax such as (department=Sales).',
	'paging-unsupported': 'The server does not support paged results (RFC 2696); use another server.',
};

/** A directory failure as the node\u2019s error, with what to do about it; the password is never in it. */
export function failureError(node: INode, failure: DirectoryFailure, credential: ICredentialDataDecryptedObject, itemIndex: number, prefix = ''): NodeOperationError {
	const fix = FIXES[failure.code] ?? 'See the message for what the directory answered.';
	return new NodeOperationError(node, scrub(`${prefix}${failure.message}`, credential), {
		itemIndex,
		description: scrub(`${fix} (code: ${failure.code}, during ${failure.phase})`, credential),
	});
}

/** Diagnostics indexed by the entry DN they are about (lower case). */
export function diagnosticsByDn(diagnostics: readonly DirectoryDiagnostic[]): Map<string, DirectoryDiagnostic[]> {
	const map = new Map<string, DirectoryDiagnostic[]>();
	for (const d of diagnostics) {
		const key = d.path.toLowerCase();
		const list = map.get(key);
		if (list) list.push(d);
		else map.set(key, [d]);
	}
	return map;
}

/** The certificates published for each owner, as short summaries (the certificate itself stays out of items). */
export function certificatesByOwner(identities: readonly CertificateIdentity[]): Map<string, IDataObject[]> {
	const map = new Map<string, IDataObject[]>();
	for (const c of identities) {
		const summary: IDataObject = { fingerprint: c.fingerprint, subject: c.info.subject, issuer: c.info.issuer, notAfter: c.info.notAfter, validNow: c.validNow };
		const list = map.get(c.ownerId);
		if (list) list.push(summary);
		else map.set(c.ownerId, [summary]);
	}
	return map;
}

/** An owner as item JSON (the Owner shape the EAS Profile node's Build reads from `{{ $json }}`), plus what concerns its entry. */
export function ownerJson(owner: Owner, byDn: Map<string, DirectoryDiagnostic[]>, certificates: Map<string, IDataObject[]>): IDataObject {
	const json = JSON.parse(JSON.stringify(owner)) as IDataObject;
	const dn = owner.attributes?.dn;
	json.diagnostics = (dn !== undefined ? byDn.get(dn.toLowerCase()) ?? [] : []).map((d) => ({ ...d }));
	const certs = certificates.get(owner.id);
	if (certs) json.certificates = certs;
	return json;
}

/** Run-level warnings (not about one owner) shown above the node's output in the editor. */
export function addRunHints(ctx: IExecuteFunctions, diagnostics: readonly DirectoryDiagnostic[], ownerDns: ReadonlySet<string>): void {
	const general = diagnostics.filter((d) => !ownerDns.has(d.path.toLowerCase()));
	if (general.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	const shown = general.slice(0, 5).map((d) => ({ message: `${d.code}: ${d.message}`, type: d.severity === 'error' ? ('danger' as const) : ('warning' as const), location: 'outputPane' as const }));
	if (general.length > 5) shown.push({ message: `${general.length - 5} more directory diagnostics: choose Output "Summary" to see them all`, type: 'warning', location: 'outputPane' });
	ctx.addExecutionHints(...shown);
}
