// Signed profiles per second on one core, next to the limit measured in the same run: bare node:crypto
// RSA-2048 SHA-256 signatures over the same bytes (goal ≥ 0.8×), and `openssl cms -sign` run once per
// profile, as a shell-script pipeline would (goal ≥ 10×), and the `mobileconfig` npm package's signing
// (jsrsasign, pure JavaScript) of the same bytes (goal ≥ 20×).
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import mobileconfig from 'mobileconfig';
import { Identity } from '../core/certs';
import { buildProfile, type BuiltProfile } from '../core/profiles/assemble';
import { packageProfile } from '../core/profiles/package';
import { signContent } from '../core/profiles/sign';
import { createSigner } from '../core/profiles/signer';
import { BENCH_TEMPLATE } from './profile-template';

const dir = mkdtempSync(join(tmpdir(), 'sign-bench-'));
try {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=Bench Signer/O=EAS', '-days', '2'], { stdio: 'ignore' });
  const key = createPrivateKey(readFileSync(keyFile));
  const certificate = new X509Certificate(readFileSync(certFile));
  const signer = createSigner(new Identity([certificate], key, certificate, 'pem', certFile));

  const template = BENCH_TEMPLATE;
  const owners = Array.from({ length: 500 }, (_, i) => ({ id: `user${i}@example.com`, email: `user${i}@example.com`, username: `user${i}`, displayName: `User ${i}`, source: 'csv' as const }));
  const built: BuiltProfile[] = owners.map((o) => {
    const r = buildProfile(template, o, { organization: 'Example Corp', domain: 'CORP' });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    return r;
  });
  const bytes = built.map((b) => b.xml);
  console.log(`profiles: ${bytes.length}, ${Math.round(bytes.reduce((n, b) => n + b.length, 0) / bytes.length)} bytes each on average, RSA-2048, ${process.version}`);

  type Contender = (i: number) => unknown;
  const contenders: Record<string, Contender> = {
    bare: (i) => sign('sha256', bytes[i % bytes.length], key),
    signContent: (i) => signContent(bytes[i % bytes.length], signer),
    buildAndSign: (i) => {
      const r = buildProfile(template, owners[i % owners.length], { organization: 'Example Corp', domain: 'CORP' });
      if (!r.ok) throw new Error('build');
      return packageProfile(r, { signer });
    },
  };
  for (const f of Object.values(contenders)) for (let i = 0; i < 100; i++) f(i); // warm-up
  // mobileconfig signs synchronously and calls back on setImmediate; its CPU time is measured around the await.
  const mcSign = promisify(mobileconfig.sign);
  const mcKeys = { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  for (let i = 0; i < 3; i++) await mcSign(bytes[i], mcKeys);

  // CPU time of this process, not wall time: other processes on the machine then cost nothing. Short
  // alternating rounds and the median of per-round ratios keep frequency and cache changes out too.
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const ROUNDS = 41;
  const PER_ROUND = 40;
  const names = Object.keys(contenders);
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  const wall: Record<string, { n: number; ms: number }> = Object.fromEntries(names.map((k) => [k, { n: 0, ms: 0 }]));
  // Per round: mobileconfig's CPU time per profile next to signContent's of the same round.
  const MC_PER_ROUND = 2;
  const mcPerRound: number[] = [];
  let counter = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = cpuMs();
    for (let i = 0; i < MC_PER_ROUND; i++) await mcSign(bytes[counter++ % bytes.length], mcKeys);
    mcPerRound.push((cpuMs() - c0) / MC_PER_ROUND);
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const f = contenders[name];
      const c0 = cpuMs();
      const w0 = performance.now();
      for (let i = 0; i < PER_ROUND; i++) f(counter++);
      wall[name].ms += performance.now() - w0;
      wall[name].n += PER_ROUND;
      perRound[name].push((cpuMs() - c0) / PER_ROUND);
    }
  }
  const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rate = (name: string): number => 1000 / median(perRound[name]);
  const ratioOf = (name: string): number => median(perRound.bare.map((b, i) => b / perRound[name][i]));
  const wallRate = (name: string): number => (wall[name].n / wall[name].ms) * 1000;

  // openssl cms -sign once per profile: process start, key parsing and signing each time. Its work happens in
  // child processes, so both sides of this ratio are wall-clock rates of the same run.
  const OPENSSL_RUNS = 40;
  const t0 = performance.now();
  for (let i = 0; i < OPENSSL_RUNS; i++) {
    const r = spawnSync('openssl', ['cms', '-sign', '-nodetach', '-binary', '-outform', 'DER', '-md', 'sha256', '-signer', certFile, '-inkey', keyFile], { input: bytes[i] });
    if (r.status !== 0) throw new Error(r.stderr.toString());
  }
  const opensslRate = (OPENSSL_RUNS / (performance.now() - t0)) * 1000;

  // The bytes are real signed profiles, not just fast ones; so are mobileconfig's (a fair baseline).
  const verified = (signed: Uint8Array, name: string): Buffer => {
    writeFileSync(join(dir, `${name}.der`), signed);
    execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', join(dir, `${name}.der`), '-CAfile', certFile, '-out', join(dir, `${name}.xml`)], { stdio: 'ignore' });
    return readFileSync(join(dir, `${name}.xml`));
  };
  if (!verified(signContent(bytes[0], signer), 'ours').equals(bytes[0])) throw new Error('verified content differs');
  const mcSigned = await mcSign(bytes[0], mcKeys);
  if (!mcSigned || !verified(mcSigned, 'mobileconfig').equals(bytes[0])) throw new Error('mobileconfig: verified content differs');

  const f = (x: number): string => x.toFixed(0).padStart(7);
  console.log(`bare node:crypto sign (limit)     ${f(rate('bare'))} /s per core (CPU time)`);
  console.log(`signContent (CMS SignedData)      ${f(rate('signContent'))} /s per core`);
  console.log(`build + sign (render, plist, CMS) ${f(rate('buildAndSign'))} /s per core`);
  console.log(`openssl cms -sign per profile     ${f(opensslRate)} /s wall clock (signContent: ${f(wallRate('signContent'))} /s wall clock)`);
  const mcVersion = (createRequire(import.meta.url)('mobileconfig/package.json') as { version: string }).version;
  console.log(`mobileconfig ${mcVersion} sign (jsrsasign)  ${f(1000 / median(mcPerRound))} /s per core (CPU time)`);
  const ratio = ratioOf('signContent');
  const ratioBuild = ratioOf('buildAndSign');
  const ratioOpenssl = wallRate('signContent') / opensslRate;
  console.log(`ratio signContent / bare signature: ${ratio.toFixed(2)}x (goal >= 0.8x) ${ratio >= 0.8 ? 'ok' : 'BELOW GOAL'}`);
  console.log(`ratio build+sign / bare signature: ${ratioBuild.toFixed(2)}x (for information: rendering, validation and the plist writer included)`);
  console.log(`ratio signContent / openssl cms -sign per profile: ${ratioOpenssl.toFixed(1)}x (goal >= 10x) ${ratioOpenssl >= 10 ? 'ok' : 'BELOW GOAL'}`);
  const ratioMc = median(mcPerRound.map((m, i) => m / perRound.signContent[i]));
  console.log(`ratio signContent / mobileconfig sign: ${ratioMc.toFixed(1)}x (goal >= 20x) ${ratioMc >= 20 ? 'ok' : 'BELOW GOAL'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
