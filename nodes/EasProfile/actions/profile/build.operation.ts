import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createHash, X509Certificate } from 'node:crypto';
import { isPlainObject } from '../../../../core/eas';
import { ownerFromRecord } from '../../../../core/owners/record';
import { CertReadError, readCertificateFile, identityOf, Secret } from '../../../../core/certs';
import { buildProfile, packageProfile, profileDiagnostic, type OwnerIdentity, type PayloadTemplate, type Signer } from '../../../../core/profiles';
import { binaryFileName, certificatePassphrase, usePassphraseProperty } from '../../shared/certificatePassphrase';
import { payloadInputProperties, readPayload } from '../../shared/payloadInput';
import { signerFromCredential } from '../../shared/signingIdentity';

const show = { resource: ['profile'], operation: ['build'] };

export const description: INodeProperties[] = [
	...payloadInputProperties(
		'profile',
		['build'],
		'The payload template as JSON; owner variables such as {{email}}, {{username}}, {{upn}} and {{domain}} are filled in per item',
	),
	{
		displayName: 'Owner',
		name: 'owner',
		type: 'json',
		default: '={{ $json }}',
		description:
			'The device owner this item builds a profile for: an object with at least an e-mail address. Column names as in a CSV export work too (E-mail, User Name, sAMAccountName, …).',
		displayOptions: { show },
	},
	{
		displayName: 'Sign Profile',
		name: 'sign',
		type: 'boolean',
		default: true,
		description: 'Whether to sign the profile with the certificate of the "EAS Profile Signing Identity API" credential, so devices show it as verified',
		displayOptions: { show },
	},
	{
		displayName: 'Embed Owner Identity',
		name: 'embedIdentity',
		type: 'boolean',
		default: false,
		description:
			'Whether to embed the owner’s identity certificate (re-encoded for iOS) for client-certificate authentication, or for S/MIME where the template turns it on',
		displayOptions: { show },
	},
	{
		displayName: 'Identity Binary Field',
		name: 'identityBinaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Binary field of the item holding the owner’s identity: PKCS#12, or PEM with certificate and key (e.g. the file from "Match to Owners")',
		displayOptions: { show: { ...show, embedIdentity: [true] } },
	},
	{
		...usePassphraseProperty,
		description:
			'Whether the identity is protected by a passphrase, taken from an "EAS Certificate Passphrase API" credential (never a node parameter)',
		displayOptions: { show: { ...show, embedIdentity: [true] } },
	},
	{
		displayName: 'Output Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary field that receives the .mobileconfig file',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Account Name',
				name: 'account',
				type: 'string',
				default: 'exchange',
				description: 'Short name of the mail account; with the organization and the owner it makes the stable profile identifiers, so keep it unchanged across edits',
			},
			{
				displayName: 'Domain',
				name: 'domain',
				type: 'string',
				default: '',
				placeholder: 'CORP',
				description: 'NetBIOS domain for DOMAIN\\user sign-in, when owners have none of their own (Meraki\u2019s "Domain")',
			},
			{
				displayName: 'Encrypt to Device Certificate Field',
				name: 'deviceCertificateProperty',
				type: 'string',
				default: '',
				placeholder: 'deviceCertificate',
				description:
					'Binary field of the item holding the device\u2019s certificate (PEM or DER); the payloads are then encrypted to that device. Empty: not encrypted.',
			},
			{
				displayName: 'Organization',
				name: 'organization',
				type: 'string',
				default: '',
				description: 'Organization name shown on the profile and part of its stable identifier',
			},
			{
				displayName: 'Profile Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				description: 'Name of the profile in Settings on the device (default: the account name of the payload)',
			},
			{
				displayName: 'Put Identity Passphrase in Profile',
				name: 'embedIdentityPassphrase',
				type: 'boolean',
				default: false,
				description:
					'Whether to store the identity’s passphrase in the profile so that the device does not ask for it; only sensible for profiles encrypted to the device',
			},
		],
	},
];

interface BuildOptions {
	embedIdentityPassphrase?: boolean;
	account?: string;
	domain?: string;
	deviceCertificateProperty?: string;
	organization?: string;
	displayName?: string;
}

/** The signer is read once per execution: every item is signed by the same credential. */
const signers = new WeakMap<IExecuteFunctions, Promise<Signer>>();
function signerFor(ctx: IExecuteFunctions): Promise<Signer> {
	let s = signers.get(ctx);
	if (!s) {
		s = ctx.getCredentials('easSigningIdentityApi').then((data) => signerFromCredential(data));
		signers.set(ctx, s);
	}
	return s;
}

async function deviceCertificate(this: IExecuteFunctions, i: number, property: string): Promise<X509Certificate> {
	const bytes = await this.helpers.getBinaryDataBuffer(i, property);
	try {
		return new X509Certificate(bytes);
	} catch {
		throw new NodeOperationError(this.getNode(), `The binary field "${property}" does not hold a certificate`, {
			itemIndex: i,
			description: 'Give the device\u2019s identity certificate as PEM or DER; the profile is encrypted to it.',
		});
	}
}

