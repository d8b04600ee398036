import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { failureDetails } from '../shared/operationFailure';
import * as certificate from './certificate';
import type { EasProfileType } from './node.type';
import * as owner from './owner';
import * as payload from './payload';
import * as profile from './profile';

/** An operation on one item at a time. */
interface ItemOperation {
	execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]>;
}

/** An operation over the whole input at once (a desired owner set, a batch of certificate files). */
interface SetOperation {
	executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

type Operation = ItemOperation | SetOperation;

const resources: Record<EasProfileType['resource'], Record<string, Operation>> = {
	payload: payload.operations,
	profile: profile.operations,
	owner: owner.operations,
	certificate: certificate.operations,
};

/** The error item that stands for a failure when the node continues on fail, with the failure's structured details. */
function errorItem(error: unknown, pairedItem: INodeExecutionData['pairedItem']): INodeExecutionData {
	const json: IDataObject = { error: (error as Error).message, ...failureDetails(error) };
	return { json, pairedItem };
}

/**
 * Dispatches to the operation: per item (`execute(i)`) or once over all items (`executeAll()`).
 * continueOnFail is handled here only, for both kinds.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	// Resource and operation take no expressions (noDataExpression), so item 0 speaks for all.
	const resource = this.getNodeParameter('resource', 0) as EasProfileType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = resources[resource]?.[operation];
	if (!op) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}

	if ('executeAll' in op) {
		try {
			return [await op.executeAll.call(this)];
		} catch (error) {
			// A set-level failure concerns every input item: one error item, paired with all of them.
			if (this.continueOnFail()) return [[errorItem(error, items.map((_, i) => ({ item: i })))]];
			throw new NodeOperationError(this.getNode(), error as Error);
		}
	}

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			out.push(...(await op.execute.call(this, i)));
		} catch (error) {
			if (this.continueOnFail()) {
				out.push(errorItem(error, { item: i }));
				continue;
			}
			// NodeOperationError returns an existing NodeOperationError as is, so operations keep their descriptions.
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
		}
	}
	return [out];
}
