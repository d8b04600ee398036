import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { isPlainObject } from '../../../core/eas';
import type { Owner } from '../../../core/owners';
import { ownerFromRecord } from '../../../core/owners/record';

const OWNER_KEYS: ReadonlyArray<keyof Owner> = [
	'id', 'username', 'email', 'upn', 'displayName', 'firstName', 'lastName', 'domain', 'groups', 'devices', 'source', 'identityRef', 'disabled', 'attributes',
];

/**
 * An owner from one record (an owner item, a CSV-shaped row, a directory entry), keeping only Owner fields:
 * items often carry extra keys (match status, file names) that must not end up in stored owner sets.
 */
export function ownerOf(this: IExecuteFunctions, record: unknown, itemIndex: number | undefined, what: string): Owner {
	const itemOption = itemIndex === undefined ? {} : { itemIndex };
	if (!isPlainObject(record)) {
		throw new NodeOperationError(this.getNode(), `${what} is not an object`, {
			...itemOption,
			description: 'Give owners as objects with at least an e-mail address, as "Import From CSV" outputs them.',
		});
	}
	const read = ownerFromRecord(record);
	if (!read.ok) {
		const problems = read.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ');
		throw new NodeOperationError(this.getNode(), `${what} is not a usable owner: ${problems}`, {
			...itemOption,
			description: 'Each owner needs a valid e-mail address; column names as in a CSV export (E-mail, User Name, …) are understood.',
		});
	}
	const picked: Record<string, unknown> = {};
	for (const key of OWNER_KEYS) if (read.owner[key] !== undefined) picked[key] = read.owner[key];
	return picked as unknown as Owner;
}

/** Owners from a JSON parameter: an array (or JSON text of one) of owner records. */
export function ownersFromParameter(this: IExecuteFunctions, value: unknown, what: string): Owner[] {
	let list = value;
	if (typeof value === 'string') {
		try {
			list = value.trim() === '' ? [] : (JSON.parse(value) as unknown);
		} catch {
			throw new NodeOperationError(this.getNode(), `${what} is not valid JSON`, {
				description: 'Give a JSON array of owners, e.g. {{ $(\'Import owners\').all().map(i => i.json) }}.',
			});
		}
	}
	if (!Array.isArray(list)) {
		throw new NodeOperationError(this.getNode(), `${what} is not a list of owners`, {
			description: 'Give a JSON array of owners, e.g. {{ $(\'Import owners\').all().map(i => i.json) }}.',
		});
	}
	return list.map((record, n) => ownerOf.call(this, record, undefined, `${what}, entry ${n + 1}`));
}

/** An owner as item JSON (plain data, no undefined values). */
export function ownerJson(owner: Owner): IDataObject {
	return JSON.parse(JSON.stringify(owner)) as IDataObject;
}
