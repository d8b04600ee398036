import type { IdentityPurpose } from '../core/eas';
import type { FieldModel } from './model';
import { format, plural, type EditorStrings } from './strings';

// Controls are drawn in two steps. Their structure (element, type, attributes that follow the
// catalog, the target and the language) is markup made once per field and parsed by the browser in
// one go; what follows the payload (value, selection, aria-invalid) is set on the live element
// afterwards, and again only where it changed. Payload values never go into markup.

/** An identity the page offers for client-certificate and S/MIME pickers: the PayloadUUID of a PKCS#12/SCEP/ACME payload. */
export interface Identity {
  readonly uuid: string;
  readonly label: string;
  /**
   * What the identity may be used for. Pickers whose catalog field names a purpose
   * (`identityPurpose`) offer only identities that list it; an identity without `purposes` fits every picker.
   */
  readonly purposes?: readonly IdentityPurpose[];
}

/** What the structure of a control depends on besides its field. */
export interface StructureContext {
  readonly readonly: boolean;
  readonly identities: readonly Identity[];
  readonly strings: EditorStrings;
  readonly locale: string;
}

/** Extra leading options (None, a stray value) are marked so that the next value can take them away. */
const EXTRA = 'data-extra';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value made safe for markup (catalog and translation text only; never payload values). */
const SPECIAL = /[&<>"']/;

export function esc(s: string): string {
  return SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => ESC[c]) : s;
}

export const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? '' : String(v));

/** The identities a picker offers: those whose purposes include the field's, or every one when the field names none. */
export function identitiesFor(field: FieldModel, identities: readonly Identity[]): readonly Identity[] {
  const purpose = field.spec.identityPurpose;
  if (!purpose) return identities;
  return identities.filter((i) => !i.purposes || i.purposes.includes(purpose));
}

/** Attributes every control carries; aria-invalid and aria-describedby start as for a field without diagnostics. */
function common(f: FieldModel, part: string): string {
  return `id="${esc(f.id)}" part="${part}" data-path="${esc(f.path)}" aria-invalid="false" aria-describedby="${esc(f.id)}-help"`;
}

function textControl(f: FieldModel, c: StructureContext, type: string): string {
  // Secrets are set as a property only, never as an attribute (see applyControl), so they stay out
  // of the DOM serialisation and out of attribute observers; the browser must not offer to save them either.
  const max = f.spec.maxLength === undefined ? '' : ` maxlength="${f.spec.maxLength}"`;
  const example = f.spec.example === undefined || f.spec.secret ? '' : ` placeholder="${esc(format(c.strings.example, { example: f.spec.example }))}"`;
  return `<input ${common(f, 'control input')} type="${type}"${c.readonly ? ' readonly' : ''}${max}${example} autocomplete="${
    f.spec.secret ? 'new-password' : 'off'
  }" spellcheck="false">`;
}

function numberControl(f: FieldModel, c: StructureContext): string {
  return `<input ${common(f, 'control input')} type="number" inputmode="numeric" step="${f.spec.type === 'integer' ? '1' : 'any'}"${c.readonly ? ' readonly' : ''}>`;
}

/** The label of an allowed value: the catalog's (or translated) value label, else the number with its unit. */
export function optionLabel(f: FieldModel, v: string | number, c: StructureContext): string {
  const label = c.strings.fields[f.path]?.values?.[String(v)] ?? f.spec.valueLabels?.[String(v)];
  if (label !== undefined) return label;
  const unit = f.spec.unit === undefined ? undefined : c.strings.units[f.spec.unit];
  return unit && typeof v === 'number' ? plural(unit, v, c.locale) : String(v);
}

