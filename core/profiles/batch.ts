// Many owners to packaged profiles on worker threads: a bounded number of chunks in flight, results
// streamed back in input order, so memory stays flat however many owners come in.
import type { X509Certificate } from 'node:crypto';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Identity } from '../certs';
import type { Owner } from '../owners/owner';
import type { OwnerIdentity, ProfileOptions } from './assemble';
import { buildOne, jobSigner } from './batch-worker';
import { BATCH_WORKER_KIND, type FromWorker, type ToWorker, type WireItem, type WireJob, type WireOwnerIdentity, type WireResult } from './batch-wire';
import type { ProfileDiagnostic } from './codes';
import type { ContentCipher } from './encrypt';
import type { ProfileIds } from './identifiers';
import type { PayloadTemplate } from './render';

export { defaultProfileFileName, serveBatchWorker } from './batch-worker';

/** What is the same for every owner of a batch. */
export interface BatchJob {
  readonly template: PayloadTemplate;
  readonly options?: ProfileOptions;
  /** Signing identity; each worker checks it and prepares its own signer (see `createSigner`). */
  readonly signer?: Identity;
  /** Certificates to send with the signature besides the signing identity's own (intermediates). */
  readonly signerChain?: readonly X509Certificate[];
  /** Time the signing certificate must be valid at (default now). */
  readonly signerNow?: Date;
  /** signingTime attribute; `null` leaves it out (RSA signatures are then reproducible). Default now. */
  readonly signingTime?: Date | null;
  readonly cipher?: ContentCipher;
  /** When set, workers write each profile there and results carry no bytes. The folder must exist. */
  readonly outDir?: string;
}

/** One owner of a batch, with what only this owner has. */
export interface BatchItem {
  readonly owner: Owner;
  readonly identity?: OwnerIdentity;
  /** The device certificate to encrypt to (checked by the caller, e.g. with `checkRecipient`). */
  readonly encryptTo?: X509Certificate;
  /** File name inside `outDir` (default `defaultProfileFileName(owner.email)`). */
  readonly fileName?: string;
}

/** The outcome for one owner; a failure is reported here, never thrown. */
export type BatchResult =
  | {
      readonly ok: true;
      /** Position of the item in the input. */
      readonly index: number;
      readonly owner: string;
      readonly ids: ProfileIds & { readonly profileUuid: string };
      readonly contentHash: string;
      /** SHA-256 (hex) of the packaged bytes. */
      readonly sha256: string;
      readonly size: number;
      /** The packaged profile, unless it was written to `file`. */
      readonly bytes?: Buffer;
      readonly file?: string;
      readonly diagnostics: readonly ProfileDiagnostic[];
    }
  | {
      readonly ok: false;
      readonly index: number;
      readonly owner: string;
      readonly diagnostics: readonly ProfileDiagnostic[];
      /** Why, when no diagnostic says it (an unexpected failure for this owner); never holds secrets. */
      readonly error?: string;
      /** The profile was made but could not be written to `outDir`. */
      readonly unwritten?: boolean;
    };

/** Pool size and flow control. */
export interface BatchPoolOptions {
  /**
   * A module that calls `serveBatchWorker()` when it runs as a worker: the bundled entry itself
   * (`new URL(import.meta.url)`) or a separate worker bundle. TypeScript sources cannot run as workers.
   */
  readonly workerScript: URL | string;
  readonly workers?: number;
  /** Owners per message (default 32): fewer messages, against more memory per chunk in flight. */
  readonly chunkSize?: number;
  /** Chunks queued per worker (default 2), so a worker never waits for the next one. */
  readonly chunksPerWorker?: number;
  /** V8 heap limits of each worker (see `BATCH_WORKER_LIMITS` for the default). */
  readonly resourceLimits?: ResourceLimits;
}

/**
 * Default heap limits of a batch worker. A worker holds a couple of chunks (kilobytes per profile), but left
 * alone V8 lets a busy thread's heap grow to 80 MB of mostly garbage before collecting it; these bounds keep
 * two workers and the main thread near 150 MB resident at no measurable cost in speed.
 */
export const BATCH_WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 };

interface Slot {
  readonly worker: Worker;
  inFlight: number;
  failed?: Error;
  exited?: boolean;
}

interface Pending {
  readonly promise: Promise<{ results: readonly WireResult[]; data?: ArrayBuffer }>;
}

