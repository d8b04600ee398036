// Owners' identities from a folder of files, for building many profiles at once (the CLI's build --identities). Which
// file is whose is decided from the certificates, never from a file name alone: a wrong guess would put someone
// else's private key on an owner's phone.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  CertReadError,
  Identity,
  OwnersByAddress,
  Secret,
  addressKeys,
  certAddressKey,
  fileStem,
  identityOf,
  inspectCertificate,
  matchCertificates,
  ownerAddressKeys,
  ownerFileNames,
  readCertificateFile,
  type CertFile,
} from '../certs';
import { addressForms, isValidEmail } from '../owners/email';
import type { Owner } from '../owners/owner';
import type { OwnerIdentity } from './assemble';
import { profileDiagnostic, type ProfileDiagnostic } from './codes';
import { ProfileInputError } from './errors';
import { indexFolder, type FolderIndex, type FolderLookup } from './folder-index';
import { fingerprint } from './signer';

/** The files named for an owner: the one in its identity column, else `<e-mail>.p12/.pfx/.pem` (in any of its forms). */
function namedIdentityFiles(owner: Owner, files: FolderIndex): readonly string[] {
  const ref = owner.identityRef?.normalize('NFC').toLowerCase();
  if (ref) return files.all.filter((f) => basename(f).normalize('NFC').toLowerCase() === ref || fileStem(f) === ref);
  const forms = addressForms(owner.email).map((form) => form.normalize('NFC').toLowerCase());
  return [...new Set(forms.flatMap((form) => files.byStem.get(form) ?? []))];
}

/** Every owner by the addresses certificates name them with, and by the names people give their files. */
interface OwnerAddresses {
  readonly byAddress: OwnersByAddress;
  readonly byFileName: ReadonlyMap<string, readonly Owner[]>;
}

function indexOwners(owners: readonly Owner[]): OwnerAddresses {
  const byFileName = new Map<string, Owner[]>();
  // Disabled owners too: a certificate naming any of them is theirs, whatever the file is called.
  for (const owner of owners) for (const name of ownerFileNames(owner)) byFileName.set(name, [...(byFileName.get(name) ?? []), owner]);
  return { byAddress: new OwnersByAddress(owners), byFileName };
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
async function identitiesByCertificate(cwd: string, owners: readonly Owner[], index: OwnerAddresses, files: FolderIndex, password: Secret | undefined): Promise<MatchedIdentities> {
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
        yield { name, bytes: await readFile(resolve(cwd, name)) };
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
    const named = index.byAddress.ownersNamed(matchingAddresses(r.certificate));
    const lookalikes = (index.byFileName.get(fileStem(r.file)) ?? []).filter((o) => !named.includes(o));
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
  const ownEmail = new Set(addressKeys(owner.email));
  const own = ownerAddressKeys(owner);
  const others = index.byAddress.ownersNamed(addresses.filter((a) => !ownEmail.has(certAddressKey(a)))).filter((o) => o !== owner);
  if (others.length === 0 && addresses.some((a) => own.has(certAddressKey(a)))) return undefined;
  const whose = others.length > 0 ? `, which is ${others.map((o) => o.email).join(', ')}'s` : '';
  return `${file} is named for ${owner.email} but its certificate names ${addresses.map(shown).join(', ')}${whose}; put the file in the owner's identity column if it is theirs.`;
}

const preferPkcs12 = (files: readonly string[]): string | undefined => files.find((f) => /\.(p12|pfx)$/i.test(f)) ?? files[0];

async function ownerIdentity(
  cwd: string,
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
      return identityOf(readCertificateFile(await readFile(resolve(cwd, file)), { fileName: file, ...(password ? { password } : {}) }));
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

/**
 * A folder of owners' identities (PKCS#12, or PEM with the key), prepared for a set of owners. An owner's identity is
 * the file in their identity column (trusted as written); else the files named `<e-mail>.p12/.pfx/.pem`, refused when
 * their certificate names someone else; else the file whose certificate names the owner, and no other owner.
 */
export class IdentityFolder {
  private constructor(
    private readonly cwd: string,
    private readonly files: FolderIndex,
    private readonly owners: OwnerAddresses,
    private readonly matched: MatchedIdentities,
    private readonly password: Secret | undefined,
  ) {}

  /** Lists the folder (`dir`, relative to `cwd`, as messages name it) and reads the files no owner is named for. */
  static async open(dir: string, owners: readonly Owner[], options: { readonly password?: Secret; readonly cwd?: string } = {}): Promise<IdentityFolder> {
    const cwd = options.cwd ?? process.cwd();
    const files = await indexFolder(cwd, dir, ['.p12', '.pfx', '.pem']);
    const index = indexOwners(owners);
    const matched = await identitiesByCertificate(cwd, owners, index, files, options.password);
    return new IdentityFolder(cwd, files, index, matched, options.password);
  }

  /** Files of the folder that could not be read at all; worth a warning even when every owner got an identity. */
  get unreadable(): readonly string[] {
    return this.matched.failures;
  }

  /** The owner's identity, or an identity-missing / identity-unreadable diagnostic saying why there is none. */
  async identityFor(owner: Owner, includePassword = false): Promise<FolderLookup<OwnerIdentity>> {
    const r = await ownerIdentity(this.cwd, owner, this.files, this.owners, this.matched, this.password, includePassword);
    return r.ok ? { ok: true, value: r.identity } : r;
  }
}

