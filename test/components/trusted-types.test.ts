import type { EasPayloadEditor } from '../../components/eas-payload-editor';
import { afterEach, cleanup, describe, equal, fixture, it } from './harness';

describe('<eas-payload-editor> under Trusted Types', () => {
  afterEach(cleanup);

  it('draws the form through Lit\'s policy when the page does not allow its own', async () => {
    const frame = await fixture<HTMLIFrameElement>('<iframe src="/test/components/fixtures/trusted-types.html" style="width:900px;height:600px"></iframe>');
    await new Promise<void>((r) => (frame.contentDocument?.readyState === 'complete' ? r() : frame.addEventListener('load', () => r(), { once: true })));
    const win = frame.contentWindow as Window & typeof globalThis;
    await win.customElements.whenDefined('eas-payload-editor');
    const el = win.document.querySelector('eas-payload-editor') as EasPayloadEditor;
    await el.updateComplete;
    // An object of the frame's own realm, as its page would assign.
    el.value = win.JSON.parse('{"Host":"https://mail.example.com/EWS"}') as Record<string, unknown>;
    await el.updateComplete;
    // A change of structure draws the form anew, still through the fallback.
    el.osVersion = '12.0';
    await el.updateComplete;
    const root = el.shadowRoot!;
    equal((root.getElementById('f-Host') as HTMLInputElement).value, 'https://mail.example.com/EWS');
    equal(root.querySelector('[id="f-Host-feedback"] [data-code="host-is-url"]') !== null, true, 'diagnostic at the field');
    equal(root.querySelectorAll('.summary').length, 1, 'one summary');
    equal(root.querySelectorAll('fieldset.section').length > 3, true, 'sections drawn');
  });
});
