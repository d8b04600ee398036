import { createHash, type X509Certificate } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  CertReadError,
  Secret,
  certAddressKey,
  fileStem,
  identityOf,
  inspectCertificate,
  matchCertificates,
  ownerAddressKeys,
  ownerEmailKeys,
  readCertificateFile,
  readIdentityPair,
  type CertFile,
  Identity,
} from '../../core/certs';
import { validate, type Diagnostic } from '../../core/eas';
import { displayDomain, emailKey, importOwnersCsv, isValidEmail, type Owner } from '../../core/owners';
import {
  ProfileInputError,
  buildProfile,
  checkRecipient,
  createSigner,
  fingerprint,
  hasErrors,
  inspect,
  packageProfile,
  profileDiagnostic,
  type InspectReport,
  type OwnerIdentity,
  type PayloadTemplate,
  type ProfileDiagnostic,
  type ProfileOptions,
  type Signer,
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

const buildHelp = `Usage: eas-profiles build --payload <template.json> --owners <owners.csv> --out <dir>
         [--org <name>] [--account <name>] [--domain <NETBIOS>]
         [--sign-cert <cert.pem> --sign-key <key.pem> | --sign-p12 <file>] [--sign-password-env <VAR>]
         [--chain <pem>] [--ca-payload <pem>]
         [--identities <dir> --identities-password-env <VAR>] [--embed-identity-password]
         [--encrypt-to <dir>] [--encoding <name>] [--json]

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
  json: { type: 'boolean' },
} as const satisfies Options;

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

async function loadSigner(io: CliIo, { cert, key, p12, passwordEnv, chain }: SignerArgs): Promise<Signer | undefined> {
  if (p12 && (cert || key)) throw new UsageError('Give either --sign-p12 or --sign-cert with --sign-key, not both.');
  if (Boolean(cert) !== Boolean(key)) throw new UsageError('--sign-cert and --sign-key go together.');
  const password = passwordFromEnv(io, passwordEnv, '--sign-password-env');
  const extraChain = chain ? await loadCertificates(io, chain) : [];
  if (p12) {
    const bytes = await readInput(io.cwd, p12);
    return asUsage(() => createSigner(identityFile(bytes, p12, password), { extraChain }));
  }
  if (cert && key) {
    const [c, k] = await Promise.all([readInput(io.cwd, cert), readInput(io.cwd, key)]);
    return asUsage(() => createSigner(readIdentityPair({ bytes: c, fileName: cert }, { bytes: k, fileName: key }, password ? { password } : {}), { extraChain }));
  }
  return undefined;
}

/** Files of a folder with the given extensions: all of them, and by lower-cased name without extension. */
interface FolderIndex {
  readonly all: readonly string[];
  readonly byStem: ReadonlyMap<string, readonly string[]>;
  /** Links with a wanted extension that lead nowhere. */
  readonly unreadable: readonly string[];
}

async function indexFolder(cwd: string, dir: string, extensions: readonly string[]): Promise<FolderIndex> {
  let entries: Dirent[];
  try {
    entries = await readdir(resolve(cwd, dir), { withFileTypes: true });
  } catch {
    throw new UsageError(`${dir} is not a readable folder.`);
  }
  // Regular files, directly or through a link; a folder called "old.pem" or a pipe is no identity (and a pipe would
  // never end a read). A link that leads nowhere is reported.
  const all: string[] = [];
  const unreadable: string[] = [];
  for (const e of entries) {
    if (!extensions.includes(extname(e.name).toLowerCase())) continue;
    const path = join(dir, e.name);
    if (e.isFile()) all.push(path);
    else if (e.isSymbolicLink()) {
      try {
        if ((await stat(resolve(cwd, path))).isFile()) all.push(path);
      } catch (err) {
        unreadable.push(`${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
  }
  all.sort();
  const byStem = new Map<string, string[]>();
  for (const f of all) {
    // NFC: macOS writes decomposed file names, owners' addresses come composed.
    const stem = basename(f, extname(f)).normalize('NFC').toLowerCase();
    byStem.set(stem, [...(byStem.get(stem) ?? []), f]);
  }
  return { all, byStem, unreadable };
}

