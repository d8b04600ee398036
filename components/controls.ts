import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { FieldModel } from './model';
import { format, type EditorStrings } from './strings';

/** An identity the page offers for client-certificate and S/MIME pickers: the PayloadUUID of a PKCS#12/SCEP/ACME payload. */
export interface Identity {
  readonly uuid: string;
  readonly label: string;
}

/** Everything one control needs to render; the element computes it, the control only draws it. */
export interface ControlContext {
  readonly field: FieldModel;
  readonly value: unknown;
  readonly describedBy: string;
  readonly invalid: boolean;
  readonly readonly: boolean;
  readonly identities: readonly Identity[];
  readonly strings: EditorStrings;
}

const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? '' : String(v));

function textControl(c: ControlContext, type: string): TemplateResult {
  const f = c.field;
  // Secrets are bound as a property only, never as an attribute, so they stay out of the DOM
  // serialisation and out of attribute observers; the browser must not offer to save them either.
  return html`<input
    id=${f.id}
    part="control input"
    type=${type}
    data-path=${f.path}
    .value=${live(asText(c.value))}
    ?readonly=${c.readonly}
    maxlength=${ifDefined(f.spec.maxLength)}
    autocomplete=${f.spec.secret ? 'new-password' : 'off'}
    spellcheck="false"
    aria-invalid=${c.invalid ? 'true' : 'false'}
    aria-describedby=${c.describedBy}
  />`;
}

function numberControl(c: ControlContext): TemplateResult {
  const f = c.field;
  return html`<input
    id=${f.id}
    part="control input"
    type="number"
    inputmode="numeric"
    step=${f.spec.type === 'integer' ? '1' : 'any'}
    data-path=${f.path}
    .value=${live(asText(c.value))}
    ?readonly=${c.readonly}
    aria-invalid=${c.invalid ? 'true' : 'false'}
    aria-describedby=${c.describedBy}
  />`;
}

function optionLabel(c: ControlContext, v: string | number): string {
  // The catalog has no per-value labels; 0 days is the one value whose meaning is not its number.
  if (c.field.spec.key === 'MailNumberOfPastDaysToSync') return v === 0 ? c.strings.noLimit : format(c.strings.days, { n: v });
  return String(v);
}

function selectControl(c: ControlContext): TemplateResult {
  const f = c.field;
  const allowed = f.spec.allowed ?? [];
  const current = c.value;
  // A loaded value outside the allowed set stays visible (and flagged by validation) instead of silently changing.
  const stray = current !== undefined && !allowed.includes(current as string | number);
  return html`<select
    id=${f.id}
    part="control select"
    data-path=${f.path}
    aria-invalid=${c.invalid ? 'true' : 'false'}
    aria-describedby=${c.describedBy}
    aria-readonly=${c.readonly ? 'true' : 'false'}
  >
    ${current === undefined ? html`<option value="" .selected=${live(true)}>${c.strings.none}</option>` : nothing}
    ${stray ? html`<option value=${asText(current)} .selected=${live(true)}>${asText(current)}</option>` : nothing}
    ${allowed.map(
      (v) =>
        html`<option value=${String(v)} .selected=${live(v === current)}>
          ${optionLabel(c, v)}${v === f.spec.default ? ` (${c.strings.defaultValue})` : ''}
        </option>`,
    )}
  </select>`;
}

function switchControl(c: ControlContext): TemplateResult {
  const f = c.field;
  return html`<input
    id=${f.id}
    part="control switch"
    type="checkbox"
    role="switch"
    data-path=${f.path}
    .checked=${live(c.value === true)}
    aria-invalid=${c.invalid ? 'true' : 'false'}
    aria-describedby=${c.describedBy}
    aria-readonly=${c.readonly ? 'true' : 'false'}
  />`;
}

function identityControl(c: ControlContext): TemplateResult {
  const f = c.field;
  // Without a list from the page the admin types the UUID (or an owner variable such as {{smime_uuid}}).
  if (c.identities.length === 0) {
    return html`<input
      id=${f.id}
      part="control input"
      type="text"
      data-path=${f.path}
      .value=${live(asText(c.value))}
      ?readonly=${c.readonly}
      placeholder=${c.strings.identityPlaceholder}
      autocomplete="off"
      spellcheck="false"
      aria-invalid=${c.invalid ? 'true' : 'false'}
      aria-describedby=${c.describedBy}
    />`;
  }
  const current = asText(c.value);
  const known = c.identities.some((i) => i.uuid === current);
  return html`<select
    id=${f.id}
    part="control select identity"
    data-path=${f.path}
    aria-invalid=${c.invalid ? 'true' : 'false'}
    aria-describedby=${c.describedBy}
    aria-readonly=${c.readonly ? 'true' : 'false'}
  >
    <option value="" .selected=${live(current === '')}>${c.strings.none}</option>
    ${current !== '' && !known
      ? html`<option value=${current} .selected=${live(true)}>${format(c.strings.unknownIdentity, { uuid: current })}</option>`
      : nothing}
    ${c.identities.map((i) => html`<option value=${i.uuid} .selected=${live(i.uuid === current)}>${i.label}</option>`)}
  </select>`;
}

function dataControl(c: ControlContext): TemplateResult {
  const f = c.field;
  const v = c.value;
  // Base64 in JSON; the size shown is the decoded size, what the admin knows the .p12 by.
  const size = typeof v === 'string' ? Math.floor((v.replace(/[\s=]/g, '').length * 3) / 4) : v instanceof Uint8Array ? v.byteLength : 0;
  const has = v !== undefined;
  return html`<div class="data-row">
    <span id=${`${f.id}-status`} part="data-status">${has ? format(c.strings.certificateLoaded, { size }) : c.strings.certificateNone}</span>
    <input
      id=${f.id}
      part="control file"
      type="file"
      accept=".p12,.pfx,application/x-pkcs12"
      data-path=${f.path}
      ?disabled=${c.readonly}
      aria-invalid=${c.invalid ? 'true' : 'false'}
      aria-describedby=${`${f.id}-status ${c.describedBy}`}
    />
    ${has && !c.readonly
      ? html`<button type="button" part="button" data-path=${f.path} data-action="clear">${c.strings.certificateRemove}</button>`
      : nothing}
  </div>`;
}

/** The control for a field, by the kind the model chose from its catalog type. */
export function renderControl(c: ControlContext): TemplateResult | typeof nothing {
  switch (c.field.control) {
    case 'text':
      return textControl(c, 'text');
    case 'email':
      return textControl(c, 'email');
    case 'url':
      return textControl(c, 'url');
    case 'password':
      return textControl(c, 'password');
    case 'number':
      return numberControl(c);
    case 'select':
      return selectControl(c);
    case 'switch':
      return switchControl(c);
    case 'identity':
      return identityControl(c);
    case 'data':
      return dataControl(c);
    case 'group':
      return nothing;
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