function wireIdentity(id: OwnerIdentity): WireOwnerIdentity {
  const { identity, passphrase, includePassword, use } = id;
  return {
    certificate: identity.certificate,
    chain: identity.chain,
    privateKey: identity.privateKey,
    format: identity.format,
    ...(identity.fileName ? { fileName: identity.fileName } : {}),
    passphrase: typeof passphrase === 'string' ? passphrase : passphrase.reveal(),
    ...(includePassword !== undefined ? { includePassword } : {}),
    ...(use ? { use } : {}),
  };
}

function wireJob(job: BatchJob): WireJob {
  return {
    template: job.template,
    options: job.options ?? {},
    ...(job.signer
      ? {
          signer: {
            certificate: job.signer.certificate,
            chain: job.signer.chain,
            privateKey: job.signer.privateKey,
            format: job.signer.format,
            ...(job.signer.fileName ? { fileName: job.signer.fileName } : {}),
            ...(job.signerNow ? { now: job.signerNow } : {}),
            ...(job.signerChain?.length ? { extraChain: job.signerChain } : {}),
          },
        }
      : {}),
    ...(job.signingTime !== undefined ? { signingTime: job.signingTime } : {}),
    ...(job.cipher ? { cipher: job.cipher } : {}),
    ...(job.outDir ? { outDir: job.outDir } : {}),
  };
}

function wireItem(item: BatchItem, index: number): WireItem {
  return {
    index,
    owner: item.owner,
    ...(item.identity ? { identity: wireIdentity(item.identity) } : {}),
    ...(item.encryptTo ? { encryptTo: item.encryptTo } : {}),
    ...(item.fileName ? { fileName: item.fileName } : {}),
  };
}

function toResult(w: WireResult, data: ArrayBuffer | undefined): BatchResult {
  if (!w.ok || !w.ids || w.contentHash === undefined || w.sha256 === undefined || w.size === undefined) {
    return { ok: false, index: w.index, owner: w.owner, diagnostics: w.diagnostics, ...(w.error ? { error: w.error } : {}), ...(w.unwritten ? { unwritten: true } : {}) };
  }
  const bytes = data && w.offset !== undefined ? Buffer.from(data, w.offset, w.size) : undefined;
  return {
    ok: true,
    index: w.index,
    owner: w.owner,
    ids: w.ids,
    contentHash: w.contentHash,
    sha256: w.sha256,
    size: w.size,
    ...(bytes ? { bytes } : {}),
    ...(w.file ? { file: w.file } : {}),
    diagnostics: w.diagnostics,
  };
}

