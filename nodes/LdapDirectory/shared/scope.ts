import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { AttributeMap, PresetOverrides, ReadOwnersOptions } from '../../../core/directory';
import { connectionFromCredential } from './connection';

export const CREDENTIAL = 'ldapDirectoryApi';

const MAPPABLE: readonly { name: string; value: keyof AttributeMap }[] = [
	{ name: 'Certificate', value: 'certificate' },
	{ name: 'Display Name', value: 'displayName' },
	{ name: 'E-Mail', value: 'email' },
	{ name: 'E-Mail Aliases', value: 'aliases' },
	{ name: 'First Name', value: 'firstName' },
	{ name: 'Groups (memberOf)', value: 'memberOf' },
	{ name: 'ID (Stable)', value: 'id' },
	{ name: 'Last Name', value: 'lastName' },
	{ name: 'UPN', value: 'upn' },
	{ name: 'Username', value: 'username' },
];

/** The scope parameters Read Owners and Sync Owners share: which directory product, where, which people. */
export function scopeProperties(operations: string[]): INodeProperties[] {
	const show = { resource: ['owner'], operation: operations };
	return [
		{
			displayName: 'Directory Type',
			name: 'preset',
			type: 'options',
			options: [
				{
					name: 'Active Directory',
					value: 'ad',
					description: 'User objects; objectGUID, sAMAccountName, userPrincipalName, mail, proxyAddresses; disabled by userAccountControl; nested groups by the in-chain rule',
				},
				{
					name: 'OpenLDAP',
					value: 'openldap',
					description: 'InetOrgPerson entries; entryUUID, uid, mail, cn; disabled by pwdAccountLockedTime; nested groups expanded by the node',
				},
			],
			default: 'ad',
			displayOptions: { show },
		},
		{
			displayName: 'Base DN',
			name: 'baseDn',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'OU=Staff,DC=corp,DC=example,DC=com',
			description: 'Where to search for people (the whole subtree below it)',
			displayOptions: { show },
		},
		{
			displayName: 'Filter',
			name: 'filter',
			type: 'string',
			default: '',
			placeholder: '(department=Sales)',
			description:
				'Extra LDAP filter ANDed with the directory type\u2019s user filter. Write it yourself; do not paste values from items into it (use "Look Up" of Read Owners, which escapes them).',
			displayOptions: { show },
		},
		{
			displayName: 'Groups',
			name: 'groups',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'CN=Mobile Mail,OU=Groups,DC=corp,DC=example,DC=com',
			description: 'Only members of these groups, also through nested groups; one group DN per line. Empty: everyone in the base DN.',
			displayOptions: { show },
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 5000 },
			default: 500,
			description: 'Entries per page of the paged search (RFC 2696); every page is read, nothing is cut off',
			displayOptions: { show },
		},
		{
			displayName: 'Directory Options',
			name: 'directoryOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options: [
				{
					displayName: 'Attribute Mapping',
					name: 'mapping',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: {},
					description: 'Read an owner field from another attribute than the directory type\u2019s default',
					options: [
						{
							displayName: 'Mapping',
							name: 'mapping',
							values: [
								{ displayName: 'Owner Field', name: 'field', type: 'options', options: [...MAPPABLE], default: 'email' },
								{
									displayName: 'Attribute',
									name: 'attribute',
									type: 'string',
									default: '',
									placeholder: 'userPrincipalName',
									description: 'LDAP attribute name; empty removes an optional field',
								},
							],
						},
					],
				},
				{
					displayName: 'Disabled When Attribute Is Present',
					name: 'disabledAttribute',
					type: 'string',
					default: '',
					placeholder: 'pwdAccountLockedTime',
					description: 'Counts an entry as a disabled account when it has this attribute (replaces the directory type\u2019s rule)',
				},
				{
					displayName: 'Domain (NetBIOS)',
					name: 'domain',
					type: 'string',
					default: '',
					placeholder: 'CORP',
					description: 'Written into each owner, for DOMAIN\\user sign-in in the mail profile',
				},
				{
					displayName: 'Extra Attributes',
					name: 'extraAttributes',
					type: 'string',
					default: '',
					placeholder: 'department, employeeID',
					description: 'Comma-separated attributes copied as they are into each owner\u2019s attributes',
				},
				{
					displayName: 'Group Search Base DN',
					name: 'groupBaseDn',
					type: 'string',
					default: '',
					description: 'Where nested groups are looked for when the node expands them (OpenLDAP); default: the domain root of the base DN',
				},
			],
		},
	];
}

interface DirectoryOptions {
	mapping?: { mapping?: { field: keyof AttributeMap; attribute: string }[] };
	disabledAttribute?: string;
	domain?: string;
	extraAttributes?: string;
	groupBaseDn?: string;
}

/** Everything Read Owners and Sync Owners pass to core/directory, from the item's parameters and the credential. */
export async function readOptions(this: IExecuteFunctions, i: number): Promise<ReadOwnersOptions> {
	const credential = await this.getCredentials(CREDENTIAL);
	const connection = connectionFromCredential(credential);
	if (connection.url === '') {
		throw new NodeOperationError(this.getNode(), 'The LDAP Directory credential has no server URL', {
			itemIndex: i,
			description: 'Open the credential and give ldaps://host[:port] or ldap://host[:port].',
		});
	}
	const preset = this.getNodeParameter('preset', i, 'ad') as 'ad' | 'openldap';
	const baseDn = (this.getNodeParameter('baseDn', i, '') as string).trim();
	if (baseDn === '') {
		throw new NodeOperationError(this.getNode(), 'No base DN', { itemIndex: i, description: 'Give the DN to search below, e.g. OU=Staff,DC=corp,DC=example,DC=com.' });
	}
	const filter = (this.getNodeParameter('filter', i, '') as string).trim();
	const groups = (this.getNodeParameter('groups', i, '') as string)
		.split(/\r?\n/)
		.map((g) => g.trim())
		.filter((g) => g !== '');
	const pageSize = this.getNodeParameter('pageSize', i, 500) as number;
	const o = this.getNodeParameter('directoryOptions', i, {}) as DirectoryOptions;
	const attributes: Partial<Record<keyof AttributeMap, string>> = {};
	for (const m of o.mapping?.mapping ?? []) attributes[m.field] = m.attribute.trim();
	const extra = (o.extraAttributes ?? '')
		.split(',')
		.map((a) => a.trim())
		.filter((a) => a !== '');
	const overrides: PresetOverrides = {
		...(Object.keys(attributes).length > 0 ? { attributes } : {}),
		...(o.disabledAttribute?.trim() ? { disabled: { kind: 'present' as const, attribute: o.disabledAttribute.trim() } } : {}),
		...(extra.length > 0 ? { extraAttributes: extra } : {}),
	};
	return {
		connection,
		baseDn,
		preset,
		overrides,
		...(filter !== '' ? { filter } : {}),
		groups,
		pageSize,
		...(o.domain?.trim() ? { domain: o.domain.trim() } : {}),
		...(o.groupBaseDn?.trim() ? { groupBaseDn: o.groupBaseDn.trim() } : {}),
	};
}
