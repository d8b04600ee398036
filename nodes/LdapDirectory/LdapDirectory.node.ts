import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { checkConnection } from '../../core/directory';
import * as owner from './actions/owner';
import { router } from './actions/router';
import { connectionFromCredential, scrub } from './shared/connection';

export class LdapDirectory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LDAP Directory Owners',
		name: 'ldapDirectory',
		icon: { light: 'file:ldapDirectory.svg', dark: 'file:ldapDirectory.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ ($parameter["operation"] === "sync" ? "Sync Owners" : "Read Owners") + " (" + ($parameter["preset"] === "openldap" ? "OpenLDAP" : "Active Directory") + ")" }}',
		description: 'Read and sync device owners from Active Directory or OpenLDAP: paged, incremental, and never disabling everyone by mistake',
		defaults: { name: 'LDAP Directory Owners' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'ldapDirectoryApi', required: true, testedBy: 'ldapDirectoryConnectionTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Owner', value: 'owner', description: 'A person in the directory who gets a mail profile on their devices' }],
				default: 'owner',
			},
			...owner.description,
		],
	};

	methods = {
		credentialTest: {
			async ldapDirectoryConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const check = await checkConnection(connectionFromCredential(data));
				if (!check.ok) return { status: 'Error', message: scrub(check.failure.message, data) };
				const who = typeof data.bindDn === 'string' && data.bindDn.trim() !== '' ? data.bindDn.trim() : 'anonymous';
				const over = check.transport === 'plain' ? 'plain LDAP (unencrypted: for development only)' : check.transport === 'ldaps' ? 'LDAPS' : 'StartTLS';
				return { status: 'OK', message: scrub(`Connected over ${over}${check.vendor ? ` to ${check.vendor}` : ''} as ${who}`, data) };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
