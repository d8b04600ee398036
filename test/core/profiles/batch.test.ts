import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../core/certs';
import { BatchPool, buildBatch, buildProfile, createSigner, defaultProfileFileName, packageProfile, type BatchItem, type BatchJob, type BatchResult } from '../../../core/profiles';
import type { Owner } from '../../../core/owners/owner';
import { TestPki, cmsDecrypt, cmsVerify, owner, pemIdentity, plistlib, tempDir, type Issued } from './helpers';

const template = { PayloadDisplayName: 'Work mail', PayloadDescription: 'Mail of {{displayName}}', Host: 'mail.example.com', EmailAddress: '{{email}}', UserName: '{{email}}' };
const options = { organization: 'Example', domain: 'CORP' };

let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
let signerIssued: Issued;
let workerScript: string;
let idleScript: string;
let crashingScript: string;

beforeAll(async () => {
  tmp = tempDir('batch-');
  pki = new TestPki(tmp.dir);
  signerIssued = pki.issue('Batch Signer', 'rsa2048', pki.root);
  // Workers run JavaScript, not the TypeScript sources vitest loads: bundle a worker entry as the CLI would.
  const root = resolve(__dirname, '../../..');
  const bundle = async (contents: string, outfile: string): Promise<void> => {
    await build({ stdin: { contents, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error' });
  };
  workerScript = join(tmp.dir, 'batch-worker.cjs');
  idleScript = join(tmp.dir, 'idle-worker.cjs');
  await bundle("import { serveBatchWorker } from './core/profiles/batch'; serveBatchWorker();", workerScript);
  await bundle('export {};', idleScript);
  crashingScript = join(tmp.dir, 'crashing-worker.cjs');
  // Registered before the batch handler, so the thread dies on its second chunk before building it.
  await bundle(
    "import { parentPort } from 'node:worker_threads'; import { serveBatchWorker } from './core/profiles/batch'; parentPort?.on('message', (m) => { if (m.type === 'chunk' && m.id >= 1) process.exit(3); }); serveBatchWorker();",
    crashingScript,
  );
}, 60_000);
afterAll(() => tmp.cleanup());

const people = (n: number): Owner[] => Array.from({ length: n }, (_, i) => owner(`user${i}@example.com`, { displayName: `User ${i}` }));

async function collect(results: AsyncIterable<BatchResult>): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for await (const r of results) out.push(r);
  return out;
}

function job(extra: Partial<BatchJob> = {}): BatchJob {
  return { template, options, signer: pemIdentity(signerIssued), signingTime: null, ...extra };
}

describe('buildBatch (worker threads)', () => {
  it('gives byte for byte what the single-threaded build and signing give, in input order', async () => {
    const owners = people(9);
    const results = await collect(buildBatch(job(), owners.map((o) => ({ owner: o })), { workerScript, workers: 2, chunkSize: 2 }));
    const signer = createSigner(pemIdentity(signerIssued));
    expect(results.map((r) => r.index)).toEqual(owners.map((_, i) => i));
    for (const [i, r] of results.entries()) {
      const single = buildProfile(template, owners[i], options);
      if (!single.ok || !r.ok) throw new Error('expected both to build');
      const bytes = packageProfile(single, { signer, signingTime: null });
      expect(r.owner).toBe(owners[i].email);
      expect(r.bytes?.equals(bytes)).toBe(true);
      expect(r.ids).toEqual(single.ids);
      expect(r.contentHash).toBe(single.contentHash);
      expect(r.size).toBe(bytes.length);
    }
    const first = results[0];
    if (!first.ok || !first.bytes) throw new Error('expected bytes');
    expect(plistlib(cmsVerify(first.bytes, pki.root.cert, tmp.dir))).toMatchObject({ PayloadOrganization: 'Example' });
  });

  it('reports failures per owner (missing variable, unusable device certificate) and builds the others', async () => {
    const edDevice = new X509Certificate(readFileSync(pki.issue('Device Ed', 'ed25519', pki.root).cert));
    const items: BatchItem[] = [
      { owner: owner('ok1@example.com', { displayName: 'One' }) },
      { owner: owner('nameless@example.com') },
      { owner: owner('ed@example.com', { displayName: 'Ed' }), encryptTo: edDevice },
      { owner: owner('ok2@example.com', { displayName: 'Two' }) },
    ];
    const results = await collect(buildBatch(job({ options: { ...options, encrypted: true } }), items, { workerScript, workers: 2, chunkSize: 1 }));
    expect(results.map((r) => [r.owner, r.ok])).toEqual([
      ['ok1@example.com', true],
      ['nameless@example.com', false],
      ['ed@example.com', false],
      ['ok2@example.com', true],
    ]);
    expect(results[1].diagnostics.map((d) => d.code)).toEqual(['empty-variable']);
    expect(results[2].diagnostics.map((d) => d.code)).toContain('device-certificate-unusable');
    expect(results[2].diagnostics.find((d) => d.code === 'device-certificate-unusable')?.owner).toBe('ed@example.com');
  });

  it('writes files into outDir in the workers; embedded identities and EC encryption cross to the workers intact', async () => {
    const outDir = join(tmp.dir, 'out');
    mkdirSync(outDir);
    const device = pki.issue('Device P-256', 'p256', pki.root, { keyUsage: 'digitalSignature,keyAgreement' });
    const userId = pki.issue('Jane', 'rsa2048', pki.intermediate, { email: 'jane@example.com' });
    const canary = 'canary-Passphrase-42';
    const items: BatchItem[] = [
      { owner: owner('jane@example.com', { displayName: 'Jane' }), identity: { identity: pemIdentity(userId), passphrase: new Secret(canary), includePassword: true }, encryptTo: new X509Certificate(readFileSync(device.cert)) },
      { owner: owner('Joe.Smith+x@Example.com', { displayName: 'Joe' }), fileName: 'joe.mobileconfig' },
    ];
    const results = await collect(buildBatch(job({ outDir, options: { ...options, encrypted: true } }), items, { workerScript, workers: 1 }));
    expect(results.map((r) => (r.ok ? 'ok' : JSON.stringify(r.diagnostics)))).toEqual(['ok', 'ok']);
    const [jane, joe] = results;
    if (!jane.ok || !joe.ok) throw new Error('expected both to build');
    expect(jane.bytes).toBeUndefined();
    expect(jane.file).toBe(defaultProfileFileName('jane@example.com'));
    expect(joe.file).toBe('joe.mobileconfig');
    expect(JSON.stringify(results)).not.toContain(canary);
    const outer = plistlib(cmsVerify(readFileSync(join(outDir, jane.file ?? '')), pki.root.cert, tmp.dir)) as { EncryptedPayloadContent: { $data: string } };
    const inner = plistlib(cmsDecrypt(Buffer.from(outer.EncryptedPayloadContent.$data, 'base64'), device, tmp.dir)) as { PayloadType: string; Password?: string }[];
    expect(inner.map((p) => p.PayloadType)).toEqual(['com.apple.security.pkcs12', 'com.apple.eas.account']);
    expect(inner[0].Password).toBe(canary);
    expect(existsSync(join(outDir, 'joe.mobileconfig'))).toBe(true);
  });

  it('streams an async source in order with a bounded window; a consumer may stop early and the pool goes on', async () => {
    const pool = await BatchPool.start(job(), { workerScript, workers: 2, chunkSize: 7, chunksPerWorker: 2 });
    try {
      let read = 0;
      async function* source(): AsyncGenerator<BatchItem> {
        for (const o of people(300)) {
          read++;
          yield { owner: o };
        }
      }
      const seen: number[] = [];
      for await (const r of pool.build(source())) {
        seen.push(r.index);
        // Nothing beyond the window (2 workers × 2 chunks × 7 owners) past what was consumed is read ahead.
        expect(read - seen.length).toBeLessThanOrEqual(2 * 2 * 7 + 7);
        if (seen.length === 50) break;
      }
      expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(read).toBeLessThan(300);
      const again = await collect(pool.build(people(20).map((o) => ({ owner: o }))));
      expect(again.map((r) => r.ok)).toEqual(Array(20).fill(true));
      // On one of the pool's threads only: same results.
      const single = await collect(pool.build(people(20).map((o) => ({ owner: o })), { workers: 1 }));
      expect(single.map((r) => (r.ok ? r.sha256 : ''))).toEqual(again.map((r) => (r.ok ? r.sha256 : '')));
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies makes build throw (after the results before it) instead of hanging; close still returns', async () => {
    const pool = await BatchPool.start(job(), { workerScript: crashingScript, workers: 1, chunkSize: 1 });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const r of pool.build(people(5).map((o) => ({ owner: o })))) seen.push(r.owner);
      })(),
    ).rejects.toThrow(/batch worker stopped \(exit code 3\)/);
    expect(seen).toEqual(['user0@example.com']);
    await pool.close();
  });

  it('refuses to start when the script does not serve batches or the signer is unusable, naming the problem', async () => {
    await expect(BatchPool.start(job(), { workerScript: idleScript, workers: 1 })).rejects.toThrow(/serveBatchWorker/);
    const expired = pki.issue('Expired Signer', 'rsa2048', pki.root, { days: 1 });
    const later = new Date(Date.now() + 3 * 86_400_000);
    await expect(BatchPool.start(job({ signer: pemIdentity(expired), signerNow: later }), { workerScript, workers: 1 })).rejects.toThrow(/expired/);
  });
});
