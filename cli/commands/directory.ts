import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Secret } from '../../core/certs/secret';
import { readOwners, type AttributeMap, type DirectoryDiagnostic, type DirectoryFailure, type ReadOwnersResult } from '../../core/directory';
import type { Owner } from '../../core/owners/owner';
import { parseCommandArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from '../command';
import { startProgress } from '../progress';

const help = `Usage: eas-profiles directory read --url <ldap url> --base <dn>
         [--preset ad|openldap] [--bind-dn <dn or upn> --password-env <VAR>]
         [--filter <ldap filter>] [--group <dn> ...] [--ca <pem file>] [--starttls]
         [--page-size N] [--map <field>=<attribute> ...] [--domain <NETBIOS>]
         [--timeout <seconds>] [--json]

Reads owners (people who get a mail profile) from Active Directory or OpenLDAP
with a paged search. All or nothing: if the search fails part way, no owners
are printed and the exit status is 1.

Options:
  --url <url>          ldaps://host[:636] or ldap://host[:389] (plain LDAP only
                       for development: a warning is printed; use --starttls)
  --base <dn>          where to search, e.g. OU=Staff,DC=corp,DC=example
  --preset <name>      ad (objectGUID, sAMAccountName, userAccountControl...) or
                       openldap (entryUUID, uid, pwdAccountLockedTime...);
                       default openldap
  --bind-dn <dn>       bind DN, or user@domain (UPN) on Active Directory
  --password-env <VAR> name of the environment variable holding the password
                       (never given on the command line)
  --filter <filter>    extra LDAP filter ANDed with the preset's user filter
  --group <dn>         only members of this group, nested groups included
                       (repeat for several groups)
  --ca <file>          PEM file of the CA that signed the server certificate
  --starttls           upgrade an ldap:// connection with StartTLS
  --page-size <n>      entries per page (default 500)
  --map <f>=<attr>     change one attribute mapping, e.g. --map email=userPrincipalName
                       (fields: id username email upn displayName firstName
                       lastName aliases memberOf certificate)
  --domain <name>      NetBIOS domain written into each owner (DOMAIN\\user)
  --timeout <seconds>  per-operation timeout (default 60)
  --json               print {"owners": [...], "diagnostics": [...]}
  -h, --help           show this help

Exit status: 0 owners read (warnings allowed), 1 the directory read failed or
reported errors, 2 wrong usage.`;

const FIELDS: readonly (keyof AttributeMap)[] = ['id', 'username', 'email', 'upn', 'displayName', 'firstName', 'lastName', 'aliases', 'memberOf', 'certificate'];

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`${name} must be a positive whole number, not "${raw}"`);
  return Number(raw);
}

function parseMappings(raw: readonly string[]): Partial<Record<keyof AttributeMap, string>> {
  const out: Partial<Record<keyof AttributeMap, string>> = {};
  for (const m of raw) {
    const eq = m.indexOf('=');
    const field = m.slice(0, eq) as keyof AttributeMap;
    if (eq < 1 || !FIELDS.includes(field)) throw new UsageError(`--map "${m}": expected <field>=<attribute> with field one of ${FIELDS.join(', ')}`);
    out[field] = m.slice(eq + 1);
  }
  return out;
}

/** A diagnostic as printed: a read's findings, or the failure that stopped it (whose code is a failure code). */
type OutputDiagnostic = Omit<DirectoryDiagnostic, 'code'> & { readonly code: DirectoryDiagnostic['code'] | DirectoryFailure['code'] };

function failureDiagnostic(f: DirectoryFailure): OutputDiagnostic {
  return { code: f.code, severity: 'error', path: f.phase, message: f.message };
}

function ownerLine(o: Owner): string {
  const flags = [o.disabled ? 'disabled' : '', o.identityRef ? 'certificate' : ''].filter(Boolean).join(',');
  return `  ${o.email}\t${o.username ?? '-'}\t${o.displayName ?? '-'}${flags ? `\t[${flags}]` : ''}\n`;
}

function diagnosticLines(ds: readonly OutputDiagnostic[]): string {
  return ds.map((d) => `  ${d.severity.padEnd(7)} ${d.code}  ${d.path || '-'}  ${d.message}\n`).join('');
}

