// In-page half of bench/editor.bench.mjs: the editor and, as the baseline, the same catalog
// rendered as a plain <form> of native inputs with no validation and no framework.
import '../components/eas-payload-editor';
import type { EasPayloadEditor } from '../components/eas-payload-editor';
import { formModel, shownValue, type FieldModel, type Payload } from '../components/model';

export const FILLED: Payload = {
  PayloadDisplayName: 'Contoso mail',
  EmailAddress: '{{email}}',
  UserName: 'CONTOSO\\{{username}}',
  Host: 'mail.contoso.com',
  SSL: true,
  MailNumberOfPastDaysToSync: 14,
  PreventMove: true,
  SMIMESigningEnabled: true,
  SMIMESigningCertificateUUID: '11111111-2222-3333-4444-555555555555',
};

export type Kind = 'editor' | 'plain';
/** `floor`: the plain form that also shows a fixed message at the field and at the top, with no validation. */
export type KeystrokeKind = Kind | 'floor';

// The editor's message for a host written as a URL, so that the floor lays out the same text.
const HOST_MESSAGE = 'Error: Host: Write the host name only, without scheme or path: "mail.contoso.com" instead of the URL.';

const INPUT_TYPES: Partial<Record<FieldModel['control'], string>> = {
  text: 'text',
  email: 'email',
  url: 'url',
  password: 'password',
  number: 'number',
  identity: 'text',
  data: 'file',
  switch: 'checkbox',
};

function plainField(f: FieldModel, value: Payload): HTMLElement {
  if (f.control === 'group') {
    const fs = document.createElement('fieldset');
    fs.append(Object.assign(document.createElement('legend'), { textContent: f.spec.title }));
    for (const c of f.children) fs.append(plainField(c, value));
    return fs;
  }
  const wrap = document.createElement('div');
  const label = Object.assign(document.createElement('label'), { htmlFor: f.id, textContent: f.spec.title });
  let control: HTMLInputElement | HTMLSelectElement;
  const v = shownValue(value, f);
  if (f.control === 'select') {
    const sel = document.createElement('select');
    for (const a of f.spec.allowed ?? []) sel.append(new Option(String(a), String(a), false, a === v));
    control = sel;
  } else {
    const input = document.createElement('input');
    input.type = INPUT_TYPES[f.control] ?? 'text';
    if (input.type === 'checkbox') input.checked = v === true;
    else if (input.type !== 'file' && v !== undefined) input.value = String(v);
    control = input;
  }
  control.id = f.id;
  control.name = f.path;
  const help = Object.assign(document.createElement('p'), { textContent: `${f.spec.help} ${f.spec.meraki ?? ''}` });
  wrap.append(label, control, help);
  return wrap;
}

/** The baseline: every field of the same catalog model as a native control, nothing else. */
export function plainForm(value: Payload): HTMLFormElement {
  const form = document.createElement('form');
  for (const s of formModel()) {
    const fs = document.createElement('fieldset');
    fs.append(Object.assign(document.createElement('legend'), { textContent: s.title }));
    for (const f of s.fields) fs.append(plainField(f, value));
    form.append(fs);
  }
  return form;
}

const stage = (): HTMLElement => document.getElementById('stage')!;

// Reading a layout property makes the browser finish style and layout now, so the time covers
// what is needed to put the result on screen, not just the DOM mutation.
const forceLayout = (): number => document.body.offsetHeight;

/** Time to mount a filled editor (or the plain form) until it is styled and laid out. */
export async function firstRender(kind: Kind): Promise<number> {
  stage().replaceChildren();
  forceLayout();
  const t0 = performance.now();
  if (kind === 'editor') {
    const el = document.createElement('eas-payload-editor');
    el.value = FILLED;
    stage().append(el);
    await el.updateComplete;
  } else {
    stage().append(plainForm(FILLED));
  }
  forceLayout();
  return performance.now() - t0;
}

interface KeystrokeRun {
  readonly work: number[];
  readonly frame: number[];
  /** Keystrokes after which the diagnostics on screen were not those of the value. */
  wrong: number;
}

let run: KeystrokeRun | undefined;