function selectControl(f: FieldModel, c: StructureContext): string {
  // The markup shows the catalog default, or "None" without one; applyControl changes the leading
  // options (None, a stray loaded value) as the value needs them.
  const allowed = f.spec.allowed ?? [];
  const hasDefault = allowed.includes(f.spec.default as string | number);
  let options = hasDefault ? '' : `<option value="" ${EXTRA} selected>${esc(c.strings.none)}</option>`;
  for (const v of allowed) {
    const def = v === f.spec.default ? ` (${c.strings.defaultValue})` : '';
    options += `<option value="${esc(String(v))}"${def ? ' selected' : ''}>${esc(optionLabel(f, v, c) + def)}</option>`;
  }
  return `<select ${common(f, 'control select')} aria-readonly="${c.readonly}">${options}</select>`;
}

function switchControl(f: FieldModel, c: StructureContext): string {
  return `<input ${common(f, 'control switch')} type="checkbox" role="switch"${f.spec.default === true ? ' checked' : ''} aria-readonly="${c.readonly}">`;
}

function identityControl(f: FieldModel, c: StructureContext): string {
  const offered = identitiesFor(f, c.identities);
  // Without a fitting identity from the page the admin types the UUID (or an owner variable such as {{smime_uuid}}).
  if (offered.length === 0) {
    return `<input ${common(f, 'control input')} type="text"${c.readonly ? ' readonly' : ''} placeholder="${esc(
      c.strings.identityPlaceholder,
    )}" autocomplete="off" spellcheck="false">`;
  }
  let options = `<option value="">${esc(c.strings.none)}</option>`;
  for (const i of offered) options += `<option value="${esc(i.uuid)}">${esc(i.label)}</option>`;
  return `<select ${common(f, 'control select identity')} aria-readonly="${c.readonly}">${options}</select>`;
}

function dataControl(f: FieldModel, c: StructureContext): string {
  // The status text and the "Remove certificate" button follow the value (applyControl).
  const id = esc(f.id);
  return `<div class="data-row"><span id="${id}-status" part="data-status">${esc(c.strings.certificateNone)}</span><input id="${id}" part="control file" type="file" accept=".p12,.pfx,application/x-pkcs12" data-path="${esc(
    f.path,
  )}"${c.readonly ? ' disabled' : ''} aria-invalid="false" aria-describedby="${id}-status ${id}-help"></div>`;
}

/**
 * Markup of the control for a field, by the kind the model chose from its catalog type. It shows
 * the catalog default (`spec.default`) and no diagnostics; applyControl puts any other value in.
 */
export function controlHtml(f: FieldModel, c: StructureContext): string {
  switch (f.control) {
    case 'text':
      return textControl(f, c, 'text');
    case 'email':
      return textControl(f, c, 'email');
    case 'url':
      return textControl(f, c, 'url');
    case 'password':
      return textControl(f, c, 'password');
    case 'number':
      return numberControl(f, c);
    case 'select':
      return selectControl(f, c);
    case 'switch':
      return switchControl(f, c);
    case 'identity':
      return identityControl(f, c);
    case 'data':
      return dataControl(f, c);
    case 'group':
      return '';
  }
}


function extraOption(value: string, label: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  o.setAttribute(EXTRA, '');
  return o;
}

function syncSelect(sel: HTMLSelectElement, leading: HTMLOptionElement[], value: string): void {
  for (const o of [...sel.querySelectorAll(`option[${EXTRA}]`)]) o.remove();
  if (leading.length) sel.prepend(...leading);
  sel.value = value;
}

/**
 * Puts the payload's value into a field's live control, touching only what differs (as Lit's
 * `live()` would: the element's own state is compared, not a remembered value).
 */
