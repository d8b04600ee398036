import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { LdapDirectoryType } from './node.type';
import * as owner from './owner';

type Operation = { execute: (this: IExecuteFunctions, i: number) => Promise<INodeExecutionData[]>; runOnce?: boolean };

const resources: Record<LdapDirectoryType['resource'], Record<string, Operation>> = {
	owner: owner.operations,
};

/** One loop over the items, dispatching each to its operation; continueOnFail is handled here only. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const resource = this.getNodeParameter('resource', i) as LdapDirectoryType['resource'];
		const operation = this.getNodeParameter('operation', i) as string;
		const op = resources[resource]?.[operation];
		if (!op) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, { itemIndex: i });
		}
		if (op.runOnce === true && i > 0) break;
		try {
			out.push(...(await op.execute.call(this, i)));
		} catch (error) {
			if (this.continueOnFail()) {
				out.push({ json: { error: (error as Error).message, ...(error instanceof NodeOperationError && error.description ? { description: error.description } : {}) }, pairedItem: { item: i } });
				continue;
			}
			// NodeOperationError returns an existing NodeOperationError as is, so operations keep their descriptions.
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
		}
	}
	return [out];
}
