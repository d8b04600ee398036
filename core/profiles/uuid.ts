import { createHash } from 'node:crypto';

/** Namespace of every UUID this package derives; fixed forever, or every device would see new accounts. */
export const PROFILE_NAMESPACE = '3b1c6e0a-8f7d-5c2e-9a41-6d0f2b7e8c15';

function nsBytes(ns: string): Buffer {
  return Buffer.from(ns.replace(/-/g, ''), 'hex');
}

const format = (b: Buffer): string => {
  const h = b.toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** RFC 9562 UUID version 5 (SHA-1, name-based) of `name` in `namespace`, upper case as Apple writes them. */
export function uuidV5(name: string, namespace: string = PROFILE_NAMESPACE): string {
  const hash = createHash('sha1').update(nsBytes(namespace)).update(name, 'utf8').digest().subarray(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  return format(hash);
}