async function readCa(file: string | undefined, cwd: string): Promise<string | undefined> {
  if (file === undefined) return undefined;
  let pem: string;
  try {
    pem = await readFile(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --ca ${file}: ${(e as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${file} holds no PEM certificate`);
  return pem;
}

async function runRead(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      url: { type: 'string' },
      base: { type: 'string' },
      preset: { type: 'string' },
      'bind-dn': { type: 'string' },
      'password-env': { type: 'string' },
      filter: { type: 'string' },
      group: { type: 'string', multiple: true },
      ca: { type: 'string' },
      starttls: { type: 'boolean' },
      'page-size': { type: 'string' },
      map: { type: 'string', multiple: true },
      domain: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      password: { type: 'string' },
    },
    help,
  );
  if (values.password !== undefined) throw new UsageError('passwords are not accepted on the command line (they end up in shell history and ps); use --password-env <VAR>');
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".\n\n${help}`);
  if (values.url === undefined || values.base === undefined) throw new UsageError(`--url and --base are required.\n\n${help}`);
  const preset = values.preset ?? 'openldap';
  if (preset !== 'ad' && preset !== 'openldap') throw new UsageError(`--preset must be ad or openldap, not "${preset}"`);
  const bindDn = values['bind-dn'];
  const passwordEnv = values['password-env'];
  if ((bindDn === undefined) !== (passwordEnv === undefined)) throw new UsageError('--bind-dn and --password-env go together');
  let password: Secret | undefined;
  if (passwordEnv !== undefined) {
    const value = io.env[passwordEnv];
    if (value === undefined || value === '') throw new UsageError(`environment variable ${passwordEnv} (from --password-env) is not set or empty`);
    password = new Secret(value);
  }
  const pageSize = positiveInt(values['page-size'], '--page-size', 500);
  const timeoutMs = positiveInt(values.timeout, '--timeout', 60) * 1000;
  const ca = await readCa(values.ca, io.cwd);
  const json = values.json === true;
  const progress = startProgress(io, 'directory entries', undefined, { json });
  let last = 0;
  const result: ReadOwnersResult = await readOwners({
    connection: { url: values.url, startTls: values.starttls === true, ca, bindDn, password, timeoutMs },
    baseDn: values.base,
    preset,
    overrides: { attributes: parseMappings(values.map ?? []) },
    filter: values.filter,
    groups: values.group ?? [],
    pageSize,
    domain: values.domain,
    onProgress: (n) => {
      progress.tick(n - last);
      last = n;
    },
  });
  progress.done();
  if (!result.ok) {
    // Options the core finds unusable (a URL, a filter) are usage errors, like the CLI's own checks.
    if (result.failure.code === 'bad-option' || result.failure.code === 'bad-filter') throw new UsageError(result.failure.message);
    const diagnostics: OutputDiagnostic[] = [...result.diagnostics, failureDiagnostic(result.failure)];
    if (json) io.stdout(`${JSON.stringify({ owners: [], diagnostics }, null, 2)}\n`);
    else io.stderr(`directory read failed: ${result.failure.message}\n${diagnosticLines(result.diagnostics)}`);
    return EXIT.diagnostics;
  }
  if (json) io.stdout(`${JSON.stringify({ owners: result.owners, diagnostics: result.diagnostics }, null, 2)}\n`);
  else {
    io.stdout(`${result.owners.length} owner${result.owners.length === 1 ? '' : 's'} from ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'} (${result.transport})\n`);
    io.stdout(result.owners.map(ownerLine).join(''));
    if (result.diagnostics.length > 0) io.stdout(`diagnostics:\n${diagnosticLines(result.diagnostics)}`);
  }
  return result.diagnostics.some((d) => d.severity === 'error') ? EXIT.diagnostics : EXIT.ok;
}

/** `eas-profiles directory read`. */
export const directoryReadCommand: Command = {
  path: ['directory', 'read'],
  summary: 'Read owners from Active Directory or OpenLDAP (paged, all or nothing)',
  help,
  run: runRead,
};

/** The directory commands, for the lead to register in the dispatcher. */
export const directoryCommands: Command[] = [directoryReadCommand];
