import { a11ySnapshot, executeServerCommand, sendKeys, sendMouse } from '@web/test-runner-commands';
import { EAS_CATALOG, validate } from '../../core/eas';
import '../../components/eas-payload-editor';
import type { EasPayloadEditor, EasPayloadEditorEventDetail } from '../../components/eas-payload-editor';
import { allFields, formModel } from '../../components/model';
import { afterEach, assert, cleanup, deepEqual, describe, equal, fixture, it, settle } from './harness';

const FILLED = {
  PayloadDisplayName: 'Contoso mail',
  EmailAddress: '{{email}}',
  UserName: 'CONTOSO\\{{username}}',
  Host: 'mail.contoso.com',
  SSL: true,
  MailNumberOfPastDaysToSync: 14,
  PreventMove: true,
};

async function editor(attrs = "", value?: Record<string, unknown>): Promise<EasPayloadEditor> {
  const el = await fixture<EasPayloadEditor>(`<eas-payload-editor ${attrs}></eas-payload-editor>`);
  if (value) {
    el.value = value;
    await el.updateComplete;
  }
  return el;
}

const $ = <T extends Element = HTMLElement>(el: EasPayloadEditor, sel: string): T => {
  const found = el.shadowRoot!.querySelector<T>(sel);
  assert(found, `no ${sel} in the editor`);
  return found;
};
const control = <T extends Element = HTMLInputElement>(el: EasPayloadEditor, path: string): T => $<T>(el, `[id="f-${path}"]`);

interface AxNode {
  name?: string;
  children?: AxNode[];
}

/** Every name in an accessibility tree snapshot. */
function axTexts(node: unknown): string[] {
  const n = node as AxNode;
  return [...(n.name ? [n.name] : []), ...(n.children ?? []).flatMap(axTexts)];
}

/** Types "/" at the end of the Host field, making its value a URL, then (with `undo`) Backspace; focus stays there. */
async function typeSlash(el: EasPayloadEditor, undo: boolean): Promise<HTMLInputElement> {
  const host = control(el, 'Host');
  host.focus();
  await sendKeys({ press: 'End' });
  await sendKeys({ type: '/' });
  if (undo) await sendKeys({ press: 'Backspace' });
  await el.updateComplete;
  return host;
}

/** A point inside `e`, near its start: what a mouse or a finger aims at. */
function centre(e: Element): [number, number] {
  const r = e.getBoundingClientRect();
  return [Math.round(r.left + Math.min(8, r.width / 2)), Math.round(r.top + r.height / 2)];
}

