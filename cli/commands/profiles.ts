import { createHash, type X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CertReadError, Secret, identityOf, readCertificateFile, readIdentityPair, type Identity } from '../../core/certs';
import { validate, type Diagnostic } from '../../core/eas';
import { importOwnersCsv } from '../../core/owners';
import {
  BatchPool,
  DeviceCertificateFolder,
  IdentityFolder,
  ProfileInputError,
  buildInThread,
  buildProfile,
  createSigner,
  defaultProfileFileName,
  fingerprint,
  hasErrors,
  inspect,
  profileDiagnostic,
  type BatchItem,
  type BatchJob,
  type BatchResult,
  type InspectReport,
  type OwnerIdentity,
  type PayloadTemplate,
  type ProfileDiagnostic,
  type ProfileOptions,
} from '../../core/profiles';
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from '../command';
import { startProgress } from '../progress';
import { encodingOption } from './owners';

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<O extends Options>(args: readonly string[], options: O, help: string) {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${help}`);
  }
}

async function readInput(cwd: string, file: string): Promise<Buffer> {
  try {
    return await readFile(resolve(cwd, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file.` : `${file} cannot be read (${code ?? 'error'}).`);
  }
}

/** A passphrase from the environment variable named by an option; never from argv. */
function passwordFromEnv(io: CliIo, variable: string | undefined, option: string): Secret | undefined {
  if (variable === undefined) return undefined;
  const value = io.env[variable];
  if (value === undefined) throw new UsageError(`${option} names ${variable}, but that environment variable is not set.`);
  return new Secret(value);
}

/** Diagnostic lines for a terminal, errors first. */
function formatLines(ds: readonly (Diagnostic | ProfileDiagnostic)[]): string {
  const sorted = [...ds].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return sorted.map((d) => `  ${d.severity.padEnd(7)} ${d.code}  ${d.path || '-'}  ${d.message}\n`).join('');
}

// ---------------------------------------------------------------------------------------------- build

/** Below this many owners, starting threads costs more than it saves. */
const POOL_FROM = 200;
const MAX_WORKERS = 8;
/** Threads --workers may ask for. */
const MAX_THREADS = 64;
/** Owners per chunk a pool thread is sent (core/profiles' default): more threads than chunks would idle. */
const CHUNK = 32;

const buildHelp = `Usage: eas-profiles build --payload <template.json> --owners <owners.csv> --out <dir>
         [--org <name>] [--account <name>] [--domain <NETBIOS>]
         [--sign-cert <cert.pem> --sign-key <key.pem> | --sign-p12 <file>] [--sign-password-env <VAR>]
         [--chain <pem>] [--ca-payload <pem>]
         [--identities <dir> --identities-password-env <VAR>] [--embed-identity-password]
         [--encrypt-to <dir>] [--encoding <name>] [--workers <n>] [--json]

Renders the payload template for every owner and writes one <owner>.mobileconfig
per owner plus manifest.json (owner, file, identifiers, content hash, diagnostics).

The template is an EAS payload as JSON; any string may use {{email}}, {{username}},
{{upn}}, {{domain}}, {{displayName}}, {{firstName}}, {{lastName}} and {{identity}}
(the UUID of the owner's identity payload). An owner whose values are missing gets
error diagnostics and no profile; the others are built.

Identifiers are stable (organisation + account + owner): rebuilding after a change
updates the mail account in place on the device.

Options:
  --payload <file>          payload template (JSON)
  --owners <file>           owners CSV as "owners import" reads it (an e-mail column;
                            username, upn, displayName, domain, serial number, …;
                            header aliases such as E-mail or sAMAccountName work);
                            rows with errors are reported in manifest.json
  --encoding <name>         encoding of the owners file, as for "owners import"
  --out <dir>               output folder (created when missing)
  --org <name>              organisation (PayloadOrganization, part of identifiers)
  --account <name>          account name inside the organisation (default exchange)
  --domain <NETBIOS>        domain for owners without one: UserName becomes DOMAIN\\user
  --sign-cert, --sign-key   signing certificate (PEM, chain may follow) and key
  --sign-p12 <file>         signing identity as PKCS#12
  --sign-password-env <VAR> environment variable holding the PKCS#12 or key passphrase
  --chain <pem>             intermediate certificates to include with the signature
  --ca-payload <pem>        CA certificates the Exchange server needs, added as
                            com.apple.security.root / pkcs1 payloads
  --identities <dir>        owners' identities: the file named in the owner's identity
                            column, else <email>.p12/.pfx/.pem, else the file whose
                            certificate names the owner (as "certs match" finds it)
  --identities-password-env <VAR>
                            environment variable holding the identities' passphrase
  --embed-identity-password put that passphrase into the identity payload (otherwise
                            the device asks for it)
  --encrypt-to <dir>        device certificates named <email>, <serial> or <udid>
                            (.pem, .cer, .crt, .der); every profile is encrypted to its
                            owner's device, and an owner without one gets no profile
  --workers <n>             threads that sign and write profiles (default: one for
                            fewer than ${POOL_FROM} owners, else one per core, at most ${MAX_WORKERS};
                            never more than one per ${CHUNK} owners, nor ${MAX_THREADS})
  --json                    print the manifest as JSON on stdout
  -h, --help                show this help

Passwords are read only from environment variables, never from the command line.

Exit status: 0 all profiles built, 1 some owners have error diagnostics, 2 unreadable
input or wrong usage.`;

