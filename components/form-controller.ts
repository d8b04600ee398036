import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a form-associated host tells its controller; the controller owns everything ElementInternals. */
export interface FormControlHost extends ReactiveControllerHost, HTMLElement {
  /** The entry submitted under the element's `name`, or null to submit nothing. */
  formValue(): string | null;
  /** Changes whenever `formValue()` would: the controller skips unchanged values. */
  formRevision(): unknown;
  /** What the browser may keep for restore after navigation; must hold no secret. */
  formState(): string | null;
  /** Flags and message for `setValidity`; the anchor is where the browser points its bubble. Same objects when unchanged. */
  formValidity(): { readonly flags: ValidityStateFlags; readonly message: string; readonly anchor?: HTMLElement };
}

/**
 * Keeps `ElementInternals` in step with the host. `sync()` runs synchronously on every value change,
 * so `new FormData(form)` right after an edit or a `value` assignment already sees it; `hostUpdated`
 * runs it again once the controls exist, to anchor the validation bubble at the first bad one.
 */
export class FormController implements ReactiveController {
  readonly internals: ElementInternals;
  /** Disabled through an ancestor `<fieldset disabled>` or the host's own `disabled`, as the browser reports it. */
  formDisabled = false;

  constructor(private readonly host: FormControlHost) {
    this.internals = host.attachInternals();
    host.addController(this);
  }

  hostUpdated(): void {
    this.sync();
  }

  sync(): void {
    // Called after every edit and again after the render it causes: only what changed goes to
    // the browser, since setFormValue/setValidity restyle the host (:valid, :invalid).
    const revision = this.host.formRevision();
    if (revision !== this.lastRevision) {
      this.lastRevision = revision;
      this.internals.setFormValue(this.host.formValue(), this.host.formState());
    }
    const { flags, message, anchor } = this.host.formValidity();
    if (flags === this.lastFlags && message === this.lastMessage && anchor === this.lastAnchor) return;
    this.lastFlags = flags;
    this.lastMessage = message;
    this.lastAnchor = anchor;
    if (Object.values(flags).some(Boolean)) this.internals.setValidity(flags, message, anchor);
    else this.internals.setValidity({});
  }

  private lastRevision: unknown = {};
  private lastFlags: ValidityStateFlags | undefined;
  private lastMessage = '';
  private lastAnchor: HTMLElement | undefined;

  setDisabled(disabled: boolean): void {
    this.formDisabled = disabled;
    this.host.requestUpdate();
  }
}