/** The first control under `control`, in its column. */
function controlBelow(el: EasPayloadEditor, control: Element): HTMLInputElement {
  const box = control.getBoundingClientRect();
  return [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[data-path]:not([type="file"])')]
    .filter((c) => c.getBoundingClientRect().top > box.bottom && Math.abs(c.getBoundingClientRect().left - box.left) < 50)
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
}

/** The codes of the diagnostics the admin can see, under the Host field and in the summary. */
function visibleCodes(el: EasPayloadEditor): { atField: string[]; inSummary: string[] } {
  const codes = (sel: string): string[] =>
    [...el.shadowRoot!.querySelectorAll(sel)].filter((e) => e.checkVisibility({ visibilityProperty: true })).map((e) => e.getAttribute('data-code')!);
  return { atField: codes('[id="f-Host-feedback"] > li'), inSummary: codes('[part~="summary-item"]') };
}

/** Waits for the next event of this type from `el`. */
const next = (el: EventTarget, type: string): Promise<CustomEvent<EasPayloadEditorEventDetail>> =>
  new Promise((r) => el.addEventListener(type, (e) => r(e as CustomEvent<EasPayloadEditorEventDetail>), { once: true }));

describe('<eas-payload-editor> rendering', () => {
  afterEach(cleanup);

  it('renders the catalog sections in order, each field with the control its type calls for', async () => {
    const el = await editor();
    const legends = [...el.shadowRoot!.querySelectorAll('fieldset[part="section"] > legend')].map((l) => l.textContent?.trim());
    const expected = EAS_CATALOG.sections.filter((s) => formModel().some((m) => m.id === s.id)).map((s) => s.title);
    deepEqual(legends, expected);
    equal(control(el, 'Host').type, 'text');
    equal(control(el, 'Password').type, 'password');
    equal(control(el, 'EmailAddress').type, 'email');
    equal(control(el, 'OAuthSignInURL').type, 'url');
    equal(control(el, 'SSL').getAttribute('role'), 'switch');
    equal(control(el, 'MailNumberOfPastDaysToSync').localName, 'select');
    deepEqual(
      [...control<HTMLSelectElement>(el, 'MailNumberOfPastDaysToSync').options].map((o) => o.value),
      ['0', '1', '3', '7', '14', '31'],
    );
    equal(control(el, 'Certificate').type, 'file');
    assert(el.shadowRoot!.querySelector('[id="f-CommunicationServiceRules.DefaultServiceHandlers.AudioCall"]'), 'nested dictionary field');
    // Generated keys are the profile builder's, not the admin's.
    equal(el.shadowRoot!.querySelector('[id="f-PayloadUUID"]'), null);
  });

  it('every visible field of the model is on screen, with its help and Meraki wording', async () => {
    const el = await editor();
    for (const f of allFields(formModel())) {
      if (f.control === 'group') continue;
      const c = el.shadowRoot!.querySelector(`[id="f-${f.path}"]`);
      if (!c) continue; // not supported on the newest iOS: hidden, covered below
      const help = $(el, `[id="f-${f.path}-help"]`).textContent ?? '';
      assert(help.includes(f.spec.help), `help of ${f.path}`);
      if (f.spec.meraki) assert(help.includes(f.spec.meraki), `Meraki label of ${f.path}`);
      const label = el.shadowRoot!.querySelector(`label[for="f-${f.path}"]`);
      equal(label?.textContent?.trim(), f.spec.title, `label of ${f.path}`);
    }
    assert($(el, '[id="f-Host-help"]').textContent!.includes('Meraki: Exchange host'));
  });

  it('shows a given value in its controls, defaults where the value is silent', async () => {
    const el = await editor('', FILLED);
    equal(control(el, 'Host').value, 'mail.contoso.com');
    equal(control(el, 'UserName').value, 'CONTOSO\\{{username}}');
    equal(control(el, 'SSL').checked, true);
    equal(control(el, 'PreventAppSheet').checked, false);
    equal(control(el, 'EnableMail').checked, true, 'catalog default true');
    equal(control<HTMLSelectElement>(el, 'MailNumberOfPastDaysToSync').value, '14');
  });

  it('never puts the password in an attribute', async () => {
    const el = await editor('', { ...FILLED, Password: 'hunter2-secret' });
    equal(control(el, 'Password').value, 'hunter2-secret');
    assert(!el.shadowRoot!.innerHTML.includes('hunter2-secret'), 'not in the shadow markup');
    assert(!el.outerHTML.includes('hunter2-secret'), 'not on the host');
    equal(control(el, 'Password').getAttribute('autocomplete'), 'new-password');
    // What the browser keeps in session history for restore never holds a secret.
    assert(!el.formState()!.includes('hunter2-secret'), 'not in the restore state');
    assert(el.formState()!.includes('mail.contoso.com'), 'the rest is');
  });

  it('hides fields the target OS does not support, and marks them when they hold a value', async () => {
    const el = await editor('platform="iOS" os-version="12.0"');
    equal(el.shadowRoot!.querySelector('[id="f-EnableMail"]'), null, 'EnableMail needs iOS 13');
    equal(el.shadowRoot!.querySelector('[id="f-HeaderMagic"]'), null, 'deprecated and empty');
    el.value = { ...FILLED, EnableNotes: false };
    await el.updateComplete;
    const field = control(el, 'EnableNotes').closest('.field')!;
    assert(field.querySelector('[part="badge"]')?.textContent?.includes('Needs iOS 13.0'), 'marked with its OS');
    el.osVersion = '17.4';
    await el.updateComplete;
    assert(el.shadowRoot!.querySelector('[id="f-EnableMail"]'), 'shown on iOS 17.4');
    el.setAttribute('show-unsupported', '');
    await el.updateComplete;
    assert(control(el, 'HeaderMagic').closest('.field')!.querySelector('[part="badge"]')?.textContent?.includes('Deprecated'), 'deprecated mark');
  });

  it('hides keys visionOS never supports', async () => {
    const el = await editor('platform="visionOS"');
    equal(el.shadowRoot!.querySelector('[id="f-SMIMEEnabled"]'), null);
    assert(el.shadowRoot!.querySelector('[id="f-SMIMESigningEnabled"]'), 'SMIMESigningEnabled on visionOS');
  });

  it('offers the identities in the certificate and S/MIME pickers', async () => {
    const el = await editor();
    el.identities = [
      { uuid: '11111111-2222-3333-4444-555555555555', label: 'Jane Doe (S/MIME)' },
      { uuid: '66666666-7777-8888-9999-000000000000', label: 'Jane Doe (client)' },
    ];
    el.value = { SMIMESigningCertificateUUID: '11111111-2222-3333-4444-555555555555', PayloadCertificateUUID: 'AAAAAAAA-2222-3333-4444-555555555555' };
    await el.updateComplete;
    for (const key of ['PayloadCertificateUUID', 'SMIMESigningCertificateUUID', 'SMIMEEncryptionCertificateUUID']) {
      const sel = control<HTMLSelectElement>(el, key);
      equal(sel.localName, 'select', key);
      assert([...sel.options].some((o) => o.textContent === 'Jane Doe (client)'), `${key} lists the identities`);
    }
    equal(control<HTMLSelectElement>(el, 'SMIMESigningCertificateUUID').value, '11111111-2222-3333-4444-555555555555');
    // A UUID the page did not list stays visible rather than being dropped.
    equal(control<HTMLSelectElement>(el, 'PayloadCertificateUUID').selectedOptions[0].textContent, 'Unknown identity AAAAAAAA-2222-3333-4444-555555555555');
    const sel = control<HTMLSelectElement>(el, 'SMIMEEncryptionCertificateUUID');
    sel.value = '66666666-7777-8888-9999-000000000000';
    const changed = next(el, 'value-changed');
    sel.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    equal((await changed).detail.value.SMIMEEncryptionCertificateUUID, '66666666-7777-8888-9999-000000000000');
  });

  it('labels values from the catalog: value labels, units with plurals, examples as placeholders', async () => {
    const el = await editor();
    const days = control<HTMLSelectElement>(el, 'MailNumberOfPastDaysToSync');
    deepEqual(
      [...days.options].map((o) => o.textContent),
      ['No limit', '1 day', '3 days', '7 days (default)', '14 days', '31 days'],
    );
    equal(control(el, 'Host').placeholder, 'e.g. mail.example.com');
    equal(control(el, 'Password').getAttribute('placeholder'), null, 'no example for a secret');
    el.strings = { units: { days: { one: '{n} Tag', other: '{n} Tage' } }, fields: { MailNumberOfPastDaysToSync: { values: { 0: 'Unbegrenzt' } } }, example: 'z. B. {example}' };
    await el.updateComplete;
    deepEqual(
      [...control<HTMLSelectElement>(el, 'MailNumberOfPastDaysToSync').options].map((o) => o.textContent),
      ['Unbegrenzt', '1 Tag', '3 Tage', '7 Tage (default)', '14 Tage', '31 Tage'],
    );
    equal(control(el, 'Host').placeholder, 'z. B. mail.example.com');
    // The placeholder shows in an empty field only; it is back once the field is empty again.
    const host = control(el, 'Host');
    host.focus();
    await sendKeys({ type: 'x' });
    equal(host.getAttribute('placeholder'), null, 'no placeholder while the field holds text');
    await sendKeys({ press: 'Backspace' });
    equal(host.placeholder, 'z. B. mail.example.com');
  });

  it('offers each picker the identities whose purposes fit it', async () => {
    const el = await editor();
    el.identities = [
      { uuid: '11111111-2222-3333-4444-555555555555', label: 'Jane Doe (S/MIME signing)', purposes: ['smime-signing'] },
      { uuid: '22222222-2222-3333-4444-555555555555', label: 'Jane Doe (S/MIME encryption)', purposes: ['smime-encryption'] },
      { uuid: '33333333-2222-3333-4444-555555555555', label: 'Device identity (SCEP)', purposes: ['authentication'] },
      { uuid: '44444444-2222-3333-4444-555555555555', label: 'Any use' },
    ];
    el.value = { SMIMEEncryptionCertificateUUID: '11111111-2222-3333-4444-555555555555' };
    await el.updateComplete;
    const labels = (key: string): string[] => [...control<HTMLSelectElement>(el, key).options].map((o) => o.textContent ?? '');
    deepEqual(labels('PayloadCertificateUUID'), ['None', 'Device identity (SCEP)', 'Any use']);
    deepEqual(labels('SMIMESigningCertificateUUID'), ['None', 'Jane Doe (S/MIME signing)', 'Any use']);
    // A known identity picked for another purpose stays visible, by its label.
    deepEqual(labels('SMIMEEncryptionCertificateUUID'), ['None', 'Jane Doe (S/MIME signing)', 'Jane Doe (S/MIME encryption)', 'Any use']);
    equal(control<HTMLSelectElement>(el, 'SMIMEEncryptionCertificateUUID').value, '11111111-2222-3333-4444-555555555555');
    // Identities that fit none of a picker's purpose leave it a text field.
    el.identities = [{ uuid: '33333333-2222-3333-4444-555555555555', label: 'Device identity (SCEP)', purposes: ['authentication'] }];
    await el.updateComplete;
    equal(control(el, 'SMIMESigningCertificateUUID').localName, 'input');
    equal(control(el, 'PayloadCertificateUUID').localName, 'select');
  });

  it('keeps a value assigned before the element was defined', async () => {
    const early = document.createElement('eas-payload-editor-late') as unknown as EasPayloadEditor;
    (early as unknown as { value: unknown }).value = FILLED;
    document.body.append(early);
    customElements.define('eas-payload-editor-late', class extends (customElements.get('eas-payload-editor') as typeof EasPayloadEditor) {});
    try {
      await early.updateComplete;
      deepEqual(early.value, FILLED);
      equal((early.shadowRoot!.getElementById('f-Host') as HTMLInputElement).value, 'mail.contoso.com');
    } finally {
      early.remove();
    }
  });

  it('takes translations from its strings table', async () => {
    const el = await editor();
    el.strings = { sections: { server: 'Serveur' }, fields: { Host: { title: 'Hôte Exchange' } }, merakiPrefix: 'Dans Meraki :' };
    await el.updateComplete;
    const legends = [...el.shadowRoot!.querySelectorAll('fieldset[part="section"] > legend')].map((l) => l.textContent?.trim());
    assert(legends.includes('Serveur'));
    equal(el.shadowRoot!.querySelector('label[for="f-Host"]')?.textContent?.trim(), 'Hôte Exchange');
    assert($(el, '[id="f-Host-help"]').textContent!.includes('Dans Meraki : Exchange host'));
  });

  it('writes the summary counts for a new language, leaving no line of the old one behind', async () => {
    const el = await editor('', { ...FILLED, Host: 'https://mail.contoso.com/' });
    const counts = $(el, '[part~="summary-counts"]');
    equal(counts.innerText.trim(), '1 error, 0 warnings');
    // French plural rules put 0 with 1; the form itself stays as it is, only the counts change.
    el.setAttribute('lang', 'fr');
    el.requestUpdate();
    await el.updateComplete;
    equal($(el, '[part~="summary-counts"]'), counts, 'the same summary');
    equal(counts.textContent, '1 error, 0 warning');
  });
});

describe('<eas-payload-editor> editing', () => {
  afterEach(cleanup);

  it('typing fires value-changed with the payload after every keystroke, and change on commit', async () => {
    const el = await editor('', FILLED);
    const seen: EasPayloadEditorEventDetail[] = [];
    const commits: EasPayloadEditorEventDetail[] = [];
    document.addEventListener('value-changed', (e) => seen.push((e as CustomEvent<EasPayloadEditorEventDetail>).detail));
    el.addEventListener('change', (e) => commits.push((e as CustomEvent<EasPayloadEditorEventDetail>).detail));
    const host = control(el, 'Host');
    host.focus();
    host.select();
    await sendKeys({ type: 'ex.contoso.de' });
    equal(seen.length, 'ex.contoso.de'.length, 'one event per keystroke');
    deepEqual(seen.at(-1)!.value, { ...FILLED, Host: 'ex.contoso.de' });
    deepEqual(el.value, { ...FILLED, Host: 'ex.contoso.de' });
    deepEqual(seen.at(-1)!.diagnostics, validate(el.value).diagnostics, 'detail carries the diagnostics of validate()');
    equal(commits.length, 0);
    await sendKeys({ press: 'Tab' });
    equal(commits.length, 1, 'change on blur');
    deepEqual(commits[0].value.Host, 'ex.contoso.de');
  });

  it('does not mutate the object the page gave it', async () => {
    const given = { ...FILLED };
    const el = await editor('', given);
    control(el, 'Host').focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ type: 'x' });
    deepEqual(given, FILLED);
    equal(el.value.Host, 'mail.contoso.comx');
  });

  it('clearing a field removes its key; a switch sets a boolean; a select sets a number', async () => {
    const el = await editor('', FILLED);
    const name = control(el, 'PayloadDisplayName');
    name.focus();
    name.select();
    await sendKeys({ press: 'Backspace' });
    equal('PayloadDisplayName' in el.value, false);
    control(el, 'PreventAppSheet').focus();
    await sendKeys({ press: 'Space' });
    equal(el.value.PreventAppSheet, true);
    const days = control<HTMLSelectElement>(el, 'MailNumberOfPastDaysToSync');
    days.value = '31';
    days.dispatchEvent(new Event('input', { bubbles: true }));
    equal(el.value.MailNumberOfPastDaysToSync, 31);
  });

  it('a nested dictionary field edits its path and leaves no empty dictionaries behind', async () => {
    const el = await editor();
    const audio = control(el, 'CommunicationServiceRules.DefaultServiceHandlers.AudioCall');
    audio.focus();
    await sendKeys({ type: 'com.example.voip' });
    deepEqual(el.value, { CommunicationServiceRules: { DefaultServiceHandlers: { AudioCall: 'com.example.voip' } } });
    audio.select();
    await sendKeys({ press: 'Backspace' });
    deepEqual(el.value, {});
  });

  it('embeds a .p12 chosen in the file picker as base64, and removes it', async () => {
    const el = await editor();
    const input = control(el, 'Certificate');
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0x30, 0x82, 0x01, 0x02])], 'jane.p12', { type: 'application/x-pkcs12' }));
    input.files = dt.files;
    const changed = next(el, 'change');
    input.dispatchEvent(new Event('change', { bubbles: true }));
    equal((await changed).detail.value.Certificate, 'MIIBAg==');
    await el.updateComplete;
    assert($(el, '[id="f-Certificate-status"]').textContent!.includes('4 bytes'));
    $(el, '[data-action="clear"]').click();
    equal('Certificate' in el.value, false);
  });
});

