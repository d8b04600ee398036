// Seeded random editing of <eas-payload-editor>: after every step (a key, a focus move, a switch, Enter, a value
// from the page, another language) what the admin can see must be exactly what validate() says of the value, at
// every field and in the summary, and once focus has left nothing may stay hidden in place.
import { sendKeys } from '@web/test-runner-commands';
import { validate } from '../../core/eas';
import '../../components/eas-payload-editor';
import type { EasPayloadEditor } from '../../components/eas-payload-editor';
import { afterEach, cleanup, deepEqual, describe, equal, fixture, it } from './harness';

const START = { PayloadDisplayName: 'Contoso mail', EmailAddress: '{{email}}', Host: 'mail.contoso.com', SSL: true, MailNumberOfPastDaysToSync: 14 };
const KEYS = ['/', 'a', 'o', 'u', 't', 'l', 'k', '.', ':', '4', 'c', 'm', ' ', 'Backspace', 'Backspace', 'Backspace'];
const TEXT_FIELDS = ['Host', 'UserName', 'OAuthSignInURL', 'EmailAddress'];
const HOSTS = ['https://outlook.office365.com/x', 'outlook.office365.com', 'a b', ''];

/** A small linear congruential generator: the same seed gives the same steps, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

const visible = (e: Element): boolean => e.checkVisibility({ visibilityProperty: true });

/** Counts as the default English strings write them, with the plural rules of the editor's language. */
function countsLine(errors: number, warnings: number, lang: string): string {
  if (errors + warnings === 0) return 'No problems found.';
  const rules = new Intl.PluralRules(lang);
  const n = (k: number, word: string): string => `${k} ${word}${rules.select(k) === 'one' ? '' : 's'}`;
  return `${n(errors, 'error')}, ${n(warnings, 'warning')}`;
}

/** Compares what is visible with what validate() says of the editor's value. */
function expectShown(el: EasPayloadEditor, step: string): void {
  const diagnostics = validate(el.value, { platform: 'iOS' }).diagnostics;
  const root = el.shadowRoot!;
  const atFields: Record<string, string[]> = {};
  for (const li of root.querySelectorAll('[part~="field-feedback"] > li')) {
    if (visible(li)) (atFields[li.parentElement!.id] ??= []).push(`${li.getAttribute('data-code')} ${li.lastChild!.textContent!.trim()}`);
  }
  const expected: Record<string, string[]> = {};
  for (const d of diagnostics) {
    if (root.getElementById(`f-${d.path}`)) (expected[`f-${d.path}-feedback`] ??= []).push(`${d.code} ${d.message}`);
  }
  const sorted = (o: Record<string, string[]>): [string, string[]][] => Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
  deepEqual(sorted(atFields), sorted(expected), `${step}: at the fields`);
  const summary = [...root.querySelectorAll('[part~="summary-item"]')].filter(visible).map((li) => `${li.getAttribute('data-code')} ${li.textContent!.split(' — ').slice(1).join(' — ')}`);
  deepEqual(summary, diagnostics.map((d) => `${d.code} ${d.message}`), `${step}: in the summary`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const counts = root.querySelector<HTMLElement>('[part~="summary-counts"]')!.innerText.trim();
  equal(counts, countsLine(errors, diagnostics.length - errors, el.getAttribute('lang') || 'en'), `${step}: counts`);
}

describe('<eas-payload-editor> live validation under random editing', () => {
  afterEach(cleanup);

  for (const seed of [7919, 15838]) {
    it(`shows what validate() says after every step (seed ${seed})`, async function () {
      (this as unknown as { timeout(ms: number): void }).timeout(60_000);
      const pick = random(seed);
      const el = await fixture<EasPayloadEditor>('<eas-payload-editor></eas-payload-editor>');
      el.value = START;
      await el.updateComplete;
      const control = (path: string): HTMLInputElement => el.shadowRoot!.querySelector<HTMLInputElement>(`[id="f-${path}"]`)!;
      let focused = 'Host';
      control(focused).focus();
      for (let i = 0; i < 150; i++) {
        const r = pick(100);
        let step: string;
        if (r < 75) {
          const key = KEYS[pick(KEYS.length)];
          step = `${key} in ${focused}`;
          await sendKeys(key.length > 1 ? { press: key } : { type: key });
        } else if (r < 83) {
          focused = TEXT_FIELDS[pick(TEXT_FIELDS.length)];
          step = `focus on ${focused}`;
          const c = control(focused);
          c.focus();
          c.setSelectionRange(c.value.length, c.value.length);
        } else if (r < 88) {
          step = 'OAuth switched';
          control('OAuth').click();
          control(focused).focus();
        } else if (r < 92) {
          step = 'Enter';
          await sendKeys({ press: 'Enter' });
        } else if (r < 96) {
          const host = HOSTS[pick(HOSTS.length)];
          step = `value from the page with Host ${JSON.stringify(host)}`;
          el.value = { ...el.value, Host: host };
        } else {
          step = 'language switched';
          if (el.getAttribute('lang')) el.removeAttribute('lang');
          else el.setAttribute('lang', 'fr');
          el.requestUpdate();
          await el.updateComplete;
          control(focused).focus();
        }
        await el.updateComplete;
        expectShown(el, `step ${i} (${step}), Host ${JSON.stringify(el.value.Host)}`);
      }
      control(focused).blur();
      await el.updateComplete;
      expectShown(el, 'after focus left');
      equal(el.shadowRoot!.querySelector('.feedback.held, [part~="summary-item"].held'), null, 'nothing hidden in place after focus left');
    });
  }
});
