import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../components/eas-payload-editor';
import type { EasPayloadEditor } from '../../components/eas-payload-editor';
import { after, afterEach, assert, before, cleanup, describe, expectAccessible, fixture, it, nextFrame } from './harness';

const FILLED = {
  PayloadDisplayName: 'Contoso mail',
  EmailAddress: '{{email}}',
  UserName: 'CONTOSO\\{{username}}',
  Password: 'secret',
  Host: 'mail.contoso.com',
  SSL: true,
  OAuth: false,
  MailNumberOfPastDaysToSync: 14,
  SMIMESigningEnabled: true,
  SMIMESigningCertificateUUID: '11111111-2222-3333-4444-555555555555',
  Certificate: 'MIIBAg==',
  CommunicationServiceRules: { DefaultServiceHandlers: { AudioCall: 'com.example.voip' } },
};

// Every kind of diagnostic placement: at a field, on a nested field, on a switch, on a select,
// and on no field at all (unknown key), plus a marked unsupported field.
const WITH_ERRORS = {
  Host: 'https://outlook.office365.com/EWS',
  OAuth: false,
  OAuthSignInURL: 'http://login.example.com',
  Password: 'x',
  MailNumberOfPastDaysToSync: 5,
  EnableMail: false,
  EnableContacts: false,
  EnableCalendars: false,
  EnableReminders: false,
  EnableNotes: false,
  SMIMEEncryptByDefault: true,
  HeaderMagic: 'abc',
  CommunicationServiceRules: { DefaultServiceHandlers: { AudioCall: 'not a bundle id' } },
  Domain: 'CONTOSO',
};

async function editor(value?: Record<string, unknown>, attrs = ''): Promise<EasPayloadEditor> {
  const el = await fixture<EasPayloadEditor>(`<eas-payload-editor name="eas" ${attrs}></eas-payload-editor>`);
  el.identities = [{ uuid: '11111111-2222-3333-4444-555555555555', label: 'Jane Doe (S/MIME)' }];
  if (value) el.value = value;
  await el.updateComplete;
  // content-visibility decides what to render at the next frame.
  await nextFrame();
  await nextFrame();
  return el;
}

for (const scheme of ['light', 'dark'] as const) {
  describe(`<eas-payload-editor> accessibility, ${scheme} color scheme`, () => {
    // Sections far below the fold skip rendering (content-visibility: auto), and axe would then
    // judge their contrast against the page instead of the section: a tall viewport renders all.
    before(() => setViewport({ width: 1280, height: 6000 }));
    afterEach(cleanup);
    after(async () => {
      await emulateMedia({ colorScheme: 'light' });
      await setViewport({ width: 800, height: 600 });
    });

    it('empty', async () => {
      await emulateMedia({ colorScheme: scheme });
      await expectAccessible(await editor(), `empty ${scheme}`);
    });

    it('filled', async () => {
      await emulateMedia({ colorScheme: scheme });
      await expectAccessible(await editor(FILLED), `filled ${scheme}`);
    });

    it('with errors', async () => {
      await emulateMedia({ colorScheme: scheme });
      const el = await editor(WITH_ERRORS, 'os-version="12.0"');
      assert(el.diagnostics.filter((d) => d.severity === 'error').length >= 6, 'many errors');
      await expectAccessible(el, `error ${scheme}`);
    });

    it('while typing, with diagnostics hidden in place', async () => {
      await emulateMedia({ colorScheme: scheme });
      const el = await editor({ ...FILLED, UserName: '' });
      el.shadowRoot!.querySelector<HTMLInputElement>('[id="f-Host"]')!.focus();
      await sendKeys({ press: 'End' });
      await sendKeys({ type: '/' });
      await sendKeys({ press: 'Backspace' });
      await el.updateComplete;
      assert(el.shadowRoot!.querySelector('.feedback.held'), 'something hidden in place');
      await expectAccessible(el, `typing ${scheme}`);
    });

    it('read-only and disabled', async () => {
      await emulateMedia({ colorScheme: scheme });
      await expectAccessible(await editor(FILLED, 'readonly'), `read-only ${scheme}`);
      cleanup();
      await expectAccessible(await editor(FILLED, 'disabled'), `disabled ${scheme}`);
    });
  });
}

describe('<eas-payload-editor> follows prefers-color-scheme', () => {
  afterEach(cleanup);
  after(() => emulateMedia({ colorScheme: 'light' }));

  it('switches its colors with the scheme', async () => {
    await emulateMedia({ colorScheme: 'light' });
    const el = await editor();
    const light = getComputedStyle(el).backgroundColor;
    await emulateMedia({ colorScheme: 'dark' });
    const dark = getComputedStyle(el).backgroundColor;
    assert(light !== dark, `${light} vs ${dark}`);
    el.style.setProperty('--eas-editor-background', 'rgb(1, 2, 3)');
    assert(getComputedStyle(el).backgroundColor === 'rgb(1, 2, 3)', 'a portal override wins in dark mode too');
  });
});