describe('<eas-payload-editor> live validation', () => {
  afterEach(cleanup);

  it('shows a diagnostic at its field as the admin types, linked by aria-describedby', async () => {
    const el = await editor('', FILLED);
    const host = control(el, 'Host');
    equal(host.getAttribute('aria-invalid'), 'false');
    host.focus();
    host.select();
    await sendKeys({ type: 'https://mail.contoso.com/EWS' });
    await el.updateComplete;
    equal(host.getAttribute('aria-invalid'), 'true');
    const ids = host.getAttribute('aria-describedby')!.split(' ');
    assert(ids.includes('f-Host-feedback') && ids.includes('f-Host-help'), 'describedby feedback and help');
    const feedback = $(el, '[id="f-Host-feedback"]');
    assert(feedback.querySelector('[data-code="host-is-url"]'), 'host-is-url at the field');
    assert(feedback.textContent!.includes('mail.contoso.com'), 'the message says what to write');
    equal(el.validity.valid, false);
    host.select();
    await sendKeys({ type: 'mail.contoso.com' });
    await el.updateComplete;
    equal(host.getAttribute('aria-invalid'), 'false');
    equal(el.validity.valid, true);
  });

  it('keeps a diagnostic that goes away while the admin types in place, hidden, until focus leaves the field', async () => {
    const el = await editor('', FILLED);
    const host = control(el, 'Host');
    host.focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ type: '/' });
    await el.updateComplete;
    deepEqual(visibleCodes(el), { atField: ['host-is-url'], inSummary: ['host-is-url'] });
    const list = $(el, '[id="f-Host-feedback"]');
    // Sizes and distances, not positions: scroll anchoring may move the whole page.
    const field = $(el, '[id="f-Host-field"]');
    const summary = $(el, '[part~="summary"]');
    const layout = (): { field: number; summary: number; hostBelowSummary: number } => ({
      field: field.getBoundingClientRect().height,
      summary: summary.getBoundingClientRect().height,
      hostBelowSummary: host.getBoundingClientRect().top - summary.getBoundingClientRect().top,
    });
    const before = layout();
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    deepEqual(visibleCodes(el), { atField: [], inSummary: [] }, 'nothing visible once the value is right');
    equal(host.getAttribute('aria-invalid'), 'false');
    assert(!host.getAttribute('aria-describedby')!.includes('f-Host-feedback'), 'the hidden list no longer describes the field');
    equal($(el, '[part~="summary-counts"]').innerText.trim(), 'No problems found.');
    // What assistive technology gets: nothing of the hidden diagnostic.
    const texts = axTexts(await a11ySnapshot({}));
    assert(!texts.some((t) => t.includes('without scheme or path')), texts.join(' | '));
    // Nothing moved under the cursor: neither the field being typed in nor the ones below it.
    deepEqual(layout(), before);
    // The same error again shows the same elements.
    await sendKeys({ type: '/' });
    await el.updateComplete;
    equal($(el, '[id="f-Host-feedback"]'), list);
    deepEqual(visibleCodes(el), { atField: ['host-is-url'], inSummary: ['host-is-url'] });
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    // Leaving the field closes the gaps.
    await sendKeys({ press: 'Tab' });
    await el.updateComplete;
    equal(el.shadowRoot!.getElementById('f-Host-feedback'), null);
    equal(el.shadowRoot!.querySelector('[part~="summary-item"]'), null);
    const after = layout();
    assert(after.field < before.field, 'the field closes up once the admin has left it');
    assert(after.summary < before.summary && after.hostBelowSummary < before.hostBelowSummary, 'the summary closes up too');
  });

  it('closes up in the order of the diagnostics, duplicates included, when focus leaves the field', async () => {
    const { UserName: _, ...noUser } = FILLED;
    // Two keys that read the same once escaped make two identical unknown-key diagnostics.
    const el = await editor('', { ...noUser, 'X\u0001': 1, 'X\u0002': 2 });
    await typeSlash(el, false);
    await sendKeys({ press: 'Tab' });
    await el.updateComplete;
    const codes = validate(el.value, { platform: 'iOS' }).diagnostics.map((d) => d.code);
    assert(codes.filter((c) => c === 'unknown-key').length === 2 && codes[0] === 'host-is-url', codes.join());
    deepEqual(visibleCodes(el).inSummary, codes);
    deepEqual([...el.shadowRoot!.querySelectorAll('[part~="summary-item"]')].map((i) => i.getAttribute('data-code')), codes, 'nothing hidden is left');
  });

  it('a click right after typing lands where it was aimed, though the form closes up', async () => {
    const { UserName: _, ...noUser } = FILLED;
    const el = await editor('', noUser);
    // The summary link of the warning that stays: it sits below the hidden host-is-url item.
    await typeSlash(el, true);
    const link = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="summary-item"] a')].find((a) => a.checkVisibility({ visibilityProperty: true }))!;
    link.scrollIntoView({ block: 'center' });
    await sendMouse({ type: 'click', position: centre(link) });
    await el.updateComplete;
    equal(el.shadowRoot!.activeElement, control(el, 'UserName'), 'the link took focus to its field');
    // The form closes up a task after the click.
    await new Promise((r) => setTimeout(r, 20));
    equal(el.shadowRoot!.querySelector('.feedback.held, [part~="summary-item"].held'), null, 'the form closed up afterwards');
    // The control right under the host field's hidden list.
    const below = controlBelow(el, await typeSlash(el, true));
    let clicks = 0;
    below.addEventListener('click', () => clicks++);
    await sendMouse({ type: 'click', position: centre(below) });
    await el.updateComplete;
    equal(clicks, 1, `the click reached ${below.id}`);
    equal(el.shadowRoot!.activeElement, below);
  });

  it('a click or a tap lands where it was aimed also when the value changed since the field was focused', async () => {
    for (const how of ['click', 'tap'] as const) {
      // The error is already there when the admin comes in; deleting the slash changes the value (a change event).
      const el = await editor('', { ...FILLED, Host: 'mail.contoso.com/' });
      const host = control(el, 'Host');
      host.scrollIntoView({ block: 'center' });
      host.focus();
      await sendKeys({ press: 'End' });
      await sendKeys({ press: 'Backspace' });
      await el.updateComplete;
      const below = controlBelow(el, host);
      let clicks = 0;
      below.addEventListener('click', () => clicks++);
      const [x, y] = centre(below);
      if (how === 'click') await sendMouse({ type: 'click', position: [x, y] });
      else await executeServerCommand('tap', { x, y });
      await new Promise((r) => setTimeout(r, 20));
      equal(clicks, 1, `the ${how} reached ${below.id}`);
      equal(el.shadowRoot!.activeElement, below, how);
      equal(el.shadowRoot!.querySelector('.feedback.held'), null, `closed up after the ${how}`);
      cleanup();
    }
  });

  it('typing in another field while the mouse button is still down keeps what that typing hid', async () => {
    const el = await editor('', { ...FILLED, UserName: 'CONTOSO\\' });
    await typeSlash(el, true);
    const user = control(el, 'UserName');
    await sendMouse({ type: 'move', position: centre(user) });
    await sendMouse({ type: 'down' });
    equal(el.shadowRoot!.activeElement, user);
    await sendKeys({ press: 'End' });
    await sendKeys({ type: 'x' });
    await el.updateComplete;
    const list = $(el, '[id="f-UserName-feedback"]');
    assert(list.classList.contains('held'), 'the user name error is hidden in place');
    await sendMouse({ type: 'up' });
    await new Promise((r) => setTimeout(r, 20));
    equal(el.shadowRoot!.getElementById('f-UserName-feedback'), list, 'still kept while the admin types in UserName');
    await sendKeys({ press: 'Tab' });
    equal(el.shadowRoot!.getElementById('f-UserName-feedback'), null, 'gone once focus leaves by the keyboard');
  });

  it('a page that hands the value back on value-changed (a controlled parent) does not end typing', async () => {
    const el = await editor('', FILLED);
    el.addEventListener('value-changed', (e) => queueMicrotask(() => (el.value = { ...e.detail.value })));
    await typeSlash(el, true);
    assert(el.shadowRoot!.querySelector('.feedback.held'), 'still hidden in place');
    deepEqual(visibleCodes(el), { atField: [], inSummary: [] });
  });

  it('while typing, a list that gets shorter or changes keeps its room', async () => {
    const el = await editor('', FILLED);
    // Two diagnostics at one field, then one.
    const url = control(el, 'OAuthSignInURL');
    url.focus();
    await sendKeys({ type: 'https://' });
    await el.updateComplete;
    const field = $(el, '[id="f-OAuthSignInURL-field"]');
    equal($(el, '[id="f-OAuthSignInURL-feedback"]').childElementCount, 2);
    const height = field.getBoundingClientRect().height;
    await sendKeys({ type: 'a' });
    await el.updateComplete;
    equal($(el, '[id="f-OAuthSignInURL-feedback"]').childElementCount, 1);
    equal(field.getBoundingClientRect().height, height, 'the field keeps its height');
    // Summary items hidden in place, then a new diagnostic: the summary keeps its room.
    await sendKeys({ press: 'Tab' });
    el.value = { ...FILLED, Host: 'outlook.office365.co' };
    await el.updateComplete;
    const host = await typeSlash(el, false);
    await sendKeys({ type: 'm' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    const summary = $(el, '[part~="summary"]');
    const gap = host.getBoundingClientRect().top - summary.getBoundingClientRect().top;
    await sendKeys({ type: ' ' });
    await el.updateComplete;
    deepEqual(visibleCodes(el).inSummary, validate(el.value, { platform: 'iOS' }).diagnostics.map((d) => d.code));
    equal(host.getBoundingClientRect().top - summary.getBoundingClientRect().top, gap, 'the host field did not move under the cursor');
  });

  it('Enter closes up also when the value is the one committed last (no change event)', async () => {
    const el = await editor('', FILLED);
    await typeSlash(el, true);
    await sendKeys({ press: 'Enter' });
    await typeSlash(el, true);
    assert(el.shadowRoot!.querySelector('.feedback.held'), 'hidden in place while typing');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(el.shadowRoot!.querySelector('.feedback.held, [part~="summary-item"].held'), null);
  });

  it('announces the counts once typing pauses, and at once when focus leaves', async () => {
    const el = await editor('', FILLED);
    const status = (): string => $(el, '[role="status"]').textContent!;
    equal(status(), 'No problems found.');
    await typeSlash(el, false);
    equal($(el, '[part~="summary-counts"]').innerText.trim(), '1 error, 0 warnings', 'seen at once');
    equal(status(), 'No problems found.', 'not announced per keystroke');
    await new Promise((r) => setTimeout(r, 1000));
    equal(status(), '1 error, 0 warnings', 'announced once typing paused');
    const texts = axTexts(await a11ySnapshot({}));
    assert(texts.includes('1 error, 0 warnings') && !texts.includes('No problems found.'), texts.join(' | '));
    // Keystrokes that leave the count as it is still count as typing.
    await sendKeys({ type: 'x' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 400));
      await sendKeys({ type: i % 2 ? 'y' : 'z' });
    }
    equal(status(), '1 error, 0 warnings', 'not announced while keys keep coming');
    await new Promise((r) => setTimeout(r, 1000));
    equal(status(), 'No problems found.', 'announced after the pause');
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Tab' });
    equal(status(), 'No problems found.', 'announced when focus left');
  });

  it('input without focus in the control (a script, a password manager) is not typing: nothing waits', async () => {
    const el = await editor('', { ...FILLED, Host: 'mail.contoso.com/' });
    (document.activeElement as HTMLElement | null)?.blur();
    const host = control(el, 'Host');
    host.value = 'mail.contoso.com';
    host.dispatchEvent(new Event('input', { bubbles: true }));
    control(el, 'OAuth').click();
    await el.updateComplete;
    equal(el.value.Host, 'mail.contoso.com');
    equal(el.shadowRoot!.querySelector('.held:not(.counts > *)'), null);
  });

  it('closes up when a click right after typing moves it in the page', async () => {
    const el = await editor('', FILLED);
    const box = document.body.appendChild(document.createElement('div'));
    const button = document.createElement('button');
    el.after(button);
    button.textContent = 'Move';
    button.addEventListener('click', () => box.append(el));
    try {
      await typeSlash(el, true);
      button.scrollIntoView({ block: 'center' });
      await sendMouse({ type: 'click', position: centre(button) });
      await new Promise((r) => setTimeout(r, 1200));
      equal(el.parentElement, box);
      equal(el.shadowRoot!.querySelector('.held:not(.counts > *)'), null);
    } finally {
      box.remove();
      button.remove();
    }
  });

  it('a press held longer than a second still clicks what was under it', async () => {
    const el = await editor('', FILLED);
    const below = controlBelow(el, await typeSlash(el, true));
    below.scrollIntoView({ block: 'center' });
    let clicks = 0;
    below.addEventListener('click', () => clicks++);
    await sendMouse({ type: 'move', position: centre(below) });
    await sendMouse({ type: 'down' });
    equal(el.shadowRoot!.activeElement, below);
    await new Promise((r) => setTimeout(r, 1300));
    assert(el.shadowRoot!.querySelector('.feedback.held'), 'nothing closes up while the button is down');
    await sendMouse({ type: 'up' });
    await new Promise((r) => setTimeout(r, 20));
    equal(clicks, 1);
    equal(el.shadowRoot!.querySelector('.feedback.held'), null, 'closed up after the click');
  });

  it('keeps the room of a shorter list in CSS pixels, also when the page scales the editor', async () => {
    const el = await editor('', FILLED);
    el.style.transform = 'scale(1.5)';
    el.style.transformOrigin = '0 0';
    const url = control(el, 'OAuthSignInURL');
    url.focus();
    await sendKeys({ type: 'https://' });
    await el.updateComplete;
    const field = $(el, '[id="f-OAuthSignInURL-field"]');
    const height = field.getBoundingClientRect().height;
    await sendKeys({ type: 'a' });
    await el.updateComplete;
    equal(field.getBoundingClientRect().height, height);
  });

  it('a parent that hands the value back does not move the reset point', async () => {
    const form = await fixture<HTMLFormElement>('<form><eas-payload-editor name="eas"></eas-payload-editor></form>');
    const el = form.querySelector('eas-payload-editor')!;
    el.value = FILLED;
    await el.updateComplete;
    el.addEventListener('value-changed', (e) => queueMicrotask(() => (el.value = { ...e.detail.value })));
    await typeSlash(el, false);
    await sendKeys({ press: 'Tab' });
    form.reset();
    await el.updateComplete;
    equal(el.value.Host, 'mail.contoso.com');
  });

  it('a value set by the page while the admin is in a field closes up at once', async () => {
    const el = await editor('', FILLED);
    const host = await typeSlash(el, true);
    assert(el.shadowRoot!.querySelector('.feedback.held'), 'hidden in place while typing');
    el.value = { ...FILLED, Host: 'mail2.contoso.com' };
    await el.updateComplete;
    equal(el.shadowRoot!.activeElement, host, 'still in the field');
    equal(el.shadowRoot!.querySelector('.feedback.held, [part~="summary-item"].held'), null);
  });

  it('a portal stylesheet cannot show a hidden diagnostic', async () => {
    const style = document.head.appendChild(document.createElement('style'));
    style.textContent = 'eas-payload-editor::part(feedback-item), eas-payload-editor::part(summary-item) { visibility: visible; }';
    try {
      const el = await editor('', FILLED);
      await typeSlash(el, true);
      deepEqual(visibleCodes(el), { atField: [], inSummary: [] });
    } finally {
      style.remove();
    }
  });

  it('shows a counts line it showed before again instead of writing it anew', async () => {
    const el = await editor('', FILLED);
    const host = control(el, 'Host');
    host.focus();
    await sendKeys({ press: 'End' });
    const visibleLine = (): Element | undefined =>
      [...$(el, '[part~="summary-counts"]').children].find((c) => c.checkVisibility({ visibilityProperty: true }));
    await sendKeys({ type: '/' });
    await el.updateComplete;
    const oneError = visibleLine();
    equal(oneError?.textContent, '1 error, 0 warnings');
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    equal(visibleLine()?.textContent, 'No problems found.');
    await sendKeys({ type: '/' });
    await el.updateComplete;
    equal(visibleLine(), oneError, 'the same line, made visible again');
  });

  it('shows exactly the diagnostics of the value after every keystroke, as a URL is typed and erased', async () => {
    const el = await editor('', { ...FILLED, Host: '' });
    const host = control(el, 'Host');
    host.focus();
    const url = 'https://outlook.office365.com/EWS';
    const keys: ({ type: string } | { press: string })[] = [...[...url].map((type) => ({ type })), ...[...url].map(() => ({ press: 'Backspace' }))];
    let reused = 0;
    let reusedInSummary = 0;
    let last: Element | null = null;
    let lastInSummary: Element | null = null;
    for (const key of keys) {
      await sendKeys(key);
      await el.updateComplete;
      const diags = validate(el.value, { platform: 'iOS' }).diagnostics;
      const shown = visibleCodes(el);
      deepEqual(shown.atField, diags.filter((d) => d.path === 'Host').map((d) => d.code), `at the field for "${host.value}"`);
      deepEqual(shown.inSummary, diags.map((d) => d.code), `in the summary for "${host.value}"`);
      for (const d of diags.filter((x) => x.path === 'Host')) {
        assert($(el, '[id="f-Host-feedback"]').textContent!.includes(d.message), `"${d.message}" at the field`);
      }
      for (const d of diags) {
        const item = [...el.shadowRoot!.querySelectorAll('[part~="summary-item"]')].find((i) => i.checkVisibility({ visibilityProperty: true }) && i.textContent!.includes(d.message));
        assert(item, `"${d.message}" in the summary`);
      }
      const li = el.shadowRoot!.querySelector('[id="f-Host-feedback"] > li[data-code="host-is-url"]');
      if (li && li === last) reused++;
      last = li;
      const item = el.shadowRoot!.querySelector('[part~="summary-item"][data-code="host-is-url"]');
      if (item && item === lastInSummary) reusedInSummary++;
      lastInSummary = item;
    }
    // The URL message quotes the host typed so far: its list item is rewritten, not made anew.
    assert(reused > url.length / 2, `host-is-url item reused on ${reused} keystrokes`);
    assert(reusedInSummary > url.length / 2, `host-is-url summary item reused on ${reusedInSummary} keystrokes`);
  });

  it('lists every diagnostic in the summary, each linking to its field', async () => {
    const el = await editor('', { ...FILLED, OAuth: true, Password: 'x', MailNumberOfPastDaysToSync: 5 });
    const items = [...el.shadowRoot!.querySelectorAll('[part~="summary-item"]')];
    const codes = items.map((i) => i.getAttribute('data-code'));
    assert(codes.includes('oauth-with-password') && codes.includes('past-days-not-allowed'), codes.join());
    const link = items.find((i) => i.getAttribute('data-code') === 'past-days-not-allowed')!.querySelector('a')!;
    link.click();
    equal(el.shadowRoot!.activeElement, control(el, 'MailNumberOfPastDaysToSync'));
    // A stray value stays selected and flagged instead of silently becoming another one.
    equal(control<HTMLSelectElement>(el, 'MailNumberOfPastDaysToSync').value, '5');
    equal(control(el, 'MailNumberOfPastDaysToSync').getAttribute('aria-invalid'), 'true');
  });

  it('an error about no field on screen (an unknown key) is in the summary, and focus goes there', async () => {
    const el = await editor('', { ...FILLED, Domain: 'CONTOSO' });
    const item = el.shadowRoot!.querySelector('[part~="summary-item"][data-code="unknown-key"]');
    assert(item?.textContent?.includes('DOMAIN\\user'), 'unknown-key hint in the summary');
    el.reportValidity();
    equal(el.shadowRoot!.activeElement?.id, 'summary-title');
  });

  it('blocks form submit on an error, focusing the bad field; warnings do not block', async () => {
    const form = await fixture<HTMLFormElement>('<form><eas-payload-editor name="eas"></eas-payload-editor><button>Save</button></form>');
    const el = form.querySelector('eas-payload-editor')!;
    let submits = 0;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submits++;
    });
    el.value = { ...FILLED, SMIMESigningEnabled: true };
    await settle(form);
    form.querySelector('button')!.click();
    equal(submits, 0, 'blocked');
    equal(el.shadowRoot!.activeElement, control(el, 'SMIMESigningCertificateUUID'), 'first bad field focused');
    const { UserName: _omit, ...noUser } = FILLED;
    el.value = noUser;
    await settle(form);
    assert(el.diagnostics.some((d) => d.code === 'no-user-name' && d.severity === 'warning'), 'a warning is there');
    form.querySelector('button')!.click();
    equal(submits, 1, 'warnings do not block');
    equal(JSON.parse(String(new FormData(form).get('eas'))).Host, 'mail.contoso.com');
  });

  it('a blocked submit focuses the bad field also when the error was there from the first render, or the form was redrawn', async () => {
    // The page loads a saved payload before the editor is on the page.
    const form = document.createElement('form');
    form.innerHTML = '<eas-payload-editor name="eas"></eas-payload-editor><button>Save</button>';
    const el = form.querySelector('eas-payload-editor')!;
    el.value = { ...FILLED, SMIMESigningEnabled: true };
    let submits = 0;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submits++;
    });
    document.body.append(form);
    try {
      await settle(form);
      form.querySelector('button')!.click();
      equal(submits, 0, 'blocked');
      equal(el.shadowRoot!.activeElement, control(el, 'SMIMESigningCertificateUUID'), 'first bad field focused');
      // A value that brings an unsupported field on screen redraws the form; an unknown key has no field: the summary.
      el.value = { ...FILLED, HeaderMagic: 'x', Bogus: 1 };
      await settle(form);
      form.querySelector('button')!.click();
      equal(submits, 0, 'still blocked');
      equal(el.shadowRoot!.activeElement?.id, 'summary-title', 'the summary is focused');
    } finally {
      form.remove();
    }
  });

  it('Enter in a text field submits the surrounding form', async () => {
    const form = await fixture<HTMLFormElement>('<form><eas-payload-editor name="eas"></eas-payload-editor></form>');
    const el = form.querySelector('eas-payload-editor')!;
    el.value = FILLED;
    await settle(form);
    const done = new Promise<FormData>((r) =>
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        r(new FormData(form));
      }),
    );
    let changes = 0;
    el.addEventListener('change', () => changes++);
    control(el, 'Host').focus();
    await sendKeys({ type: 'x' });
    await sendKeys({ press: 'Enter' });
    equal(JSON.parse(String((await done).get('eas'))).Host, 'mail.contoso.comx');
    equal(changes, 1, 'Enter commits the edit once');
  });

  it('revalidates for another OS version', async () => {
    const el = await editor('', { ...FILLED, EnableNotes: false });
    assert(!el.diagnostics.some((d) => d.code === 'key-not-supported'));
    el.osVersion = '12.4';
    await el.updateComplete;
    assert(el.diagnostics.some((d) => d.code === 'key-not-supported' && d.path === 'EnableNotes'));
    assert($(el, '[id="f-EnableNotes-feedback"]').querySelector('[data-code="key-not-supported"]'));
  });
});

