// 100,000 owners to signed .mobileconfig files on worker threads (core/profiles BatchPool): throughput on
// 2 workers next to 1 worker measured in the same run (goal ≥ 1.7×), and the peak RSS of the whole process,
// worker threads included (goal ≤ 300 MB). This bundle is also the workers' script: as a worker it only
// serves batches. 100 short rounds alternate a build on one thread of a 2-worker pool and a build on both,
// so that load from other processes on the machine falls on both sides alike; the 2-worker rounds together
// build all 100,000 owners, the 1-worker rounds a proportional slice (half as many per round, so both sides
// take about as long). The median of the per-round ratios is the verdict; CPU pressure (Linux PSI) per round
// shows how much other processes took, and the ratio over the quiet rounds alone is printed apart.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { accessSync, constants, mkdtempSync, opendirSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Identity } from '../core/certs';
import type { Owner } from '../core/owners/owner';
import { BatchPool, serveBatchWorker, type BatchItem, type BatchJob } from '../core/profiles/batch';
import type { PayloadTemplate } from '../core/profiles/render';
import { BENCH_TEMPLATE } from './profile-template';

const TOTAL = Number(process.env.BENCH_OWNERS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const RSS_GOAL_MB = 300;
const RATIO_GOAL = 1.7;
const DISK_ROUNDS = Number(process.env.BENCH_DISK_ROUNDS ?? 20);

/** Peak resident set of this process (all threads) as the kernel counts it, in MB. */
function vmHwmMb(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Microseconds some runnable task on this machine waited for a CPU (Linux PSI), to show contention. */
function cpuPressureUs(): number | undefined {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function* owners(from: number, count: number): Generator<BatchItem> {
  for (let i = from; i < from + count; i++) {
    const owner: Owner = { id: `user${i}@example.com`, email: `user${i}@example.com`, username: `user${i}`, displayName: `User ${i}`, firstName: 'User', lastName: String(i), source: 'csv' };
    yield { owner };
  }
}

interface Run {
  readonly owners: number;
  readonly seconds: number;
  /** CPU time of the whole process (main thread, workers, libuv threads). */
  readonly cpuSeconds: number;
  /** CPU time of the main thread alone (reading owners, messages, results). */
  readonly mainCpuSeconds: number;
  /** Share of the wall time in which some task on the machine waited for a CPU, if known. */
  readonly pressure?: number;
}

/** Profiles per second of wall time over some runs. */
const rateOf = (runs: readonly Run[]): number => runs.reduce((n, r) => n + r.owners, 0) / runs.reduce((s, r) => s + r.seconds, 0);

/**
 * Where the profiles are written. The goal is about the pool using two cores, and on this machine's virtual disk
 * (ext4, journal, discard) creating a file costs from 20 µs to over 500 µs of kernel time depending on the file
 * system's state, and two threads creating files in one folder contend in the kernel: measured on the disk, the
 * ratio follows the file system more than the pool. So the files go to a RAM file system when there is one, and a
 * shorter run on the disk follows, for information. BENCH_DIR chooses the folder.
 */
function outputBase(): { dir: string; kind: string } {
  if (process.env.BENCH_DIR) return { dir: process.env.BENCH_DIR, kind: 'BENCH_DIR' };
  try {
    accessSync('/dev/shm', constants.W_OK);
    return { dir: '/dev/shm', kind: 'tmpfs' };
  } catch {
    return { dir: tmpdir(), kind: 'disk' };
  }
}

interface Setup {
  readonly template: PayloadTemplate;
  readonly signer: Identity;
  readonly certFile: string;
}

/** One measurement: alternating rounds on one 2-worker pool writing into a fresh folder under `base`; the median per-round ratio. */
async function measure(setup: Setup, base: string, total: number, rounds: number, progress: boolean): Promise<{ ratio: number; one: Run[]; two: Run[]; ratios: number[] }> {
  const workerScript = new URL(import.meta.url);
  const perRound2 = Math.ceil(total / rounds);
  const perRound1 = Math.ceil(perRound2 / 2);
  // One pool of 2 workers for the whole run: the baseline builds on one of its threads (the other idles),
  // so rounds can be short (load from elsewhere then falls on both sides alike), thread start-up stays
  // outside the timing, and the peak RSS is that of a real 2-worker build.
  const outDir = mkdtempSync(join(base, 'build-100k-out-'));
  const job: BatchJob = { template: setup.template, options: { organization: 'Example Corp', domain: 'CORP' }, signer: setup.signer, outDir };
  const pool = await BatchPool.start(job, { workerScript, workers: 2 });
  try {
    let written = 0;
    let verified = false;
    /** Checks that every profile became a file, has openssl verify one, and deletes them (outside any timing). */
    const sweep = (): void => {
      // Counted entry by entry: a list of 15,000 names would live through collections and swell the heap.
      const d = opendirSync(outDir);
      let count = 0;
      let first: string | undefined;
      for (let e = d.readSync(); e !== null; e = d.readSync()) {
        count++;
        first ??= e.name;
      }
      d.closeSync();
      if (count !== written) throw new Error(`${count} files for ${written} profiles`);
      if (!verified && first !== undefined) {
        execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', join(outDir, first), '-CAfile', setup.certFile, '-out', '/dev/null'], { stdio: 'ignore' });
        verified = true;
      }
      for (const name of readdirSync(outDir)) unlinkSync(join(outDir, name));
      written = 0;
    };

    let next = 0;
    const runRound = async (workers: 1 | 2, count: number): Promise<Run> => {
      let built = 0;
      let failed = 0;
      const c0 = process.cpuUsage();
      const m0 = process.threadCpuUsage();
      const p0 = cpuPressureUs();
      const t0 = performance.now();
      for await (const r of pool.build(owners(next, count), { workers })) {
        if (r.ok) built++;
        else failed++;
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      const main = process.threadCpuUsage(m0);
      const p1 = cpuPressureUs();
      const pressure = p0 !== undefined && p1 !== undefined ? (p1 - p0) / 1e6 / seconds : undefined;
      next += count;
      written += built;
      if (failed > 0 || built !== count) throw new Error(`${built} built, ${failed} failed of ${count}`);
      return { owners: count, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, mainCpuSeconds: (main.user + main.system) / 1e6, ...(pressure !== undefined ? { pressure } : {}) };
    };

    // Warm-up: the workers' JIT, the page cache, the file system's directory code.
    for (const workers of [1, 2] as const) await runRound(workers, 400 * workers);
    sweep();
    next = 0;

    const one: Run[] = [];
    const two: Run[] = [];
    const SWEEP_EVERY = Math.max(1, Math.floor(10_000 / perRound2));
    const REPORT_EVERY = Math.max(1, Math.floor(rounds / 10));
    for (let round = 0; round < rounds; round++) {
      for (const workers of round % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
        const run = await runRound(workers, workers === 1 ? perRound1 : perRound2);
        (workers === 1 ? one : two).push(run);
      }
      if ((round + 1) % SWEEP_EVERY === 0 || round === rounds - 1) sweep();
      if (progress && (round + 1) % REPORT_EVERY === 0) {
        const from = Math.max(0, round + 1 - REPORT_EVERY);
        const r1 = rateOf(one.slice(from));
        const r2 = rateOf(two.slice(from));
        const psi = (runs: readonly Run[]): string => {
          const ps = runs.flatMap((r) => (r.pressure === undefined ? [] : [r.pressure]));
          return ps.length === 0 ? 'n/a' : `${((ps.reduce((a, b) => a + b, 0) / ps.length) * 100).toFixed(0)}%`;
        };
        console.log(
          `  rounds ${String(from + 1).padStart(3)}-${String(round + 1).padEnd(3)}: 1 worker ${r1.toFixed(0).padStart(5)} /s, 2 workers ${r2.toFixed(0).padStart(5)} /s (${(r2 / r1).toFixed(2)}x); CPU pressure ${psi(one.slice(from))} / ${psi(two.slice(from))}; RSS ${(process.memoryUsage.rss() / 1048576).toFixed(0)} MB (main thread heap ${(process.memoryUsage().heapTotal / 1048576).toFixed(0)} MB)`,
        );
      }
    }
    const ratios = one.map((r, i) => two[i].owners / two[i].seconds / (r.owners / r.seconds));
    return { ratio: median(ratios), one, two, ratios };
  } finally {
    await pool.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'build-100k-'));
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 25);
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=Bench Signer/O=EAS', '-days', '2'], { stdio: 'ignore' });
    const certificate = new X509Certificate(readFileSync(certFile));
    const signer = new Identity([certificate], createPrivateKey(readFileSync(keyFile)), certificate, 'pem', certFile);
    const template = BENCH_TEMPLATE;
    const setup: Setup = { template, signer, certFile };
    const out = outputBase();
    const perRound2 = Math.ceil(TOTAL / ROUNDS);
    console.log(`owners: ${TOTAL} on 2 workers in ${ROUNDS} rounds of ${perRound2}; baseline: 1 worker, ${ROUNDS} rounds of ${Math.ceil(perRound2 / 2)}`);
    console.log(`RSA-2048 signer, signed files written by the workers to ${out.dir} (${out.kind}), ${cpus().length} CPUs, load average before ${loadavg()[0].toFixed(2)}, ${process.version}`);

    const { ratio, one, two, ratios } = await measure(setup, out.dir, TOTAL, ROUNDS, true);
    const rate = rateOf;
    const cores = (runs: readonly Run[]): number => runs.reduce((s, r) => s + r.cpuSeconds, 0) / runs.reduce((s, r) => s + r.seconds, 0);
    const totalTwo = two.reduce((n, r) => n + r.owners, 0);
    const twoSeconds = two.reduce((s, r) => s + r.seconds, 0);
    console.log(`1 worker:  ${rate(one).toFixed(0).padStart(6)} profiles/s (wall), ${cores(one).toFixed(2)} cores busy`);
    console.log(`2 workers: ${rate(two).toFixed(0).padStart(6)} profiles/s (wall), ${cores(two).toFixed(2)} cores busy; ${totalTwo} signed files in ${twoSeconds.toFixed(1)} s`);
    console.log(`ratio 2 workers / 1 worker: ${ratio.toFixed(2)}x median of ${ROUNDS} alternating rounds (overall ${(rate(two) / rate(one)).toFixed(2)}x) (goal >= ${RATIO_GOAL}x) ${ratio >= RATIO_GOAL ? 'ok' : 'BELOW GOAL'}`);
    // Wall-clock scaling needs two idle cores; CPU time shows what the pool itself costs whatever else runs.
    const perCpu = (runs: readonly Run[]): number => runs.reduce((n, r) => n + r.owners, 0) / runs.reduce((s, r) => s + r.cpuSeconds, 0);
    console.log(
      `ratio of profiles per CPU-second, 2 workers / 1 worker: ${(perCpu(two) / perCpu(one)).toFixed(2)}x (${perCpu(one).toFixed(0)} vs ${perCpu(two).toFixed(0)}; for information: 1.00 means the second worker costs no extra CPU per profile)`,
    );
    const mainShare = two.reduce((s, r) => s + r.mainCpuSeconds, 0) / two.reduce((s, r) => s + r.cpuSeconds, 0);
    console.log(`main thread share of the process CPU time on 2 workers: ${(mainShare * 100).toFixed(1)}%`);
    const pressures = [...one, ...two].flatMap((r) => (r.pressure === undefined ? [] : [r.pressure]));
    const QUIET = 0.25;
    const quiet = ratios.filter((_, i) => (one[i].pressure ?? 1) < QUIET && (two[i].pressure ?? 1) < QUIET);
    if (pressures.length > 0) {
      console.log(
        `ratio 2 workers / 1 worker in the rounds where CPU pressure stayed below ${QUIET * 100}% on both sides: ${quiet.length > 0 ? `${median(quiet).toFixed(2)}x median of ${quiet.length} rounds` : 'no such round'} (for information)`,
      );
    }
    if (pressures.length > 0 && median(pressures) > 0.2) {
      console.log(`note: other processes competed for the CPUs (median CPU pressure ${(median(pressures) * 100).toFixed(0)}% of the time): the wall-clock ratio understates 2-core scaling`);
    }
    clearInterval(sampler);
    const sampled = peakRss / 1024 / 1024;
    const hwm = vmHwmMb();
    const peak = Math.max(sampled, hwm ?? 0);
    console.log(`peak RSS (whole process, worker threads included): ${peak.toFixed(0)} MB (VmHWM ${hwm === undefined ? 'n/a' : `${hwm.toFixed(0)} MB`}, sampled every 25 ms ${sampled.toFixed(0)} MB) (goal <= ${RSS_GOAL_MB} MB) ${peak <= RSS_GOAL_MB ? 'ok' : 'ABOVE GOAL'}`);

    if (out.kind === 'tmpfs' && DISK_ROUNDS > 0) {
      const disk = await measure(setup, tmpdir(), Math.ceil((TOTAL * DISK_ROUNDS) / ROUNDS), DISK_ROUNDS, false);
      const perCpuDisk = perCpu(disk.two) / perCpu(disk.one);
      console.log(
        `for information, the same on the disk (${tmpdir()}), ${DISK_ROUNDS} rounds: ${rate(disk.one).toFixed(0)} / ${rate(disk.two).toFixed(0)} profiles/s, ` +
          `ratio ${disk.ratio.toFixed(2)}x, per CPU-second ${perCpuDisk.toFixed(2)}x (the file system's cost per file varies from run to run)`,
      );
    }
    console.log(`load average after ${loadavg()[0].toFixed(2)}`);
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!serveBatchWorker()) await main();
