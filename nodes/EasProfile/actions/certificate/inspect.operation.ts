import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { checkIdentity, CertReadError, inspectBundle, readCertificateFile, type IdentityRole } from '../../../../core/certs';
import { isPlainObject } from '../../../../core/eas';
import type { Owner } from '../../../../core/owners';
import { binaryFileName, certificatePassphrase } from '../../shared/certificatePassphrase';
import { certificateReadFailure, roleOptions } from '../../shared/certificateErrors';
import { ownerOf } from '../../shared/ownerInput';

const show = { resource: ['certificate'], operation: ['inspect'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary field holding the file: PKCS#12 (.p12/.pfx), or a PEM or DER certificate, with or without its key',
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
				displayName: 'Check Against Owner',
				name: 'owner',
				type: 'json',
				default: '',
				description:
					'The owner the identity is meant for: an owner object or just an e-mail address; its e-mail or UPN must be in the certificate',
			},
			{
				displayName: 'Roles',
				name: 'roles',
				type: 'multiOptions',
				options: roleOptions,
				default: ['eas-client'],
				description: 'What the identity will be used for; the certificate\u2019s key usages are checked for each',
			},
			{
				displayName: 'Warn Days Before Expiry',
				name: 'warnDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30,
				description: 'A certificate expiring within this many days gets an expiring-soon warning',
			},
		],
	},
];

interface InspectOptions {
	owner?: unknown;
	roles?: IdentityRole[];
	warnDays?: number;
}

function ownerToCheck(this: IExecuteFunctions, raw: unknown, i: number): Pick<Owner, 'email' | 'upn'> | undefined {
	let value = raw;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return undefined;
		if (!text.startsWith('{')) return { email: text };
		try {
			value = JSON.parse(text) as unknown;
		} catch {
			throw new NodeOperationError(this.getNode(), 'Check Against Owner is not valid JSON', { itemIndex: i, description: 'Give an owner object or an e-mail address.' });
		}
	}
	if (value === undefined || value === null) return undefined;
	if (!isPlainObject(value)) throw new NodeOperationError(this.getNode(), 'Check Against Owner is not an owner', { itemIndex: i, description: 'Give an owner object or an e-mail address.' });
	return ownerOf.call(this, value, i, 'Check Against Owner');
}

/** Describes the item's certificate file; with an owner and roles, checks that the identity fits them. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const property = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const bytes = await this.helpers.getBinaryDataBuffer(i, property);
	const fileName = binaryFileName(this, i, property);
	const options = this.getNodeParameter('options', i, {}) as InspectOptions;
	const password = await certificatePassphrase(this, i);
	let bundle;
	try {
		bundle = readCertificateFile(bytes, { fileName, ...(password ? { password } : {}) });
	} catch (error) {
		if (error instanceof CertReadError) throw certificateReadFailure(this.getNode(), error, i);
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
	}
	const owner = ownerToCheck.call(this, options.owner, i);
	const inspection = inspectBundle(bundle);
	const leaf = inspection.certificates[inspection.leafIndex];
	// A file with a key is checked as an identity (key present and matching); a bare certificate only for its dates and usages.
	const diagnostics = bundle.leaf
		? checkIdentity(bundle.privateKey ? bundle : bundle.leaf, owner, options.roles ?? ['eas-client'], { ...(options.warnDays === undefined ? {} : { warnDays: options.warnDays }) })
		: [];
	const json: IDataObject = JSON.parse(
		JSON.stringify({
			fileName,
			format: inspection.format,
			...(leaf ?? {}),
			hasPrivateKey: inspection.hasPrivateKey,
			keyMatchesCertificate: inspection.keyMatchesCertificate,
			valid: !diagnostics.some((d) => d.severity === 'error'),
			diagnostics,
			certificates: inspection.certificates,
		}),
	) as IDataObject;
	return [{ json, pairedItem: { item: i } }];
}
