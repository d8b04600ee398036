import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/** A passphrase or key that shows `[redacted]` in JSON, util.inspect, string conversion and error messages. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The real value, for the one call that needs it. */
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

/** A passphrase given as text or as a Secret. */
export type Passphrase = string | Secret;

/** The text of a passphrase, whichever way it was given. */
export const reveal = (p: Passphrase | undefined): string | undefined => (p === undefined ? undefined : typeof p === 'string' ? p : p.reveal());
