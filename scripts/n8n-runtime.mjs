// A pinned n8n installed into its own folder, outside the root node_modules, shared by
// `npm start` and the e2e tests. Installing takes minutes the first time, seconds after.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.40.7';
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The folder that holds the pinned n8n (override with EAS_N8N_RUNTIME_DIR). */
export function runtimeDir() {
  return path.resolve(process.env.EAS_N8N_RUNTIME_DIR ?? path.join(root, '.n8n-runtime'));
}

/** Path to the n8n executable inside the runtime folder. */
export function n8nBin(dir = runtimeDir()) {
  return path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** Folder holding the Node 24 binary of the `node` devDependency. */
function node24Bin() {
  const require = createRequire(path.join(root, 'package.json'));
  const bin = path.join(path.dirname(require.resolve('node/package.json')), 'bin');
  if (!existsSync(path.join(bin, 'node'))) {
    throw new Error('the node@24 devDependency has no binary: run `npm ci` without --ignore-scripts');
  }
  return bin;
}

/** An environment whose `node` and native builds are Node 24's, whatever the machine has. */
export function node24Env(extra = {}) {
  return {
    ...process.env,
    PATH: `${node24Bin()}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...extra,
  };
}

function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', ...opts });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${out.slice(-4000)}`)),
    );
  });
}

/** Install the pinned n8n once; later calls return at once. */
export async function ensureN8n({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const dir = runtimeDir();
  const marker = path.join(dir, '.ready');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === N8N_VERSION && existsSync(n8nBin(dir))) return dir;
  mkdirSync(dir, { recursive: true });
  rmSync(marker, { force: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'eas-profiles-n8n-runtime', private: true, dependencies: { n8n: N8N_VERSION } }, null, 2),
  );
  const env = node24Env();
  const started = Date.now();
  log(`Installing n8n ${N8N_VERSION} into ${dir} (first run only; about 6 minutes)...`);
  // --ignore-scripts: n8n's dependency tree has install scripts that fetch binaries, which cannot work here.
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env, quiet: true });
  log(`Building sqlite3 for Node 24 (about 2 minutes)...`);
  await run('npm', ['rebuild', 'sqlite3', '--loglevel=error'], { cwd: dir, env, quiet: true });
  writeFileSync(marker, N8N_VERSION);
  log(`n8n ${N8N_VERSION} ready after ${Math.round((Date.now() - started) / 1000)} s.`);
  return dir;
}

/** Install a packed tarball of this package the way n8n installs a community package (see its CommunityPackagesService). */
export async function installCommunityPackage(userFolder, tarball) {
  const nodesDir = path.join(userFolder, '.n8n', 'nodes');
  const pkgDir = path.join(nodesDir, 'node_modules', 'n8n-nodes-eas-profiles');
  rmSync(pkgDir, { recursive: true, force: true });
  mkdirSync(pkgDir, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], { quiet: true });
  // n8n drops these before installing, so only runtime dependencies (we have none) are fetched.
  const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(pkg, null, 2));
  await run('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], {
    cwd: pkgDir,
    env: node24Env(),
    quiet: true,
  });
  const listPath = path.join(nodesDir, 'package.json');
  const list = existsSync(listPath) ? JSON.parse(readFileSync(listPath, 'utf8')) : { name: 'installed-nodes', private: true, dependencies: {} };
  list.dependencies = { ...list.dependencies, [pkg.name]: pkg.version };
  writeFileSync(listPath, JSON.stringify(list, null, 2));
}

/** Build this package and pack it into a tarball in `destDir`; returns the tarball's path. */
export async function packPackage(destDir) {
  mkdirSync(destDir, { recursive: true });
  const out = await run('npm', ['pack', '--pack-destination', destDir, '--json', '--loglevel=error'], {
    cwd: root,
    env: node24Env(),
    quiet: true,
  });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return path.join(destDir, info.filename);
}

/** The folder n8n may read and write files in (examples' data copied in, `profiles/` for output); n8n runs with it as cwd. */
export function prepareFilesDir(userFolder) {
  const dir = path.join(userFolder, 'files');
  mkdirSync(path.join(dir, 'profiles'), { recursive: true });
  const data = path.join(root, 'examples', 'data');
  if (existsSync(data)) cpSync(data, dir, { recursive: true, force: false, errorOnExist: false });
  return dir;
}

/** Environment for an n8n process: own user folder, own ports, no telemetry, file access limited to the files folder. */
export function n8nEnv(userFolder, { port = 5678, brokerPort = 5679, extra = {} } = {}) {
  return node24Env({
    N8N_USER_FOLDER: userFolder,
    N8N_RESTRICT_FILE_ACCESS_TO: path.join(userFolder, 'files'),
    N8N_PORT: String(port),
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    // vitest sets NODE_ENV=test, under which n8n prints nothing.
    NODE_ENV: 'production',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_SECURE_COOKIE: 'false',
    ...extra,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureN8n();
}
