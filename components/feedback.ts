import { html, nothing, type TemplateResult } from 'lit';
import type { Diagnostic } from '../core/eas';
import { format, plural, type EditorStrings } from './strings';
import type { ValidationState } from './validator';

// Showing feedback is kept apart from checking validity (validator.ts): these functions only draw
// what a ValidationState says, at the field and in the summary.

/** A diagnostic's message in the portal's language when it has one for the code, else core's English. */
export function messageOf(d: Diagnostic, s: EditorStrings): string {
  const t = s.diagnostics[d.code];
  return t === undefined ? d.message : format(t, { path: d.path });
}

/** What a field's diagnostics say, as one string: each validation makes new arrays with the same content. */
export function diagnosticsKey(diags: readonly Diagnostic[] | undefined): string {
  if (!diags?.length) return '';
  let k = '';
  for (const d of diags) k += `${d.severity}\u0000${d.code}\u0000${d.message}\u0001`;
  return k;
}

/**
 * The list under one field; its id is what the control's `aria-describedby` points at. Built with
 * DOM calls: it changes as the admin types, and only the lists whose diagnostics changed are redrawn.
 */
export function fieldFeedback(id: string, diags: readonly Diagnostic[], s: EditorStrings): HTMLUListElement {
  const ul = document.createElement('ul');
  ul.id = id;
  ul.className = 'feedback';
  ul.setAttribute('part', 'field-feedback');
  for (const d of diags) {
    const li = document.createElement('li');
    li.className = d.severity;
    li.setAttribute('part', `feedback-item ${d.severity}`);
    li.dataset.code = d.code;
    const sev = document.createElement('span');
    sev.className = 'sev';
    sev.textContent = `${d.severity === 'error' ? s.error : s.warning}:`;
    li.append(sev, ` ${messageOf(d, s)}`);
    ul.append(li);
  }
  return ul;
}

/** Where the summary links a diagnostic to: the rendered field's control and its title. */
export interface FieldLocation {
  readonly id: string;
  readonly title: string;
}

/** The summary of every diagnostic, each linking to its field when the field is on screen. */
export function renderSummary(
  state: ValidationState,
  locate: (path: string) => FieldLocation | undefined,
  s: EditorStrings,
  locale: string,
  onJump: (e: Event) => void,
): TemplateResult {
  const { errors, warnings } = state;
  const cls = `summary${errors ? ' has-errors' : warnings ? ' has-warnings' : ''}`;
  const diags = state.result.diagnostics;
  return html`<section class=${cls} part="summary" aria-labelledby="summary-title">
    <h2 id="summary-title" part="summary-title" tabindex="-1">${s.summaryTitle}</h2>
    <p class="help" part="summary-counts" role="status">
      ${diags.length === 0 ? s.noProblems : format(s.summaryCounts, { errors: plural(s.errorCount, errors, locale), warnings: plural(s.warningCount, warnings, locale) })}
    </p>
    ${diags.length === 0
      ? nothing
      : html`<ul part="summary-list">
          ${diags.map((d) => {
            const at = locate(d.path);
            const label = at ? at.title : d.path || s.summaryGeneral;
            return html`<li class=${d.severity} part=${`summary-item ${d.severity}`} data-code=${d.code}>
              <span class="sev">${d.severity === 'error' ? s.error : s.warning}:</span>
              ${at ? html`<a href=${`#${at.id}`} data-target=${at.id} @click=${onJump}>${label}</a>` : html`<strong>${label}</strong>`}
              — ${messageOf(d, s)}
            </li>`;
          })}
        </ul>`}
  </section>`;
}
