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

/**
 * Rewrites a field's list in place for `diags` when it has as many items with the same severities,
 * as when a message quotes the value being typed: only texts change, no new elements to style.
 * Returns false, touching nothing, when the shapes differ.
 */
export function patchFieldFeedback(ul: HTMLElement, diags: readonly Diagnostic[], s: EditorStrings): boolean {
  const items = ul.children;
  if (items.length !== diags.length) return false;
  for (let i = 0; i < diags.length; i++) if (items[i].className !== diags[i].severity) return false;
  for (let i = 0; i < diags.length; i++) {
    const li = items[i] as HTMLElement;
    const d = diags[i];
    if (li.dataset.code !== d.code) li.dataset.code = d.code;
    const text = li.lastChild as Text;
    const message = ` ${messageOf(d, s)}`;
    if (text.data !== message) text.data = message;
  }
  return true;
}

/** How long the status waits for typing to pause before it is announced. */
const ANNOUNCE_MS = 800;

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
  /** One span per counts line shown so far (the last 8), stacked in one place; only the current one is visible. */
  private readonly countLines = new Map<string, HTMLElement>();
  private countLine: HTMLElement | undefined;
  private readonly statusText = document.createTextNode('');
  private list: HTMLUListElement | undefined;
  private items = new Map<string, HTMLLIElement>();
  /** The items shown, in the order of the diagnostics. */
  private order: readonly HTMLLIElement[] = [];
  /** Items no longer shown, the last 32: a diagnostic that comes back brings back its element. */
  private spare = new Map<string, HTMLLIElement>();
  /** What an item shows besides its message: severity, code, field and label. */
  private readonly bases = new WeakMap<HTMLLIElement, string>();
  private title: HTMLElement;
  private head = '';
  private locale = '';
  private strings: EditorStrings | undefined;

  constructor(private readonly onJump: (e: Event) => void) {
    this.title = el('h2', { id: 'summary-title', part: 'summary-title', tabindex: '-1' });
    // What is seen (stacked lines, see showCounts) and what is announced are two elements: assistive technology
    // gets a status whose text changes, the way every screen reader announces, not lines that appear.
    this.counts = el('p', { class: 'help counts', part: 'summary-counts', 'aria-hidden': 'true' });
    const status = el('span', { class: 'visually-hidden', role: 'status' }, this.statusText);
    this.root = el('section', { class: 'summary', part: 'summary', 'aria-labelledby': 'summary-title' }, this.title, this.counts, status);
  }

  private keep(key: string, li: HTMLLIElement): void {
    this.spare.delete(key);
    this.spare.set(key, li);
    if (this.spare.size > 32) this.spare.delete(this.spare.keys().next().value!);
  }

  /**
   * Draws `state`. With `hold` (the admin is still typing in a field), items that go away are only
   * hidden, keeping their place: the summary above the field does not change height, so the field
   * under the cursor does not jump, and an item that comes back on the next keystroke is shown
   * again without being laid out anew. `release()` drops them.
   */
  update(state: ValidationState, locate: (path: string) => FieldLocation | undefined, s: EditorStrings, locale: string, hold = false): void {
    const { errors, warnings } = state;
    const diags = state.result.diagnostics;
    // The heading, the counts and the class change with the counts and the language only.
    const head = `${errors}\u0000${warnings}\u0000${locale}`;
    if (s !== this.strings) this.title.textContent = s.summaryTitle;
    if (s !== this.strings || locale !== this.locale) {
      // Lines in another language will not come back.
      this.counts.replaceChildren();
      this.countLines.clear();
      this.countLine = undefined;
      this.locale = locale;
    }
    if (head !== this.head || s !== this.strings) {
      this.head = head;
      this.strings = s;
      this.root.className = `summary${errors ? ' has-errors' : warnings ? ' has-warnings' : ''}`;
      this.showCounts(
        diags.length === 0 ? s.noProblems : format(s.summaryCounts, { errors: plural(s.errorCount, errors, locale), warnings: plural(s.warningCount, warnings, locale) }),
        hold,
      );
    }
    const next = new Map<string, HTMLLIElement>();
    const lis: (HTMLLIElement | undefined)[] = [];
    // Two diagnostics that read the same are two items: the second key carries its count.
    const seen = new Map<string, number>();
    const missing: { index: number; key: string; d: Diagnostic; at: FieldLocation | undefined; label: string; sev: string; message: string; base: string }[] = [];
    for (const d of diags) {
      const at = locate(d.path);
      const label = at ? at.title : d.path || s.summaryGeneral;
      const sev = d.severity === 'error' ? s.error : s.warning;
      const message = messageOf(d, s);
      const base = `${d.severity}\u0000${d.code}\u0000${at?.id ?? ''}\u0000${label}\u0000${sev}`;
      const text = `${base}\u0000${message}`;
      const n = seen.get(text) ?? 0;
      seen.set(text, n + 1);
      const key = n === 0 ? text : `${text}\u0000${n}`;
      const li = this.items.get(key) ?? this.spare.get(key);
      if (li) {
        this.spare.delete(key);
        next.set(key, li);
      } else missing.push({ index: lis.length, key, d, at, label, sev, message, base });
      lis.push(li);
    }
    // A diagnostic whose message changed (it quotes what is being typed) takes over the item that
    // showed its previous message: only the text changes, no new elements to style.
    let free: Map<string, HTMLLIElement[]> | undefined;
    for (const m of missing) {
      if (!free) {
        const taken = new Set(next.values());
        free = new Map();
        for (const li of this.items.values()) {
          const b = this.bases.get(li);
          if (b === undefined || taken.has(li)) continue;
          const same = free.get(b);
          if (same) same.push(li);
          else free.set(b, [li]);
        }
      }
      let li = free.get(m.base)?.shift();
      if (li) (li.lastChild as Text).data = ` — ${m.message}`;
      else {
        const { d, at, label, sev, message } = m;
        const target = at ? el('a', { href: `#${at.id}`, 'data-target': at.id }, label) : el('strong', {}, label);
        if (at) target.addEventListener('click', this.onJump);
        li = el('li', { class: d.severity, part: `summary-item ${d.severity}`, 'data-code': d.code }, el('span', { class: 'sev' }, `${sev}:`), ' ', target, ` — ${message}`);
        this.bases.set(li, m.base);
      }
      next.set(m.key, li);
      lis[m.index] = li;
    }
    const shownNow = new Set(lis as HTMLLIElement[]);
    for (const [k, li] of this.items) if (!shownNow.has(li)) this.keep(k, li);
    this.items = next;
    const shown = lis as HTMLLIElement[];
    this.order = shown;
    const list = this.list;
    const attached = list?.parentNode === this.root;
    if (hold && list && attached && isSubsequence(shown, list)) {
      // Everything to show is already in place: only what is hidden changes, which needs no layout.
      for (let c = list.firstElementChild; c; c = c.nextElementSibling) setHeld(c, !shownNow.has(c as HTMLLIElement));
      return;
    }
    // While typing, the list keeps at least the room it had (the rows that go are not kept to say so).
    const room = hold && list && attached ? roomOf(list) : 0;
    this.place(shown);
    if (room > 0 && this.list?.parentNode === this.root) this.list.style.minHeight = `${room}px`;
  }

  /**
   * Shows one counts line. A line shown before is made visible again rather than written anew: the
   * count flips between the same few lines as the admin types, and a visibility change needs no layout.
   */
  private showCounts(text: string, typing: boolean): void {
    this.announce(text, typing);
    let line = this.countLines.get(text);
    if (line) {
      // Most recently shown last: the lines that keep coming back are the ones kept.
      this.countLines.delete(text);
      this.countLines.set(text, line);
    } else {
      line = el('span', { class: 'held' }, text);
      this.countLines.set(text, line);
      this.counts.append(line);
      if (this.countLines.size > 8) {
        // The least recently shown; never the current line, which was moved to the end when shown.
        const [oldest, gone] = this.countLines.entries().next().value!;
        this.countLines.delete(oldest);
        gone.remove();
      }
    }
    if (line === this.countLine) return;
    if (this.countLine) setHeld(this.countLine, true);
    setHeld(line, false);
    this.countLine = line;
  }

  /** The status text to announce, and the timer that holds it back while the admin types. */
  private announcement: { text: string; timer: ReturnType<typeof setTimeout> } | undefined;

  /**
   * Puts `text` into the status that screen readers announce. While the admin types it waits until typing
   * pauses (ANNOUNCE_MS), so that they hear the state they stopped at rather than a count per keystroke, as
   * GOV.UK's character count does.
   */
  private announce(text: string, typing: boolean): void {
    if (this.announcement) clearTimeout(this.announcement.timer);
    this.announcement = undefined;
    if (!typing) {
      if (this.statusText.data !== text) this.statusText.data = text;
      return;
    }
    this.announcement = { text, timer: setTimeout(() => this.flushAnnouncement(), ANNOUNCE_MS) };
  }

  /** A keystroke: an announcement held back waits for the next pause. */
  typed(): void {
    if (this.announcement) this.announce(this.announcement.text, true);
  }

  /** Announces at once what typing held back. */
  private flushAnnouncement(): void {
    const a = this.announcement;
    if (a) this.announce(a.text, false);
  }

  /** Drops the items kept hidden while the admin typed. */
  release(): void {
    this.place(this.order);
    this.list?.style.removeProperty('min-height');
    this.flushAnnouncement();
  }

  /** Makes the list exactly `lis`, in order; only the items that are not already in place move. */
  private place(lis: readonly HTMLLIElement[]): void {
    if (lis.length === 0) {
      this.list?.remove();
      return;
    }
    this.list ??= el('ul', { part: 'summary-list' });
    if (this.list.parentNode !== this.root) this.root.append(this.list);
    const list = this.list;
    let cur = list.firstElementChild;
    for (const li of lis) {
      setHeld(li, false);
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

/** Whether `lis` are children of `list` in this order (other children may sit between them). */
function isSubsequence(lis: readonly Element[], list: Element): boolean {
  let i = 0;
  for (let c = list.firstElementChild; c && i < lis.length; c = c.nextElementSibling) if (c === lis[i]) i++;
  return i === lis.length;
}

/**
 * The room a list takes while the admin types: its height in CSS pixels (getBoundingClientRect is scaled by
 * transforms and zoom), or the room it already keeps, whichever is more. Forces layout.
 */
export function roomOf(e: HTMLElement): number {
  return Math.max(parseFloat(getComputedStyle(e).height) || 0, parseFloat(e.style.minHeight) || 0);
}

/** Hides an element and keeps its box (`visibility`: no layout, and gone for assistive technology). */
export function setHeld(e: Element, held: boolean): void {
  if (e.classList.contains('held') !== held) e.classList.toggle('held', held);
}
