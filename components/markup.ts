import { render } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';

// The form's markup is parsed straight into its container: one pass of the HTML parser, where a
// Lit template would parse it into a <template> and then clone that. Pages that enforce Trusted
// Types get it through a policy of our own, `eas-payload-editor`; where their CSP does not allow
// that name, Lit's own policy does the work (through unsafeHTML), as it does for Lit templates.

interface TrustedHtmlPolicy {
  createHTML(s: string): unknown;
}
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createHTML(s: string): string }): TrustedHtmlPolicy;
}

let policy: TrustedHtmlPolicy | null | undefined;
let throughLit = false;

/** Replaces the content of `el` with `markup` (catalog and translation text only, escaped by the caller). */
export function setMarkup(el: HTMLElement, markup: string): void {
  if (policy === undefined) {
    const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    try {
      policy = tt ? tt.createPolicy('eas-payload-editor', { createHTML: (s) => s }) : null;
    } catch {
      policy = null;
      throughLit = true;
    }
  }
  if (!throughLit) {
    try {
      el.innerHTML = (policy ? policy.createHTML(markup) : markup) as string;
      return;
    } catch {
      // A Trusted Types enforcement without the API (not seen in practice): Lit's policy it is.
      throughLit = true;
      el.replaceChildren();
    }
  }
  render(unsafeHTML(markup), el);
}
