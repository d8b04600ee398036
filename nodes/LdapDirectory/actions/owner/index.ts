import type { INodeProperties } from 'n8n-workflow';
import * as read from './read.operation';
import * as sync from './sync.operation';

/** Operations of the Owner resource, by their parameter value. */
export const operations = { read, sync };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['owner'] } },
		options: [
			{
				name: 'Read Owners',
				value: 'read',
				description: 'Read the people in scope (or look one up) as device owners, with paged search and diagnostics',
				action: 'Read owners',
			},
			{
				name: 'Sync Owners',
				value: 'sync',
				description: 'Compare the directory with the last run: owners to create, update and disable; state kept in the workflow',
				action: 'Sync owners',
			},
		],
		default: 'read',
	},
	...read.description,
	...sync.description,
];