/** The files named for an owner: the one in its identity column, else `<e-mail>.p12/.pfx/.pem` (as written or in punycode). */
function namedIdentityFiles(owner: Owner, files: FolderIndex): readonly string[] {
  const ref = owner.identityRef?.normalize('NFC').toLowerCase();
  if (ref) return files.all.filter((f) => basename(f).normalize('NFC').toLowerCase() === ref || basename(f, extname(f)).normalize('NFC').toLowerCase() === ref);
  const key = emailKey(owner.email);
  const unicodeDomain = displayDomain(owner.email);
  const forms = new Set([owner.email.normalize('NFC').toLowerCase(), key, ...(unicodeDomain ? [`${key.slice(0, key.lastIndexOf('@'))}@${unicodeDomain}`.normalize('NFC')] : [])]);
  return [...new Set([...forms].flatMap((form) => files.byStem.get(form) ?? []))];
}

/** Every owner by the keys of their addresses as certificates carry them, and by the names people give their files. */
interface OwnerAddresses {
  readonly byEmail: ReadonlyMap<string, readonly Owner[]>;
  readonly byUpn: ReadonlyMap<string, readonly Owner[]>;
  readonly byFileName: ReadonlyMap<string, readonly Owner[]>;
}

/** Names people give an owner's file: the address, its local part, the user name, the UPN or its local part. */
function fileNamesOf(owner: Owner): string[] {
  const local = (a: string): string => a.slice(0, a.lastIndexOf('@'));
  return [owner.email, local(owner.email), owner.username, owner.upn, owner.upn ? local(owner.upn) : undefined]
    .filter((x): x is string => Boolean(x))
    .map((x) => x.normalize('NFC').toLowerCase());
}

function indexOwners(owners: readonly Owner[]): OwnerAddresses {
  const byEmail = new Map<string, Owner[]>();
  const byUpn = new Map<string, Owner[]>();
  const byFileName = new Map<string, Owner[]>();
  const add = (map: Map<string, Owner[]>, key: string, owner: Owner): void => {
    const list = map.get(key) ?? [];
    if (!list.includes(owner)) map.set(key, [...list, owner]);
  };
  // Disabled owners too: a certificate naming any of them is theirs, whatever the file is called.
  for (const owner of owners) {
    for (const key of ownerEmailKeys(owner)) add(byEmail, key, owner);
    if (owner.upn) for (const key of ownerAddressKeys({ email: owner.upn })) add(byUpn, key, owner);
    for (const name of fileNamesOf(owner)) add(byFileName, name, owner);
  }
  return { byEmail, byUpn, byFileName };
}

/** The owners an address belongs to: the owner whose e-mail it is, else those whose UPN it is. */
function ownersOf(address: string, index: OwnerAddresses): readonly Owner[] {
  const key = certAddressKey(address);
  return index.byEmail.get(key) ?? index.byUpn.get(key) ?? [];
}

/** The owners a certificate's addresses belong to. */
function ownersNamed(addresses: readonly string[], index: OwnerAddresses): Owner[] {
  return [...new Set(addresses.flatMap((a) => ownersOf(a, index)))];
}

const isControlOrDirection = (cp: number): boolean =>
  cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);

/**
 * An address as a message shows it: one with characters outside printable ASCII also written with escapes, so that a
 * look-alike (a Kelvin sign, a Cyrillic "а", a direction mark) cannot read like the owner's own address.
 */
function shown(address: string): string {
  if (/^[\x20-\x7e]*$/.test(address)) return address;
  const escaped = [...address].map((c) => (/^[\x20-\x7e]$/.test(c) ? c : `\\u{${c.codePointAt(0)?.toString(16).toUpperCase()}}`)).join('');
  // Controls and direction marks would break or reorder the message line itself: the first copy shows them as �.
  const visible = [...address].map((c) => (isControlOrDirection(c.codePointAt(0) ?? 0) ? '\ufffd' : c)).join('');
  return `${visible} (${escaped})`;
}

