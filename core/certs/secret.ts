import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

/** A passphrase or other secret that shows `[redacted]` in JSON, util.inspect and string conversion. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The secret itself; call only where it is used. */
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Wraps a string as a {@link Secret}, passing Secrets and undefined through. */
export function secret(value: string | Secret | undefined): Secret | undefined {
  return value === undefined || value instanceof Secret ? value : new Secret(value);
}
