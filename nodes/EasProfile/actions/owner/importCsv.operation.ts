import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { importOwnersCsv, isError, type CsvDelimiter, type CsvField, type CsvMapping, type OwnerDiagnostic } from '../../../../core/owners';
import { operationFailure } from '../../shared/operationFailure';
import { ownerJson } from '../../shared/ownerInput';

const show = { resource: ['owner'], operation: ['importCsv'] };

// Labels of the owner fields a column can be mapped to, sorted by label as n8n lists options.
const FIELD_OPTIONS: ReadonlyArray<{ name: string; value: CsvField }> = [
	{ name: 'Device Serial Number', value: 'serialNumber' },
	{ name: 'Device UDID', value: 'udid' },
	{ name: 'Disabled', value: 'disabled' },
	{ name: 'Display Name', value: 'displayName' },
	{ name: 'Domain', value: 'domain' },
	{ name: 'E-Mail', value: 'email' },
	{ name: 'First Name', value: 'firstName' },
	{ name: 'Groups', value: 'groups' },
	{ name: 'Identity Certificate Reference', value: 'identityRef' },
	{ name: 'Last Name', value: 'lastName' },
	{ name: 'Owner ID', value: 'id' },
	{ name: 'Source', value: 'source' },
	{ name: 'UPN', value: 'upn' },
	{ name: 'User Name', value: 'username' },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description:
			'Name of the binary field holding the CSV file (UTF-8 with or without BOM, UTF-16 with BOM, or the encoding set under Options; comma, semicolon or tab)',
		displayOptions: { show },
	},
	{
		displayName: 'Allow Partial Import',
		name: 'allowPartial',
		type: 'boolean',
		default: false,
		description:
			'Whether to import the good rows when other rows have errors. Off: any error stops the node and nothing is imported, so a broken export never reaches the devices.',
		displayOptions: { show },
	},
	{
		displayName: 'Column Mapping',
		name: 'columnMapping',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Column Mapping',
		default: {},
		description:
			'Which CSV column fills which owner field, when the headers are not recognised on their own (E-mail, Email Address, mail, User Name, sAMAccountName, Serial Number, … are, and so are the usual German, French, Spanish and Dutch headers such as Vorname, Prénom or Seriennummer)',
		displayOptions: { show },
		options: [
			{
				name: 'columns',
				displayName: 'Column',
				values: [
					{
						displayName: 'Owner Field',
						name: 'field',
						type: 'options',
						options: [...FIELD_OPTIONS],
						default: 'email',
						description: 'The owner field to fill',
					},
					{
						displayName: 'CSV Column',
						name: 'column',
						type: 'string',
						default: '',
						placeholder: 'Work Email',
						description: 'The header of the column, as written in the file (case does not matter)',
					},
				],
			},
		],
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
				displayName: 'Delimiter',
				name: 'delimiter',
				type: 'options',
				options: [
					{ name: 'Detect', value: 'detect' },
					{ name: 'Comma', value: ',' },
					{ name: 'Semicolon', value: ';' },
					{ name: 'Tab', value: '\t' },
				],
				default: 'detect',
				description: 'Field separator; detected from the header line unless set',
			},
			{
				displayName: 'Encoding',
				name: 'encoding',
				type: 'options',
				options: [
					{ name: 'Central European (Windows-1250)', value: 'windows-1250' },
					{ name: 'Cyrillic (Windows-1251)', value: 'windows-1251' },
					{ name: 'Japanese (Shift_JIS)', value: 'shift_jis' },
					{ name: 'Simplified Chinese (GB18030)', value: 'gb18030' },
					{ name: 'UTF-16 Big Endian Without BOM', value: 'utf-16be' },
					{ name: 'UTF-16 Little Endian Without BOM', value: 'utf-16le' },
					{ name: 'UTF-8 (Default; UTF-16 When the File Has a BOM)', value: 'utf-8' },
					{ name: 'Western European (Windows-1252)', value: 'windows-1252', description: 'Excel\'s plain "CSV" format on Western European Windows' },
				],
				default: 'utf-8',
				description: 'Encoding of a file without a byte order mark; a file that starts with one is read as it says',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{ name: 'One Item per Owner', value: 'owners', description: 'Each owner becomes an item, ready for Reconcile, Match to Owners or Build' },
					{
						name: 'One Summary Item',
						value: 'summary',
						description: 'One item with owners, the column mapping and every diagnostic (like "eas-profiles owners import --JSON"); never fails on row errors',
					},
				],
				default: 'owners',
			},
		],
	},
];

