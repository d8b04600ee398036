import type { INodeProperties } from 'n8n-workflow';
import * as importCsv from './importCsv.operation';
import * as reconcile from './reconcile.operation';

/** Operations of the Owner resource, by their parameter value. */
export const operations = { importCsv, reconcile };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['owner'] } },
		options: [
			{
				name: 'Import From CSV',
				value: 'importCsv',
				description:
					'Read device owners from a CSV file in a binary field: one item per owner; all or nothing, with line and column for every problem',
				action: 'Import owners from CSV',
			},
			{
				name: 'Reconcile',
				value: 'reconcile',
				description:
					'Compare all input owners (the desired set) with the previous set: one item per owner with create, update (changed fields), disable or unchanged',
				action: 'Reconcile owners',
			},
		],
		default: 'importCsv',
	},
	...importCsv.description,
	...reconcile.description,
];