/** The addresses a certificate names for matching (as `certs match` reads them): subject alternative name e-mails and UPNs, the subject's e-mail. */
const matchingAddresses = (info: { readonly emails: readonly string[]; readonly upns: readonly string[] }): string[] => [...new Set([...info.emails, ...info.upns])];

/** Those, and a CN that is an address: enough to refuse a certificate as someone else's, never to give it to anyone. */
function allAddresses(info: { readonly emails: readonly string[]; readonly upns: readonly string[]; readonly commonName?: string }): string[] {
  const cn = info.commonName?.trim();
  return [...new Set([...matchingAddresses(info), ...(cn && isValidEmail(cn) ? [cn] : [])])];
}

/** What the certificates of the folder say about the owners with no named file: their files, and why others gave them none. */
interface MatchedIdentities {
  /** By owner id: each file whose certificate names the owner, with the certificate's fingerprint. */
  readonly files: ReadonlyMap<string, ReadonlyArray<{ readonly file: string; readonly fingerprint: string }>>;
  /** By owner id: files that look like the owner's by their name but were not used, with the reason. */
  readonly notes: ReadonlyMap<string, readonly string[]>;
  /** Files of the folder that could not be read at all (wrong passphrase, no key, damaged, a link to nowhere). */
  readonly failures: readonly string[];
}

/**
 * For owners with no identity column and no file named after their e-mail: the files whose certificate names them
 * (e-mail or UPN), and no other owner. A file is never given to an owner by its name alone: `certs match` reports such
 * a match as an owner-mismatch error, and a wrong guess would put someone else's private key on the owner's phone.
 * Such files, and certificates naming several owners, are reported to the owners they look like. Only files no owner
 * is named for are opened; each is read and inspected once, by core's matcher.
 */
