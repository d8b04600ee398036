import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** The passphrase of owners' PKCS#12 files (or encrypted PEM keys), kept out of node parameters. */
export class EasCertificatePassphraseApi implements ICredentialType {
	name = 'easCertificatePassphraseApi';

	displayName = 'EAS Certificate Passphrase API';

	icon: Icon = { light: 'file:easCertificatePassphrase.svg', dark: 'file:easCertificatePassphrase.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-eas-profiles/n8n-nodes-eas-profiles#the-n8n-nodes';

	properties: INodeProperties[] = [
		{
			displayName: 'Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Passphrase of the certificate files (.p12/.pfx, encrypted PEM keys); files without one are read as well',
		},
		{
			displayName: 'Sample PKCS#12 File (Base64)',
			name: 'samplePkcs12WithPrivateKey',
			type: 'string',
			typeOptions: { rows: 3, password: true },
			default: '',
			description:
				'Optional: one .p12 file protected by this passphrase, as base64 (e.g. "base64 -w0 alice.p12"). Only the credential test uses it, to check the passphrase opens it; without it the test only checks the passphrase is set.',
		},
	];
}
