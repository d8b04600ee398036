import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { EAS_CATALOG, validate } from '../../../../core/eas';
import { editableFields, fieldToProperty, platformOptions } from '../../shared/catalogProperties';

const show = { resource: ['payload'], operation: ['validate'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Payload Source',
		name: 'payloadSource',
		type: 'options',
		options: [
			{ name: 'Define Below', value: 'fields', description: 'Set the payload fields in this node' },
			{ name: 'JSON', value: 'json', description: 'Take the payload as JSON, e.g. from a previous node' },
		],
		default: 'json',
		displayOptions: { show },
	},
	{
		displayName: 'Payload (JSON)',
		name: 'payloadJson',
		type: 'json',
		default: '={{ $json.payload }}',
		description: 'The EAS payload as a JSON object, with keys as in Apple\u2019s com.apple.eas.account (Host, EmailAddress, UserName, OAuth, …)',
		displayOptions: { show: { ...show, payloadSource: ['json'] } },
	},
	{
		displayName: 'Payload Fields',
		name: 'payloadFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Fields of the EAS payload; owner variables such as {{email}} are allowed in text fields',
		options: editableFields().map(fieldToProperty),
		displayOptions: { show: { ...show, payloadSource: ['fields'] } },
	},
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

const SECRET_KEYS = new Set(EAS_CATALOG.fields.filter((f) => f.secret).map((f) => f.key));

/** The payload without secrets, so that an output item never carries a password. */
function withoutSecrets(payload: unknown): unknown {
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
	return Object.fromEntries(Object.entries(payload).filter(([k]) => !SECRET_KEYS.has(k)));
}

function readPayload(this: IExecuteFunctions, i: number): unknown {
	if (this.getNodeParameter('payloadSource', i) === 'fields') {
		const fields = this.getNodeParameter('payloadFields', i, {}) as IDataObject;
		const dictionaries = new Set(EAS_CATALOG.fields.filter((f) => f.type === 'dictionary').map((f) => f.key));
		return Object.fromEntries(
			Object.entries(fields).map(([k, v]) => [k, dictionaries.has(k) && typeof v === 'string' ? parseJson.call(this, v, i, k) : v]),
		);
	}
	const raw = this.getNodeParameter('payloadJson', i) as unknown;
	return typeof raw === 'string' ? parseJson.call(this, raw, i, 'Payload (JSON)') : raw;
}

function parseJson(this: IExecuteFunctions, text: string, i: number, what: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new NodeOperationError(this.getNode(), `${what} is not valid JSON`, {
			itemIndex: i,
			description: 'Give a JSON object such as {"Host": "mail.example.com"}, or an expression that returns one.',
		});
	}
}

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
