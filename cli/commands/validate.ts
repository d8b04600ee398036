import { isPlainObject, parseTarget, validate, validateProfile, type TargetOs, type ValidationResult } from '../../core/eas';
import { parseCommandArgs } from '../args';
import { EXIT, UsageError, type Command } from '../command';
import { countSummary, formatDiagnostics } from '../format';
import { readDocument } from '../read-input';

const help = `Usage: eas-profiles validate <file> [--os <platform@version>] [--json]

Checks an Exchange ActiveSync payload against Apple's schema and the rules an
admin would otherwise learn from failed installs.

<file> is either a payload as JSON (a template: {{email}}-style owner variables
are allowed) or a .mobileconfig profile (XML, or signed: the signature is not
checked here, use "eas-profiles inspect"), whose EAS payloads are validated
together with profile-wide checks.

Options:
  --os <target>  target device, e.g. ios@17.0, ipados@16.4, visionos@1.1
                 (default: iOS, newest release)
  --json         print {"valid": bool, "diagnostics": [...]} as JSON
  -h, --help     show this help

Exit status: 0 valid (warnings allowed), 1 error diagnostics, 2 unreadable
input or wrong usage.`;

/** Validates one file's payload or profile for a target. */
export async function validateFile(file: string, target: TargetOs): Promise<ValidationResult> {
  const doc = await readDocument(file);
  const options = { platform: target.platform, osVersion: target.version };
  const isProfile = isPlainObject(doc.value) && ('PayloadContent' in doc.value || 'EncryptedPayloadContent' in doc.value);
  return isProfile || doc.kind === 'plist' ? validateProfile(doc.value, options) : validate(doc.value, options);
}

export const validateCommand: Command = {
  path: ['validate'],
  summary: 'Validate an EAS payload (JSON) or a .mobileconfig profile',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { os: { type: 'string' }, json: { type: 'boolean' } }, help);
    if (positionals.length !== 1) throw new UsageError(`validate takes exactly one file.\n\n${help}`);
    let target: TargetOs;
    try {
      target = values.os === undefined ? { platform: 'iOS' } : parseTarget(values.os);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const [file] = positionals;
    const result = await validateFile(file, target);
    if (values.json) {
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    } else if (result.diagnostics.length === 0) {
      io.stdout(`${file}: valid, no problems found.\n`);
    } else {
      io.stdout(`${file}: ${result.valid ? 'valid' : 'NOT valid'} (${countSummary(result.diagnostics)})\n${formatDiagnostics(result.diagnostics)}`);
    }
    return result.valid ? EXIT.ok : EXIT.diagnostics;
  },
};