/** The owner's identity from a binary field; an unreadable one (wrong passphrase, no key) is a diagnostic for this owner. */
async function ownerIdentity(
	this: IExecuteFunctions,
	i: number,
	property: string,
	includePassword: boolean,
): Promise<{ ok: true; identity: OwnerIdentity } | { ok: false; diagnostic: IDataObject }> {
	const bytes = await this.helpers.getBinaryDataBuffer(i, property);
	const fileName = binaryFileName(this, i, property);
	const passphrase = await certificatePassphrase(this, i);
	try {
		const identity = identityOf(readCertificateFile(bytes, { fileName, ...(passphrase ? { password: passphrase } : {}) }));
		return { ok: true, identity: { identity, passphrase: passphrase ?? new Secret(''), includePassword } };
	} catch (error) {
		// core/certs messages name the file and the problem ("wrong passphrase for alice.p12"), never a secret.
		const message = error instanceof CertReadError ? error.message : `${fileName} cannot be read as an identity`;
		return { ok: false, diagnostic: { ...profileDiagnostic('identity-unreadable', 'identity', message) } };
	}
}

const fileNameFor = (email: string): string => `${email.toLowerCase().replace(/[^a-z0-9@._+-]+/g, '_')}.mobileconfig`;

/** Builds the owner's profile from the template: a binary .mobileconfig plus its identifiers and diagnostics. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const template = readPayload.call(this, i);
	if (!isPlainObject(template)) {
		throw new NodeOperationError(this.getNode(), 'The payload template is not a JSON object', { itemIndex: i });
	}
	const rawOwner = this.getNodeParameter('owner', i) as unknown;
	const record = typeof rawOwner === 'string' ? (JSON.parse(rawOwner) as unknown) : rawOwner;
	if (!isPlainObject(record)) {
		throw new NodeOperationError(this.getNode(), 'The owner is not an object', { itemIndex: i, description: 'Map the Owner parameter to an object with an e-mail address, e.g. {{ $json }}.' });
	}
	const read = ownerFromRecord(record);
	if (!read.ok) {
		const json: IDataObject = { built: false, diagnostics: read.diagnostics.map((d) => ({ code: d.code, severity: d.severity, path: 'owner', message: d.message })) };
		return [{ json, pairedItem: { item: i } }];
	}
	const owner = read.owner;
	const options = this.getNodeParameter('options', i, {}) as BuildOptions;
	const deviceProperty = options.deviceCertificateProperty?.trim();
	const device = deviceProperty ? await deviceCertificate.call(this, i, deviceProperty) : undefined;
	let identity: OwnerIdentity | undefined;
	if (this.getNodeParameter('embedIdentity', i, false) as boolean) {
		const property = this.getNodeParameter('identityBinaryPropertyName', i, 'data') as string;
		const read = await ownerIdentity.call(this, i, property, options.embedIdentityPassphrase ?? false);
		if (!read.ok) return [{ json: { owner: owner.email, built: false, diagnostics: [read.diagnostic] }, pairedItem: { item: i } }];
		identity = read.identity;
	}
	const built = buildProfile(template as PayloadTemplate, owner, {
		...(options.organization ? { organization: options.organization } : {}),
		...(options.account ? { account: options.account } : {}),
		...(options.domain ? { domain: options.domain } : {}),
		...(options.displayName ? { displayName: options.displayName } : {}),
		encrypted: Boolean(device),
	}, identity);
	const diagnostics = built.diagnostics.map((d) => ({ ...d }));
	if (!built.ok) return [{ json: { owner: owner.email, built: false, diagnostics }, pairedItem: { item: i } }];

	const sign = this.getNodeParameter('sign', i, true) as boolean;
	const signer = sign ? await signerFor(this) : undefined;
	const bytes = packageProfile(built, { ...(signer ? { signer } : {}), ...(device ? { encryptTo: device } : {}) });
	const fileName = fileNameFor(owner.email);
	const binaryPropertyName = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const binary = await this.helpers.prepareBinaryData(bytes, fileName, 'application/x-apple-aspen-config');
	const json: IDataObject = {
		owner: owner.email,
		built: true,
		fileName,
		profileIdentifier: built.ids.profileIdentifier,
		profileUuid: built.ids.profileUuid,
		easIdentifier: built.ids.easIdentifier,
		easUuid: built.ids.easUuid,
		...(identity ? { identityUuid: built.ids.identityUuid, identitySubject: identity.identity.certificate.subject.replace(/\n/g, ', ') } : {}),
		contentHash: built.contentHash,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		signed: Boolean(signer),
		encrypted: Boolean(device),
		diagnostics,
	};
	return [{ json, binary: { [binaryPropertyName]: binary }, pairedItem: { item: i } }];
}