interface ImportOptions {
	delimiter?: 'detect' | CsvDelimiter;
	encoding?: string;
	output?: 'owners' | 'summary';
}

// Enough to fix a file without flooding the error panel; the error item under Continue On Fail has them all.
const LISTED_PROBLEMS = 10;

function where(d: OwnerDiagnostic): string {
	if (d.line === 0) return '';
	return d.column === 0 ? `line ${d.line}: ` : `line ${d.line}, column ${d.column}: `;
}

/** "line 3, column 2: bad-email: ..." lines, first problems first. */
export function problemLines(diagnostics: readonly OwnerDiagnostic[], max = LISTED_PROBLEMS): string {
	const errors = diagnostics.filter(isError);
	const lines = errors.slice(0, max).map((d) => `${where(d)}${d.code}: ${d.message}`);
	if (errors.length > max) lines.push(`… and ${errors.length - max} more`);
	return lines.join('\n');
}

function mappingFrom(rows: ReadonlyArray<{ field?: string; column?: string }>): CsvMapping {
	const mapping: CsvMapping = {};
	for (const row of rows) {
		const column = row.column?.trim();
		if (row.field && column) mapping[row.field as CsvField] = column;
	}
	return mapping;
}

/** Reads the item's CSV file into owners: one item per owner, all or nothing unless partial import is allowed. */
export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const property = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const bytes = await this.helpers.getBinaryDataBuffer(i, property);
	const allowPartial = this.getNodeParameter('allowPartial', i, false) as boolean;
	const mapping = mappingFrom(this.getNodeParameter('columnMapping.columns', i, []) as Array<{ field?: string; column?: string }>);
	const options = this.getNodeParameter('options', i, {}) as ImportOptions;
	const delimiter = options.delimiter && options.delimiter !== 'detect' ? options.delimiter : undefined;

	const encoding = options.encoding && options.encoding !== 'utf-8' ? options.encoding : undefined;

	const result = await importOwnersCsv(bytes, { mapping, allowPartial, ...(delimiter ? { delimiter } : {}), ...(encoding ? { encoding } : {}) });
	const diagnostics = result.diagnostics.map((d) => ({ ...d }) as IDataObject);
	const errors = result.diagnostics.filter(isError);

	if (options.output === 'summary') {
		const json: IDataObject = {
			imported: result.imported,
			rows: result.rows,
			accepted: result.accepted,
			errorCount: errors.length,
			mapping: { ...result.mapping },
			delimiter: result.delimiter,
			diagnostics,
			owners: result.owners.map(ownerJson),
		};
		return [{ json, pairedItem: { item: i } }];
	}

	if (!result.imported) {
		// All or nothing: failing the node (rather than passing a diagnostics item downstream, where a Build or a
		// Reconcile would take it for an owner) is what stops a broken export from reaching devices. The first
		// problems are listed with line and column; Continue On Fail gives an error item with all of them.
		const fileName = this.getInputData()[i]?.binary?.[property]?.fileName ?? 'the CSV file';
		throw operationFailure(this.getNode(), `${fileName} has ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}; no owner was imported`, {
			itemIndex: i,
			description: `${problemLines(result.diagnostics)}\n\nFix these rows, map columns under Column Mapping, or turn on Allow Partial Import to import the good rows.`,
			details: { imported: false, rows: result.rows, mapping: { ...result.mapping }, diagnostics },
		});
	}

	if (result.diagnostics.length > 0) {
		// Skipped rows (partial import) and warnings (an ambiguous column) show in the output panel; the owners stay clean items.
		const skipped = result.rows - result.accepted;
		const first = result.diagnostics[0];
		this.addExecutionHints({
			message: `${skipped > 0 ? `${skipped} of ${result.rows} rows skipped. ` : ''}${where(first)}${first.code}: ${first.message}${result.diagnostics.length > 1 ? ` (and ${result.diagnostics.length - 1} more; the "One Summary Item" output lists them all)` : ''}`,
			location: 'outputPane',
		});
	}
	return result.owners.map((owner) => ({ json: ownerJson(owner), pairedItem: { item: i } }));
}
