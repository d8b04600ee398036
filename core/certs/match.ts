import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Owner } from '../owners/owner';
import { checkIdentity, type CertDiagnostic, type IdentityRole } from './check';
import { CertReadError, type CertErrorCode } from './errors';
import { CertificateBundle } from './identity';
import { inspectCertificate } from './inspect';
import { OwnersByAddress, ownerFileNames } from './owner-addresses';
import { readCertificateFile, identityOf } from './read';
import type { Secret } from './secret';

/** One certificate file (or a PEM certificate with its separate key file). */
export interface CertFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The separate key of a PEM/DER pair. */
  readonly key?: { readonly name: string; readonly bytes: Uint8Array };
}

/** Short description of the certificate a file holds. */
export interface CertSummary {
  readonly subject: string;
  /** The subject's CN, when it has one. */
  readonly commonName?: string;
  readonly emails: readonly string[];
  readonly upns: readonly string[];
  readonly notAfter: string;
  readonly fingerprintSha256: string;
}

/** The outcome for one file. */
export type FileMatch =
  | {
      readonly kind: 'matched';
      readonly file: string;
      readonly ownerId: string;
      readonly email: string;
      readonly by: 'certificate' | 'file-name';
      readonly certificate: CertSummary;
      /** Checks of the identity for its owner and role (expiry, usages, e-mail). */
      readonly diagnostics: readonly CertDiagnostic[];
    }
  | {
      readonly kind: 'ambiguous';
      readonly file: string;
      /** `several-owners`: the file fits more than one owner; `several-files`: the owner has more than one file. */
      readonly reason: 'several-owners' | 'several-files';
      readonly ownerIds: readonly string[];
      readonly otherFiles: readonly string[];
      readonly certificate: CertSummary;
    }
  | { readonly kind: 'unmatched'; readonly file: string; readonly certificate: CertSummary }
  | { readonly kind: 'failed'; readonly file: string; readonly code: CertErrorCode; readonly message: string };

/** Matching of a set of files to owners, per file, plus the owners left without a file. */
export interface MatchReport {
  readonly files: readonly FileMatch[];
  readonly unmatchedOwners: ReadonlyArray<{ readonly id: string; readonly email: string }>;
  readonly counts: { readonly matched: number; readonly ambiguous: number; readonly unmatched: number; readonly failed: number; readonly unmatchedOwners: number };
}

export interface MatchOptions {
  readonly password?: string | Secret;
  /** Role the identities are checked for; default eas-client. */
  readonly role?: IdentityRole | readonly IdentityRole[];
  readonly now?: Date;
  /** Called after each file, for progress. */
  readonly onFile?: (done: number) => void;
}

/** Matches certificate files to owners by the e-mail/UPN in the certificate, then by file name. */
export async function matchCertificates(owners: readonly Owner[], files: Iterable<CertFile> | AsyncIterable<CertFile>, options: MatchOptions = {}): Promise<MatchReport> {
  const enabled = owners.filter((o) => !o.disabled);
  const byAddress = new OwnersByAddress(enabled);
  const byName = new Map<string, Set<Owner>>();
  for (const owner of enabled) {
    for (const name of ownerFileNames(owner)) byName.set(name, (byName.get(name) ?? new Set<Owner>()).add(owner));
  }

  const results: FileMatch[] = [];
  let done = 0;
  for await (const file of files) {
    results.push(matchOne(file, byAddress, byName, options));
    options.onFile?.(++done);
  }

  // An owner reached by several files is ambiguous for all of them: which identity to use is a person's call.
  const filesByOwner = new Map<string, number[]>();
  results.forEach((r, i) => {
    if (r.kind === 'matched') filesByOwner.set(r.ownerId, [...(filesByOwner.get(r.ownerId) ?? []), i]);
  });
  for (const [ownerId, indexes] of filesByOwner) {
    if (indexes.length < 2) continue;
    for (const i of indexes) {
      const r = results[i] as Extract<FileMatch, { kind: 'matched' }>;
      results[i] = {
        kind: 'ambiguous', file: r.file, reason: 'several-files', ownerIds: [ownerId],
        otherFiles: indexes.filter((j) => j !== i).map((j) => results[j].file), certificate: r.certificate,
      };
    }
  }

  const reached = new Set(results.flatMap((r) => (r.kind === 'matched' ? [r.ownerId] : r.kind === 'ambiguous' ? r.ownerIds : [])));
  const unmatchedOwners = owners.filter((o) => !o.disabled && !reached.has(o.id)).map((o) => ({ id: o.id, email: o.email }));
  const count = (kind: FileMatch['kind']): number => results.filter((r) => r.kind === kind).length;
  return {
    files: results,
    unmatchedOwners,
    counts: { matched: count('matched'), ambiguous: count('ambiguous'), unmatched: count('unmatched'), failed: count('failed'), unmatchedOwners: unmatchedOwners.length },
  };
}

