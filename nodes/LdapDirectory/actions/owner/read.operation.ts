import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { equalityFilter, readOwners, resolvePreset, type AttributeMap } from '../../../../core/directory';
import { CREDENTIAL, readOptions, scopeProperties } from '../../shared/scope';
import { addRunHints, certificatesByOwner, diagnosticsByDn, failureError, ownerJson } from '../../shared/output';

const show = { resource: ['owner'], operation: ['read'] };

export const description: INodeProperties[] = [
	...scopeProperties(['read']),
	{
		displayName: 'Look Up',
		name: 'lookup',
		type: 'options',
		options: [
			{ name: 'Everyone in Scope', value: 'all' },
			{ name: 'One Person by E-Mail', value: 'email', description: 'Matches the e-mail attribute, and on Active Directory also the smtp: aliases' },
			{ name: 'One Person by UPN', value: 'upn' },
			{ name: 'One Person by Username', value: 'username' },
		],
		default: 'all',
		description: 'Whether to read everyone in scope or look up one person; the value is escaped (RFC 4515), so it can safely come from an item',
		displayOptions: { show },
	},
	{
		displayName: 'Value',
		name: 'lookupValue',
		type: 'string',
		default: '',
		placeholder: 'jane.doe@example.com',
		description: 'The e-mail address, UPN or username to look up; usually an expression reading it from the incoming item (for a webhook: its body)',
		displayOptions: { show: { ...show, lookup: ['email', 'upn', 'username'] } },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Owner', value: 'owners', description: 'The owner (as the EAS Profile node\u2019s Build reads it) with the diagnostics of its entry' },
			{ name: 'Summary', value: 'summary', description: 'One item with all owners, skipped entries, every diagnostic and the watermark' },
		],
		default: 'owners',
		displayOptions: { show },
	},
];

type LookupField = 'email' | 'upn' | 'username';

function lookupFilter(this: IExecuteFunctions, i: number, preset: 'ad' | 'openldap', overrides: Parameters<typeof resolvePreset>[1]): string | undefined {
	const field = this.getNodeParameter('lookup', i, 'all') as 'all' | LookupField;
	if (field === 'all') return undefined;
	const value = String(this.getNodeParameter('lookupValue', i, '') ?? '').trim();
	if (value === '') {
		throw new NodeOperationError(this.getNode(), `Nothing to look up: the ${field} value is empty`, {
			itemIndex: i,
			description: 'Map "Value" to the field of the incoming item that holds it, e.g. {{ $json.body.email }}.',
		});
	}
	const attributes: AttributeMap = resolvePreset(preset, overrides).attributes;
	const attribute = attributes[field];
	if (attribute === undefined) {
		throw new NodeOperationError(this.getNode(), `The directory type has no ${field} attribute to look up`, { itemIndex: i, description: 'Map the field under Directory Options → Attribute Mapping.' });
	}
	const exact = equalityFilter(attribute, value);
	// AD keeps secondary addresses in proxyAddresses as "smtp:addr" (matching is case-insensitive there).
	if (field === 'email' && attributes.aliases !== undefined) return `(|${exact}${equalityFilter(attributes.aliases, `smtp:${value}`)})`;
	return exact;
}

/** Reads the owners in scope (or looks one up): one item per owner, or one summary item. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const options = await readOptions.call(this, i);
	const lookup = lookupFilter.call(this, i, options.preset as 'ad' | 'openldap', options.overrides);
	const filter = lookup === undefined ? options.filter : options.filter === undefined ? lookup : `(&${options.filter.startsWith('(') ? options.filter : `(${options.filter})`}${lookup})`;
	const result = await readOwners({ ...options, ...(filter !== undefined ? { filter } : {}) });
	if (!result.ok) {
		throw failureError(this.getNode(), result.failure, await this.getCredentials(CREDENTIAL), i, 'Reading owners failed: ');
	}
	const byDn = diagnosticsByDn(result.diagnostics);
	const certificates = certificatesByOwner(result.identities);
	const owners = result.owners.map((o) => ownerJson(o, byDn, certificates));
	addRunHints(this, result.diagnostics, new Set(result.owners.map((o) => (o.attributes?.dn ?? '').toLowerCase())));
	if ((this.getNodeParameter('output', i, 'owners') as string) === 'summary') {
		const json: IDataObject = {
			count: owners.length,
			owners,
			skipped: result.skipped.map((s) => ({ ...s })),
			diagnostics: result.diagnostics.map((d) => ({ ...d })),
			entries: result.entries,
			transport: result.transport,
			...(result.watermark ? { watermark: { ...result.watermark } } : {}),
		};
		return [{ json, pairedItem: { item: i } }];
	}
	return owners.map((json) => ({ json, pairedItem: { item: i } }));
}
