import type { X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** Key usage bits of RFC 5280, in bit order. */
export const KEY_USAGE_NAMES = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

/** What node:crypto's X509Certificate does not decode: key usage bits and the SAN's e-mails and UPNs. */
export interface DecodedExtensions {
  /** undefined when the certificate has no key usage extension (then every usage is allowed). */
  readonly keyUsage: KeyUsageName[] | undefined;
  readonly sanEmails: string[];
  readonly sanUpns: string[];
  readonly sanDns: string[];
}

const OID_KEY_USAGE = '2.5.29.15';
const OID_SAN = '2.5.29.17';
const OID_UPN = '1.3.6.1.4.1.311.20.2.3';

type Node = forge.asn1.Asn1;
const children = (n: Node | undefined): Node[] => (n && Array.isArray(n.value) ? (n.value as Node[]) : []);
const bytesOf = (n: Node | undefined): string => (n && typeof n.value === 'string' ? n.value : '');
const utf8 = (binary: string): string => Buffer.from(binary, 'binary').toString('utf8');

/** Decodes key usage and subject alternative names from the certificate's DER. */
export function decodeExtensions(cert: X509Certificate): DecodedExtensions {
  const result: { keyUsage: KeyUsageName[] | undefined; sanEmails: string[]; sanUpns: string[]; sanDns: string[] } = {
    keyUsage: undefined, sanEmails: [], sanUpns: [], sanDns: [],
  };
  const fromDer = forge.asn1.fromDer as unknown as (b: forge.util.ByteBuffer, o: { strict: boolean; decodeBitStrings: boolean }) => Node;
  const root = fromDer(forge.util.createBuffer(cert.raw.toString('binary')), { strict: false, decodeBitStrings: false });
  const tbs = children(root)[0];
  // Extensions are the [3] EXPLICIT element of TBSCertificate.
  const wrapper = children(tbs).find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
  for (const ext of children(children(wrapper)[0])) {
    const parts = children(ext);
    const oid = forge.asn1.derToOid(bytesOf(parts[0]));
    const value = bytesOf(parts[parts.length - 1]);
    if (oid === OID_KEY_USAGE) result.keyUsage = keyUsageBits(value);
    else if (oid === OID_SAN) readSan(forge.asn1.fromDer(value, false), result);
  }
  return result;
}

function keyUsageBits(der: string): KeyUsageName[] {
  const bits = bytesOf(forge.asn1.fromDer(der, false));
  const names: KeyUsageName[] = [];
  KEY_USAGE_NAMES.forEach((name, i) => {
    // Byte 0 is the count of unused bits; the flags start with the high bit of byte 1.
    const byte = bits.charCodeAt(1 + (i >> 3));
    if (!Number.isNaN(byte) && byte & (0x80 >> (i & 7))) names.push(name);
  });
  return names;
}

function readSan(seq: Node, out: { sanEmails: string[]; sanUpns: string[]; sanDns: string[] }): void {
  for (const name of children(seq)) {
    if (name.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC) continue;
    if (name.type === 1) out.sanEmails.push(utf8(bytesOf(name)));
    else if (name.type === 2) out.sanDns.push(utf8(bytesOf(name)));
    else if (name.type === 0) {
      // otherName: type-id OID, then [0] EXPLICIT value (a UTF8String for the Microsoft UPN).
      const [typeId, wrapped] = children(name);
      if (typeId && forge.asn1.derToOid(bytesOf(typeId)) === OID_UPN) {
        const inner = children(wrapped)[0];
        if (inner) out.sanUpns.push(utf8(bytesOf(inner)));
      }
    }
  }
}