describe('<eas-payload-editor> readonly and disabled', () => {
  afterEach(cleanup);

  it('readonly: shows the value, stays focusable, and no edit gets through', async () => {
    const el = await editor('readonly', FILLED);
    let events = 0;
    el.addEventListener('value-changed', () => events++);
    const host = control(el, 'Host');
    equal(host.readOnly, true);
    host.focus();
    equal(el.shadowRoot!.activeElement, host, 'focusable');
    await sendKeys({ type: 'zzz' });
    const ssl = control(el, 'SSL');
    ssl.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    equal(ssl.checked, true, 'switch drawn back');
    equal(ssl.getAttribute('aria-readonly'), 'true');
    const days = control<HTMLSelectElement>(el, 'MailNumberOfPastDaysToSync');
    days.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    equal(days.value, '14', 'select drawn back');
    equal(events, 0);
    deepEqual(el.value, FILLED);
  });

  it('disabled: every control is disabled and out of the tab order', async () => {
    const el = await editor('disabled', FILLED);
    const controls = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('[data-path]')];
    assert(controls.length > 20);
    assert(controls.every((c) => c.matches(':disabled')), 'all disabled');
    el.removeAttribute('disabled');
    await el.updateComplete;
    assert(controls.every((c) => !c.matches(':disabled')), 'enabled again');
  });

  it('a disabled fieldset around it disables its controls', async () => {
    const fs = await fixture<HTMLFieldSetElement>('<fieldset disabled><eas-payload-editor></eas-payload-editor></fieldset>');
    const el = fs.querySelector('eas-payload-editor')!;
    await settle(fs);
    assert(control(el, 'Host').matches(':disabled'));
    fs.disabled = false;
    await settle(fs);
    assert(!control(el, 'Host').matches(':disabled'));
  });
});