/** What the admin types into the Host field (the driver, editor.bench.ts, sends the keys). */
export type Pattern = 'toggle' | 'url';

/** The diagnostics visible in the editor, at the Host field and in the summary: code and text, in order. */
function shown(root: ShadowRoot): { atField: Shown[]; inSummary: Shown[] } {
  const items = (sel: string): Shown[] =>
    [...root.querySelectorAll(sel)]
      .filter((e) => e.checkVisibility({ visibilityProperty: true }))
      .map((e) => ({ code: e.getAttribute('data-code') ?? '', text: e.textContent ?? '' }));
  return { atField: items('[id="f-Host-feedback"] > li'), inSummary: items('[part~="summary-item"]') };
}

interface Shown {
  readonly code: string;
  readonly text: string;
}

/** Whether the items show these diagnostics, in this order, each with its message. */
const showsAll = (items: readonly Shown[], diags: readonly { code: string; message: string }[]): boolean =>
  items.length === diags.length && items.every((x, i) => x.code === diags[i].code && x.text.includes(diags[i].message));

/** Mounts `kind`, focuses its Host field and times each following keystroke. */
export async function prepareKeystrokes(kind: KeystrokeKind, pattern: Pattern, host: string): Promise<void> {
  stage().replaceChildren();
  const r: KeystrokeRun = { work: [], frame: [], wrong: 0 };
  run = r;
  const value: Payload = { ...FILLED, Host: host };
  let editor: EasPayloadEditor | undefined;
  let input: HTMLInputElement;
  if (kind === 'editor') {
    editor = document.createElement('eas-payload-editor');
    editor.value = value;
    stage().append(editor);
    await editor.updateComplete;
    input = editor.shadowRoot!.querySelector<HTMLInputElement>('[id="f-Host"]')!;
  } else {
    stage().append(plainForm(value));
    input = stage().querySelector<HTMLInputElement>('[id="f-Host"]')!;
    if (kind === 'floor') {
      // What showing one diagnostic in two places costs the browser at the least: a paragraph under the field comes
      // and goes, and the one at the top changes its text.
      const atField = document.createElement('p');
      atField.textContent = HOST_MESSAGE;
      const atTop = document.createElement('p');
      stage().prepend(atTop);
      input.addEventListener('input', () => {
        const bad = input.value.endsWith('/');
        if (bad) input.after(atField);
        else atField.remove();
        atTop.textContent = bad ? `1 error. ${HOST_MESSAGE}` : 'No problems found.';
      });
    }
  }
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
  let t0 = 0;
  let diagnostics: readonly { path: string; code: string; message: string }[] = [];
  const ac = new AbortController();
  window.addEventListener('keydown', () => (t0 = performance.now()), { capture: true, signal: ac.signal });
  editor?.addEventListener('value-changed', (e) => (diagnostics = e.detail.diagnostics), { signal: ac.signal });
  // Bubble phase at window: runs after the editor's own listener inside its shadow root.
  window.addEventListener(
    'input',
    () => {
      const start = t0;
      const done = (): void => {
        forceLayout();
        r.work.push(performance.now() - start);
        if (editor) {
          // What is visible must be what validate() says of the value now, at the field and in the summary.
          const now = shown(editor.shadowRoot!);
          const atField = diagnostics.filter((d) => d.path === 'Host');
          if (!showsAll(now.atField, atField) || !showsAll(now.inSummary, diagnostics)) r.wrong++;
          if (pattern === 'toggle' && atField.some((d) => d.code === 'host-is-url') !== input.value.endsWith('/')) r.wrong++;
        }
        requestAnimationFrame(() => r.frame.push(performance.now() - start));
      };
      if (editor) void editor.updateComplete.then(done);
      else done();
    },
    { signal: ac.signal },
  );
  (window as unknown as { stopKeystrokes: () => void }).stopKeystrokes = () => ac.abort();
}

/** Resolves once `n` keystrokes have been timed up to the next frame. */
export async function samples(n: number): Promise<KeystrokeRun> {
  while (!run || run.frame.length < n) await new Promise((ok) => setTimeout(ok, 1));
  return run;
}

Object.assign(window, { bench: { firstRender, prepareKeystrokes, samples } });
