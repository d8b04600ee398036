import type { EasPayloadEditor } from '../../components/eas-payload-editor';
import { afterEach, cleanup, deepEqual, describe, equal, fixture, it } from './harness';

// Resolves after the load event has finished, so that the next navigation adds a history entry
// instead of replacing the current one.
const loaded = (frame: HTMLIFrameElement): Promise<void> =>
  new Promise((r) => frame.addEventListener('load', () => setTimeout(r, 50), { once: true }));

async function editorIn(frame: HTMLIFrameElement): Promise<EasPayloadEditor> {
  const win = frame.contentWindow as Window & typeof globalThis;
  await win.customElements.whenDefined('eas-payload-editor');
  const el = win.document.querySelector('eas-payload-editor') as EasPayloadEditor;
  await el.updateComplete;
  return el;
}

describe('<eas-payload-editor> restore after navigation', () => {
  afterEach(cleanup);

  it('the browser restores the edited payload on history back, without the password', async () => {
    const frame = await fixture<HTMLIFrameElement>('<iframe src="/test/components/fixtures/restore.html" style="width:900px;height:600px"></iframe>');
    await loaded(frame);
    let el = await editorIn(frame);
    const host = el.shadowRoot!.getElementById('f-Host') as HTMLInputElement;
    host.value = 'mail.restored.example';
    host.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    const pw = el.shadowRoot!.getElementById('f-Password') as HTMLInputElement;
    pw.value = 'not-kept';
    pw.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    deepEqual(el.value, { Host: 'mail.restored.example', Password: 'not-kept' });

    const away = loaded(frame);
    frame.contentWindow!.location.href = '/test/components/fixtures/away.html';
    await away;
    const back = loaded(frame);
    frame.contentWindow!.history.back();
    await back;
    el = await editorIn(frame);
    equal(el.value.Host, 'mail.restored.example', 'restored by the browser');
    equal('Password' in el.value, false, 'the password is not kept in session history');
  });
});
