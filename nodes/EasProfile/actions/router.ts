import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { EasProfileType } from './node.type';
import * as payload from './payload';
import * as profile from './profile';

type Operation = (this: IExecuteFunctions, i: number) => Promise<INodeExecutionData[]>;

const resources: Record<EasProfileType['resource'], Record<string, { execute: Operation }>> = {
	payload: payload.operations,
	profile: profile.operations,
};

/** One loop over the items, dispatching each to its operation; continueOnFail is handled here only. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const resource = this.getNodeParameter('resource', i) as EasProfileType['resource'];
		const operation = this.getNodeParameter('operation', i) as string;
		const op = resources[resource]?.[operation];
		if (!op) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, { itemIndex: i });
		}
		try {
			out.push(...(await op.execute.call(this, i)));
		} catch (error) {
			if (this.continueOnFail()) {
				out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
				continue;
			}
			// NodeOperationError returns an existing NodeOperationError as is, so operations keep their descriptions.
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
		}
	}
	return [out];
}
