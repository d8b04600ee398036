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
import * as certificate from './actions/certificate';
import * as owner from './actions/owner';
import * as payload from './actions/payload';
import * as profile from './actions/profile';
import { router } from './actions/router';
import { testPassphraseCredential } from './shared/passphraseTest';
import { signerFromCredential } from './shared/signingIdentity';

export class EasProfile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'EAS Profile',
		name: 'easProfile',
		icon: { light: 'file:easProfile.svg', dark: 'file:easProfile.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Validate and build Exchange ActiveSync (EAS) mail profiles for managed iPhones, iPads and Android devices; import and reconcile device owners; inspect and match their certificates',
		defaults: { name: 'EAS Profile' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{
				name: 'easSigningIdentityApi',
				required: true,
				testedBy: 'easSigningIdentityTest',
				displayOptions: { show: { resource: ['profile'], operation: ['build'], sign: [true] } },
			},
			{
				name: 'easCertificatePassphraseApi',
				required: true,
				testedBy: 'easCertificatePassphraseTest',
				// usePassphrase is shown for the Certificate operations and for Build with an owner identity.
				displayOptions: { show: { usePassphrase: [true] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Certificate', value: 'certificate', description: 'An owner\u2019s identity certificate file (PKCS#12, PEM or DER)' },
					{ name: 'Owner', value: 'owner', description: 'The people devices belong to, from an HR or directory export' },
					{ name: 'Payload', value: 'payload', description: 'An Exchange ActiveSync mail payload' },
					{ name: 'Profile', value: 'profile', description: 'A configuration profile (.mobileconfig) for one device owner' },
				],
				default: 'payload',
			},
			...payload.description,
			...profile.description,
			...owner.description,
			...certificate.description,
		],
	};

	methods = {
		credentialTest: {
			async easSigningIdentityTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				try {
					const signer = signerFromCredential(credential.data ?? {});
					return { status: 'OK', message: `Signs as ${signer.certificate.subject.replace(/\n/g, ', ')} until ${new Date(signer.certificate.validTo).toISOString().slice(0, 10)}` };
				} catch (error) {
					// Messages of core/certs and core/profiles name the credential and the problem, never a secret.
					return { status: 'Error', message: (error as Error).message };
				}
			},
			async easCertificatePassphraseTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return testPassphraseCredential(credential.data ?? {});
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