const buildOptions = {
  payload: { type: 'string' },
  owners: { type: 'string' },
  encoding: { type: 'string' },
  out: { type: 'string' },
  org: { type: 'string' },
  account: { type: 'string' },
  domain: { type: 'string' },
  'sign-cert': { type: 'string' },
  'sign-key': { type: 'string' },
  'sign-p12': { type: 'string' },
  'sign-password-env': { type: 'string' },
  chain: { type: 'string' },
  'ca-payload': { type: 'string' },
  identities: { type: 'string' },
  'identities-password-env': { type: 'string' },
  'embed-identity-password': { type: 'boolean' },
  'encrypt-to': { type: 'string' },
  workers: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies Options;

/** The same for a promise: an unreadable folder is a usage error. */
async function usageOnFailure<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ProfileInputError || e instanceof CertReadError) throw new UsageError(e.message);
    throw e;
  }
}

/** Turns unreadable-input exceptions of core into usage errors (exit 2) with the same message. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ProfileInputError || e instanceof CertReadError) throw new UsageError(e.message);
    throw e;
  }
}

/** Certificates of a PEM or DER file, none being an error naming it. */
function certificatesOf(bytes: Uint8Array, fileName: string): X509Certificate[] {
  const certs = readCertificateFile(bytes, { fileName }).certificates;
  if (certs.length === 0) throw new ProfileInputError(`${fileName} holds no certificate.`, fileName);
  return [...certs];
}

/** An identity from one file: PKCS#12, or PEM/DER holding both certificate and key. */
function identityFile(bytes: Uint8Array, fileName: string, password: Secret | undefined): Identity {
  return identityOf(readCertificateFile(bytes, { fileName, ...(password ? { password } : {}) }));
}

/** Certificates of a PEM or DER file; unreadable ones are usage errors. */
async function loadCertificates(io: CliIo, file: string): Promise<X509Certificate[]> {
  const bytes = await readInput(io.cwd, file);
  return asUsage(() => certificatesOf(bytes, file));
}

/** Where the signing identity comes from, as given on the command line. */
interface SignerArgs {
  readonly cert?: string;
  readonly key?: string;
  readonly p12?: string;
  readonly passwordEnv?: string;
  readonly chain?: string;
}

/** The signing identity and the extra chain, checked as signing will use them (an unusable one is a usage error). */
async function loadSigner(io: CliIo, { cert, key, p12, passwordEnv, chain }: SignerArgs): Promise<{ identity: Identity; extraChain: X509Certificate[] } | undefined> {
  if (p12 && (cert || key)) throw new UsageError('Give either --sign-p12 or --sign-cert with --sign-key, not both.');
  if (Boolean(cert) !== Boolean(key)) throw new UsageError('--sign-cert and --sign-key go together.');
  const password = passwordFromEnv(io, passwordEnv, '--sign-password-env');
  const extraChain = chain ? await loadCertificates(io, chain) : [];
  let identity: Identity | undefined;
  if (p12) {
    const bytes = await readInput(io.cwd, p12);
    identity = asUsage(() => identityFile(bytes, p12, password));
  } else if (cert && key) {
    const [c, k] = await Promise.all([readInput(io.cwd, cert), readInput(io.cwd, key)]);
    identity = asUsage(() => readIdentityPair({ bytes: c, fileName: cert }, { bytes: k, fileName: key }, password ? { password } : {}));
  }
  if (!identity) return undefined;
  const checked = identity;
  asUsage(() => createSigner(checked, { extraChain }));
  return { identity, extraChain };
}

