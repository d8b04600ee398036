import type { INodeProperties, INodePropertyOptions, NodeParameterValueType } from 'n8n-workflow';
import { EAS_CATALOG, PLATFORMS, supportFor, type FieldSpec } from '../../../core/eas';

// Node parameters are derived from the EAS field catalog, never listed by hand.

/** Catalog fields an admin sets in the node: no secrets (those live in credentials), nothing the builder generates. */
export function editableFields(): FieldSpec[] {
	return EAS_CATALOG.fields.filter((f) => !f.secret && !f.generated);
}

function describe(f: FieldSpec): string {
	const ios = supportFor(EAS_CATALOG.supportedOS, f, 'iOS');
	const notes = [
		f.meraki ? `Meraki: "${f.meraki}".` : '',
		ios.introduced && ios.introduced !== '4.0' ? `iOS ${ios.introduced}+.` : '',
		ios.deprecated ? `Deprecated since iOS ${ios.deprecated}${f.replacedBy ? `; use ${f.replacedBy}` : ''}.` : '',
		`Payload key: ${f.key}.`,
	];
	return [f.help, ...notes].filter(Boolean).join(' ');
}

/** One catalog field as an n8n parameter: options for allowed values, boolean switches, JSON for dictionaries. */
export function fieldToProperty(f: FieldSpec): INodeProperties {
	const base = { displayName: f.title, name: f.key, description: describe(f) };
	if (f.allowed) {
		const options: INodePropertyOptions[] = f.allowed.map((v) => ({
			name: f.valueLabels?.[String(v)] ?? (f.unit ? `${v} ${f.unit}` : String(v)),
			value: v,
		}));
		return { ...base, type: 'options', options, default: (f.default ?? f.allowed[0]) as NodeParameterValueType };
	}
	switch (f.type) {
		case 'boolean':
			return { ...base, type: 'boolean', default: f.default ?? false };
		case 'integer':
		case 'real':
			return { ...base, type: 'number', default: f.default ?? 0 };
		case 'dictionary':
			return { ...base, type: 'json', default: '{}' };
		default:
			return {
				...base,
				type: 'string',
				default: f.default ?? '',
				placeholder: f.example,
			};
	}
}

/** Target platforms offered by the node, from the catalog's platform list. */
export function platformOptions(): INodePropertyOptions[] {
	return PLATFORMS.map((p) => ({ name: p === 'iOS' ? 'iOS / iPadOS' : p, value: p }));
}
