import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DEFAULT_MAX_DISABLE_RATIO, reconcile, ReconcileError, type Owner, type ReconcileAction } from '../../../../core/owners';
import { operationFailure } from '../../shared/operationFailure';
import { ownerJson, ownerOf, ownersFromParameter } from '../../shared/ownerInput';

const show = { resource: ['owner'], operation: ['reconcile'] };

/** Key of the node's static data that holds the last reconciled owner set. */
export const STATIC_KEY = 'previousOwners';

export const description: INodeProperties[] = [
	{
		displayName: 'Owner',
		name: 'desiredOwner',
		type: 'json',
		default: '={{ $json }}',
		description: 'The owner each input item stands for; all input items together are the desired owner set',
		displayOptions: { show },
	},
	{
		displayName: 'Previous Owners From',
		name: 'previousSource',
		type: 'options',
		options: [
			{
				name: 'Stored by This Node',
				value: 'staticData',
				description:
					'The set this node saved at its last successful run, in the workflow\u2019s static data (n8n saves it for runs of an active workflow and for n8n execute, not for test runs in the editor)',
			},
			{ name: 'JSON', value: 'json', description: 'An owner list given below, e.g. from a file or a database' },
		],
		default: 'staticData',
		displayOptions: { show },
	},
	{
		displayName: 'Previous Owners (JSON)',
		name: 'previousOwners',
		type: 'json',
		default: '[]',
		description: 'The owners as they were at the last run: a JSON array of owners, as "Import From CSV" outputs them',
		displayOptions: { show: { ...show, previousSource: ['json'] } },
	},
	{
		displayName: 'Max Disabled per Run (%)',
		name: 'maxDisablePercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		// DEFAULT_MAX_DISABLE_RATIO (10%), written out because n8n's lint reads defaults as literals.
		default: 10,
		description:
			'Largest share of the previously active owners that one run may disable; beyond it the node refuses, because an empty or truncated source must never wipe an organisation\u2019s mail',
		displayOptions: { show },
	},
	{
		displayName: 'Force',
		name: 'force',
		type: 'boolean',
		default: false,
		description: 'Whether to disable owners beyond the maximum percentage anyway. Turn on only for a run you have checked.',
		displayOptions: { show },
	},
	{
		displayName: 'Remember This Set',
		name: 'saveAsPrevious',
		type: 'boolean',
		default: true,
		description: 'Whether to store the reconciled set as the previous set for the next run (nothing is stored when the node refuses)',
		displayOptions: { show: { ...show, previousSource: ['staticData'] } },
	},
];

/** What the node keeps between runs: plain owners, as small as the owner fields allow. */
interface StoredSet {
	owners: Owner[];
	savedAt: string;
}

function storedOwners(this: IExecuteFunctions, data: IDataObject): Owner[] {
	const stored = data[STATIC_KEY] as Partial<StoredSet> | undefined;
	if (stored === undefined) return [];
	if (!Array.isArray(stored.owners)) {
		throw new NodeOperationError(this.getNode(), 'The owner set stored by this node is damaged', {
			description: 'Choose "JSON" under Previous Owners From and give the last known owners, or duplicate the node to start afresh.',
		});
	}
	return stored.owners.map((o, n) => ownerOf.call(this, o, undefined, `Stored owner ${n + 1}`));
}

function actionJson(action: ReconcileAction, owner: Owner): IDataObject {
	const json: IDataObject = { action: action.kind, id: action.id, email: owner.email };
	if (action.kind === 'update' || action.kind === 'disable') {
		json.changes = action.changes.map((c) => JSON.parse(JSON.stringify({ field: c.field, before: c.before ?? null, after: c.after ?? null })) as IDataObject);
	}
	if (action.kind === 'disable') json.reason = action.reason;
	json.owner = ownerJson(owner);
	return json;
}

/** Reconciles all input items, as the desired owner set, against the previous set: one item per owner with its action. */
export async function executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const indexById = new Map<string, number>();
	const desired = items.map((_, i) => {
		const raw = this.getNodeParameter('desiredOwner', i) as unknown;
		const record = typeof raw === 'string' ? parseJson.call(this, raw, i) : raw;
		const owner = ownerOf.call(this, record, i, `The owner of item ${i}`);
		indexById.set(owner.id, i);
		return owner;
	});

	const source = this.getNodeParameter('previousSource', 0, 'staticData') as 'staticData' | 'json';
	const staticData = source === 'staticData' ? this.getWorkflowStaticData('node') : undefined;
	const previous = staticData ? storedOwners.call(this, staticData) : ownersFromParameter.call(this, this.getNodeParameter('previousOwners', 0, '[]'), 'Previous Owners (JSON)');
	const percent = this.getNodeParameter('maxDisablePercent', 0, DEFAULT_MAX_DISABLE_RATIO * 100) as number;
	const force = this.getNodeParameter('force', 0, false) as boolean;

	let plan;
	try {
		plan = reconcile(previous, desired, { maxDisableRatio: percent / 100, force });
	} catch (error) {
		if (!(error instanceof ReconcileError)) throw new NodeOperationError(this.getNode(), error as Error);
		// Thrown before anything is stored: the previous set stays as it was, so a fixed source can be retried.
		const d = error.detail;
		if (d.code === 'too-many-disables') {
			throw operationFailure(this.getNode(), `Refusing to disable ${d.disableCount} of ${d.activeCount} owners`, {
				description: `${error.message}. Nothing was changed or stored. Check that the input holds every owner; if these owners really left, run once with Force on (or raise Max Disabled per Run (%)).`,
				details: { code: d.code, disableCount: d.disableCount, activeCount: d.activeCount, ratio: d.ratio, maxDisableRatio: d.maxDisableRatio },
			});
		}
		if (d.code === 'duplicate-id') {
			const itemIndex = d.set === 'desired' ? indexById.get(d.id) : undefined;
			throw new NodeOperationError(this.getNode(), `Owner id "${d.id}" appears twice in the ${d.set} owners`, {
				...(itemIndex === undefined ? {} : { itemIndex }),
				description: 'Each owner must appear once; remove the duplicate item (the same e-mail twice gives the same id).',
			});
		}
		throw new NodeOperationError(this.getNode(), error.message, { description: 'Max Disabled per Run (%) must be between 0 and 100.' });
	}

	if (staticData && (this.getNodeParameter('saveAsPrevious', 0, true) as boolean)) {
		// The stored set is what the owners now are: created, updated and unchanged ones as desired, disabled ones kept with disabled: true.
		const stored: StoredSet = { owners: plan.actions.map((a) => a.owner), savedAt: new Date().toISOString() };
		staticData[STATIC_KEY] = JSON.parse(JSON.stringify(stored)) as IDataObject;
	}

	const c = plan.counts;
	this.addExecutionHints({
		message: `${c.create} to create, ${c.update} to update, ${c.disable} to disable (${(plan.disableRatio * 100).toFixed(1)}% of active owners), ${c.unchanged} unchanged`,
		location: 'outputPane',
	});
	return plan.actions.map((action) => {
		const i = indexById.get(action.id);
		// Owners that left the source have no input item to pair with.
		return i === undefined ? { json: actionJson(action, action.owner) } : { json: actionJson(action, action.owner), pairedItem: { item: i } };
	});
}

function parseJson(this: IExecuteFunctions, text: string, i: number): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new NodeOperationError(this.getNode(), `The owner of item ${i} is not valid JSON`, { itemIndex: i, description: 'Map Owner to an object, e.g. {{ $json }}.' });
	}
}