/** Worker threads for `job`, or undefined (with a warning) when they cannot start: the build then runs on one thread. */
async function startPool(io: CliIo, job: BatchJob, workerScript: string, workers: number): Promise<BatchPool | undefined> {
  try {
    return await BatchPool.start(job, { workerScript, workers });
  } catch (e) {
    io.stderr(`warning: worker threads could not start (${(e as Error).message}); building on one thread.\n`);
    return undefined;
  }
}

/** The manifest's note of the signing certificate. */
function signedBy(c: X509Certificate): { subject: string; sha256: string; notAfter: string } {
  return { subject: c.subject.replace(/\n/g, ', '), sha256: fingerprint(c), notAfter: new Date(c.validTo).toISOString() };
}

/** The --workers option: a whole number from 1, checked before any work is done. */
function workersOf(option: string | undefined): number | undefined {
  if (option === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(option)) throw new UsageError(`--workers takes a whole number of threads (1 or more), not "${option}".`);
  return Number(option);
}

/** How many worker threads `build` uses for `owners` owners. */
function workerCount(option: number | undefined, owners: number, io: CliIo): number {
  // From TypeScript sources (in-process use, tests) there is no script to start as a thread.
  if (!io.workerScript) return 1;
  const wanted = option ?? (owners < POOL_FROM ? 1 : Math.min(availableParallelism(), MAX_WORKERS));
  return Math.max(1, Math.min(wanted, MAX_THREADS, Math.ceil(owners / CHUNK)));
}

/** A profile's file name per owner, unique in the folder: addresses that differ only in characters a file name cannot hold get a suffix. */
class FileNames {
  private readonly taken = new Map<string, string>();

  for(email: string): string {
    const key = email.toLowerCase();
    let name = defaultProfileFileName(email);
    const holder = this.taken.get(name);
    if (holder !== undefined && holder !== key) name = name.replace(/\.mobileconfig$/, `-${createHash('sha256').update(key).digest('hex').slice(0, 8)}.mobileconfig`);
    this.taken.set(name, key);
    return name;
  }
}

/** An owner handed to the builder: where its entry goes, and what the lookups said. */
interface Sent {
  readonly ownerIndex: number;
  readonly problems: ProfileDiagnostic[];
  readonly identity: boolean;
  readonly file: string;
  /** Until the owner's result is back: to build it again if a thread dies. */
  item: BatchItem | undefined;
}

/** One entry of manifest.json. */
interface ManifestEntry {
  readonly owner: string;
  readonly file?: string;
  readonly profileIdentifier?: string;
  readonly profileUuid?: string;
  readonly easIdentifier?: string;
  readonly easUuid?: string;
  readonly identityUuid?: string;
  readonly contentHash?: string;
  readonly sha256?: string;
  readonly built: boolean;
  readonly diagnostics: readonly ProfileDiagnostic[];
}


