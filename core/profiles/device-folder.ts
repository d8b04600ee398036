// Device certificates from a folder, to encrypt each owner's profile to their device (the CLI's build --encrypt-to).
import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CertReadError, readCertificateFile } from '../certs';
import type { Owner } from '../owners/owner';
import { profileDiagnostic, type ProfileDiagnostic } from './codes';
import { checkRecipient } from './encrypt';
import { ProfileInputError } from './errors';
import { indexFolder, type FolderIndex, type FolderLookup } from './folder-index';

function deviceNames(owner: Owner): string[] {
  return [owner.email, ...(owner.devices ?? []).flatMap((d) => [d.serialNumber, d.udid])].filter((x): x is string => Boolean(x)).map((x) => x.toLowerCase());
}

async function deviceCertificate(cwd: string, owner: Owner, files: FolderIndex): Promise<{ ok: true; cert: X509Certificate } | { ok: false; diagnostic: ProfileDiagnostic }> {
  const names = deviceNames(owner);
  const file = names.map((n) => files.byStem.get(n)?.[0]).find((f) => f !== undefined);
  if (!file) {
    return {
      ok: false,
      diagnostic: profileDiagnostic('no-device-certificate', 'encrypt-to', `No device certificate for ${owner.email} (looked for ${names.join(', ')} with .pem/.cer/.crt/.der); no unencrypted profile is made.`, owner.email),
    };
  }
  try {
    const cert = readCertificateFile(await readFile(resolve(cwd, file)), { fileName: file }).certificates[0];
    if (!cert) throw new ProfileInputError(`${file} holds no certificate.`, file);
    checkRecipient(cert, file);
    return { ok: true, cert };
  } catch (e) {
    const message = e instanceof ProfileInputError || e instanceof CertReadError ? e.message : `${file} cannot be read.`;
    return { ok: false, diagnostic: profileDiagnostic('device-certificate-unusable', 'encrypt-to', message, owner.email) };
  }
}

/** A folder of device certificates named `<e-mail>`, `<serial number>` or `<UDID>` (.pem, .cer, .crt, .der). */
export class DeviceCertificateFolder {
  private constructor(
    private readonly cwd: string,
    private readonly files: FolderIndex,
  ) {}

  static async open(dir: string, options: { readonly cwd?: string } = {}): Promise<DeviceCertificateFolder> {
    const cwd = options.cwd ?? process.cwd();
    return new DeviceCertificateFolder(cwd, await indexFolder(cwd, dir, ['.pem', '.cer', '.crt', '.der']));
  }

  /** The certificate of the owner's device to encrypt to, or why there is none usable. */
  async certificateFor(owner: Owner): Promise<FolderLookup<X509Certificate>> {
    const r = await deviceCertificate(this.cwd, owner, this.files);
    return r.ok ? { ok: true, value: r.cert } : r;
  }
}