async function* chunksOf<T>(items: Iterable<T> | AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Worker threads that build profiles for one job; `build` streams results, `close` ends the threads. */
export class BatchPool {
  private readonly waiting = new Map<number, { resolve: (v: { results: readonly WireResult[]; data?: ArrayBuffer }) => void; reject: (e: Error) => void; slot: Slot }>();
  private nextId = 0;
  private busy = false;
  private closed = false;

  private constructor(
    private readonly slots: readonly Slot[],
    private readonly chunkSize: number,
    private readonly chunksPerWorker: number,
  ) {
    for (const slot of slots) {
      slot.worker.on('message', (m: FromWorker) => {
        if (m.type !== 'done') return;
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        w.slot.inFlight--;
        w.resolve({ results: m.results, ...(m.data ? { data: m.data } : {}) });
      });
      const fail = (e: Error): void => {
        slot.failed = e;
        for (const [id, w] of this.waiting) {
          if (w.slot !== slot) continue;
          this.waiting.delete(id);
          w.reject(e);
        }
      };
      slot.worker.on('error', (e) => fail(new Error(`a batch worker failed: ${e.message}`)));
      slot.worker.on('exit', (code) => {
        slot.exited = true;
        if (!this.closed) fail(new Error(`a batch worker stopped (exit code ${code})`));
      });
    }
  }

  /** Starts `workers` threads and waits until each has prepared the job (signer checked). */
  static async start(job: BatchJob, options: BatchPoolOptions): Promise<BatchPool> {
    const count = Math.max(1, Math.floor(options.workers ?? 2));
    const wire = wireJob(job);
    const workers = Array.from({ length: count }, () => new Worker(options.workerScript, { workerData: { kind: BATCH_WORKER_KIND, job: wire }, resourceLimits: options.resourceLimits ?? BATCH_WORKER_LIMITS }));
    const ready = workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const onMessage = (m: FromWorker): void => {
            if (m.type === 'ready') resolve();
            else if (m.type === 'fatal') reject(new Error(m.message));
            else return;
            w.off('message', onMessage);
          };
          w.on('message', onMessage);
          w.once('error', (e) => reject(new Error(`a batch worker failed to start: ${e.message}`)));
          w.once('exit', (code) => reject(new Error(`a batch worker stopped before it was ready (exit code ${code}); does the worker script call serveBatchWorker()?`)));
        }),
    );
    try {
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new BatchPool(
      workers.map((worker) => ({ worker, inFlight: 0 })),
      Math.max(1, Math.floor(options.chunkSize ?? 32)),
      Math.max(1, Math.floor(options.chunksPerWorker ?? 2)),
    );
  }

  /** Number of worker threads. */
  get size(): number {
    return this.slots.length;
  }

  private dispatch(items: readonly BatchItem[], first: number, slots: readonly Slot[]): Pending {
    // One dead worker ends the pool: its chunks are lost, and results must come back complete and in order.
    const dead = this.slots.find((s) => s.failed);
    if (dead?.failed) throw dead.failed;
    const slot = slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.nextId++;
    const promise = new Promise<{ results: readonly WireResult[]; data?: ArrayBuffer }>((resolve, reject) => this.waiting.set(id, { resolve, reject, slot }));
    // Awaited in order later; a failure of a chunk behind the head must not count as unhandled meanwhile.
    promise.catch(() => undefined);
    slot.inFlight++;
    const message: ToWorker = { type: 'chunk', id, items: items.map((it, i) => wireItem(it, first + i)) };
    slot.worker.postMessage(message);
    return { promise };
  }

  /**
   * Builds every item on `options.workers` of the pool's threads (default all), yielding results in input
   * order. At most workers × chunksPerWorker chunks are in flight and nothing more is read from `items`
   * until the consumer takes results, so memory stays bounded.
   */
  async *build(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options: { readonly workers?: number } = {}): AsyncGenerator<BatchResult> {
    if (this.closed) throw new Error('the batch pool is closed');
    if (this.busy) throw new Error('the batch pool is already building');
    this.busy = true;
    // `workers` below the pool size leaves the others idle (a benchmark's one-core baseline on the same threads).
    const slots = this.slots.slice(0, Math.min(this.slots.length, Math.max(1, Math.floor(options.workers ?? this.slots.length))));
    const queue: Pending[] = [];
    const limit = slots.length * this.chunksPerWorker;
    const source = chunksOf(items, this.chunkSize)[Symbol.asyncIterator]();
    let index = 0;
    let exhausted = false;
    try {
      for (;;) {
        while (!exhausted && queue.length < limit) {
          const next = await source.next();
          if (next.done) exhausted = true;
          else {
            queue.push(this.dispatch(next.value, index, slots));
            index += next.value.length;
          }
        }
        const head = queue.shift();
        if (!head) return;
        const { results, data } = await head.promise;
        for (const r of results) yield toResult(r, data);
      }
    } finally {
      // A consumer that stops early: let chunks still in flight finish so the workers stay usable.
      await Promise.allSettled(queue.map((p) => p.promise));
      await source.return?.(undefined);
      this.busy = false;
    }
  }

  /** Ends the worker threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.exited) return resolve();
            s.worker.once('exit', () => resolve());
            const message: ToWorker = { type: 'close' };
            s.worker.postMessage(message);
          }),
      ),
    );
  }
}

/**
 * Builds `items` on this thread, one after the other, with exactly what a pool's worker runs for each: for small
 * batches, and where no worker script is at hand. The signer is checked first (throws ProfileInputError).
 */
export async function* buildInThread(job: BatchJob, items: Iterable<BatchItem> | AsyncIterable<BatchItem>): AsyncGenerator<BatchResult> {
  const wire = wireJob(job);
  const signer = jobSigner(wire);
  let index = 0;
  for await (const item of items) {
    const { result, bytes } = buildOne(wire, signer, wireItem(item, index++));
    const r = toResult(result, undefined);
    yield r.ok && bytes ? { ...r, bytes } : r;
  }
}

/** Builds `items` on a pool started for this call only, streaming results in input order; the threads end afterwards. */
export async function* buildBatch(job: BatchJob, items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options: BatchPoolOptions): AsyncGenerator<BatchResult> {
  const pool = await BatchPool.start(job, options);
  try {
    yield* pool.build(items);
  } finally {
    await pool.close();
  }
}