async function identitiesByCertificate(io: CliIo, owners: readonly Owner[], index: OwnerAddresses, files: FolderIndex, password: Secret | undefined): Promise<MatchedIdentities> {
  const claimed = new Set<string>();
  const open = new Set<string>();
  for (const owner of owners) {
    const named = namedIdentityFiles(owner, files);
    for (const f of named) claimed.add(f);
    if (named.length === 0 && !owner.identityRef) open.add(owner.id);
  }
  const found = new Map<string, Array<{ file: string; fingerprint: string }>>();
  const notes = new Map<string, string[]>();
  const failures: string[] = [...files.unreadable];
  const rest = files.all.filter((f) => !claimed.has(f));
  if (rest.length === 0) return { files: found, notes, failures };
  const note = (ownerId: string, text: string): void => {
    if (open.has(ownerId)) notes.set(ownerId, [...(notes.get(ownerId) ?? []), text]);
  };
  async function* certFiles(): AsyncGenerator<CertFile> {
    for (const name of rest) {
      try {
        yield { name, bytes: await readFile(resolve(io.cwd, name)) };
      } catch (e) {
        failures.push(`${name} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
  }
  const report = await matchCertificates(owners, certFiles(), password ? { password } : {});
  for (const r of report.files) {
    if (r.kind === 'failed') {
      failures.push(r.message);
      continue;
    }
    const named = ownersNamed(matchingAddresses(r.certificate), index);
    const lookalikes = (index.byFileName.get(fileStem(r.file).normalize('NFC')) ?? []).filter((o) => !named.includes(o));
    if (named.length === 1) {
      if (open.has(named[0].id)) found.set(named[0].id, [...(found.get(named[0].id) ?? []), { file: r.file, fingerprint: r.certificate.fingerprintSha256 }]);
      for (const o of lookalikes) note(o.id, `${r.file} holds the certificate of ${named[0].email}`);
    } else if (named.length > 1) {
      for (const o of [...named, ...lookalikes]) note(o.id, `${r.file} names several owners (${named.map((n) => n.email).join(', ')})`);
    } else {
      const addresses = allAddresses(r.certificate);
      const says = addresses.length > 0 ? `names ${addresses.map(shown).join(', ')}` : 'names no e-mail address or UPN';
      for (const o of lookalikes) note(o.id, `${r.file} has the owner's name but its certificate ${says}; put the file in the owner's identity column if it is theirs`);
    }
  }
  return { files: found, notes, failures };
}

/**
 * Why a file named after `owner`'s e-mail is not theirs, or undefined when it may be: its certificate names another
 * owner (by an address that is not this owner's e-mail), or only addresses that are not the owner's. A certificate
 * that names no one is taken on the strength of the file name.
 */
function namedFileRefusal(file: string, identity: Identity, owner: Owner, index: OwnerAddresses): string | undefined {
  const addresses = allAddresses(inspectCertificate(identity.certificate));
  if (addresses.length === 0) return undefined;
  const ownEmail = ownerEmailKeys(owner);
  const own = ownerAddressKeys(owner);
  const others = [...new Set(addresses.filter((a) => !ownEmail.has(certAddressKey(a))).flatMap((a) => ownersOf(a, index)))].filter((o) => o !== owner);
  if (others.length === 0 && addresses.some((a) => own.has(certAddressKey(a)))) return undefined;
  const whose = others.length > 0 ? `, which is ${others.map((o) => o.email).join(', ')}'s` : '';
  return `${file} is named for ${owner.email} but its certificate names ${addresses.map(shown).join(', ')}${whose}; put the file in the owner's identity column if it is theirs.`;
}

const preferPkcs12 = (files: readonly string[]): string | undefined => files.find((f) => /\.(p12|pfx)$/i.test(f)) ?? files[0];

async function ownerIdentity(
  io: CliIo,
  owner: Owner,
  files: FolderIndex,
  index: OwnerAddresses,
  matched: MatchedIdentities,
  password: Secret | undefined,
  includePassword: boolean,
): Promise<{ ok: true; identity: OwnerIdentity } | { ok: false; diagnostic: ProfileDiagnostic }> {
  const missing = (message: string): { ok: false; diagnostic: ProfileDiagnostic } => ({ ok: false, diagnostic: profileDiagnostic('identity-missing', 'identity', message, owner.email) });
  const unreadable = (message: string): { ok: false; diagnostic: ProfileDiagnostic } => ({ ok: false, diagnostic: profileDiagnostic('identity-unreadable', 'identity', message, owner.email) });
  const read = async (file: string): Promise<Identity | { message: string; keyless: boolean }> => {
    try {
      return identityFile(await readFile(resolve(io.cwd, file)), file, password);
    } catch (e) {
      const message = e instanceof ProfileInputError || e instanceof CertReadError ? e.message : `${file} cannot be read.`;
      return { message, keyless: e instanceof CertReadError && e.code === 'no-private-key' };
    }
  };
  const named = namedIdentityFiles(owner, files);
  if (named.length > 0) {
    // Every file named for the owner is read: two identities among them (Bob@ and bob@, a .p12 and a .pem with its
    // key) must be one. A file with certificates but no key (the certificate alone, the CA chain) beside one that has
    // an identity is left aside; any other file that cannot be read (wrong passphrase, damaged) stops the owner, since
    // it may hold a different certificate.
    const identities: Array<{ file: string; identity: Identity }> = [];
    const keyless: string[] = [];
    for (const file of [preferPkcs12(named) as string, ...named.filter((f) => f !== preferPkcs12(named))]) {
      const identity = await read(file);
      if (identity instanceof Identity) identities.push({ file, identity });
      else if (identity.keyless) keyless.push(identity.message);
      else return unreadable(identity.message);
    }
    if (identities.length === 0) return unreadable(keyless[0]);
    if (!owner.identityRef) {
      for (const { file, identity } of identities) {
        const refusal = namedFileRefusal(file, identity, owner, index);
        if (refusal) return missing(refusal);
      }
    }
    if (new Set(identities.map((x) => fingerprint(x.identity.certificate))).size > 1) {
      return missing(`Several files named for ${owner.email} hold different certificates (${identities.map((x) => x.file).join(', ')}); keep one, or name one in the owner's identity column.`);
    }
    return { ok: true, identity: { identity: identities[0].identity, passphrase: password ?? new Secret(''), includePassword } };
  }
  if (owner.identityRef) return missing(`No identity file for ${owner.email} (looked for ${owner.identityRef}).`);

  const byCertificate = matched.files.get(owner.id) ?? [];
  if (new Set(byCertificate.map((m) => m.fingerprint)).size > 1) {
    return missing(`Several identity files fit ${owner.email} (${byCertificate.map((m) => m.file).join(', ')}); name one in the owner's identity column.`);
  }
  // The same certificate in several files (a .p12 and a .pem of it) is one identity.
  const file = preferPkcs12(byCertificate.map((m) => m.file));
  if (!file) {
    const why = [...(matched.notes.get(owner.id) ?? [])];
    const failed = matched.failures.length;
    if (failed > 0) why.push(`${failed} ${failed === 1 ? 'file' : 'files'} of the folder could not be read (${matched.failures[0]}${failed > 1 ? ', …' : ''})`);
    return missing(`No identity file for ${owner.email} (looked for ${owner.email}.p12/.pfx/.pem, or a certificate naming ${owner.email})${why.length > 0 ? `; ${why.join('; ')}` : ''}.`);
  }
  const identity = await read(file);
  if (!(identity instanceof Identity)) return unreadable(identity.message);
  return { ok: true, identity: { identity, passphrase: password ?? new Secret(''), includePassword } };
}

function deviceNames(owner: Owner): string[] {
  return [owner.email, ...(owner.devices ?? []).flatMap((d) => [d.serialNumber, d.udid])].filter((x): x is string => Boolean(x)).map((x) => x.toLowerCase());
}

async function deviceCertificate(io: CliIo, owner: Owner, files: FolderIndex): Promise<{ ok: true; cert: X509Certificate } | { ok: false; diagnostic: ProfileDiagnostic }> {
  const names = deviceNames(owner);
  const file = names.map((n) => files.byStem.get(n)?.[0]).find((f) => f !== undefined);
  if (!file) {
    return {
      ok: false,
      diagnostic: profileDiagnostic('no-device-certificate', 'encrypt-to', `No device certificate for ${owner.email} (looked for ${names.join(', ')} with .pem/.cer/.crt/.der); no unencrypted profile is made.`, owner.email),
    };
  }
  try {
    const cert = certificatesOf(await readFile(resolve(io.cwd, file)), file)[0];
    checkRecipient(cert, file);
    return { ok: true, cert };
  } catch (e) {
    const message = e instanceof ProfileInputError || e instanceof CertReadError ? e.message : `${file} cannot be read.`;
    return { ok: false, diagnostic: profileDiagnostic('device-certificate-unusable', 'encrypt-to', message, owner.email) };
  }
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

const fileNameFor = (email: string): string => `${email.toLowerCase().replace(/[^a-z0-9@._+-]+/g, '_')}.mobileconfig`;

async function runBuild(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values: v, positionals } = parse(args, buildOptions, buildHelp);
  if (v.help) {
    io.stdout(`${buildHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`build takes no positional arguments (got ${positionals[0]}).\n\n${buildHelp}`);
  for (const required of ['payload', 'owners', 'out'] as const) if (!v[required]) throw new UsageError(`--${required} is required.\n\n${buildHelp}`);
  if (v.identities && !v['identities-password-env']) throw new UsageError('--identities needs --identities-password-env: the identities are re-encoded with that passphrase.');

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
  const identityFiles = v.identities ? await indexFolder(io.cwd, v.identities, ['.p12', '.pfx', '.pem']) : undefined;
  const ownerIndex = indexOwners(owners);
  const identityMatches: MatchedIdentities = identityFiles
    ? await identitiesByCertificate(io, owners, ownerIndex, identityFiles, identityPassword)
    : { files: new Map(), notes: new Map(), failures: [] };
  const deviceFiles = v['encrypt-to'] ? await indexFolder(io.cwd, v['encrypt-to'], ['.pem', '.cer', '.crt', '.der']) : undefined;

  const outDir = resolve(io.cwd, v.out as string);
  await mkdir(outDir, { recursive: true });
  const options: ProfileOptions = {
    ...(v.org ? { organization: v.org } : {}),
    ...(v.account ? { account: v.account } : {}),
    ...(v.domain ? { domain: v.domain } : {}),
    caCertificates: cas,
    encrypted: Boolean(deviceFiles),
  };

  const entries: ManifestEntry[] = [];
  const progress = startProgress(io, 'Building profiles', owners.length, { json: Boolean(v.json) });
  for (const owner of owners) {
    const problems: ProfileDiagnostic[] = [];
    let identity: OwnerIdentity | undefined;
    if (identityFiles) {
      const r = await ownerIdentity(io, owner, identityFiles, ownerIndex, identityMatches, identityPassword, Boolean(v['embed-identity-password']));
      if (r.ok) identity = r.identity;
      else problems.push(r.diagnostic);
    }
    let device: X509Certificate | undefined;
    if (deviceFiles) {
      const r = await deviceCertificate(io, owner, deviceFiles);
      if (r.ok) device = r.cert;
      else problems.push(r.diagnostic);
    }
    const built = buildProfile(template, owner, options, identity);
    const diagnostics = [...problems, ...built.diagnostics];
    if (!built.ok || hasErrors(problems)) {
      entries.push({ owner: owner.email, built: false, diagnostics });
      progress.tick();
      continue;
    }
    const bytes = packageProfile(built, { ...(signer ? { signer } : {}), ...(device ? { encryptTo: device } : {}) });
    const file = fileNameFor(owner.email);
    await writeFile(join(outDir, file), bytes);
    entries.push({
      owner: owner.email,
      file,
      profileIdentifier: built.ids.profileIdentifier,
      profileUuid: built.ids.profileUuid,
      easIdentifier: built.ids.easIdentifier,
      easUuid: built.ids.easUuid,
      ...(identity ? { identityUuid: built.ids.identityUuid } : {}),
      contentHash: built.contentHash,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      built: true,
      diagnostics,
    });
    progress.tick();
  }
  progress.done();

  const builtCount = entries.filter((e) => e.built).length;
  const failed = entries.filter((e) => !e.built);
  const rejectedRows = new Set(ownerProblems.map((d) => d.line)).size;
  const manifest = {
    version: 1,
    template: basename(payloadFile),
    organization: v.org ?? '',
    account: v.account ?? 'exchange',
    signed: signer ? { subject: signer.certificate.subject.replace(/\n/g, ', '), sha256: fingerprint(signer.certificate), notAfter: new Date(signer.certificate.validTo).toISOString() } : false,
    encrypted: Boolean(deviceFiles),
    built: builtCount,
    failed: failed.length + rejectedRows,
    owners: { file: basename(ownersFile), mapping: csv.mapping, rows: csv.rows, diagnostics: csv.diagnostics },
    // Files of the identities folder that could not be read are listed even when every owner got an identity: one of
    // them may be an owner's renewed certificate under another passphrase.
    ...(v.identities ? { identities: { folder: v.identities, unreadable: identityMatches.failures } } : {}),
    profiles: entries,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(join(outDir, 'manifest.json'), manifestText);
  if (v.json) {
    io.stdout(manifestText);
  } else {
    const notBuilt = failed.length + rejectedRows;
    io.stdout(`${builtCount} profile${builtCount === 1 ? '' : 's'} written to ${v.out}${signer ? ' (signed)' : ''}${deviceFiles ? ' (encrypted)' : ''}; ${notBuilt} owner${notBuilt === 1 ? '' : 's'} failed.\n`);
    for (const d of csv.diagnostics) io.stdout(`${ownersFile}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`);
    for (const f of identityMatches.failures) io.stdout(`${v.identities}: warning: ${f}\n`);
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
