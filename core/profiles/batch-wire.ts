// Messages between the batch pool and its worker threads. Everything here survives structured cloning:
// KeyObject and X509Certificate clone as themselves, Identity and Secret do not (the key is a hidden
// property, the passphrase a private field), so identities travel in these plain shapes instead.
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { CertFormat } from '../certs';
import type { Owner } from '../owners/owner';
import type { ProfileDiagnostic } from './codes';
import type { ContentCipher } from './encrypt';
import type { ProfileIds } from './identifiers';
import type { ProfileOptions } from './assemble';
import type { PayloadTemplate } from './render';

/** Marks the workerData of a batch worker, so a script that is also something else can tell. */
export const BATCH_WORKER_KIND = 'eas-profiles-batch-worker/1';

/** An identity as it crosses to a worker. */
export interface WireIdentity {
  readonly certificate: X509Certificate;
  readonly chain: readonly X509Certificate[];
  readonly privateKey: KeyObject;
  readonly format: CertFormat;
  readonly fileName?: string;
}

/** An owner's embedded identity as it crosses to a worker (the passphrase revealed only inside this message). */
export interface WireOwnerIdentity extends WireIdentity {
  readonly passphrase: string;
  readonly includePassword?: boolean;
  readonly use?: { readonly auth?: boolean; readonly smimeSigning?: boolean; readonly smimeEncryption?: boolean };
}

/** What every worker of a pool gets once. */
export interface WireJob {
  readonly template: PayloadTemplate;
  readonly options: ProfileOptions;
  readonly signer?: WireIdentity & { readonly now?: Date; readonly extraChain?: readonly X509Certificate[] };
  readonly signingTime?: Date | null;
  readonly cipher?: ContentCipher;
  readonly outDir?: string;
}

export interface WireItem {
  readonly index: number;
  readonly owner: Owner;
  readonly identity?: WireOwnerIdentity;
  readonly encryptTo?: X509Certificate;
  readonly fileName?: string;
}

export interface WireResult {
  readonly index: number;
  readonly owner: string;
  readonly ok: boolean;
  readonly diagnostics: readonly ProfileDiagnostic[];
  readonly ids?: ProfileIds & { readonly profileUuid: string };
  readonly contentHash?: string;
  readonly sha256?: string;
  readonly size?: number;
  readonly file?: string;
  /** Where this profile's bytes sit in the chunk's `data`, when they are sent back. */
  readonly offset?: number;
  readonly error?: string;
  /** The profile was made but writing it to `outDir` failed (nothing is left of it there). */
  readonly unwritten?: boolean;
}

export type ToWorker = { readonly type: 'chunk'; readonly id: number; readonly items: readonly WireItem[] } | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'fatal'; readonly message: string }
  /** One chunk's results; the bytes of all its profiles in one transferred buffer. */
  | { readonly type: 'done'; readonly id: number; readonly results: readonly WireResult[]; readonly data?: ArrayBuffer };
