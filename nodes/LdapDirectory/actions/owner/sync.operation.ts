import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { parseSyncState, syncOwners, type SyncState } from '../../../../core/directory';
import type { ReconcileAction } from '../../../../core/owners';
import { CREDENTIAL, readOptions, scopeProperties } from '../../shared/scope';
import { addRunHints, certificatesByOwner, diagnosticsByDn, failureError, ownerJson } from '../../shared/output';

const show = { resource: ['owner'], operation: ['sync'] };

/** Where the last owner set and the watermark live in the node's workflow static data. */
export const STATE_KEY = 'directorySync';

/** Sync compares the directory with one stored state per node, so it runs once per execution, not once per item. */
export const runOnce = true;

export const description: INodeProperties[] = [
	...scopeProperties(['sync']),
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto', description: 'Incremental from the stored watermark; full when there is none or the last full sync is older than "Full Sync Every"' },
			{ name: 'Full', value: 'full', description: 'Read everyone in scope; owners no longer found are disabled' },
			{ name: 'Incremental', value: 'incremental', description: 'Read only entries changed since the stored watermark (cannot see deletions)' },
		],
		default: 'auto',
		displayOptions: { show },
	},
	{
		displayName: 'Max Disabled per Run (%)',
		name: 'maxDisablePercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 10,
		description: 'Refuse the whole run (and disable no one) when it would disable more than this share of the active owners: an emptied OU or a wrong filter must not offboard everyone',
		displayOptions: { show },
	},
	{
		displayName: 'Force',
		name: 'force',
		type: 'boolean',
		default: false,
		description: 'Whether to disable beyond the limit above anyway, for a run you have checked',
		displayOptions: { show },
	},
	{
		displayName: 'Output Actions',
		name: 'actions',
		type: 'multiOptions',
		options: [
			{ name: 'Create', value: 'create', description: 'Owners new in the directory' },
			{ name: 'Disable', value: 'disable', description: 'Owners gone from scope or disabled in the directory' },
			{ name: 'Unchanged', value: 'unchanged' },
			{ name: 'Update', value: 'update', description: 'Owners whose data changed (renames keep their ID)' },
		],
		default: ['create', 'update', 'disable'],
		description: 'Which actions of the plan become items',
		displayOptions: { show },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Item per Action', value: 'actions', description: 'The owner with "action" (create, update, disable), its changes and the diagnostics of its entry' },
			{ name: 'Summary', value: 'summary', description: 'One item with the mode, counts, actions, every diagnostic and the new watermark' },
		],
		default: 'actions',
		displayOptions: { show },
	},
	{
		displayName: 'Sync Options',
		name: 'syncOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Full Sync Every (Hours)',
				name: 'fullSyncEveryHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 24,
				description: 'In Auto mode, run a full sync (which sees deletions) when the last one is older than this',
			},
		],
	},
];

type ActionKind = ReconcileAction['kind'];

function actionJson(a: ReconcileAction, base: IDataObject): IDataObject {
	const json: IDataObject = { action: a.kind, ...base };
	if (a.kind === 'update' || a.kind === 'disable') json.changes = JSON.parse(JSON.stringify(a.changes)) as IDataObject[];
	if (a.kind === 'disable') json.reason = a.reason;
	return json;
}

/** Reads the directory, reconciles with the stored state and stores the new state; all or nothing. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const options = await readOptions.call(this, i);
	const mode = this.getNodeParameter('mode', i, 'auto') as 'auto' | 'full' | 'incremental';
	const percent = this.getNodeParameter('maxDisablePercent', i, 10) as number;
	const force = this.getNodeParameter('force', i, false) as boolean;
	const kinds = new Set(this.getNodeParameter('actions', i, ['create', 'update', 'disable']) as ActionKind[]);
	const { fullSyncEveryHours } = this.getNodeParameter('syncOptions', i, {}) as { fullSyncEveryHours?: number };
	const staticData = this.getWorkflowStaticData('node');
	const previous: SyncState = parseSyncState(staticData[STATE_KEY]);
	const result = await syncOwners(previous, {
		...options,
		mode,
		maxDisableRatio: Math.min(100, Math.max(0, percent)) / 100,
		force,
		...(fullSyncEveryHours !== undefined ? { fullSyncEveryMs: fullSyncEveryHours * 3_600_000 } : {}),
	});
	if (!result.ok) {
		// The stored state is left exactly as it was: the next run compares with the last good read again.
		const { failure } = result;
		if (failure.source === 'directory') {
			throw failureError(this.getNode(), failure.failure, await this.getCredentials(CREDENTIAL), i, `Sync stopped, no one was disabled and the stored state is unchanged: `);
		}
		throw new NodeOperationError(this.getNode(), `Sync stopped, no one was disabled and the stored state is unchanged: ${failure.message}`, {
			itemIndex: i,
			description:
				failure.code === 'too-many-disables'
					? 'Check the base DN, filter and groups (an emptied OU or a changed filter looks like everyone leaving). If the change is real, raise "Max Disabled per Run (%)" or turn on "Force" for one run.'
					: `The owner set could not be reconciled (code: ${failure.code}).`,
		});
	}
	staticData[STATE_KEY] = JSON.parse(JSON.stringify(result.state)) as IDataObject;

	const byDn = diagnosticsByDn(result.diagnostics);
	const certificates = certificatesByOwner(result.identities);
	const chosen = result.plan.actions.filter((a) => kinds.has(a.kind));
	const items = chosen.map((a) => actionJson(a, ownerJson(a.owner, byDn, certificates)));
	addRunHints(this, result.diagnostics, new Set(result.plan.actions.map((a) => (a.owner.attributes?.dn ?? '').toLowerCase())));
	if ((this.getNodeParameter('output', i, 'actions') as string) === 'summary') {
		const json: IDataObject = {
			mode: result.mode,
			counts: { ...result.plan.counts },
			disableRatio: result.plan.disableRatio,
			owners: result.state.owners.length,
			actions: items,
			diagnostics: result.diagnostics.map((d) => ({ ...d })),
			...(result.state.watermark ? { watermark: { ...result.state.watermark } } : {}),
		};
		return [{ json, pairedItem: { item: i } }];
	}
	return items.map((json) => ({ json: { ...json, mode: result.mode }, pairedItem: { item: i } }));
}
