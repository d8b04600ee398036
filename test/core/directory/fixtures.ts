import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export const SUFFIX = 'dc=example,dc=org';
export const PEOPLE = `ou=people,${SUFFIX}`;
export const GROUPS = `ou=groups,${SUFFIX}`;
export const USER_PASSWORD = 'user-secret';

/** A self-signed certificate (DER) for an e-mail address, valid in the given window. */
export function makeCertificate(email: string, notBefore: Date, notAfter: Date): Buffer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = [{ name: 'commonName', value: email }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 1, value: email }] }]);
  cert.sign(key, forge.md.sha256.create());
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** LDIF line; non-ASCII or unsafe values go base64 as LDIF requires. */
function line(attr: string, value: string): string {
  return /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value) && !value.endsWith(' ') ? `${attr}: ${value}` : `${attr}:: ${b64(value)}`;
}

export interface FixtureUser {
  readonly rdn: string;
  readonly uid?: string;
  readonly cn: string;
  readonly sn: string;
  readonly givenName?: string;
  readonly mail?: string;
  readonly memberOf?: readonly string[];
  readonly locked?: boolean;
  readonly certificates?: readonly Buffer[];
}

export function userLdif(u: FixtureUser): string {
  const lines = [
    line('dn', `${u.rdn},${PEOPLE}`),
    'objectClass: inetOrgPerson',
    ...(u.uid ? [line('uid', u.uid)] : []),
    line('cn', u.cn),
    line('sn', u.sn),
    ...(u.givenName ? [line('givenName', u.givenName)] : []),
    ...(u.mail ? [line('mail', u.mail)] : []),
    `userPassword: ${USER_PASSWORD}`,
    ...(u.locked ? ['pwdAccountLockedTime: 000001010000Z'] : []),
    ...(u.memberOf ?? []).map((g) => line('memberOf', g)),
    ...(u.certificates ?? []).map((c) => `userCertificate;binary:: ${c.toString('base64')}`),
  ];
  return `${lines.join('\n')}\n\n`;
}

function groupLdif(cn: string, members: readonly string[]): string {
  return `${[line('dn', `cn=${cn},${GROUPS}`), 'objectClass: groupOfNames', `cn: ${cn}`, ...members.map((m) => line('member', m))].join('\n')}\n\n`;
}

export const STAFF = `cn=staff,${GROUPS}`;
export const ENGINEERING = `cn=engineering,${GROUPS}`;
export const PLATFORM = `cn=platform,${GROUPS}`;
export const OTHERS = `cn=others,${GROUPS}`;

/** The special users every test relies on; DNs relative to PEOPLE. */
export const SPECIAL = {
  zoe: 'uid=zoe',
  tanaka: 'cn=田中 太郎',
  smith: 'cn=Smith\\, John (Ops) *',
  locked: 'uid=locked',
  nomail: 'uid=nomail',
  withCert: 'uid=certified',
  expiredCert: 'uid=expired',
  admin: 'uid=admin',
} as const;

export interface DirectoryFixture {
  readonly ldif: string;
  readonly bulkCount: number;
  /** Total users that have an e-mail address (and so become owners) under PEOPLE. */
  readonly ownerCount: number;
}

/** People and nested groups: `bulk` plain users plus the special ones. */
export function buildFixture(bulk: number): DirectoryFixture {
  const now = Date.now();
  const validCert = makeCertificate('certified@example.org', new Date(now - 86_400_000), new Date(now + 365 * 86_400_000));
  const expired = makeCertificate('expired@example.org', new Date(now - 60 * 86_400_000), new Date(now - 30 * 86_400_000));
  const p = (rdn: string): string => `${rdn},${PEOPLE}`;
  const parts: string[] = [`dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people\n\n`, `dn: ${GROUPS}\nobjectClass: organizationalUnit\nou: groups\n\n`];
  const users: FixtureUser[] = [
    { rdn: SPECIAL.zoe, uid: 'zoe', cn: 'Zoë Ångström', sn: 'Ångström', givenName: 'Zoë', mail: 'zoe@example.org', memberOf: [STAFF] },
    { rdn: SPECIAL.tanaka, uid: 'tanaka', cn: '田中 太郎', sn: '田中', givenName: '太郎', mail: 'tanaka@example.org', memberOf: [ENGINEERING] },
    { rdn: SPECIAL.smith, uid: 'jsmith', cn: 'Smith, John (Ops) *', sn: 'Smith', mail: 'jsmith@example.org', memberOf: [PLATFORM] },
    { rdn: SPECIAL.locked, uid: 'locked', cn: 'Locked User', sn: 'User', mail: 'locked@example.org', locked: true, memberOf: [PLATFORM] },
    { rdn: SPECIAL.nomail, uid: 'nomail', cn: 'No Mail', sn: 'Mail' },
    { rdn: SPECIAL.withCert, uid: 'certified', cn: 'Cert Holder', sn: 'Holder', mail: 'certified@example.org', certificates: [validCert], memberOf: [OTHERS] },
    { rdn: SPECIAL.expiredCert, uid: 'expired', cn: 'Old Cert', sn: 'Cert', mail: 'expired@example.org', certificates: [expired] },
    { rdn: SPECIAL.admin, uid: 'admin', cn: 'Admin', sn: 'Admin', mail: 'admin@example.org' },
  ];
  for (const u of users) parts.push(userLdif(u));
  for (let i = 0; i < bulk; i += 1) {
    const n = String(i).padStart(6, '0');
    parts.push(userLdif({ rdn: `uid=user${n}`, uid: `user${n}`, cn: `User ${n}`, sn: n, givenName: 'User', mail: `user${n}@example.org` }));
  }
  // staff ⊃ engineering ⊃ platform ⊃ staff (a cycle, which expansion must survive); others is unrelated.
  parts.push(groupLdif('staff', [p(SPECIAL.zoe), ENGINEERING]));
  parts.push(groupLdif('engineering', [p(SPECIAL.tanaka), PLATFORM]));
  parts.push(groupLdif('platform', [p(SPECIAL.smith), p(SPECIAL.locked), STAFF]));
  parts.push(groupLdif('others', [p(SPECIAL.withCert)]));
  return { ldif: parts.join(''), bulkCount: bulk, ownerCount: bulk + users.filter((u) => u.mail).length };
}
