// `npm start`: build, install the pinned n8n once, load this package into it as n8n installs
// community packages, import the example workflows, and serve n8n on http://localhost:5678.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { demoOwnerIdentity, demoPassphraseCredential, demoSigningCredential, demoSigningIdentity } from './demo-signing.mjs';
import { ensureN8n, installCommunityPackage, n8nBin, n8nEnv, packPackage, prepareFilesDir, root, runtimeDir } from './n8n-runtime.mjs';

await import('./check-node.mjs');
const say = (m) => process.stdout.write(`[eas-profiles] ${m}\n`);

say('Building the package...');
await import('./build.mjs');

const runtime = await ensureN8n({ log: say });
const userFolder = path.resolve(process.env.EAS_N8N_USER_FOLDER ?? path.join(runtimeDir(), 'user'));
const port = Number(process.env.N8N_PORT ?? 5678);
const env = n8nEnv(userFolder, { port, brokerPort: Number(process.env.N8N_RUNNERS_BROKER_PORT ?? port + 1) });
const stateFile = path.join(userFolder, '.eas-profiles-state.json');
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

// n8n reads and writes the example files relative to this folder, and nowhere else.
const filesDir = prepareFilesDir(userFolder);

function n8n(args, { quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [n8nBin(runtime), ...args], { cwd: filesDir, env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`n8n ${args.join(' ')} failed:\n${out.slice(-3000)}`))));
  });
}

// Reinstall only when the packed package changed, so a second start takes seconds.
const packDir = path.join(runtimeDir(), 'pack');
rmSync(packDir, { recursive: true, force: true });
const tgz = await packPackage(packDir);
const pkgHash = sha256(readFileSync(tgz));
if (state.package !== pkgHash) {
  say('Installing n8n-nodes-eas-profiles into n8n as a community package...');
  await installCommunityPackage(userFolder, tgz);
  state.package = pkgHash;
}

const examplesDir = path.join(root, 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort();
const examplesHash = sha256(examples.map((f) => readFileSync(path.join(examplesDir, f))).join('\n'));
if (state.examples !== examplesHash) {
  say(`Importing ${examples.length} example workflow(s) from examples/...`);
  await n8n(['import:workflow', '--separate', `--input=${examplesDir}`]);
  state.examples = examplesHash;
}
async function importCredentials(credentials) {
  const credFile = path.join(runtimeDir(), 'demo-credentials.json');
  writeFileSync(credFile, JSON.stringify(credentials), { mode: 0o600 });
  try {
    await n8n(['import:credentials', `--input=${credFile}`]);
  } finally {
    rmSync(credFile, { force: true });
  }
}

if (state.demo !== 2) {
  // Demo material so the examples run out of the box: a throw-away CA, a profile signer, and
  // identities for three of the four people in hr-export.csv (the fourth shows an unmatched owner).
  say('Creating demo certificates (a throw-away CA, a profile signer and owner identities) for the example workflows...');
  const pki = demoSigningIdentity();
  writeFileSync(path.join(filesDir, 'demo-signing-ca.pem'), pki.caPem);
  const passphrase = randomBytes(12).toString('base64url');
  mkdirSync(path.join(filesDir, 'certs'), { recursive: true });
  const people = [
    { file: 'amartin.p12', name: 'Alice Martin', email: 'alice.martin@example.com', serial: '11' },
    { file: 'bmoreau.p12', name: 'Bruno Moreau', email: 'bruno.moreau@example.com', serial: '12' },
    { file: 'cdubois.p12', name: 'Chloé Dubois', email: 'chloe.dubois@example.com', serial: '13' },
  ];
  for (const p of people) writeFileSync(path.join(filesDir, 'certs', p.file), demoOwnerIdentity(pki.ca, p, passphrase));
  await importCredentials([...demoSigningCredential(pki), ...demoPassphraseCredential(passphrase)]);
  state.demo = 2;
}
mkdirSync(userFolder, { recursive: true });
writeFileSync(stateFile, JSON.stringify(state, null, 2));

say(`Starting n8n (data in ${userFolder})...`);
const server = spawn(process.execPath, [n8nBin(runtime), 'start'], { cwd: filesDir, env, stdio: ['inherit', 'pipe', 'inherit'] });
const url = `http://localhost:${port}`;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (String(chunk).includes('Editor is now accessible')) {
    say(`n8n is ready at ${url} with the EAS Profile node and the example workflows.`);
    say(`Example files (owners.csv, profiles/ for output, demo-signing-ca.pem) are in ${filesDir}.`);
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('close', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
