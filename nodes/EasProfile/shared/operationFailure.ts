import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { isPlainObject } from '../../../core/eas';

/**
 * A NodeOperationError that also carries structured details (diagnostics, counts) in its context. The router puts
 * them into the error item when the node continues on fail, so a workflow can branch on them instead of parsing text.
 */
export function operationFailure(node: INode, message: string, options: { itemIndex?: number; description: string; details: IDataObject }): NodeOperationError {
	const error = new NodeOperationError(node, message, { ...(options.itemIndex === undefined ? {} : { itemIndex: options.itemIndex }), description: options.description });
	error.context.details = options.details;
	return error;
}

/** The structured details of a failure made by {@link operationFailure}, or none. */
export function failureDetails(error: unknown): IDataObject {
	if (!(error instanceof NodeOperationError)) return {};
	const details = error.context.details;
	return isPlainObject(details) ? (details as IDataObject) : {};
}
