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

/** The list under one field; its id is what the control's `aria-describedby` points at. */
export function renderFieldFeedback(id: string, diags: readonly Diagnostic[] | undefined, s: EditorStrings): TemplateResult | typeof nothing {
  // Most fields have nothing to say: no empty list, so the first render builds fewer nodes.
  if (!diags?.length) return nothing;
  return html`<ul id=${id} class="feedback" part="field-feedback">${diags.map(
    (d) =>
      html`<li class=${d.severity} part=${`feedback-item ${d.severity}`} data-code=${d.code}>
        <span class="sev">${d.severity === 'error' ? s.error : s.warning}:</span> ${messageOf(d, s)}
      </li>`,
  )}</ul>`;
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
