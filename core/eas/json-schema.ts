import { EAS_CATALOG } from './catalog';
import type { FieldSpec } from './types';

/** A JSON Schema (draft 2020-12 subset) of one field, derived from the catalog. */
function fieldSchema(f: FieldSpec): Record<string, unknown> {
  const s: Record<string, unknown> = { description: f.help };
  switch (f.type) {
    case 'string':
    case 'data':
    case 'date':
      s.type = 'string';
      break;
    case 'integer':
      s.type = 'integer';
      break;
    case 'real':
      s.type = 'number';
      break;
    case 'boolean':
      s.type = 'boolean';
      break;
    case 'array':
      s.type = 'array';
      break;
    case 'dictionary':
      Object.assign(s, objectSchema(f.subkeys ?? [], false));
      break;
  }
  if (f.allowed) s.enum = [...f.allowed];
  if (f.fixed !== undefined) s.const = f.fixed;
  if (f.pattern) s.pattern = f.pattern;
  if (f.maxLength !== undefined) s.maxLength = f.maxLength;
  if (f.default !== undefined) s.default = f.default;
  return s;
}

function objectSchema(fields: readonly FieldSpec[], template: boolean): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)])),
    required: fields.filter((f) => f.required && !(template && f.generated)).map((f) => f.key),
  };
}

/** The catalog as a JSON Schema, for tools that speak JSON Schema (editors, Ajv); validation itself is `validate`. */
export function toJsonSchema(mode: 'template' | 'profile' = 'template'): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `${EAS_CATALOG.title} (${EAS_CATALOG.payloadType})`,
    ...objectSchema(EAS_CATALOG.fields, mode === 'template'),
  };
}
