import { validate, type Diagnostic, type ValidationResult } from '../core/eas';
import type { Payload } from './model';

/** What the editor needs from one validation run. */
export interface ValidationState {
  readonly result: ValidationResult;
  /** Diagnostics by payload path; `''` holds those about the whole payload. */
  readonly byPath: ReadonlyMap<string, readonly Diagnostic[]>;
  readonly errors: number;
  readonly warnings: number;
  /** Flags for `ElementInternals.setValidity`: only errors block submit, warnings do not. */
  readonly flags: ValidityStateFlags;
  /** Paths of errors in the order `validate()` found them. */
  readonly errorPaths: readonly string[];
}

export interface Target {
  readonly platform: string;
  readonly osVersion: string | undefined;
}

const VALID: ValidityStateFlags = Object.freeze({});
const INVALID: ValidityStateFlags = Object.freeze({ customError: true });

/**
 * Runs core validation and caches the last answer: the element asks on every render and on
 * every form-validity sync, and edits always produce a new payload object, so identity is enough.
 */
export class PayloadValidator {
  private lastValue: Payload | undefined;
  private lastKey = '';
  private last: ValidationState | undefined;

  check(value: Payload, target: Target): ValidationState {
    const key = `${target.platform}\u0000${target.osVersion ?? ''}`;
    if (this.last && this.lastValue === value && this.lastKey === key) return this.last;
    const result = validate(value, { platform: target.platform, osVersion: target.osVersion || undefined });
    const byPath = new Map<string, Diagnostic[]>();
    const errorPaths: string[] = [];
    let errors = 0;
    for (const d of result.diagnostics) {
      const list = byPath.get(d.path);
      if (list) list.push(d);
      else byPath.set(d.path, [d]);
      if (d.severity === 'error') {
        errors++;
        if (!errorPaths.includes(d.path)) errorPaths.push(d.path);
      }
    }
    this.last = {
      result,
      byPath,
      errors,
      warnings: result.diagnostics.length - errors,
      flags: errors > 0 ? INVALID : VALID,
      errorPaths,
    };
    this.lastValue = value;
    this.lastKey = key;
    return this.last;
  }
}
