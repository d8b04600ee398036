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

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string>>, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  e.append(...children);
  return e;
}

/**
 * The summary of every diagnostic, each linking to its field when the field is on screen. Kept as
 * live elements: an update changes the counts and the class, and keeps the items whose content
 * did not change (keyed by what they show), so a keystroke redraws only what it changed.
 */
export class SummaryView {
  readonly root: HTMLElement;
  private readonly counts: HTMLElement;
  private list: HTMLUListElement | undefined;
  private items = new Map<string, HTMLLIElement>();
  /** Items no longer shown, the last 32: a diagnostic that comes back brings back its element. */
  private spare = new Map<string, HTMLLIElement>();
  private title: HTMLElement;
  private head = '';
  private strings: EditorStrings | undefined;

  constructor(private readonly onJump: (e: Event) => void) {
    this.title = el('h2', { id: 'summary-title', part: 'summary-title', tabindex: '-1' });
    this.counts = el('p', { class: 'help', part: 'summary-counts', role: 'status' });
    this.root = el('section', { class: 'summary', part: 'summary', 'aria-labelledby': 'summary-title' }, this.title, this.counts);
  }

  private keep(key: string, li: HTMLLIElement): void {
    this.spare.delete(key);
    this.spare.set(key, li);
    if (this.spare.size > 32) this.spare.delete(this.spare.keys().next().value!);
  }

  update(state: ValidationState, locate: (path: string) => FieldLocation | undefined, s: EditorStrings, locale: string): void {
    const { errors, warnings } = state;
    const diags = state.result.diagnostics;
    // The heading, the counts and the class change with the counts and the language only.
    const head = `${errors}\u0000${warnings}\u0000${locale}`;
    if (s !== this.strings) this.title.textContent = s.summaryTitle;
    if (head !== this.head || s !== this.strings) {
      this.head = head;
      this.strings = s;
      this.root.className = `summary${errors ? ' has-errors' : warnings ? ' has-warnings' : ''}`;
      this.counts.textContent =
        diags.length === 0 ? s.noProblems : format(s.summaryCounts, { errors: plural(s.errorCount, errors, locale), warnings: plural(s.warningCount, warnings, locale) });
    }
    if (diags.length === 0) {
      this.list?.remove();
      for (const [k, li] of this.items) this.keep(k, li);
      this.items.clear();
      return;
    }
    const next = new Map<string, HTMLLIElement>();
    const lis: HTMLLIElement[] = [];
    for (const d of diags) {
      const at = locate(d.path);
      const label = at ? at.title : d.path || s.summaryGeneral;
      const sev = d.severity === 'error' ? s.error : s.warning;
      const message = messageOf(d, s);
      const key = `${d.severity}\u0000${d.code}\u0000${at?.id ?? ''}\u0000${label}\u0000${sev}\u0000${message}`;
      let li = next.has(key) ? undefined : (this.items.get(key) ?? this.spare.get(key));
      if (!li) {
        const target = at ? el('a', { href: `#${at.id}`, 'data-target': at.id }, label) : el('strong', {}, label);
        if (at) target.addEventListener('click', this.onJump);
        li = el('li', { class: d.severity, part: `summary-item ${d.severity}`, 'data-code': d.code }, el('span', { class: 'sev' }, `${sev}:`), ' ', target, ` — ${message}`);
      }
      this.spare.delete(key);
      next.set(key, li);
      lis.push(li);
    }
    for (const [k, li] of this.items) if (next.get(k) !== li) this.keep(k, li);
    this.items = next;
    this.list ??= el('ul', { part: 'summary-list' });
    if (this.list.parentNode !== this.root) this.root.append(this.list);
    // Only the items that are not already in place move.
    const list = this.list;
    let cur = list.firstElementChild;
    for (const li of lis) {
      if (cur === li) cur = cur.nextElementSibling;
      else list.insertBefore(li, cur);
    }
    while (cur) {
      const n = cur.nextElementSibling;
      cur.remove();
      cur = n;
    }
  }
}
