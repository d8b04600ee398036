import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { EAS_CATALOG } from '../../../core/eas';
import { editableFields, fieldToProperty } from './catalogProperties';

/** The payload parameters (JSON or catalog-generated fields), shown for the given resource and operations. */
export function payloadInputProperties(resource: string, operations: string[], jsonDescription: string): INodeProperties[] {
	const show = { resource: [resource], operation: operations };
	return [
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
			description: jsonDescription,
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
	];
}

/** Parses JSON text from a parameter, failing with the item index and a hint. */
export function parseJsonParameter(this: IExecuteFunctions, text: string, i: number, what: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new NodeOperationError(this.getNode(), `${what} is not valid JSON`, {
			itemIndex: i,
			description: 'Give a JSON object such as {"Host": "mail.example.com"}, or an expression that returns one.',
		});
	}
}

const DICTIONARIES = new Set(EAS_CATALOG.fields.filter((f) => f.type === 'dictionary').map((f) => f.key));

/** The payload of item `i`, from JSON or from the fields set in the node. */
export function readPayload(this: IExecuteFunctions, i: number): unknown {
	if (this.getNodeParameter('payloadSource', i) === 'fields') {
		const fields = this.getNodeParameter('payloadFields', i, {}) as IDataObject;
		return Object.fromEntries(
			Object.entries(fields).map(([k, v]) => [k, DICTIONARIES.has(k) && typeof v === 'string' ? parseJsonParameter.call(this, v, i, k) : v]),
		);
	}
	const raw = this.getNodeParameter('payloadJson', i) as unknown;
	return typeof raw === 'string' ? parseJsonParameter.call(this, raw, i, 'Payload (JSON)') : raw;
}

const SECRET_KEYS = new Set(EAS_CATALOG.fields.filter((f) => f.secret).map((f) => f.key));

/** The payload without secrets, so that an output item never carries a password. */
export function withoutSecrets(payload: unknown): unknown {
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
	return Object.fromEntries(Object.entries(payload).filter(([k]) => !SECRET_KEYS.has(k)));
}
