import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/command';
import { startProgress } from '../../cli/progress';

function io(interactive: boolean): CliIo & { err: string[] } {
  const err: string[] = [];
  return { stdout: () => {}, stderr: (t) => err.push(t), interactive, env: {}, cwd: '.', err };
}

describe('progress on stderr', () => {
  it('shows done/total, rate and time left when a person watches', () => {
    const out = io(true);
    let now = 0;
    const p = startProgress(out, 'Building profiles', 100, { now: () => now });
    now = 1000;
    p.tick(25);
    now = 2000;
    p.tick(25);
    p.done();
    expect(out.err[0]).toContain('Building profiles 25/100, 25/s 3s left');
    expect(out.err.at(-1)).toMatch(/Building profiles 50\/100, 25\/s in 2s\n$/);
  });

  it('redraws at most ten times a second', () => {
    const out = io(true);
    let now = 0;
    const p = startProgress(out, 'x', 1000, { now: () => now });
    for (let i = 0; i < 500; i++) {
      now += 1;
      p.tick();
    }
    expect(out.err.length).toBeLessThanOrEqual(6);
  });

  it('stays silent when piped or with --json', () => {
    const piped = io(false);
    const p = startProgress(piped, 'x', 10);
    p.tick(5);
    p.done();
    const json = io(true);
    const q = startProgress(json, 'x', 10, { json: true });
    q.tick(5);
    q.done();
    expect([...piped.err, ...json.err]).toEqual([]);
  });
});
