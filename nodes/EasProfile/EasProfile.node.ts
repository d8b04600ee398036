import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as payload from './actions/payload';
import { router } from './actions/router';

export class EasProfile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'EAS Profile',
		name: 'easProfile',
		icon: { light: 'file:easProfile.svg', dark: 'file:easProfile.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Validate and build Exchange ActiveSync (EAS) mail profiles for managed iPhones, iPads and Android devices',
		defaults: { name: 'EAS Profile' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Payload', value: 'payload', description: 'An Exchange ActiveSync mail payload' }],
				default: 'payload',
			},
			...payload.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
