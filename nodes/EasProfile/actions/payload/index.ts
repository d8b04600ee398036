import type { INodeProperties } from 'n8n-workflow';
import * as validate from './validate.operation';

/** Operations of the Payload resource, by their parameter value. */
export const operations = { validate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payload'] } },
		options: [
			{
				name: 'Validate',
				value: 'validate',
				description: 'Check an Exchange ActiveSync payload against Apple\u2019s schema and admin rules',
				action: 'Validate payload',
			},
		],
		default: 'validate',
	},
	...validate.description,
];