function matchOne(file: CertFile, byAddress: OwnersByAddress, byName: Map<string, Set<Owner>>, options: MatchOptions): FileMatch {
  let bundle: CertificateBundle;
  try {
    bundle = readCertificateFile(file.bytes, { password: options.password, fileName: file.name });
    if (file.key) {
      const key = readCertificateFile(file.key.bytes, { password: options.password, fileName: file.key.name });
      bundle = new CertificateBundle([...bundle.certificates, ...key.certificates], key.privateKey, bundle.format, file.name);
    }
    // A file to match must be a usable identity: a certificate with its own key.
    identityOf(bundle);
  } catch (e) {
    if (e instanceof CertReadError) return { kind: 'failed', file: file.name, code: e.code, message: e.message };
    return { kind: 'failed', file: file.name, code: 'corrupt', message: `${file.name} cannot be read` };
  }
  const leaf = bundle.leaf as NonNullable<CertificateBundle['leaf']>;
  const info = inspectCertificate(leaf);
  const certificate: CertSummary = {
    subject: info.subject, ...(info.commonName ? { commonName: info.commonName } : {}), emails: info.emails, upns: info.upns, notAfter: info.notAfter,
    fingerprintSha256: info.fingerprintSha256,
  };
  let candidates = byAddress.ownersNamed([...info.emails, ...info.upns]);
  let by: 'certificate' | 'file-name' = 'certificate';
  if (candidates.length === 0) {
    by = 'file-name';
    candidates = [...(byName.get(fileStem(file.name)) ?? [])];
  }
  if (candidates.length === 0) return { kind: 'unmatched', file: file.name, certificate };
  if (candidates.length > 1) {
    return { kind: 'ambiguous', file: file.name, reason: 'several-owners', ownerIds: candidates.map((o) => o.id), otherFiles: [], certificate };
  }
  const owner = candidates[0];
  return {
    kind: 'matched', file: file.name, ownerId: owner.id, email: owner.email, by, certificate,
    diagnostics: checkIdentity(bundle, owner, options.role ?? 'eas-client', { now: options.now }),
  };
}

/** The part of a file name that names its owner: "Alice.Smith@corp.com.p12" → "alice.smith@corp.com". */
export function fileStem(name: string): string {
  return basename(name, extname(name)).trim().normalize('NFC').toLowerCase();
}

const IDENTITY_EXT = new Set(['.p12', '.pfx']);
const CERT_EXT = new Set(['.pem', '.crt', '.cer', '.der']);
const KEY_EXT = new Set(['.key']);

/** Lists the certificate files of a folder: .p12/.pfx alone, and PEM/DER certificates with a .key of the same name. */
export async function* certFilesInDir(dir: string): AsyncGenerator<CertFile> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name).sort();
  const keys = new Map(names.filter((n) => KEY_EXT.has(extname(n).toLowerCase())).map((n) => [basename(n, extname(n)).toLowerCase(), n]));
  for (const name of names) {
    const ext = extname(name).toLowerCase();
    if (IDENTITY_EXT.has(ext)) {
      yield { name, bytes: await readFile(join(dir, name)) };
    } else if (CERT_EXT.has(ext)) {
      const keyName = keys.get(basename(name, extname(name)).toLowerCase());
      const bytes = await readFile(join(dir, name));
      yield keyName ? { name, bytes, key: { name: keyName, bytes: await readFile(join(dir, keyName)) } } : { name, bytes };
    }
  }
}

/** Matches every certificate file of a folder to owners. */
export function matchCertificateDir(owners: readonly Owner[], dir: string, options: MatchOptions = {}): Promise<MatchReport> {
  return matchCertificates(owners, certFilesInDir(dir), options);
}
