// Owner CSV import against bare csv-parse on the same generated file, in the same run.
// A child process then streams 1,000,000 rows through scanOwnersCsv to show peak RSS stays bounded.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { importOwnersCsv, scanOwnersCsv } from '../core/owners';

const HEADER = 'E-mail,User Name,Display Name,First Name,Last Name,Serial Number,Groups,Department\r\n';

// Values repeat the way they do in an HR export: a few dozen first names, a dozen departments, a couple of dozen group
// lists; names, e-mail addresses and serial numbers are unique.
const FIRST = Array.from({ length: 37 }, (_, k) => `Name${k}`);
const DEPTS = Array.from({ length: 14 }, (_, k) => `Department ${k}`);
const GROUPS = Array.from({ length: 23 }, (_, k) => (k % 3 === 0 ? `Staff;Mail;Site ${k}` : k % 3 === 1 ? `Staff;Team ${k}` : `Contractors`));

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let chunk = HEADER;
  for (let i = 0; i < rows; i++) {
    chunk += `user${i}@example.com,user${i},"Doe, Jane ${i}",${FIRST[i % 37]},Doe${i},C02X${i.toString(36).toUpperCase()},${GROUPS[(i * 7) % 23]},${DEPTS[(i * 3) % 14]}\r\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function bareCsvParse(path: string): Promise<number> {
  let n = 0;
  for await (const _record of createReadStream(path).pipe(parse())) n++;
  return n - 1;
}

async function ours(path: string): Promise<number> {
  const r = await importOwnersCsv(createReadStream(path));
  if (r.diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
  return r.owners.length;
}

// CPU time next to wall time: on a shared machine the wall clock also measures the neighbours.
// The same import without keeping the owners: separates parsing and checking from holding 100,000 objects.
async function scanOnly(path: string): Promise<number> {
  let n = 0;
  await scanOwnersCsv(createReadStream(path), {}, () => {
    n++;
  });
  return n;
}

async function time(fn: () => Promise<number>): Promise<{ ms: number; cpu: number; n: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // A finished import's streams close on later ticks and keep its owners reachable until then: let that happen, so
  // that the collection below really starts each run from an empty heap.
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc?.();
  const t = performance.now();
  const c = process.cpuUsage();
  const n = await fn();
  const u = process.cpuUsage(c);
  return { ms: performance.now() - t, cpu: (u.user + u.system) / 1000, n };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

const dir = mkdtempSync(join(tmpdir(), 'csv-bench-'));
try {
  if (process.argv.includes('--million')) {
    // Child mode: stream a million rows, keeping no owners, and report peak RSS.
    const file = join(dir, 'million.csv');
    await writeCsv(file, 1_000_000);
    (globalThis as { gc?: () => void }).gc?.();
    const before = rssMb();
    const t = performance.now();
    let n = 0;
    const summary = await scanOwnersCsv(createReadStream(file), {}, () => {
      n++;
    });
    console.log(`csv: 1,000,000 rows streamed (${n} owners, ${summary.diagnostics.length} diagnostics) in ${((performance.now() - t) / 1000).toFixed(1)} s, peak RSS ${rssMb()} MB (${before} MB after writing the file; goal ≤ 200 MB)`);
  } else {
    const rows = 100_000;
    const file = join(dir, 'owners.csv');
    await writeCsv(file, rows);
    await bareCsvParse(file);
    await ours(file);
    const bare = { ms: [] as number[], cpu: [] as number[] };
    const mine = { ms: [] as number[], cpu: [] as number[] };
    const scan = { ms: [] as number[], cpu: [] as number[] };
    // Nine rounds; bare and ours swap places every round, because in one process the run that follows another
    // differs by a few percent depending on what ran before it (heap size, caches), and that must not favour either.
    for (let round = 0; round < 9; round++) {
      let b: Awaited<ReturnType<typeof time>>;
      let m: Awaited<ReturnType<typeof time>>;
      if (round % 2 === 0) {
        b = await time(() => bareCsvParse(file));
        m = await time(() => ours(file));
      } else {
        m = await time(() => ours(file));
        b = await time(() => bareCsvParse(file));
      }
      const sc = await time(() => scanOnly(file));
      scan.ms.push(sc.ms);
      scan.cpu.push(sc.cpu);
      if (b.n !== rows || m.n !== rows) throw new Error(`row count mismatch: ${b.n} / ${m.n}`);
      bare.ms.push(b.ms);
      bare.cpu.push(b.cpu);
      mine.ms.push(m.ms);
      mine.cpu.push(m.cpu);
    }
    const ratio = median(mine.cpu) / median(bare.cpu);
    const wallRatio = median(mine.ms) / median(bare.ms);
    console.log(
      `csv: ${rows} owners imported in ${median(mine.cpu).toFixed(0)} ms CPU (${median(mine.ms).toFixed(0)} ms wall); ` +
        `bare csv-parse ${median(bare.cpu).toFixed(0)} ms CPU (${median(bare.ms).toFixed(0)} ms wall); ` +
        `ratio ${ratio.toFixed(2)}x CPU, ${wallRatio.toFixed(2)}x wall (goal ≤ 1.5x); ` +
        `streaming scan without keeping owners ${median(scan.cpu).toFixed(0)} ms CPU, ratio ${(median(scan.cpu) / median(bare.cpu)).toFixed(2)}x; ` +
        `peak RSS ${rssMb()} MB (owners kept in memory)`,
    );
    const child = spawnSync(process.execPath, ['--expose-gc', process.argv[1], '--million'], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
