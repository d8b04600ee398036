// The worker side of the batch pool: builds, packages and (optionally) writes one chunk of owners at a time.
import { createHash } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Identity, Secret } from '../certs';
import { buildProfile, type OwnerIdentity } from './assemble';
import { BATCH_WORKER_KIND, type FromWorker, type ToWorker, type WireIdentity, type WireItem, type WireJob, type WireResult } from './batch-wire';
import { profileDiagnostic } from './codes';
import { ProfileInputError } from './errors';
import { packageProfile } from './package';
import { createSigner, type Signer } from './signer';

/** The file name an owner's profile gets when the caller names none (as the CLI names them). */
export const defaultProfileFileName = (email: string): string => `${email.toLowerCase().replace(/[^a-z0-9@._+-]+/g, '_')}.mobileconfig`;

const identityOf = (w: WireIdentity): Identity => new Identity([w.certificate, ...w.chain], w.privateKey, w.certificate, w.format, w.fileName);

/** The signer of a job, checked as `createSigner` checks it (throws ProfileInputError). */
export function jobSigner(job: WireJob): Signer | undefined {
  const w = job.signer;
  return w ? createSigner(identityOf(w), { ...(w.now ? { now: w.now } : {}), ...(w.extraChain ? { extraChain: w.extraChain } : {}) }) : undefined;
}

/** Error text that is safe to report: our own input errors as they are, anything else by its kind only. */
const safeMessage = (e: unknown): string => (e instanceof ProfileInputError ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : 'unknown error');

/** One owner to a packaged profile (written to `job.outDir` when set); every failure is a result, never thrown. */
export function buildOne(job: WireJob, signer: Signer | undefined, item: WireItem): { result: WireResult; bytes?: Buffer } {
  const label = item.owner.email || item.owner.id;
  const fail = (diagnostics: WireResult['diagnostics'], error?: string): { result: WireResult } => ({
    result: { index: item.index, owner: label, ok: false, diagnostics, ...(error ? { error } : {}) },
  });
  let identity: OwnerIdentity | undefined;
  if (item.identity) {
    const { passphrase, includePassword, use } = item.identity;
    identity = { identity: identityOf(item.identity), passphrase: new Secret(passphrase), ...(includePassword !== undefined ? { includePassword } : {}), ...(use ? { use } : {}) };
  }
  let built;
  try {
    built = buildProfile(job.template, item.owner, job.options, identity);
  } catch (e) {
    // Only an unreadable identity makes buildProfile throw for one owner; anything else is reported the same way.
    return fail(identity ? [profileDiagnostic('identity-unreadable', 'identity', `The identity of ${label} cannot be embedded: ${safeMessage(e)}`, label)] : [], safeMessage(e));
  }
  if (!built.ok) return fail(built.diagnostics);
  let bytes: Buffer;
  try {
    bytes = packageProfile(built, {
      ...(signer ? { signer } : {}),
      ...(item.encryptTo ? { encryptTo: item.encryptTo } : {}),
      ...(job.cipher ? { cipher: job.cipher } : {}),
      ...(job.signingTime !== undefined ? { signingTime: job.signingTime } : {}),
    });
  } catch (e) {
    const diagnostics = item.encryptTo ? [profileDiagnostic('device-certificate-unusable', 'encrypt-to', `The profile of ${label} cannot be encrypted to its device certificate: ${safeMessage(e)}`, label)] : [];
    return fail([...built.diagnostics, ...diagnostics], safeMessage(e));
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base = { index: item.index, owner: label, ok: true, diagnostics: built.diagnostics, ids: built.ids, contentHash: built.contentHash, sha256, size: bytes.length };
  if (!job.outDir) return { result: base, bytes };
  const file = item.fileName ?? defaultProfileFileName(item.owner.email);
  const path = join(job.outDir, file);
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    // A write that fails half way (no space left) must not leave a truncated profile behind.
    try {
      unlinkSync(path);
    } catch {
      // Nothing was written, or what is there is not ours to remove (a folder of that name).
    }
    const failed = fail(built.diagnostics, `${file} cannot be written: ${e instanceof Error && 'code' in e ? String(e.code) : 'error'}`);
    return { result: { ...failed.result, unwritten: true } };
  }
  return { result: { ...base, file } };
}

/** Builds one chunk; the profiles' bytes (when not written to files) go back in one fresh buffer, transferred. */
function runChunk(job: WireJob, signer: Signer | undefined, id: number, items: readonly WireItem[]): { message: FromWorker; transfer: ArrayBuffer[] } {
  const out = items.map((item) => buildOne(job, signer, item));
  const total = out.reduce((n, o) => n + (o.bytes?.length ?? 0), 0);
  if (total === 0) return { message: { type: 'done', id, results: out.map((o) => o.result) }, transfer: [] };
  // Not Buffer.concat: small Buffers share Node's pool, and transferring that would detach it under other code.
  const data = new Uint8Array(total);
  let offset = 0;
  const results = out.map((o) => {
    if (!o.bytes) return o.result;
    data.set(o.bytes, offset);
    const r = { ...o.result, offset };
    offset += o.bytes.length;
    return r;
  });
  return { message: { type: 'done', id, results, data: data.buffer }, transfer: [data.buffer] };
}

/**
 * Serves batch requests when this thread is a batch worker and returns true; returns false (doing nothing)
 * otherwise. A worker script calls it first: `if (!serveBatchWorker()) main()`.
 */
export function serveBatchWorker(): boolean {
  const data = workerData as { kind?: unknown; job?: WireJob } | null;
  if (isMainThread || !parentPort || data?.kind !== BATCH_WORKER_KIND || !data.job) return false;
  const port = parentPort;
  const job = data.job;
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  let signer: Signer | undefined;
  try {
    signer = jobSigner(job);
  } catch (e) {
    post({ type: 'fatal', message: safeMessage(e) });
    return true;
  }
  port.on('message', (m: ToWorker) => {
    if (m.type === 'close') {
      port.close();
      return;
    }
    const { message, transfer } = runChunk(job, signer, m.id, m.items);
    post(message, transfer);
  });
  post({ type: 'ready' });
  return true;
}
