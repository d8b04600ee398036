import type { CliIo } from '../../cli/command';
import { main } from '../../cli/main';

/** Runs the CLI in-process with captured output. */
export async function runCli(args: string[], opts: { interactive?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    interactive: opts.interactive ?? false,
    env: opts.env ?? {},
    cwd: process.cwd(),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
