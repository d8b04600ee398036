import type { X509Certificate } from 'node:crypto';
import type { BuiltProfile } from './assemble';
import { envelopeContent, type ContentCipher } from './encrypt';
import { toPlistXml } from './plist-io';
import type { PlistDict } from './render';
import { signContent, type SignOptions } from './sign';
import type { Signer } from './signer';

/** How a built profile leaves: signed, encrypted to a device, both, or neither. */
export interface PackageOptions extends SignOptions {
  readonly signer?: Signer;
  /** The device's identity certificate; the PayloadContent array becomes EncryptedPayloadContent. */
  readonly encryptTo?: X509Certificate;
  readonly cipher?: ContentCipher;
}

/** The profile with PayloadContent replaced by EncryptedPayloadContent (CMS EnvelopedData to `device`). */
export function encryptProfile(profile: PlistDict, device: X509Certificate, cipher?: ContentCipher): PlistDict {
  const inner = Buffer.from(toPlistXml(profile.PayloadContent ?? []), 'utf8');
  const out: PlistDict = {};
  for (const k of Object.keys(profile)) {
    if (k === 'PayloadContent') continue;
    out[k] = profile[k];
  }
  out.EncryptedPayloadContent = envelopeContent(inner, device, cipher);
  out.IsEncrypted = true;
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]])) as PlistDict;
}

/** The bytes of a `.mobileconfig`: encrypted first when asked (then the whole is signed), then signed when a signer is given. */
export function packageProfile(built: BuiltProfile, options: PackageOptions = {}): Buffer {
  const plain = options.encryptTo ? Buffer.from(toPlistXml(encryptProfile(built.profile, options.encryptTo, options.cipher)), 'utf8') : built.xml;
  return options.signer ? signContent(plain, options.signer, options) : plain;
}
