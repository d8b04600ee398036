import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { REDACTED } from './secret';

/** The container a certificate file came in. */
export type CertFormat = 'pkcs12' | 'pem' | 'der';

/** Everything read from one file: certificates and perhaps a private key; the key shows `[redacted]` in JSON and util.inspect. */
export class CertificateBundle {
  /** Private key, if the file has one. Not enumerable, so spreads and loggers that walk properties skip it. */
  declare readonly privateKey: KeyObject | undefined;
  constructor(
    readonly certificates: readonly X509Certificate[],
    privateKey: KeyObject | undefined,
    readonly format: CertFormat,
    readonly fileName: string | undefined,
  ) {
    Object.defineProperty(this, 'privateKey', { value: privateKey, enumerable: false });
  }

  /** The end-entity certificate: the one the key belongs to, else the first that signed no other in the file. */
  get leaf(): X509Certificate | undefined {
    if (this.privateKey) {
      const match = this.certificates.find((c) => keyMatches(c, this.privateKey as KeyObject));
      if (match) return match;
    }
    // o.checkIssued(c): o names c as its issuer, so c is a CA here and not the end entity.
    return this.certificates.find((c) => !this.certificates.some((o) => o !== c && o.checkIssued(c))) ?? this.certificates[0];
  }

  toJSON(): Record<string, unknown> {
    return {
      fileName: this.fileName,
      format: this.format,
      certificates: this.certificates.map((c) => ({ subject: c.subject, fingerprint256: c.fingerprint256 })),
      privateKey: this.privateKey ? REDACTED : undefined,
    };
  }

  [inspect.custom](): string {
    return `${this.constructor.name} ${inspect(this.toJSON())}`;
  }
}

/** A certificate with its private key, ready to go into a profile; the key shows `[redacted]` in JSON and util.inspect. */
export class Identity extends CertificateBundle {
  /** The certificate the private key belongs to. */
  readonly certificate: X509Certificate;
  /** The other certificates of the file (intermediates, roots). */
  readonly chain: readonly X509Certificate[];
  declare readonly privateKey: KeyObject;

  constructor(certificates: readonly X509Certificate[], privateKey: KeyObject, certificate: X509Certificate, format: CertFormat, fileName: string | undefined) {
    super(certificates, privateKey, format, fileName);
    this.certificate = certificate;
    this.chain = certificates.filter((c) => c !== certificate);
  }
}

/** True when the private key is the one of the certificate's public key. */
export function keyMatches(certificate: X509Certificate, privateKey: KeyObject): boolean {
  try {
    const a = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const b = certificate.publicKey.export({ type: 'spki', format: 'der' });
    return a.equals(b);
  } catch {
    return false;
  }
}
