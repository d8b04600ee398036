import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from './command';
import { COMMANDS } from './commands';

const VERSION = process.env.EAS_PROFILES_VERSION ?? '0.0.0-dev';

function overview(commands: readonly Command[], prefix: readonly string[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const list = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: eas-profiles ${prefix.length ? `${prefix.join(' ')} ` : ''}<command> [options]

Exchange ActiveSync profiles for managed phones: validate payloads, build and
sign profiles per owner, import owners, read directories.

Commands:
${list}

Run "eas-profiles <command> --help" for a command's options.
Exit status: 0 fine, 1 error diagnostics, 2 unreadable input or wrong usage.`;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo, commands: readonly Command[] = COMMANDS): Promise<ExitCode> {
  try {
    if (argv[0] === '--version') {
      io.stdout(`${VERSION}\n`);
      return EXIT.ok;
    }
    const match = [...commands]
      .sort((a, b) => b.path.length - a.path.length)
      .find((c) => c.path.every((w, i) => argv[i] === w));
    if (!match) {
      const words = argv.filter((a) => !a.startsWith('-'));
      const group = commands.filter((c) => words.length > 0 && c.path[0] === words[0]);
      const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h');
      if (group.length > 0 && words.length === 1) {
        io[wantsHelp ? 'stdout' : 'stderr'](`${overview(group, [words[0]])}\n`);
        return wantsHelp ? EXIT.ok : EXIT.usage;
      }
      if (wantsHelp && words.length === 0) {
        io.stdout(`${overview(commands, [])}\n`);
        return EXIT.ok;
      }
      io.stderr(`eas-profiles: unknown command "${words.join(' ')}".\n\n${overview(commands, [])}\n`);
      return EXIT.usage;
    }
    const rest = argv.slice(match.path.length);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${match.help}\n`);
      return EXIT.ok;
    }
    return await match.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`eas-profiles: ${e.message}\n`);
      return EXIT.usage;
    }
    // Unexpected failures: say what, never dump objects that might hold secrets.
    io.stderr(`eas-profiles: ${e instanceof Error ? e.message : 'unexpected failure'}\n`);
    return EXIT.usage;
  }
}
