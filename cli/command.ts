/** Where a command writes, and whether a person is watching (progress goes to stderr only then). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stderr is a terminal: show progress there. */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * The CLI's own bundled script, when it runs from one: `build` starts it again as worker threads. Absent
   * (in-process, from TypeScript sources), everything runs on the calling thread.
   */
  readonly workerScript?: string;
}

/** Exit codes of every command: 0 fine, 1 error diagnostics, 2 unreadable input or wrong usage. */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Raised for wrong usage or unreadable input; the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One `eas-profiles` command (or a group such as `owners import`). */
export interface Command {
  /** Words after `eas-profiles`, e.g. `['owners', 'import']`. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<ExitCode>;
}
