// Listing a folder of certificate files once, for looking files up by owner name.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileStem } from '../certs';
import type { ProfileDiagnostic } from './codes';
import { ProfileInputError } from './errors';

/** The outcome of looking for one owner's identity or device certificate. */
export type FolderLookup<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: ProfileDiagnostic };

/** Files of a folder with the given extensions: all of them, and by lower-cased name without extension. */
export interface FolderIndex {
  readonly all: readonly string[];
  readonly byStem: ReadonlyMap<string, readonly string[]>;
  /** Links with a wanted extension that lead nowhere. */
  readonly unreadable: readonly string[];
}

/** Lists the files of `dir` (relative to `cwd`, as messages name it) with one of the extensions. */
export async function indexFolder(cwd: string, dir: string, extensions: readonly string[]): Promise<FolderIndex> {
  let entries: Dirent[];
  try {
    entries = await readdir(resolve(cwd, dir), { withFileTypes: true });
  } catch {
    throw new ProfileInputError(`${dir} is not a readable folder.`, dir);
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
    // NFC (in fileStem): macOS writes decomposed file names, owners' addresses come composed.
    const stem = fileStem(f);
    byStem.set(stem, [...(byStem.get(stem) ?? []), f]);
  }
  return { all, byStem, unreadable };
}

