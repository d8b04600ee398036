import { assert, afterEach, cleanup, describe, equal, fixture, it, settle } from './harness';

/** What the shared suite needs to know about a form-associated element. */
export interface FormControlLike extends HTMLElement {
  value: unknown;
  readonly form: HTMLFormElement | null;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  checkValidity(): boolean;
  reportValidity(): boolean;
}

export interface FormControlCase {
  readonly tag: string;
  /** A value the control accepts, and the form entry it submits for it. */
  readonly valid: { readonly value: unknown; readonly entry: string };
  /** A value that fails validation with an error. */
  readonly invalid: unknown;
  /** Something `formStateRestoreCallback` accepts, and the value it leads to. */
  readonly restore: { readonly state: string; readonly value: unknown };
}

const submitted = (form: HTMLFormElement): Promise<boolean> =>
  new Promise((resolve) => {
    const onSubmit = (e: Event): void => {
      e.preventDefault();
      resolve(true);
    };
    form.addEventListener('submit', onSubmit, { once: true });
    form.requestSubmit();
    // requestSubmit runs validation and dispatches submit synchronously; no event means it was blocked.
    setTimeout(() => {
      form.removeEventListener('submit', onSubmit);
      resolve(false);
    }, 0);
  });

/**
 * One validity suite for every form-associated control of the package (in the manner of
 * Shoelace's form-control-base-tests): association, submission, constraint validation,
 * reset, restore, disabled and read-only.
 */
export function runFormControlSuite(c: FormControlCase): void {
  describe(`<${c.tag}> as a form control`, () => {
    afterEach(cleanup);

    const inForm = async (attrs = ''): Promise<{ form: HTMLFormElement; el: FormControlLike }> => {
      const form = await fixture<HTMLFormElement>(`<form><fieldset><${c.tag} name="payload" ${attrs}></${c.tag}></fieldset><button>Save</button></form>`);
      const el = form.querySelector(c.tag) as FormControlLike;
      return { form, el };
    };

    it('is form-associated and knows its form', async () => {
      const { form, el } = await inForm();
      assert((customElements.get(c.tag) as unknown as { formAssociated?: boolean }).formAssociated === true, 'static formAssociated');
      equal(el.form, form);
      assert(el.willValidate, 'willValidate');
    });

    it('submits its value under its name', async () => {
      const { form, el } = await inForm();
      el.value = c.valid.value;
      equal(new FormData(form).get('payload'), c.valid.entry);
      assert(await submitted(form), 'a valid value submits');
    });

    it('submits nothing without a name', async () => {
      const form = await fixture<HTMLFormElement>(`<form><${c.tag}></${c.tag}></form>`);
      (form.firstElementChild as FormControlLike).value = c.valid.value;
      equal([...new FormData(form).keys()].length, 0);
    });

    it('is valid with a valid value', async () => {
      const { el } = await inForm();
      el.value = c.valid.value;
      assert(el.checkValidity(), 'checkValidity');
      assert(el.validity.valid, 'validity.valid');
      equal(el.validationMessage, '');
      assert(el.matches(':valid'), ':valid');
    });

    it('is invalid with an error and blocks submit', async () => {
      const { form, el } = await inForm();
      el.value = c.invalid;
      await settle(form);
      let invalidEvents = 0;
      el.addEventListener('invalid', () => invalidEvents++);
      assert(!el.checkValidity(), 'checkValidity');
      assert(el.validity.customError, 'customError');
      assert(el.validationMessage.length > 0, 'validationMessage');
      assert(el.matches(':invalid'), ':invalid');
      equal(await submitted(form), false, 'submit blocked');
      assert(invalidEvents >= 2, 'invalid fired by checkValidity and by submit');
    });

    it('checkValidity does not move focus', async () => {
      const { form, el } = await inForm();
      el.value = c.invalid;
      await settle(form);
      const outside = form.querySelector('button')!;
      outside.focus();
      equal(el.checkValidity(), false);
      equal(document.activeElement, outside as Element);
    });

    it('reportValidity focuses a control inside it when invalid', async () => {
      const { form, el } = await inForm();
      el.value = c.invalid;
      await settle(form);
      equal(el.reportValidity(), false);
      equal(document.activeElement, el as Element);
      assert(el.shadowRoot?.activeElement, 'focus is inside the shadow root');
    });

    it('form.reset() returns to the default value', async () => {
      const { form, el } = await inForm();
      el.value = c.valid.value;
      el.value = c.invalid;
      // The last value the page assigned is the default unless defaultValue is set.
      (el as unknown as { defaultValue: unknown }).defaultValue = c.valid.value;
      form.reset();
      await settle(form);
      equal(JSON.stringify(el.value), JSON.stringify(c.valid.value));
      assert(el.checkValidity(), 'valid after reset');
      equal(new FormData(form).get('payload'), c.valid.entry);
    });

    it('restores a saved state', async () => {
      const { el } = await inForm();
      (el as unknown as { formStateRestoreCallback(s: string, r: string): void }).formStateRestoreCallback(c.restore.state, 'restore');
      equal(JSON.stringify(el.value), JSON.stringify(c.restore.value));
    });

    it('is disabled by a disabled fieldset: not submitted, not validated', async () => {
      const { form, el } = await inForm();
      el.value = c.invalid;
      form.querySelector('fieldset')!.disabled = true;
      await settle(form);
      assert(el.matches(':disabled'), ':disabled');
      equal(el.willValidate, false);
      equal(new FormData(form).has('payload'), false);
      assert(await submitted(form), 'submit is not blocked by a disabled control');
    });

    it('is disabled by its own attribute', async () => {
      const { form, el } = await inForm('disabled');
      el.value = c.valid.value;
      assert(el.matches(':disabled'), ':disabled');
      equal(new FormData(form).has('payload'), false);
    });

    it('is barred from validation when read-only', async () => {
      const { form, el } = await inForm('readonly');
      el.value = c.invalid;
      await settle(form);
      equal(el.willValidate, false);
      assert(await submitted(form), 'submit is not blocked by a read-only control');
    });
  });
}
