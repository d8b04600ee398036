import type { CliIo } from './command';

/** Progress of a long command. */
export interface Progress {
  tick(n?: number): void;
  done(): void;
}

const SILENT: Progress = { tick() {}, done() {} };

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Shows "label done/total, rate/s, time left" on stderr when a person watches, and nothing when piped or with --json. */
export function startProgress(io: CliIo, label: string, total?: number, opts: { json?: boolean; now?: () => number } = {}): Progress {
  if (!io.interactive || opts.json) return SILENT;
  const now = opts.now ?? (() => performance.now());
  const started = now();
  let done = 0;
  let lastDraw = -Infinity;
  const draw = (final: boolean): void => {
    const t = now();
    if (!final && t - lastDraw < 100) return;
    lastDraw = t;
    const secs = (t - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const left = total !== undefined && rate > 0 ? ` ${duration((total - done) / rate)} left` : '';
    const count = total !== undefined ? `${done}/${total}` : `${done}`;
    io.stderr(`\r\u001b[2K${label} ${count}, ${rate.toFixed(rate < 10 ? 1 : 0)}/s${final ? ` in ${duration(secs)}` : left}${final ? '\n' : ''}`);
  };
  return {
    tick(n = 1) {
      done += n;
      draw(false);
    },
    done() {
      draw(true);
    },
  };
}
