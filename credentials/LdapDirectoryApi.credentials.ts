import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** How to reach and bind to an Active Directory or OpenLDAP server; tested by the LDAP Directory Owners node. */
export class LdapDirectoryApi implements ICredentialType {
	name = 'ldapDirectoryApi';

	displayName = 'LDAP Directory API';

	icon: Icon = { light: 'file:ldapDirectory.svg', dark: 'file:ldapDirectory.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-eas-profiles/n8n-nodes-eas-profiles#ldap-directory-owners';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ldaps://dc1.corp.example.com:636',
			description:
				'ldaps://host[:port] (TLS from the start), or ldap://host[:port] with StartTLS below. Plain ldap:// without StartTLS sends the password unencrypted: for development only.',
		},
		{
			displayName: 'StartTLS',
			name: 'startTls',
			type: 'boolean',
			default: false,
			description: 'Whether to upgrade an ldap:// connection with StartTLS before binding (not for ldaps:// URLs, which are encrypted already)',
		},
		{
			displayName: 'CA Certificate (PEM)',
			name: 'publicCaCertificate',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'The CA certificate(s) that signed the server certificate, when it is not in the system trust store (e.g. your AD Certificate Services root)',
		},
		{
			displayName: 'Bind DN or UPN',
			name: 'bindDn',
			type: 'string',
			default: '',
			placeholder: 'CN=svc-n8n,OU=Service Accounts,DC=corp,DC=example,DC=com or svc-n8n@corp.example.com',
			description: 'The account that reads the directory: a DN, or on Active Directory a user principal name; empty for an anonymous read',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Connect Timeout (Seconds)',
			name: 'connectTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10,
			description: 'How long to wait for the TCP and TLS connection',
		},
		{
			displayName: 'Operation Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'How long the bind and each page of a search may take',
		},
	];
}
