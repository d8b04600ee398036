import { ReactiveElement, type PropertyValues } from 'lit';
import type { Diagnostic, SupportStatus } from '../core/eas';
import { setMarkup } from './markup';
import { applyControl, controlHtml, esc, fileToBase64, readControl, resetControl, type Identity, type StructureContext } from './controls';
import { diagnosticsKey, fieldFeedback, patchFieldFeedback, roomOf, setHeld, SummaryView, type FieldLocation } from './feedback';
import { FormController, type FormControlHost } from './form-controller';
import {
  allFields,
  fieldSupport,
  formModel,
  getPath,
  resolvePlatform,
  setPath,
  shownValue,
  withoutSecrets,
  type FieldModel,
  type Payload,
  type SectionModel,
} from './model';
import { format, mergeStrings, type EditorStrings } from './strings';
import { editorStyles } from './styles';
import { PayloadValidator, type ValidationState } from './validator';

/** `detail` of `value-changed` and `change`. */
export interface EasPayloadEditorEventDetail {
  readonly value: Payload;
  readonly diagnostics: readonly Diagnostic[];
}

const EMPTY: Payload = Object.freeze({});

/**
 * A press on the page, from pointerdown or mousedown (a touch tap moves focus on its mousedown, after its
 * pointerup) until its click; see onFocusOut. One set of listeners per page.
 */
const press = { active: false, down: false, upAt: 0 };
/** Events that end a press. */
const PRESS_ENDS = ['click', 'auxclick', 'contextmenu', 'pointercancel', 'dragstart'] as const;
const PRESS_UPS = ['pointerup', 'mouseup'] as const;
/** How long after the button comes up a press still waits for its click (none comes after a drag). */
const CLICK_GRACE_MS = 500;
const pressing = (): boolean => press.active && (press.down || performance.now() - press.upAt < CLICK_GRACE_MS);
if (typeof window !== 'undefined') {
  const down = (): void => {
    press.active = true;
    press.down = true;
  };
  const up = (): void => {
    press.down = false;
    press.upAt = performance.now();
  };
  const end = (): void => {
    press.active = false;
    press.down = false;
  };
  window.addEventListener('pointerdown', down, true);
  window.addEventListener('mousedown', down, true);
  for (const type of PRESS_UPS) window.addEventListener(type, up, true);
  for (const type of PRESS_ENDS) window.addEventListener(type, end, true);
}

// Data keys may hold bytes; JSON carries them as base64, the same form the editor itself produces.
function hasBytes(v: unknown): boolean {
  if (v instanceof Uint8Array) return true;
  if (typeof v !== 'object' || v === null) return false;
  for (const k in v) if (hasBytes((v as Record<string, unknown>)[k])) return true;
  return false;
}

/** The payload as JSON; the replacer (slow: a call per key) only when some value is bytes. */
function toJson(v: Payload): string {
  return hasBytes(v) ? JSON.stringify(v, jsonReplacer) : JSON.stringify(v);
}

function jsonReplacer(_k: string, v: unknown): unknown {
  if (v instanceof Uint8Array) {
    let bin = '';
    for (const b of v) bin += String.fromCharCode(b);
    return btoa(bin);
  }
  return v;
}

/** What the editor last put into a field's live elements, so that an edit touches only what changed. */
interface Applied {
  readonly el: HTMLElement;
  readonly value: unknown;
  readonly diags: string;
}

/** Adds the dotted path of every value in the payload (nested dictionaries included). */
function valuePaths(v: Payload, base: string, out: Set<string>): void {
  for (const k in v) {
    const path = base + k;
    out.add(path);
    const c = v[k];
    if (isDictionary(c)) valuePaths(c, `${path}.`, out);
  }
}

