import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** The certificate and private key that sign configuration profiles, as PEM or as a PKCS#12 file. */
export class EasSigningIdentityApi implements ICredentialType {
	name = 'easSigningIdentityApi';

	displayName = 'EAS Profile Signing Identity API';

	icon: Icon = { light: 'file:easSigningIdentity.svg', dark: 'file:easSigningIdentity.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-eas-profiles/n8n-nodes-eas-profiles#the-n8n-nodes';

	properties: INodeProperties[] = [
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: [
				{ name: 'PEM Certificate and Key', value: 'pem' },
				{ name: 'PKCS#12 (.P12 / .Pfx)', value: 'pkcs12' },
			],
			default: 'pem',
		},
		{
			displayName: 'Certificate (PEM)',
			name: 'publicCertificate',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'The signing certificate, optionally followed by its intermediate CA certificates',
			displayOptions: { show: { format: ['pem'] } },
		},
		{
			displayName: 'Private Key (PEM)',
			name: 'privateKey',
			type: 'string',
			typeOptions: { rows: 6, password: true },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'The private key of the signing certificate (PKCS#8 or PKCS#1, encrypted or not)',
			displayOptions: { show: { format: ['pem'] } },
		},
		{
			displayName: 'PKCS#12 File (Base64)',
			name: 'pkcs12WithPrivateKey',
			type: 'string',
			typeOptions: { rows: 4, password: true },
			default: '',
			description: 'The .p12 or .pfx file encoded as base64 (for example the output of "base64 -w0 signer.p12")',
			displayOptions: { show: { format: ['pkcs12'] } },
		},
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Passphrase of the PKCS#12 file or of an encrypted private key; leave empty if there is none',
		},
		{
			displayName: 'Extra Chain Certificates (PEM)',
			name: 'chain',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			description: 'Intermediate CA certificates to include in every signature, when the certificate above does not carry them',
		},
	];
}
