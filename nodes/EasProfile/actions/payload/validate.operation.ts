import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { validate } from '../../../../core/eas';
import { platformOptions } from '../../shared/catalogProperties';
import { payloadInputProperties, readPayload, withoutSecrets } from '../../shared/payloadInput';

const show = { resource: ['payload'], operation: ['validate'] };

export const description: INodeProperties[] = [
	...payloadInputProperties(
		'payload',
		['validate'],
		'The EAS payload as a JSON object, with keys as in Apple\u2019s com.apple.eas.account (Host, EmailAddress, UserName, OAuth, …)',
	),
	{
		displayName: 'Target Platform',
		name: 'platform',
		type: 'options',
		options: platformOptions(),
		default: 'iOS',
		description: 'Devices the payload is meant for; keys they do not support are reported',
		displayOptions: { show },
	},
	{
		displayName: 'Minimum OS Version',
		name: 'osVersion',
		type: 'string',
		default: '',
		placeholder: '17.0',
		description: 'Oldest OS version among the target devices, like 16.4; empty means the newest release',
		displayOptions: { show },
	},
];

/** Validates one item's payload; the result's diagnostics say what to fix. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const payload = readPayload.call(this, i);
	const osVersion = (this.getNodeParameter('osVersion', i, '') as string).trim();
	const result = validate(payload, {
		platform: this.getNodeParameter('platform', i, 'iOS') as string,
		osVersion: osVersion === '' ? undefined : osVersion,
	});
	const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
	const json: IDataObject = {
		valid: result.valid,
		errorCount: errors,
		warningCount: result.diagnostics.length - errors,
		diagnostics: result.diagnostics.map((d) => ({ ...d })),
		payload: withoutSecrets(payload) as IDataObject,
	};
	return [{ json, pairedItem: { item: i } }];
}