async function runBuild(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values: v, positionals } = parse(args, buildOptions, buildHelp);
  if (v.help) {
    io.stdout(`${buildHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`build takes no positional arguments (got ${positionals[0]}).\n\n${buildHelp}`);
  for (const required of ['payload', 'owners', 'out'] as const) if (!v[required]) throw new UsageError(`--${required} is required.\n\n${buildHelp}`);
  if (v.identities && !v['identities-password-env']) throw new UsageError('--identities needs --identities-password-env: the identities are re-encoded with that passphrase.');
  const workersOption = workersOf(v.workers);

  const payloadFile = v.payload as string;
  let template: PayloadTemplate;
  try {
    const parsed: unknown = JSON.parse((await readInput(io.cwd, payloadFile)).toString('utf8').replace(/^\uFEFF/, ''));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    template = parsed as PayloadTemplate;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${payloadFile} is not a JSON payload template: ${(e as Error).message}`);
  }
  const templateCheck = validate(template, { mode: 'template', encrypted: Boolean(v['encrypt-to']) });
  if (!templateCheck.valid) {
    const errors = templateCheck.diagnostics.filter((d) => d.severity === 'error');
    if (v.json) io.stdout(`${JSON.stringify({ template: payloadFile, built: 0, failed: 0, diagnostics: errors }, null, 2)}\n`);
    else io.stdout(`${payloadFile}: the template has errors, no profile built\n${formatLines(errors)}`);
    return EXIT.diagnostics;
  }

  const ownersFile = v.owners as string;
  // The owners importer of core/owners (aliases, encodings, line/column diagnostics); rows it refuses
  // are reported in the manifest and the other owners still get their profiles.
  const encoding = encodingOption(v.encoding);
  const csv = await importOwnersCsv(await readInput(io.cwd, ownersFile), { allowPartial: true, ...(encoding ? { encoding } : {}) });
  if (csv.fatal) {
    throw new UsageError(`${ownersFile} cannot be read as an owners CSV:\n${csv.diagnostics.map((d) => `  line ${d.line}: ${d.message}`).join('\n')}`);
  }
  const owners = csv.owners;
  const ownerProblems = csv.diagnostics.filter((d) => d.severity === 'error');
  const signer = await loadSigner(io, { cert: v['sign-cert'], key: v['sign-key'], p12: v['sign-p12'], passwordEnv: v['sign-password-env'], chain: v.chain });
  const cas = v['ca-payload'] ? await loadCertificates(io, v['ca-payload']) : [];
  const identityPassword = passwordFromEnv(io, v['identities-password-env'], '--identities-password-env');
  const identityFolder = v.identities ? await usageOnFailure(IdentityFolder.open(v.identities, owners, { cwd: io.cwd, ...(identityPassword ? { password: identityPassword } : {}) })) : undefined;
  const deviceFolder = v['encrypt-to'] ? await usageOnFailure(DeviceCertificateFolder.open(v['encrypt-to'], { cwd: io.cwd })) : undefined;

  const outDir = resolve(io.cwd, v.out as string);
  await mkdir(outDir, { recursive: true });
  const options: ProfileOptions = {
    ...(v.org ? { organization: v.org } : {}),
    ...(v.account ? { account: v.account } : {}),
    ...(v.domain ? { domain: v.domain } : {}),
    caCertificates: cas,
    encrypted: Boolean(deviceFolder),
  };

  const job: BatchJob = {
    template,
    options,
    ...(signer ? { signer: signer.identity, signerChain: signer.extraChain } : {}),
    outDir,
  };
  // Entries in the owners' order: owners refused here (no identity, no device certificate) at once, the others
  // as their profiles come back from the builder, which keeps the order of the items it is given.
  const entries: ManifestEntry[] = new Array<ManifestEntry>(owners.length);
  const files = new FileNames();
  const progress = startProgress(io, 'Building profiles', owners.length, { json: Boolean(v.json) });
  let next = 0;
  /** Owners to build, looked up one after the other from `next`; `first` (items of a failed run) go first. */
  async function* items(run: Sent[], first: readonly Sent[] = []): AsyncGenerator<BatchItem> {
    for (const s of first) {
      run.push(s);
      yield s.item!;
    }
    while (next < owners.length) {
      const ownerIndex = next++;
      const owner = owners[ownerIndex];
      const problems: ProfileDiagnostic[] = [];
      let identity: OwnerIdentity | undefined;
      if (identityFolder) {
        const r = await identityFolder.identityFor(owner, Boolean(v['embed-identity-password']));
        if (r.ok) identity = r.value;
        else problems.push(r.diagnostic);
      }
      let device: X509Certificate | undefined;
      if (deviceFolder) {
        const r = await deviceFolder.certificateFor(owner);
        if (r.ok) device = r.value;
        else problems.push(r.diagnostic);
      }
      if (hasErrors(problems)) {
        // Not built, but the template is still rendered (no signing): its own problems for this owner are reported too.
        entries[ownerIndex] = { owner: owner.email, built: false, diagnostics: [...problems, ...buildProfile(template, owner, options, identity).diagnostics] };
        progress.tick();
        continue;
      }
      const item: BatchItem = { owner, fileName: files.for(owner.email), ...(identity ? { identity } : {}), ...(device ? { encryptTo: device } : {}) };
      const sent: Sent = { ownerIndex, problems, identity: Boolean(identity), file: item.fileName!, item };
      run.push(sent);
      yield item;
    }
  }
  const record = (run: Sent[], r: BatchResult): void => {
    const sent = run[r.index];
    // The item (with its identity) is let go once its owner's profile is back.
    sent.item = undefined;
    const { ownerIndex, problems, identity } = sent;
    const owner = owners[ownerIndex].email;
    const diagnostics = [...problems, ...r.diagnostics];
    if (!r.ok) {
      // An unexpected failure for this owner says why when no diagnostic does.
      const code = r.unwritten ? 'profile-unwritable' : 'profile-failed';
      const why = r.error && !hasErrors(diagnostics) ? [profileDiagnostic(code, 'out', `The profile of ${owner} was not made: ${r.error}`, owner)] : [];
      entries[ownerIndex] = { owner, built: false, diagnostics: [...diagnostics, ...why] };
    } else {
      entries[ownerIndex] = {
        owner,
        file: r.file ?? sent.file,
        profileIdentifier: r.ids.profileIdentifier,
        profileUuid: r.ids.profileUuid,
        easIdentifier: r.ids.easIdentifier,
        easUuid: r.ids.easUuid,
        ...(identity ? { identityUuid: r.ids.identityUuid } : {}),
        contentHash: r.contentHash,
        sha256: r.sha256,
        built: true,
        diagnostics,
      };
    }
    progress.tick();
  };
  const workers = workerCount(workersOption, owners.length, io);
  const pool = workers > 1 && io.workerScript ? await startPool(io, job, io.workerScript, workers) : undefined;
  let unfinished: Sent[] = [];
  try {
    if (pool) {
      const run: Sent[] = [];
      try {
        for await (const r of pool.build(items(run))) record(run, r);
      } catch (e) {
        // A thread that dies (out of memory, killed) must not cost the run: its owners, and the rest, are built here.
        unfinished = run.filter((x) => x.item !== undefined);
        io.stderr(`warning: ${(e as Error).message}; building the remaining owners on one thread.\n`);
      } finally {
        await pool.close();
      }
    }
    if (!pool || unfinished.length > 0 || next < owners.length) {
      const run: Sent[] = [];
      for await (const r of buildInThread(job, items(run, unfinished))) record(run, r);
    }
  } finally {
    progress.done();
  }

  const builtCount = entries.filter((e) => e.built).length;
  const failed = entries.filter((e) => !e.built);
  const rejectedRows = new Set(ownerProblems.map((d) => d.line)).size;
  const manifest = {
    version: 1,
    template: basename(payloadFile),
    organization: v.org ?? '',
    account: v.account ?? 'exchange',
    signed: signer ? signedBy(signer.identity.certificate) : false,
    encrypted: Boolean(deviceFolder),
    // Threads that signed and wrote the profiles.
    workers: pool?.size ?? 1,
    built: builtCount,
    failed: failed.length + rejectedRows,
    owners: { file: basename(ownersFile), mapping: csv.mapping, rows: csv.rows, diagnostics: csv.diagnostics },
    // Files of the identities folder that could not be read are listed even when every owner got an identity: one of
    // them may be an owner's renewed certificate under another passphrase.
    ...(identityFolder ? { identities: { folder: v.identities, unreadable: identityFolder.unreadable } } : {}),
    profiles: entries,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(join(outDir, 'manifest.json'), manifestText);
  if (v.json) {
    io.stdout(manifestText);
  } else {
    const notBuilt = failed.length + rejectedRows;
    const threads = pool ? ` on ${pool.size} threads` : '';
    io.stdout(`${builtCount} profile${builtCount === 1 ? '' : 's'} written to ${v.out}${signer ? ' (signed)' : ''}${deviceFolder ? ' (encrypted)' : ''}${threads}; ${notBuilt} owner${notBuilt === 1 ? '' : 's'} failed.\n`);
    for (const d of csv.diagnostics) io.stdout(`${ownersFile}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`);
    for (const f of identityFolder?.unreadable ?? []) io.stdout(`${v.identities}: warning: ${f}\n`);
    for (const e of entries.filter((x) => x.diagnostics.length > 0)) io.stdout(`${e.owner}: ${e.built ? 'built with warnings' : 'NOT built'}\n${formatLines(e.diagnostics)}`);
  }
  return failed.length + rejectedRows > 0 ? EXIT.diagnostics : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------- inspect

const inspectHelp = `Usage: eas-profiles inspect <file> [--ca <pem>] [--decrypt-with <p12|pem> [--decrypt-password-env <VAR>]] [--json]

Reads an unsigned, signed or encrypted .mobileconfig and reports the signer, whether
the signature and its chain verify, expiry, the payloads, and the diagnostics of its
Exchange ActiveSync payloads. A profile changed after signing says "signature does
not verify".

Options:
  --ca <pem>   trusted CA certificate(s); without it the chain is checked against a
               root inside the profile, if any
  --decrypt-with <file>
               the device identity (PKCS#12, or PEM with certificate and key) an
               encrypted profile is addressed to: its payloads are checked too
  --decrypt-password-env <VAR>
               environment variable holding that identity's passphrase
  --json       print the report as JSON
  -h, --help   show this help

Exit status: 0 fine (warnings allowed), 1 error diagnostics (bad signature, chain
that does not verify, invalid payload), 2 unreadable input or wrong usage.`;

function describeReport(file: string, r: InspectReport): string {
  const lines: string[] = [];
  const sig = r.signature.status === 'valid' ? 'signature verifies' : r.signature.status === 'invalid' ? `signature does not verify (${r.signature.reason})` : 'not signed';
  const chain =
    r.chain.status === 'verified'
      ? `chain verifies against ${r.chain.anchor === 'given-ca' ? 'the given CA' : 'the root inside the profile (not an independent trust anchor)'}`
      : r.chain.status === 'failed'
        ? `chain does not verify (${r.chain.reason})`
        : undefined;
  lines.push(`${file}: ${r.format}${r.encrypted ? ', encrypted' : ''}; ${sig}${chain ? `; ${chain}` : ''}`);
  if (r.signer) lines.push(`  signer:   ${r.signer.subject}`, `  valid:    ${r.signer.notBefore.slice(0, 10)} to ${r.signer.notAfter.slice(0, 10)}${r.signer.expired ? ' (NOT valid now)' : ''}`);
  if (r.signingTime) lines.push(`  signed:   ${r.signingTime}`);
  if (r.profile) {
    const p = r.profile;
    lines.push(`  profile:  ${p.displayName ?? '(no name)'}  ${p.identifier ?? '(no identifier)'}  ${p.uuid ?? '(no UUID)'}`);
    if (p.organization) lines.push(`  org:      ${p.organization}`);
    if (p.expirationDate) lines.push(`  expires:  ${p.expirationDate}`);
    if (p.removalDate) lines.push(`  removed:  ${p.removalDate}`);
    for (const x of p.payloads) lines.push(`  payload:  ${x.type}  ${x.identifier ?? '-'}  ${x.uuid ?? '-'}${x.displayName ? `  "${x.displayName}"` : ''}`);
  }
  return `${lines.join('\n')}\n${formatLines(r.diagnostics)}`;
}

async function runInspect(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values: v, positionals } = parse(
    args,
    { ca: { type: 'string' }, 'decrypt-with': { type: 'string' }, 'decrypt-password-env': { type: 'string' }, json: { type: 'boolean' } },
    inspectHelp,
  );
  if (v.help) {
    io.stdout(`${inspectHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`inspect takes exactly one file.\n\n${inspectHelp}`);
  const [file] = positionals;
  const bytes = await readInput(io.cwd, file);
  const ca = v.ca ? await loadCertificates(io, v.ca) : undefined;
  let decryptWith: Identity | undefined;
  if (v['decrypt-with']) {
    const idFile = v['decrypt-with'];
    const idBytes = await readInput(io.cwd, idFile);
    const password = passwordFromEnv(io, v['decrypt-password-env'], '--decrypt-password-env');
    decryptWith = asUsage(() => identityFile(idBytes, idFile, password));
  }
  const report = inspect(bytes, { ...(ca ? { ca } : {}), ...(decryptWith ? { decryptWith } : {}) });
  if (report.format === 'unreadable' && report.signature.status === 'absent') {
    throw new UsageError(`${file}: ${report.diagnostics.find((d) => d.code === 'profile-unreadable')?.message ?? 'not a profile.'}`);
  }
  io.stdout(v.json ? `${JSON.stringify(report, null, 2)}\n` : describeReport(file, report));
  return hasErrors(report.diagnostics) ? EXIT.diagnostics : EXIT.ok;
}

/** `eas-profiles build` and `eas-profiles inspect`. */
export const profileCommands: Command[] = [
  { path: ['build'], summary: 'Build one .mobileconfig per owner from a payload template (signed, encrypted)', help: buildHelp, run: runBuild },
  { path: ['inspect'], summary: 'Show signer, signature, chain, payloads and diagnostics of a .mobileconfig', help: inspectHelp, run: runInspect },
];