describe('<eas-payload-editor> keyboard', () => {
  afterEach(cleanup);

  it('focus() goes to the first control; a click on help text moves focus nowhere', async () => {
    const el = await editor('', FILLED);
    el.focus();
    equal(el.shadowRoot!.activeElement, control(el, 'PayloadDisplayName'));
    (document.activeElement as HTMLElement | null)?.blur();
    const help = $(el, '[id="f-VPNUUID-help"]');
    help.scrollIntoView();
    const r = help.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(r.left + 5), Math.round(r.top + r.height / 2)] });
    equal(el.shadowRoot!.activeElement, null, 'focus did not jump to the top of the form');
  });

  it('Tab reaches every control once, in the catalog order of sections and fields', async () => {
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.prepend(before);
    try {
      const el = await editor('', { ...FILLED, Password: 'secret' });
      el.identities = [{ uuid: '11111111-2222-3333-4444-555555555555', label: 'Jane' }];
      await el.updateComplete;
      const expected = [...el.shadowRoot!.querySelectorAll<HTMLElement>('a[href], input, select, button')].filter((c) => !c.matches(':disabled'));
      before.focus();
      const visited: Element[] = [];
      for (let i = 0; i < expected.length; i++) {
        await sendKeys({ press: 'Tab' });
        visited.push(el.shadowRoot!.activeElement!);
      }
      equal(visited.length, expected.length);
      for (let i = 0; i < expected.length; i++) equal(visited[i], expected[i] as Element, `stop ${i} (${expected[i].id})`);
      // DOM order is catalog order: section by section, fields as the catalog lists them.
      const order = formModel().flatMap((s) => allFields([s]).map((f) => f.path));
      const paths = visited.map((v) => (v as HTMLElement).dataset.path).filter((p): p is string => p !== undefined);
      const idx = paths.map((p) => order.indexOf(p));
      assert(idx.every((v, i) => i === 0 || v >= idx[i - 1]), `tab order follows the catalog: ${paths.join(' ')}`);
    } finally {
      before.remove();
    }
  });

  it('every kind of control works from the keyboard alone', async () => {
    const el = await editor();
    el.identities = [{ uuid: '11111111-2222-3333-4444-555555555555', label: 'Jane' }];
    await el.updateComplete;
    control(el, 'Host').focus();
    await sendKeys({ type: 'mail.example.com' });
    control(el, 'SSL').focus();
    await sendKeys({ press: 'Space' });
    control(el, 'MailNumberOfPastDaysToSync').focus();
    await sendKeys({ press: 'ArrowDown' });
    control(el, 'SMIMESigningCertificateUUID').focus();
    await sendKeys({ press: 'ArrowDown' });
    equal(el.value.Host, 'mail.example.com');
    equal(el.value.SSL, true);
    equal(el.value.MailNumberOfPastDaysToSync, 14, 'ArrowDown from the default 7');
    equal(el.value.SMIMESigningCertificateUUID, '11111111-2222-3333-4444-555555555555');
  });
});
