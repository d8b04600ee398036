import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { matchCertificates, type CertFile, type FileMatch, type IdentityRole, type MatchReport } from '../../../../core/certs';
import type { Owner } from '../../../../core/owners';
import { binaryFileName, certificatePassphrase } from '../../shared/certificatePassphrase';
import { roleOptions } from '../../shared/certificateErrors';
import { ownerJson, ownersFromParameter } from '../../shared/ownerInput';

const show = { resource: ['certificate'], operation: ['match'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Owners',
		name: 'owners',
		type: 'json',
		required: true,
		default: '[]',
		placeholder: '={{ $(\'Import owners\').all().map(i => i.json) }}',
		description: 'The owners to match the files to: a JSON array of owners, for example every item of an "Import From CSV" node',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary field holding each item\u2019s certificate file (.p12/.pfx, or PEM holding certificate and key)',
		displayOptions: { show },
	},
	{
		displayName: 'Roles',
		name: 'roles',
		type: 'multiOptions',
		options: roleOptions,
		default: ['eas-client'],
		description: 'What the identities will be used for; each matched identity is checked for them (usages, validity, e-mail)',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Keep File',
				name: 'keepBinary',
				type: 'boolean',
				default: true,
				description: 'Whether each output item keeps the certificate file in its binary field, e.g. to upload it next',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{ name: 'One Item per File', value: 'files', description: 'Each file with its match status, owner and checks, plus the run\u2019s counts' },
					{ name: 'One Report Item', value: 'report', description: 'The whole report: files, owners left without a file, counts' },
				],
				default: 'files',
			},
		],
	},
];

interface MatchNodeOptions {
	keepBinary?: boolean;
	output?: 'files' | 'report';
}

/** The per-file result as item JSON: `status` plus the fields of its kind; a matched file carries its owner with the file as identity reference. */
function fileJson(match: FileMatch, owners: ReadonlyMap<string, Owner>, counts: MatchReport['counts']): IDataObject {
	const { kind, ...rest } = match;
	const json: IDataObject = { status: kind, ...(JSON.parse(JSON.stringify(rest)) as IDataObject) };
	if (match.kind === 'matched') {
		const owner = owners.get(match.ownerId);
		if (owner) json.owner = ownerJson({ ...owner, identityRef: match.file });
	}
	// Present on every item, so that a Filter on it needs no type juggling: a usable identity for exactly one owner.
	json.valid = match.kind === 'matched' && !match.diagnostics.some((d) => d.severity === 'error');
	json.summary = { ...counts };
	return json;
}

/** Matches every input item's certificate file to the owners: one item per file with its status, and a summary. */
export async function executeAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const owners = ownersFromParameter.call(this, this.getNodeParameter('owners', 0), 'Owners');
	const property = this.getNodeParameter('binaryPropertyName', 0, 'data') as string;
	const roles = this.getNodeParameter('roles', 0, ['eas-client']) as IdentityRole[];
	const options = this.getNodeParameter('options', 0, {}) as MatchNodeOptions;
	const password = await certificatePassphrase(this, 0);

	const files: CertFile[] = [];
	for (let i = 0; i < items.length; i++) {
		if (!items[i].binary?.[property]) {
			throw new NodeOperationError(this.getNode(), `Item ${i} has no binary field "${property}"`, {
				itemIndex: i,
				description: 'Each input item should carry one certificate file, e.g. from "Read/Write Files from Disk" with a pattern such as certs/*.p12.',
			});
		}
		files.push({ name: binaryFileName(this, i, property), bytes: await this.helpers.getBinaryDataBuffer(i, property) });
	}
	// A wrong passphrase is per file ("failed" with "wrong passphrase for <file>"), not a failure of the run:
	// one odd file must not hide the others' results.
	const report = await matchCertificates(owners, files, { ...(password ? { password } : {}), role: roles.length > 0 ? roles : 'eas-client' });

	const c = report.counts;
	this.addExecutionHints({
		message: `${c.matched} matched, ${c.ambiguous} ambiguous, ${c.unmatched} unmatched, ${c.failed} failed; ${c.unmatchedOwners} owners without a file`,
		location: 'outputPane',
	});
	if (options.output === 'report') {
		return [{ json: JSON.parse(JSON.stringify(report)) as IDataObject, pairedItem: items.map((_, i) => ({ item: i })) }];
	}
	const byId = new Map(owners.map((o) => [o.id, o]));
	// matchCertificates answers in input order, one result per file.
	return report.files.map((match, i) => ({
		json: fileJson(match, byId, c),
		...(options.keepBinary === false || !items[i].binary ? {} : { binary: { [property]: items[i].binary[property] } }),
		pairedItem: { item: i },
	}));
}
