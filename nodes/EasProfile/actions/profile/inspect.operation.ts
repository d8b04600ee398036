import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { readCertificateFile } from '../../../../core/certs';
import { inspect } from '../../../../core/profiles';

const show = { resource: ['profile'], operation: ['inspect'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary field holding the .mobileconfig (unsigned, signed or encrypted)',
		displayOptions: { show },
	},
	{
		displayName: 'Trusted CA Certificates (PEM)',
		name: 'caCertificates',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: '-----BEGIN CERTIFICATE-----',
		description: 'CA certificates the signer must chain to; empty: only a root inside the profile is used, if any',
		displayOptions: { show },
	},
];

/** Inspects the item's profile: signer, signature and chain, payloads and their diagnostics. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const property = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const bytes = await this.helpers.getBinaryDataBuffer(i, property);
	const caText = (this.getNodeParameter('caCertificates', i, '') as string).trim();
	let ca;
	try {
		ca = caText === '' ? undefined : [...readCertificateFile(Buffer.from(caText, 'utf8'), { fileName: 'Trusted CA Certificates' }).certificates];
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i, description: 'Paste one or more PEM certificates.' });
	}
	const report = inspect(bytes, ca ? { ca } : {});
	return [{ json: JSON.parse(JSON.stringify(report)) as IDataObject, pairedItem: { item: i } }];
}
