import { css } from 'lit';

// Public custom properties are `--eas-editor-*` (documented in components/README.md); each is read
// once into a private `--_*` twin so that the dark defaults below can swap without touching the
// portal's own overrides, which win in both schemes.
export const editorStyles = css`
  :host {
    --_font: var(--eas-editor-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_size: var(--eas-editor-font-size, 0.9375rem);
    --_bg: var(--eas-editor-background, #ffffff);
    --_surface: var(--eas-editor-surface, #f6f8fa);
    --_text: var(--eas-editor-text-color, #1f2328);
    --_muted: var(--eas-editor-muted-color, #57606a);
    --_border: var(--eas-editor-border-color, #8c959f);
    --_accent: var(--eas-editor-accent-color, #0a58ca);
    --_on-accent: var(--eas-editor-on-accent-color, #ffffff);
    --_error: var(--eas-editor-error-color, #b42318);
    --_warning: var(--eas-editor-warning-color, #8a4b00);
    --_focus: var(--eas-editor-focus-ring, 2px solid var(--_accent));
    --_radius: var(--eas-editor-radius, 6px);
    --_gap: var(--eas-editor-spacing, 0.75rem);
    --_field-min: var(--eas-editor-field-min-width, 17rem);
    display: block;
    color-scheme: light dark;
    font-family: var(--_font);
    font-size: var(--_size);
    line-height: 1.4;
    color: var(--_text);
    background: var(--_bg);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--eas-editor-background, #16191d);
      --_surface: var(--eas-editor-surface, #1f2328);
      --_text: var(--eas-editor-text-color, #e6edf3);
      --_muted: var(--eas-editor-muted-color, #a3adb8);
      --_border: var(--eas-editor-border-color, #6e7781);
      --_accent: var(--eas-editor-accent-color, #79b8ff);
      --_on-accent: var(--eas-editor-on-accent-color, #0d1117);
      --_error: var(--eas-editor-error-color, #ff9b8f);
      --_warning: var(--eas-editor-warning-color, #f2c572);
    }
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  /* Block flow rather than grid at the top: a summary that grows by a line must not re-run
     a grid over every section on each keystroke. */
  .root > * + * {
    margin-top: var(--_gap);
  }
  fieldset {
    margin: 0;
    min-width: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_gap);
    background: var(--_surface);
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  /* Sections below the fold skip style and layout until they come near the viewport; they stay
     in the accessibility tree, in find-in-page and in the tab order. */
  .section > .fields {
    content-visibility: auto;
    contain-intrinsic-size: auto 24rem;
  }
  /* Fields keep their own height (no stretching to the row): a diagnostic that appears under one
     field then lays out that field and the rows below, not every field of its row. */
  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--_field-min)), 1fr));
    gap: var(--_gap) calc(var(--_gap) * 1.5);
    align-items: start;
  }
  .group {
    grid-column: 1 / -1;
    background: var(--_bg);
  }
  /* Block flow inside a field: cheaper to lay out again on each keystroke than a nested grid. */
  .field > * + * {
    margin-top: 0.25rem;
  }
  .label-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.5rem;
  }
  label {
    font-weight: 500;
  }
  .help {
    color: var(--_muted);
    font-size: 0.875em;
    margin: 0;
  }
  .key {
    flex: 0 1 auto;
    min-width: 0;
    margin-inline-start: auto;
    color: var(--_muted);
    font-size: 0.75em;
    overflow-wrap: anywhere;
    text-align: end;
  }
  .label-row label,
  .switch-row label {
    flex: 1 1 auto;
    min-width: min(10rem, 50%);
  }
  .meraki {
    display: block;
    font-style: italic;
  }
  input,
  select,
  button {
    font: inherit;
    color: inherit;
  }
  input:not([type='checkbox']):not([type='file']),
  select {
    display: block;
    width: 100%;
    min-height: 2.25rem;
    padding: 0.375rem 0.5rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_bg);
  }
  /* A text field's size does not depend on what is typed into it: with that said (one line of its
     font plus padding and border), a keystroke lays out the field alone, not the form around it. */
  input:not([type='checkbox']):not([type='file']) {
    height: max(2.25rem, calc(1.4em + 0.75rem + 2px));
    contain: strict;
  }
  input[readonly],
  select[aria-readonly='true'] {
    background: var(--_surface);
  }
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  [aria-invalid='true'] {
    border-color: var(--_error) !important;
    box-shadow: 0 0 0 1px var(--_error);
  }
  .switch-row {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  input[role='switch'] {
    appearance: none;
    flex: none;
    position: relative;
    width: 2.5rem;
    height: 1.375rem;
    margin: 0;
    border-radius: 999px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    cursor: pointer;
  }
  input[role='switch']::before {
    content: '';
    position: absolute;
    top: 2px;
    inset-inline-start: 2px;
    width: 1rem;
    height: 1rem;
    border-radius: 50%;
    background: var(--_muted);
    transition: transform 0.12s ease-out;
  }
  input[role='switch']:checked {
    background: var(--_accent);
    border-color: var(--_accent);
  }
  input[role='switch']:checked::before {
    transform: translateX(1.125rem);
    background: var(--_on-accent);
  }
  input[role='switch']:dir(rtl):checked::before {
    transform: translateX(-1.125rem);
  }
  input:disabled,
  select:disabled,
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .badge {
    font-size: 0.75em;
    padding: 0 0.375rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    color: var(--_warning);
  }
  .feedback {
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 0.875em;
  }
  .feedback:empty {
    display: none;
  }
  /* A diagnostic that went away while the admin is still typing keeps its box until focus leaves
     the field: nothing around the field moves under the cursor. Important, and on a hidden list's
     items too (the parts a portal can reach), so that its ::part rules cannot show it; not ".held *",
     which every element of the form would be matched against. */
  .held,
  .held > li {
    visibility: hidden !important;
  }
  .error {
    color: var(--_error);
  }
  .warning {
    color: var(--_warning);
  }
  .sev {
    font-weight: 600;
  }
  .summary {
    border: 1px solid var(--_border);
    border-inline-start: 4px solid var(--_muted);
    border-radius: var(--_radius);
    padding: 0.5rem var(--_gap);
    background: var(--_surface);
  }
  .summary.has-errors {
    border-inline-start-color: var(--_error);
  }
  .summary.has-warnings {
    border-inline-start-color: var(--_warning);
  }
  /* The counts lines sit on top of each other; only the current one is visible (see showCounts). */
  .summary .counts {
    display: grid;
  }
  .counts > span {
    grid-area: 1 / 1;
  }
  .summary h2 {
    font-size: 1em;
    margin: 0;
  }
  /* No list markers: each item starts with its bold severity, and a marker box is one more thing
     to lay out whenever a diagnostic comes or goes. */
  .summary ul {
    margin: 0.25rem 0 0;
    padding: 0;
    list-style: none;
  }
  .summary a {
    color: inherit;
    text-decoration: underline;
  }
  .data-row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  /* Contained: the status text under it changes as the admin types, and lays out nothing else. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    contain: strict;
  }
  @media (prefers-reduced-motion: reduce) {
    input[role='switch']::before {
      transition: none;
    }
  }
`;
