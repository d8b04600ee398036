import type { INodeProperties } from 'n8n-workflow';
import * as build from './build.operation';
import * as inspect from './inspect.operation';

/** Operations of the Profile resource, by their parameter value. */
export const operations = { build, inspect };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['profile'] } },
		options: [
			{
				name: 'Build',
				value: 'build',
				description: 'Build the owner\u2019s .mobileconfig from a payload template: stable identifiers, signed, optionally encrypted to the device',
				action: 'Build a profile',
			},
			{
				name: 'Inspect',
				value: 'inspect',
				description: 'Read a .mobileconfig: signer, signature and chain, expiry, payloads and their diagnostics',
				action: 'Inspect a profile',
			},
		],
		default: 'build',
	},
	...build.description,
	...inspect.description,
];