export function applyControl(f: FieldModel, el: HTMLElement, value: unknown, c: StructureContext): void {
  switch (f.control) {
    case 'switch': {
      const input = el as HTMLInputElement;
      if (input.checked !== (value === true)) input.checked = value === true;
      return;
    }
    case 'select': {
      const sel = el as HTMLSelectElement;
      const allowed = f.spec.allowed ?? [];
      // A loaded value outside the allowed set stays visible (and flagged by validation) instead of silently changing.
      const stray = value !== undefined && !allowed.includes(value as string | number);
      const leading: HTMLOptionElement[] = [];
      if (value === undefined) leading.push(extraOption('', c.strings.none));
      if (stray) leading.push(extraOption(asText(value), asText(value)));
      if (leading.length === 0 && !sel.querySelector(`option[${EXTRA}]`)) {
        if (sel.value !== String(value)) sel.value = String(value);
        return;
      }
      syncSelect(sel, leading, value === undefined ? '' : asText(value));
      return;
    }
    case 'identity': {
      const current = asText(value);
      if (el instanceof HTMLSelectElement) {
        const offered = identitiesFor(f, c.identities);
        const leading: HTMLOptionElement[] = [];
        if (current !== '' && !offered.some((i) => i.uuid === current)) {
          // A UUID the page did not offer for this purpose stays visible rather than being dropped.
          const known = c.identities.find((i) => i.uuid === current);
          leading.push(extraOption(current, known ? known.label : format(c.strings.unknownIdentity, { uuid: current })));
        }
        if (leading.length === 0 && !el.querySelector(`option[${EXTRA}]`)) {
          if (el.value !== current) el.value = current;
          return;
        }
        // The unknown option goes after "None".
        for (const o of [...el.querySelectorAll(`option[${EXTRA}]`)]) o.remove();
        if (leading.length) el.options[0].after(...leading);
        el.value = current;
        return;
      }
      const input = el as HTMLInputElement;
      if (input.value !== current) input.value = current;
      keepPlaceholder(input, current);
      return;
    }
    case 'data': {
      // Base64 in JSON; the size shown is the decoded size, what the admin knows the .p12 by.
      const size = typeof value === 'string' ? Math.floor((value.replace(/[\s=]/g, '').length * 3) / 4) : value instanceof Uint8Array ? value.byteLength : 0;
      const has = value !== undefined;
      const row = el.parentElement as HTMLElement;
      const status = row.firstElementChild as HTMLElement;
      const text = has ? format(c.strings.certificateLoaded, { size }) : c.strings.certificateNone;
      if (status.textContent !== text) status.textContent = text;
      const button = row.querySelector('button');
      if (has && !c.readonly) {
        if (!button) {
          const b = document.createElement('button');
          b.type = 'button';
          b.setAttribute('part', 'button');
          b.dataset.path = f.path;
          b.dataset.action = 'clear';
          b.textContent = c.strings.certificateRemove;
          row.append(b);
        }
      } else button?.remove();
      return;
    }
    case 'group':
      return;
    default: {
      const input = el as HTMLInputElement;
      const text = asText(value);
      if (input.value !== text) input.value = text;
      keepPlaceholder(input, text);
    }
  }
}

/**
 * A placeholder shows only in an empty field, so it is parked in a data attribute while the field
 * holds text: the browser then has no placeholder to show or hide on every keystroke (it restyles
 * it each time one is set).
 */
function keepPlaceholder(input: HTMLInputElement, text: string): void {
  const shown = input.getAttribute('placeholder');
  if (text === '') {
    if (shown === null && input.dataset.placeholder !== undefined) input.setAttribute('placeholder', input.dataset.placeholder);
  } else if (shown !== null) {
    input.dataset.placeholder = shown;
    input.removeAttribute('placeholder');
  }
}

/** The payload value a control holds now; empty text means "leave the key out". */
export function readControl(field: FieldModel, el: HTMLInputElement | HTMLSelectElement): unknown {
  if (field.control === 'switch') return (el as HTMLInputElement).checked;
  if (el.value === '') return undefined;
  if (field.spec.type === 'integer' || field.spec.type === 'real') {
    const n = Number(el.value);
    return Number.isNaN(n) ? el.value : n;
  }
  return el.value;
}

/** Puts a control back to the payload's value after the browser changed it while editing was not allowed. */
export function resetControl(field: FieldModel, el: HTMLInputElement | HTMLSelectElement, value: unknown): void {
  if (field.control === 'switch') (el as HTMLInputElement).checked = value === true;
  else el.value = asText(value);
}

/** Base64 of a file, for `data` keys (an embedded .p12) carried in JSON. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