/** Sets an attribute only when it changes: each write makes the browser check its style rules again. */
function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function isDictionary(v: unknown): v is Payload {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * Editor for the EAS payload (`com.apple.eas.account`) of an Apple configuration profile, generated
 * from the field catalog of `core/eas` and checked live by its `validate()`.
 *
 * @summary Exchange ActiveSync payload editor; form-associated, submits the payload as JSON.
 *
 * @fires value-changed - After every edit. `detail: { value, diagnostics }`; bubbles, composed.
 * @fires change - When an edit is committed (text fields on blur or Enter, other controls at once). `detail: { value, diagnostics }`; bubbles, composed.
 *
 * @csspart summary - The diagnostics summary at the top.
 * @csspart summary-title - Heading of the summary; focused when an error has no field on screen.
 * @csspart summary-counts - The "n errors, m warnings" line as seen (screen readers get a visually hidden status that says the same once typing pauses).
 * @csspart summary-list - The list of diagnostics in the summary.
 * @csspart summary-item - One diagnostic in the summary; also carries `error` or `warning`.
 * @csspart section - A catalog section (`<fieldset>`).
 * @csspart section-title - Its `<legend>`.
 * @csspart group - A dictionary field with subkeys (`<fieldset>` inside a section).
 * @csspart field - Wrapper of one field; also carries `field-<control>` and, with errors, `field-invalid`.
 * @csspart label - A field's label.
 * @csspart badge - OS support mark on a field the target OS does not (fully) support.
 * @csspart help - A field's help text.
 * @csspart meraki - The Meraki dashboard wording inside the help text.
 * @csspart key - The payload key name inside the help text.
 * @csspart control - Every native control; also carries `input`, `select`, `switch`, `identity` or `file`.
 * @csspart button - Buttons such as "Remove certificate".
 * @csspart data-status - The embedded-certificate status text.
 * @csspart field-feedback - The diagnostics list under a field.
 * @csspart feedback-item - One diagnostic under a field; also carries `error` or `warning`.
 *
 * @cssprop [--eas-editor-font-family=system-ui, sans-serif] - Font of the whole editor (no web fonts are loaded).
 * @cssprop [--eas-editor-font-size=0.9375rem] - Base font size.
 * @cssprop [--eas-editor-background=#ffffff | dark #16191d] - Background of the editor and its inputs.
 * @cssprop [--eas-editor-surface=#f6f8fa | dark #1f2328] - Background of sections and the summary.
 * @cssprop [--eas-editor-text-color=#1f2328 | dark #e6edf3] - Text color.
 * @cssprop [--eas-editor-muted-color=#57606a | dark #a3adb8] - Help text color.
 * @cssprop [--eas-editor-border-color=#8c959f | dark #6e7781] - Borders of sections and inputs.
 * @cssprop [--eas-editor-accent-color=#0a58ca | dark #79b8ff] - Switches that are on, focus ring.
 * @cssprop [--eas-editor-on-accent-color=#ffffff | dark #0d1117] - Knob of a switch that is on.
 * @cssprop [--eas-editor-error-color=#b42318 | dark #ff9b8f] - Errors.
 * @cssprop [--eas-editor-warning-color=#8a4b00 | dark #f2c572] - Warnings and OS badges.
 * @cssprop [--eas-editor-focus-ring=2px solid accent] - Outline of the focused control.
 * @cssprop [--eas-editor-radius=6px] - Corner radius.
 * @cssprop [--eas-editor-spacing=0.75rem] - Base gap between fields.
 * @cssprop [--eas-editor-field-min-width=17rem] - Narrowest column before fields wrap to one column.
 */
export class EasPayloadEditor extends ReactiveElement implements FormControlHost {
  static formAssociated = true;
  static override styles = editorStyles;
  static override properties = {
    name: { type: String, reflect: true },
    platform: { type: String },
    osVersion: { type: String, attribute: 'os-version' },
    readOnly: { type: Boolean, attribute: 'readonly', reflect: true },
    disabled: { type: Boolean, reflect: true },
    showUnsupported: { type: Boolean, attribute: 'show-unsupported' },
    identities: { attribute: false },
    strings: { attribute: false },
  };

  /** Name of the form entry that carries the payload JSON. */
  declare name: string;
  /** Target platform for OS support and validation: `iOS` (also `iPadOS`) or `visionOS`; default `iOS`. */
  declare platform: string;
  /** Target OS version such as `17.4`; empty means the newest. */
  declare osVersion: string;
  /** Shows the payload without letting it change; a read-only editor is not validated by its form. */
  declare readOnly: boolean;
  declare disabled: boolean;
  /** Also show fields the target OS ignores, marked; by default they appear only when they hold a value. */
  declare showUnsupported: boolean;
  /** Identity payloads the pickers offer for PayloadCertificateUUID and the S/MIME certificate UUIDs. */
  declare identities: readonly Identity[];
  /** Translations laid over the default English table (see `DEFAULT_STRINGS`). */
  declare strings: Partial<EditorStrings> | undefined;

  private readonly formCtl: FormController;
  private readonly validator = new PayloadValidator();
  private readonly sections: readonly SectionModel[] = formModel();
  private readonly fields: readonly FieldModel[] = allFields(this.sections);
  private readonly byPath = new Map(this.fields.map((f) => [f.path, f]));
  private readonly secretFields = this.fields.filter((f) => f.spec.secret);
  private current: Payload = EMPTY;
  /** OS mark per field path for the current target; undefined where the field is supported. */
  private badges = new Map<string, string | undefined>();
  /** The fields that have an OS mark for the current target. */
  private badged: readonly FieldModel[] = [];
  /** Unsupported fields shown because they held a value: kept while the admin edits, so clearing one does not pull it from under the cursor. */
  private sticky = new Set<string>();
  private text: EditorStrings = mergeStrings(undefined);
  private explicitDefault: Payload | undefined;
  private implicitDefault: Payload = EMPTY;
  /** What the markup of the controls depends on besides the catalog; a new object whenever one of them changes. */
  private structure: StructureContext | undefined;
  /** Markup of each field for the current structure (groups are made afresh: their children come and go). */
  private markup = new Map<string, string>();
  /** Paths of the fields on screen after the last render. */
  private rendered = new Set<string>();
  private applied = new Map<string, Applied>();
  /** Feedback lists by field and content, the last 64 (see applyDiagnostics). */
  private lists = new Map<string, HTMLElement>();
  private summaryKey: string | undefined;
  private summary: SummaryView | undefined;
  /**
   * The admin is typing (from an input event until focus leaves the control or the edit is
   * committed): diagnostics that go away are hidden in place rather than removed, so that nothing
   * around the field moves under the cursor.
   */
  private typing = false;
  /** Field lists hidden in place while typing, removed on release. */
  private held = new Set<HTMLElement>();
  /** Field lists that keep the height of the longer list they replaced while typing, until release. */
  private reserved = new Set<HTMLElement>();
  /** The content key each kept field list was made for. */
  private listKeys = new WeakMap<HTMLElement, string>();
  /** The form markup of the last render, and the one whose elements `applied` describes. */
  private formMarkup = '';
  private parsedMarkup: string | undefined;
  private root: HTMLElement | undefined;
  private appliedForm: string | undefined;

  constructor() {
    super();
    this.name = '';
    this.platform = 'iOS';
    this.osVersion = '';
    this.readOnly = false;
    this.disabled = false;
    this.showUnsupported = false;
    this.identities = [];
    this.strings = undefined;
    this.formCtl = new FormController(this);
    // A page may assign value before this module has loaded: that own property would hide the
    // accessors below, so it is moved onto them (Lit does the same for its reactive properties).
    for (const key of ['value', 'defaultValue'] as const) {
      if (Object.prototype.hasOwnProperty.call(this, key)) {
        const v = (this as unknown as Record<string, Payload>)[key];
        delete (this as unknown as Record<string, unknown>)[key];
        this[key] = v;
      }
    }
  }

  /** The payload. Assigning takes the object as it is (never mutated); every edit produces a new object. */
  get value(): Payload {
    return this.current;
  }

  set value(v: Payload) {
    const next = isDictionary(v) ? v : EMPTY;
    const old = this.current;
    // A page that hands back the value it got (a controlled parent) changes nothing; another value from the
    // page is no keystroke, so what it makes go away goes at once.
    const json = next === old ? undefined : toJson(next);
    const same = json === undefined || json === this.formValue();
    this.current = next;
    if (json !== undefined) this.json = { value: next, text: json };
    if (!same) {
      this.implicitDefault = next;
      this.sticky.clear();
      this.release();
    }
    this.formCtl.sync();
    this.requestUpdate('value', old);
  }

  /** What `form.reset()` returns to: the value assigned here, else the last value the page assigned to `value`. */
  get defaultValue(): Payload {
    return this.explicitDefault ?? this.implicitDefault;
  }

  set defaultValue(v: Payload | undefined) {
    this.explicitDefault = isDictionary(v) ? v : undefined;
  }

  /** The diagnostics of the current value for the current target. */
  get diagnostics(): readonly Diagnostic[] {
    return this.check().result.diagnostics;
  }

  get form(): HTMLFormElement | null {
    return this.formCtl.internals.form;
  }
  get validity(): ValidityState {
    return this.formCtl.internals.validity;
  }
  get validationMessage(): string {
    return this.formCtl.internals.validationMessage;
  }
  get willValidate(): boolean {
    return this.formCtl.internals.willValidate;
  }
  get type(): string {
    return this.localName;
  }
  /** Focuses the first control (no `delegatesFocus`: with it, a click on help text would jump to the top of the form). */
  override focus(options?: FocusOptions): void {
    const first = this.shadowRoot?.querySelector<HTMLElement>('input, select, button');
    if (first) first.focus(options);
    else super.focus(options);
  }

  checkValidity(): boolean {
    return this.formCtl.internals.checkValidity();
  }
  /** Like a native control's; when invalid, also moves focus to the first field with an error. */
  reportValidity(): boolean {
    const ok = this.formCtl.internals.reportValidity();
    if (!ok) this.focusFirstInvalid();
    return ok;
  }

  // --- form association (the browser calls these; FormController does the work) ---

  formResetCallback(): void {
    this.setInternal(this.defaultValue);
  }

  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state !== 'string') return;
    try {
      const v: unknown = JSON.parse(state);
      if (isDictionary(v)) this.setInternal(v);
    } catch {
      // A state we did not write (another version of the page): keep the current value.
    }
  }

  formDisabledCallback(disabled: boolean): void {
    this.formCtl.setDisabled(disabled);
  }

  /** @internal */
  formRevision(): unknown {
    return this.current;
  }

  private json: { value: Payload; text: string } | undefined;

  /** @internal */
  formValue(): string | null {
    if (this.json?.value !== this.current) this.json = { value: this.current, text: toJson(this.current) };
    return this.json.text;
  }

  /** @internal */
  formState(): string | null {
    // The browser keeps restore state in session history: secrets are left out of it.
    const safe = withoutSecrets(this.current, this.secretFields);
    return safe === this.current ? this.formValue() : toJson(safe);
  }

  /** @internal */
  formValidity(): { flags: ValidityStateFlags; message: string; anchor?: HTMLElement } {
    const state = this.check();
    if (state.errors === 0) return { flags: state.flags, message: '' };
    const d = state.result.diagnostics.find((x) => x.severity === 'error');
    return {
      flags: state.flags,
      message: d ? `${this.text.invalidSummary} ${d.message}` : this.text.invalidSummary,
      anchor: this.firstInvalidControl() ?? undefined,
    };
  }

  // --- lifecycle ---

  protected override willUpdate(changed: PropertyValues<this>): void {
    const target = changed.has('platform') || changed.has('osVersion');
    // A change the page makes to the target or the language is no keystroke: what it makes go away goes at once.
    // (A parent that passes an equal strings table on every render is not changing the language.)
    if (target || (changed.has('strings') && JSON.stringify(changed.get('strings')) !== JSON.stringify(this.strings))) this.release();
    if (changed.has('strings')) this.text = mergeStrings(this.strings);
    // OS marks change only with the target or the language: worked out here, not per field per keystroke.
    if (target || changed.has('strings') || this.badges.size === 0) {
      const platform = resolvePlatform(this.platform);
      this.badges = new Map(this.fields.map((f) => [f.path, this.badgeText(f, fieldSupport(f.spec, platform, this.osVersion || undefined), platform)]));
      this.badged = this.fields.filter((f) => this.badges.get(f.path) !== undefined);
    }
    const locale = this.locale();
    const s = this.structure;
    if (!s || target || s.strings !== this.text || s.readonly !== this.readOnly || s.identities !== this.identities || s.locale !== locale) {
      this.structure = { readonly: this.readOnly, identities: this.identities, strings: this.text, locale };
      this.markup.clear();
    }
    if (target) {
      this.sticky.clear();
      this.formCtl.sync();
    }
    this.keepFocus();
  }

  /**
   * The whole form as one piece of markup that the browser parses in one go (each field's part of
   * it is made once per structure: catalog, target, language, read-only, identities). What follows
   * the payload (values, diagnostics) and `disabled` are put into the live elements afterwards, in
   * updated() and on each edit. The markup holds no payload value.
   */
  private makeForm(): string {
    const state = this.check();
    this.rendered.clear();
    let form = '';
    for (const sec of this.sections) {
      let fields = '';
      for (const f of this.shownFields(sec.fields, state)) fields += this.fieldMarkup(f, state);
      form += `<fieldset class="section" part="section" data-section="${esc(sec.id)}"><legend part="section-title">${esc(this.text.sections[sec.id] ?? sec.title)}</legend><div class="fields">${fields}</div></fieldset>`;
    }
    return form;
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    // No template engine is needed for a container and one piece of markup: ReactiveElement (Lit's
    // base) gives properties, lifecycle and styles; the form goes in here, before the controllers'
    // hostUpdated, which anchor validity at a control.
    const root = this.root!;
    if (root.getAttribute('aria-label') !== this.text.formLabel) root.setAttribute('aria-label', this.text.formLabel);
    const form = this.makeForm();
    if (form !== this.parsedMarkup) {
      // The summary is set aside and put back after the markup (on the Trusted Types fallback Lit would
      // otherwise keep it in a place of its own): one status element for the element's life, since screen
      // readers often do not announce a live region that was just inserted.
      this.summary?.root.remove();
      setMarkup(root, form);
      if (this.summary) root.prepend(this.summary.root);
      this.parsedMarkup = form;
      this.appliedForm = undefined;
    }
    this.formMarkup = form;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moved or removed while typing (focus may not have left first): close up now.
    this.release();
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const shadow = super.createRenderRoot();
    const root = document.createElement('div');
    root.className = 'root';
    root.setAttribute('role', 'group');
    shadow.appendChild(root);
    this.root = root;
    // Listeners on the shadow root: they outlive every change of its content.
    shadow.addEventListener('input', this.onInput);
    shadow.addEventListener('change', this.onChange);
    shadow.addEventListener('click', this.onClick);
    shadow.addEventListener('keydown', this.onKeyDown as EventListener);
    shadow.addEventListener('focusout', this.onFocusOut);
    return shadow;
  }

  protected override updated(): void {
    const state = this.check();
    const disabled = this.disabled || this.formCtl.formDisabled;
    for (const fs of this.renderRoot.querySelectorAll<HTMLFieldSetElement>('fieldset[data-section]')) if (fs.disabled !== disabled) fs.disabled = disabled;
    // New markup means new elements, all showing the catalog defaults and no diagnostics: only
    // fields that hold a value or have a diagnostic need anything, plus those changed before.
    if (this.formMarkup !== this.appliedForm) {
      this.applied.clear();
      this.lists.clear();
      this.held.clear();
      this.reserved.clear();
      this.appliedForm = this.formMarkup;
    }
    const paths = new Set(this.applied.keys());
    for (const p of state.byPath.keys()) paths.add(p);
    valuePaths(this.current, '', paths);
    for (const p of paths) this.applyPath(p, state);
    this.summaryKey = undefined;
    this.applySummary(state);
    this.restoreFocus();
    // The controllers' hostUpdated ran before the first render counted as done and before the summary was
    // back: anchor the validity at the first bad field (or the summary) now, so that a blocked submit focuses it.
    this.formCtl.sync();
  }

  /** The fields of a list that are on screen: supported ones, and unsupported ones that hold something. */
  private shownFields(fs: readonly FieldModel[], state: ValidationState): FieldModel[] {
    const out: FieldModel[] = [];
    for (const f of fs) {
      if (this.badge(f) !== undefined && !this.isShownAnyway(f, state)) continue;
      this.rendered.add(f.path);
      out.push(f);
    }
    return out;
  }

  private fieldMarkup(f: FieldModel, state: ValidationState): string {
    if (f.control === 'group') return this.groupMarkup(f, state);
    let m = this.markup.get(f.path);
    if (m === undefined) {
      m = this.makeMarkup(f, '');
      this.markup.set(f.path, m);
    }
    return m;
  }

  private groupMarkup(f: FieldModel, state: ValidationState): string {
    let children = '';
    for (const c of this.shownFields(f.children, state)) children += this.fieldMarkup(c, state);
    return this.makeMarkup(f, children);
  }

  /** Markup of one field: label, Apple key, OS mark, control and help; no payload value is in it. */
  private makeMarkup(f: FieldModel, children: string): string {
    const ctx = this.structure!;
    const s = ctx.strings;
    const t = s.fields[f.path];
    const id = esc(f.id);
    const title = esc(t?.title ?? f.spec.title);
    const badge = this.badge(f);
    const badgeEl = badge ? `<span class="badge" part="badge">${esc(badge)}</span>` : '';
    const key = `<code class="key" part="key">${esc(f.spec.key)}</code>`;
    const meraki = f.spec.meraki ? `<span class="meraki" part="meraki">${esc(`${s.merakiPrefix} ${f.spec.meraki}`)}</span>` : '';
    const help = `<p id="${id}-help" class="help" part="help">${esc(t?.help ?? f.spec.help)}${meraki}</p>`;
    if (f.control === 'group') {
      return `<fieldset id="${id}-field" class="group" part="group" aria-describedby="${id}-help"><legend>${title} ${key}${badgeEl}</legend>${help}<div class="fields">${children}</div></fieldset>`;
    }
    const control = controlHtml(f, ctx);
    const label = `<label for="${id}" part="label">${title}</label>`;
    // The Apple key sits next to the label: admins search Apple's docs and other MDMs by it.
    if (f.control === 'switch') {
      return `<div id="${id}-field" class="field" part="field field-switch"><div class="switch-row">${control}${label}${key}${badgeEl}</div>${help}</div>`;
    }
    return `<div id="${id}-field" class="field" part="field field-${f.control}"><div class="label-row">${label}${key}${badgeEl}</div>${control}${help}</div>`;
  }

  /** Puts the payload's value and the field's diagnostics into its live elements, where they changed. */
  private applyField(f: FieldModel, state: ValidationState): void {
    const group = f.control === 'group';
    const el = this.byId(group ? `${f.id}-field` : f.id);
    if (!el) return;
    const ctx = this.structure!;
    const diags = state.byPath.get(f.path);
    const dk = diagnosticsKey(diags);
    const value = group ? undefined : shownValue(this.current, f);
    const prev = this.applied.get(f.path);
    if (prev === undefined || prev.el !== el) {
      // New elements show the catalog default and no diagnostics, as the markup made them.
      if (!group && value !== f.spec.default) applyControl(f, el, value, ctx);
      if (diags) this.applyDiagnostics(f, el, diags, dk);
    } else {
      if (!group && prev.value !== value) applyControl(f, el, value, ctx);
      if (prev.diags !== dk) this.applyDiagnostics(f, el, diags, dk);
    }
    this.applied.set(f.path, { el, value, diags: dk });
  }

  private applyDiagnostics(f: FieldModel, el: HTMLElement, diags: readonly Diagnostic[] | undefined, dk: string): void {
    const invalid = diags?.some((d) => d.severity === 'error') ?? false;
    const feedbackId = `${f.id}-feedback`;
    const describedBy = diags ? `${feedbackId} ${f.id}-help` : `${f.id}-help`;
    setAttr(el, 'aria-describedby', f.control === 'data' ? `${f.id}-status ${describedBy}` : describedBy);
    if (f.control !== 'group') {
      setAttr(el, 'aria-invalid', invalid ? 'true' : 'false');
      const field = this.byId(`${f.id}-field`);
      if (field) setAttr(field, 'part', `field field-${f.control}${invalid ? ' field-invalid' : ''}`);
    }
    const shown = this.byId(feedbackId);
    // Most fields have nothing to say: no empty list.
    if (!diags) {
      if (shown && this.typing) {
        setHeld(shown, true);
        this.held.add(shown);
      } else shown?.remove();
      return;
    }
    // Lists are kept by field and content: a diagnostic that comes back as the admin types (a
    // character added, then removed) brings back the same elements instead of new ones.
    const key = `${f.path}\u0003${dk}`;
    let list = this.lists.get(key);
    if (list) this.lists.delete(key);
    else if (shown && patchFieldFeedback(shown, diags, this.text)) {
      // The list on screen now says something else: it is no longer the one for its old content.
      this.lists.delete(this.listKeys.get(shown) ?? '');
      list = shown;
    } else list = fieldFeedback(feedbackId, diags, this.text);
    this.lists.set(key, list);
    this.listKeys.set(list, key);
    if (this.lists.size > 64) this.lists.delete(this.lists.keys().next().value!);
    if (shown !== list) {
      // While typing, a shorter list keeps the room of the one it replaces (fewer diagnostics than before).
      const room = this.typing && shown && list.childElementCount < shown.childElementCount ? roomOf(shown) : 0;
      if (shown) {
        shown.remove();
        shown.style.removeProperty('min-height');
        this.reserved.delete(shown);
      }
      this.byId(`${f.id}-help`)?.after(list);
      if (room > 0) {
        list.style.minHeight = `${room}px`;
        this.reserved.add(list);
      }
    }
    setHeld(list, false);
    this.held.delete(list);
  }

  /**
   * Focus leaving by a pointer press (on pointerdown, before the click) must not close up the form
   * under the pointer: the click would land on whatever moved there. The form closes up once the
   * press is over and its click delivered.
   */
  private onFocusOut = (): void => {
    // Already waiting for a click (focus may move again as it lands, e.g. a summary link focusing its field).
    if (!this.typing || this.pending) return;
    if (pressing()) this.releaseAfterPress();
    else this.release();
  };

  /** A release waiting for a press to end (see releaseAfterPress), and how to call it off. */
  private pending: { cancel(): void } | undefined;

  /**
   * Closes up once the press that moved focus has ended: a task after its click, so that the click's handlers
   * ran on what was under the pointer, or CLICK_GRACE_MS after the button came up when no click comes. A
   * button held down, however long, keeps the form as it is.
   */
  private releaseAfterPress(): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listen = (on: boolean): void => {
      for (const type of PRESS_ENDS) {
        if (on) window.addEventListener(type, ended, true);
        else window.removeEventListener(type, ended, true);
      }
      for (const type of PRESS_UPS) {
        if (on) window.addEventListener(type, upped, true);
        else window.removeEventListener(type, upped, true);
      }
    };
    const cancel = (): void => {
      clearTimeout(timer);
      listen(false);
      this.pending = undefined;
    };
    const fire = (): void => {
      cancel();
      this.release();
    };
    const ended = (): void => {
      listen(false);
      clearTimeout(timer);
      timer = setTimeout(fire, 0);
    };
    const upped = (): void => {
      clearTimeout(timer);
      timer = setTimeout(fire, CLICK_GRACE_MS);
    };
    listen(true);
    if (!press.down) timer = setTimeout(fire, Math.max(0, press.upAt + CLICK_GRACE_MS - performance.now()));
    this.pending = { cancel };
  }

  /** Ends typing: what was hidden in place goes, and the form closes up. */
  private release = (): void => {
    this.pending?.cancel();
    if (!this.typing) return;
    this.typing = false;
    for (const list of this.held) if (list.classList.contains('held')) list.remove();
    this.held.clear();
    for (const list of this.reserved) list.style.minHeight = '';
    this.reserved.clear();
    this.summary?.release();
  };

  private applySummary(state: ValidationState): void {
    let key = `${state.errors}\u0002`;
    for (const d of state.result.diagnostics) key += `${d.path}\u0000${d.severity}\u0000${d.code}\u0000${d.message}\u0001`;
    if (key === this.summaryKey) return;
    this.summaryKey = key;
    this.summary ??= new SummaryView(this.onJump);
    if (this.summary.root.parentNode !== this.root) this.root?.prepend(this.summary.root);
    this.summary.update(state, this.locate, this.text, this.structure?.locale ?? this.locale(), this.typing);
  }

  /** Whether an edit brings an unsupported field on screen (it now holds a value or has a diagnostic). */
  private visibilityChanged(state: ValidationState): boolean {
    if (this.showUnsupported) return false;
    for (const f of this.badged) if (!this.rendered.has(f.path) && this.isShownAnyway(f, state)) return true;
    return false;
  }

  private focusState: { id: string; start: number | null; end: number | null } | undefined;

  /** A field whose markup changes is drawn anew: remembers where focus was, to put it back. */
  private keepFocus(): void {
    const a = this.shadowRoot?.activeElement as HTMLInputElement | null | undefined;
    if (!a?.id) {
      this.focusState = undefined;
      return;
    }
    let start: number | null = null;
    let end: number | null = null;
    try {
      start = a.selectionStart ?? null;
      end = a.selectionEnd ?? null;
    } catch {
      // Not a text control.
    }
    this.focusState = { id: a.id, start, end };
  }

  private restoreFocus(): void {
    const f = this.focusState;
    this.focusState = undefined;
    if (!f || this.shadowRoot?.activeElement) return;
    const el = this.byId(f.id) as HTMLInputElement | null;
    if (!el) return;
    el.focus();
    try {
      if (f.start !== null && f.end !== null) el.setSelectionRange(f.start, f.end);
    } catch {
      // Not a text control.
    }
  }

  /** The language for plural rules: the nearest `lang`, as for the page's own text. */
  private locale(): string {
    return this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  }

  /** The OS mark of a field the target does not fully support, or undefined when it does. */
  private badge(f: FieldModel): string | undefined {
    return this.badges.get(f.path);
  }

  private badgeText(f: FieldModel, st: SupportStatus, platform: string): string | undefined {
    const s = this.text;
    switch (st.kind) {
      case 'supported':
        return undefined;
      case 'never':
        return format(s.notOnPlatform, { platform });
      case 'not-yet':
        return format(s.needsOs, { platform, version: st.introduced });
      case 'removed':
        return format(s.removedIn, { platform, version: st.removed });
      case 'deprecated': {
        const since = format(s.deprecatedSince, { platform, version: st.deprecated });
        return f.spec.replacedBy ? `${since}; ${format(s.useInstead, { key: f.spec.replacedBy })}` : since;
      }
    }
  }

  private isShownAnyway(f: FieldModel, state: ValidationState): boolean {
    if (this.showUnsupported || this.sticky.has(f.path)) return true;
    const has = getPath(this.current, f.path) !== undefined || state.byPath.has(f.path) || f.children.some((c) => this.isShownAnyway(c, state));
    if (has) this.sticky.add(f.path);
    return has;
  }

  // --- editing ---

  private get blocked(): boolean {
    return this.readOnly || this.disabled || this.formCtl.formDisabled;
  }

  private onInput = (e: Event): void => {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    const f = el.dataset.path === undefined ? undefined : this.byPath.get(el.dataset.path);
    if (!f || f.control === 'data') return;
    if (this.blocked) {
      // The browser already changed the control (a checkbox click, an arrow key on a select): put it back.
      resetControl(f, el, shownValue(this.current, f));
      return;
    }
    // Typing is input into the control that has focus: then what goes away waits for focus to leave (and a
    // deferred release is called off, since the admin is typing again). Input without focus (a script, a
    // password manager, a switch some browsers do not focus) leaves nothing to wait for.
    if (this.shadowRoot?.activeElement === el) {
      this.pending?.cancel();
      this.typing = true;
      this.summary?.typed();
    }
    this.edit(f, readControl(f, el), false);
  };

  private onChange = (e: Event): void => {
    const el = e.target as HTMLInputElement;
    const f = el.dataset.path === undefined ? undefined : this.byPath.get(el.dataset.path);
    if (!f) return;
    if (this.blocked) {
      if (f.control !== 'data') resetControl(f, el, shownValue(this.current, f));
      return;
    }
    if (f.control === 'data') {
      const file = el.files?.[0];
      el.value = '';
      if (file) void fileToBase64(file).then((b64) => this.edit(f, b64, true));
      return;
    }
    // A committed edit with focus still here (Enter, a select, a switch) closes up what typing kept in place.
    // The change of a text field that loses focus comes before its focusout, which decides (see onFocusOut).
    if (this.shadowRoot?.activeElement === el) this.release();
    this.dispatchEvent(new CustomEvent('change', this.eventInit()));
  };

  private onClick = (e: Event): void => {
    const el = e.target as HTMLElement;
    if (el.dataset.action !== 'clear' || el.dataset.path === undefined || this.blocked) return;
    const f = this.byPath.get(el.dataset.path);
    if (f) this.edit(f, undefined, true);
  };

  private onKeyDown = (e: KeyboardEvent): void => {
    // Enter in a text field submits the surrounding form, as it does for native inputs (the
    // browser itself fires the input's change event on Enter, which becomes ours in onChange).
    const el = e.target as HTMLElement;
    if (e.key === 'Enter' && el instanceof HTMLInputElement && el.type !== 'checkbox' && el.type !== 'file' && !e.isComposing) {
      // Enter commits even when the value is the one committed last, and then no change event comes.
      this.release();
      this.form?.requestSubmit();
    }
  };

  private edit(f: FieldModel, v: unknown, commit: boolean): void {
    const before = this.check();
    this.current = setPath(this.current, f.path, v);
    // Validates once; the state is cached for the DOM updates and the events below.
    this.formCtl.sync();
    const state = this.check();
    if (!this.hasUpdated || this.isUpdatePending || this.visibilityChanged(state)) {
      this.requestUpdate();
    } else {
      // A keystroke changes one value and a few diagnostics: only those fields and, when its
      // content changes, the summary are touched; nothing else is rendered again.
      this.applyField(f, state);
      for (const path of before.byPath.keys()) this.applyPath(path, state);
      for (const path of state.byPath.keys()) this.applyPath(path, state);
      this.applySummary(state);
    }
    this.dispatchEvent(new CustomEvent('value-changed', this.eventInit()));
    if (commit) this.dispatchEvent(new CustomEvent('change', this.eventInit()));
  }

  private applyPath(path: string, state: ValidationState): void {
    const f = this.byPath.get(path);
    if (f && this.rendered.has(path)) this.applyField(f, state);
  }

  private eventInit(): CustomEventInit<EasPayloadEditorEventDetail> {
    return { detail: { value: this.current, diagnostics: this.check().result.diagnostics }, bubbles: true, composed: true };
  }

  /** Sets the value from reset or restore: no events, and the default stays what it was. */
  private setInternal(v: Payload): void {
    this.current = v;
    this.sticky.clear();
    this.release();
    this.formCtl.sync();
    this.requestUpdate();
  }

  private check(): ValidationState {
    return this.validator.check(this.current, { platform: this.platform, osVersion: this.osVersion || undefined });
  }

  // --- focus ---

  private locate = (path: string): FieldLocation | undefined => {
    const f = this.byPath.get(path);
    if (!f || !this.rendered.has(path)) return undefined;
    return { id: f.id, title: this.text.fields[f.path]?.title ?? f.spec.title };
  };

  private onJump = (e: Event): void => {
    e.preventDefault();
    const id = (e.currentTarget as HTMLElement).dataset.target;
    const el = id ? this.byId(id) : null;
    el?.focus();
  };

  /** The control of the first field, in form order, that has an error; null when the error is about no field on screen. */
  private firstInvalidControl(): HTMLElement | null {
    const state = this.check();
    if (state.errors === 0 || !this.hasUpdated) return null;
    for (const f of this.fields) {
      if (f.control === 'group') continue;
      if (state.byPath.get(f.path)?.some((d) => d.severity === 'error')) {
        const el = this.byId(f.id);
        if (el) return el;
      }
    }
    return this.byId('summary-title');
  }

  /** An element of the shadow root by id (ids hold dots, so no CSS selector). */
  private byId(id: string): HTMLElement | null {
    return this.shadowRoot?.getElementById(id) ?? null;
  }

  private focusFirstInvalid(): void {
    this.firstInvalidControl()?.focus();
  }
}

if (!customElements.get('eas-payload-editor')) customElements.define('eas-payload-editor', EasPayloadEditor);

declare global {
  interface HTMLElementTagNameMap {
    'eas-payload-editor': EasPayloadEditor;
  }
  interface HTMLElementEventMap {
    'value-changed': CustomEvent<EasPayloadEditorEventDetail>;
  }
}
