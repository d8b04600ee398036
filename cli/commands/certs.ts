import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { checkIdentity, type CertDiagnostic, type IdentityRole } from '../../core/certs/check';
import { CertReadError, type CertErrorCode } from '../../core/certs/errors';
import { inspectBundle, type BundleInspection, type CertificateInfo } from '../../core/certs/inspect';
import { matchCertificateDir, type FileMatch, type MatchReport } from '../../core/certs/match';
import { readCertificateFile } from '../../core/certs/read';
import { Secret } from '../../core/certs/secret';
import { parseCommandArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from '../command';
import { startProgress } from '../progress';
import { encodingOption, importOwnersFile, ownerDiagnosticLines } from './owners';

const inspectHelp = `Usage: eas-profiles certs inspect <file> [<file> ...] [--password-env <VAR>] [--json]

Shows what certificate files hold: PKCS#12 (.p12/.pfx, any encryption OpenSSL,
Windows or macOS produce), PEM or DER certificates and keys. For each
certificate: subject, issuer, serial, validity, key type and size, key usage,
extended key usage, e-mails and UPN, SHA-256 fingerprint; and whether the key
belongs to the certificate.

Options:
  --password-env <VAR>  environment variable holding the passphrase (never
                        given on the command line)
  --json                print [{"file", "certificates": [...], ...}]
  -h, --help            show this help

Exit status: 0 fine, 1 a certificate is expired or its key does not match,
2 a file cannot be read (wrong passphrase, damaged) or wrong usage.`;

const matchHelp = `Usage: eas-profiles certs match --owners <owners.csv> --dir <folder> [--password-env <VAR>]
         [--role eas-client|smime-signing|smime-encryption] [--encoding <name>] [--json]

Matches a folder of .p12/.pfx files (and PEM/DER certificates with a .key of
the same name) to owners: by the e-mail or UPN in the certificate, then by the
file name (alice@corp.com.p12, alice.p12, or the user name). Each matched
identity is checked for its role (default eas-client: clientAuth, validity,
e-mail).

Options:
  --owners <file.csv>   owners, as "owners import" reads them
  --dir <folder>        the certificate files
  --password-env <VAR>  environment variable holding the passphrase of the files
  --role <role>         what the identities are for (repeatable)
  --encoding <name>     encoding of the owners file, as for "owners import"
  --json                print the report: {"files": [...], "unmatchedOwners": [...], "counts": {...}}
  -h, --help            show this help

Exit status: 0 every file matched one owner without errors, 1 failures,
ambiguous matches or identity errors, 2 unreadable owners/folder or wrong usage.`;

function passwordFrom(io: CliIo, variable: string | undefined): Secret | undefined {
  if (variable === undefined) return undefined;
  const value = io.env[variable];
  if (value === undefined) throw new UsageError(`environment variable ${variable} (from --password-env) is not set`);
  return new Secret(value);
}

function refuseArgvPassword(values: { password?: unknown; pass?: unknown }): void {
  if (values.password !== undefined || values.pass !== undefined) {
    throw new UsageError('passphrases are not accepted on the command line (they end up in shell history and ps); use --password-env <VAR>');
  }
}

type InspectOutput =
  | ({ readonly file: string; readonly ok: true; readonly diagnostics: CertDiagnostic[] } & Omit<BundleInspection, 'fileName'>)
  | { readonly file: string; readonly ok: false; readonly error: { readonly code: CertErrorCode | 'unreadable'; readonly message: string } };

function certLines(c: CertificateInfo, leaf: boolean): string {
  const key = `${c.keyType}${c.keySize ? ` ${c.keySize}` : ''}${c.curve ? ` (${c.curve})` : ''}`;
  return [
    `  ${leaf ? '*' : '-'} ${c.subject}`,
    `      issuer    ${c.issuer}`,
    `      serial    ${c.serialNumber}`,
    `      valid     ${c.notBefore} to ${c.notAfter}`,
    `      key       ${key}`,
    `      usage     ${c.keyUsage?.join(', ') ?? '(any)'}; extended: ${c.extendedKeyUsage?.join(', ') ?? '(any)'}`,
    ...(c.emails.length > 0 ? [`      e-mail    ${c.emails.join(', ')}`] : []),
    ...(c.upns.length > 0 ? [`      UPN       ${c.upns.join(', ')}`] : []),
    `      SHA-256   ${c.fingerprintSha256}`,
  ].join('\n');
}

async function runInspect(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    { 'password-env': { type: 'string' }, json: { type: 'boolean' }, password: { type: 'string' }, pass: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    inspectHelp,
  );
  refuseArgvPassword(values);
  if (values.help) {
    io.stdout(`${inspectHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError(`expected at least one certificate file.\n\n${inspectHelp}`);
  const password = passwordFrom(io, values['password-env']);
  const outputs: InspectOutput[] = [];
  for (const file of positionals) {
    let bytes: Buffer;
    try {
      bytes = await readFile(resolve(io.cwd, file));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      outputs.push({ file, ok: false, error: { code: 'unreadable', message: code === 'ENOENT' ? `${file}: no such file` : `${file} cannot be read (${code ?? 'error'})` } });
      continue;
    }
    try {
      const bundle = readCertificateFile(bytes, { password, fileName: file });
      const { fileName: _drop, ...inspection } = inspectBundle(bundle);
      const diagnostics = bundle.leaf ? checkIdentity(bundle.privateKey ? bundle : bundle.leaf, undefined, []) : [];
      outputs.push({ file, ok: true, ...inspection, diagnostics });
    } catch (e) {
      if (!(e instanceof CertReadError)) throw e;
      outputs.push({ file, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  if (values.json) io.stdout(`${JSON.stringify(outputs, null, 2)}\n`);
  else {
    for (const o of outputs) {
      if (!o.ok) {
        io.stderr(`${o.file}: ${o.error.message}\n`);
        continue;
      }
      io.stdout(`${o.file} (${o.format}${o.hasPrivateKey ? `, private key ${o.keyMatchesCertificate ? 'matches' : 'DOES NOT MATCH'}` : ', no private key'})\n`);
      io.stdout(`${o.certificates.map((c, i) => certLines(c, i === o.leafIndex)).join('\n')}\n`);
      for (const d of o.diagnostics) io.stdout(`  ${d.severity} ${d.code}: ${d.message}\n`);
    }
  }
  if (outputs.some((o) => !o.ok)) return EXIT.usage;
  return outputs.some((o) => o.ok && o.diagnostics.some((d) => d.severity === 'error')) ? EXIT.diagnostics : EXIT.ok;
}

const ROLES: readonly IdentityRole[] = ['eas-client', 'smime-signing', 'smime-encryption'];

function fileLine(f: FileMatch): string {
  switch (f.kind) {
    case 'matched': {
      const issues = f.diagnostics.map((d) => `\n      ${d.severity} ${d.code}: ${d.message}`).join('');
      return `  matched    ${f.file} → ${f.email} (by ${f.by})${issues}`;
    }
    case 'ambiguous':
      return f.reason === 'several-owners'
        ? `  ambiguous  ${f.file}: fits owners ${f.ownerIds.join(', ')}`
        : `  ambiguous  ${f.file}: same owner (${f.ownerIds[0]}) as ${f.otherFiles.join(', ')}`;
    case 'unmatched':
      return `  unmatched  ${f.file}: no owner for ${[...f.certificate.emails, ...f.certificate.upns].join(', ') || f.certificate.subject}`;
    case 'failed':
      return `  failed     ${f.file}: ${f.message}`;
  }
}

function reportFailed(report: MatchReport): boolean {
  return report.files.some((f) => f.kind === 'failed' || f.kind === 'ambiguous' || (f.kind === 'matched' && f.diagnostics.some((d) => d.severity === 'error')));
}

async function runMatch(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      owners: { type: 'string' },
      dir: { type: 'string' },
      'password-env': { type: 'string' },
      role: { type: 'string', multiple: true },
      encoding: { type: 'string' },
      json: { type: 'boolean' },
      password: { type: 'string' },
      pass: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    matchHelp,
  );
  refuseArgvPassword(values);
  if (values.help) {
    io.stdout(`${matchHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".\n\n${matchHelp}`);
  if (values.owners === undefined || values.dir === undefined) throw new UsageError(`--owners and --dir are required.\n\n${matchHelp}`);
  const roles = (values.role ?? ['eas-client']).map((r) => {
    if (!ROLES.includes(r as IdentityRole)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, not "${r}"`);
    return r as IdentityRole;
  });
  const password = passwordFrom(io, values['password-env']);
  const dir = resolve(io.cwd, values.dir);
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new UsageError(`--dir ${values.dir} is not a readable folder`);
  }
  const encoding = encodingOption(values.encoding);
  const owners = await importOwnersFile(values.owners, io.cwd, encoding ? { encoding } : {});
  if (!owners.imported) {
    io.stderr(ownerDiagnosticLines(basename(values.owners), owners.diagnostics));
    io.stderr('no matching done: fix the owners file first\n');
    return EXIT.diagnostics;
  }
  const progress = startProgress(io, 'certificate files', undefined, { json: values.json === true });
  const report = await matchCertificateDir(owners.owners, dir, { password, role: roles, onFile: () => progress.tick() });
  progress.done();
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const c = report.counts;
    io.stdout(`${c.matched} matched, ${c.ambiguous} ambiguous, ${c.unmatched} unmatched, ${c.failed} failed; ${c.unmatchedOwners} owner${c.unmatchedOwners === 1 ? '' : 's'} without a file\n`);
    io.stdout(`${report.files.map(fileLine).join('\n')}\n`);
    if (report.unmatchedOwners.length > 0) io.stdout(`owners without a file:\n${report.unmatchedOwners.map((o) => `  ${o.email}`).join('\n')}\n`);
  }
  return reportFailed(report) ? EXIT.diagnostics : EXIT.ok;
}

/** `eas-profiles certs inspect`. */
export const certsInspectCommand: Command = { path: ['certs', 'inspect'], summary: 'Show what PKCS#12, PEM and DER certificate files hold', help: inspectHelp, run: runInspect };

/** `eas-profiles certs match`. */
export const certsMatchCommand: Command = { path: ['certs', 'match'], summary: 'Match a folder of certificate files to owners', help: matchHelp, run: runMatch };

/** The certificate commands, for the lead to register in the dispatcher. */
export const certsCommands: Command[] = [certsInspectCommand, certsMatchCommand];
