import { EAS_CATALOG, PLATFORMS, supportFor, type FieldSpec } from '../../core/eas';
import { parseCommandArgs } from '../args';
import { EXIT, UsageError, type Command } from '../command';

const help = `Usage: eas-profiles catalog [--json]

Lists every key of the Exchange ActiveSync payload (com.apple.eas.account) and
the common payload keys: type, default, allowed values, OS support, Meraki
dashboard label and help. This is the catalog that drives validation, the n8n
node's parameters and the <eas-payload-editor> form.

Options:
  --json      print {"payloadType": ..., "sections": [...], "fields": [...]}
  -h, --help  show this help`;

/** A field with its OS support resolved per platform (Apple's inheritance applied). */
function resolved(f: FieldSpec): Record<string, unknown> {
  const { supportedOS: _own, subkeys, ...rest } = f;
  const supportedOS = Object.fromEntries(PLATFORMS.map((p) => [p, supportFor(EAS_CATALOG.supportedOS, f, p)]));
  return { ...rest, supportedOS, ...(subkeys ? { subkeys: subkeys.map(resolved) } : {}) };
}

function row(f: FieldSpec, depth = 0): string[] {
  const ios = supportFor(EAS_CATALOG.supportedOS, f, 'iOS');
  const os = `${ios.introduced ?? ''}${ios.deprecated ? ` (deprecated ${ios.deprecated})` : ''}`;
  const values = f.allowed ? f.allowed.join('|') : f.default !== undefined ? `default ${String(f.default)}` : '';
  const line = `${'  '.repeat(depth)}${f.key}`.padEnd(46) + f.type.padEnd(11) + values.padEnd(18) + os.padEnd(22) + (f.meraki ?? '');
  return [line, ...(f.subkeys ?? []).flatMap((s) => row(s, depth + 1))];
}

export const catalogCommand: Command = {
  path: ['catalog'],
  summary: 'List the EAS payload fields (type, defaults, OS support, Meraki labels)',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, help);
    if (positionals.length > 0) throw new UsageError(`catalog takes no arguments.\n\n${help}`);
    if (values.json) {
      const out = { payloadType: EAS_CATALOG.payloadType, title: EAS_CATALOG.title, sections: EAS_CATALOG.sections, fields: EAS_CATALOG.fields.map(resolved) };
      io.stdout(`${JSON.stringify(out, null, 2)}\n`);
      return EXIT.ok;
    }
    const lines = [`${EAS_CATALOG.title} (${EAS_CATALOG.payloadType}): ${EAS_CATALOG.fields.length} keys`, ''];
    for (const s of EAS_CATALOG.sections) {
      const fields = EAS_CATALOG.fields.filter((f) => f.section === s.id);
      if (fields.length === 0) continue;
      lines.push(`${s.title}`, `${'  key'.padEnd(46)}${'type'.padEnd(11)}${'values'.padEnd(18)}${'iOS'.padEnd(22)}Meraki`);
      for (const f of fields) lines.push(...row(f, 1), `      ${f.help}${f.secret ? ' [secret]' : ''}`);
      lines.push('');
    }
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  },
};
