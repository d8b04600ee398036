import { Client, type ClientOptions } from 'ldapts';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Secret } from '../certs/secret';
import { classifyError, DirectoryError, type FailureContext } from './errors';
import type { DirectoryDiagnostic } from './diagnostics';

/** How to reach and authenticate to the directory. */
export interface DirectoryConnectionOptions {
  /** `ldaps://host:636` or `ldap://host:389`; no path (the base DN is separate). */
  readonly url: string;
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  readonly startTls?: boolean;
  /** PEM CA certificate(s) to trust instead of the system store. */
  readonly ca?: string | readonly string[];
  /** Bind DN, or a UPN (user@domain) for Active Directory; absent means an anonymous read. */
  readonly bindDn?: string;
  readonly password?: Secret | string;
  /** Milliseconds to wait for the TCP/TLS connection; default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Milliseconds each LDAP operation (bind, one search page) may take; default 60 000. */
  readonly timeoutMs?: number;
}

/** The subset of ldapts' Client that core/directory uses, so tests can substitute it. */
export type LdapClient = Pick<Client, 'bind' | 'startTLS' | 'search' | 'searchPaginated' | 'unbind'>;

/** Creates an unconnected client; the one seam for mocking. */
export type LdapClientFactory = (options: ClientOptions) => LdapClient;

/** Default factory: a real ldapts client. */
export const createLdapClient: LdapClientFactory = (options) => new Client(options);

/** Transport security actually used. */
export type Transport = 'ldaps' | 'starttls' | 'plain';

/** A parsed directory URL. */
export interface DirectoryUrl {
  readonly scheme: 'ldap' | 'ldaps';
  readonly host: string;
  readonly port: number;
  /** Normalised URL handed to ldapts (scheme, host, port). */
  readonly url: string;
}

/** Parses and checks an ldap:// or ldaps:// URL; throws DirectoryError('bad-option'). */
export function parseDirectoryUrl(input: string): DirectoryUrl {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    throw badOption(`"${input}" is not a URL; expected ldaps://host[:port] or ldap://host[:port]`);
  }
  const scheme = u.protocol === 'ldaps:' ? 'ldaps' : u.protocol === 'ldap:' ? 'ldap' : undefined;
  if (scheme === undefined) throw badOption(`"${input}" must start with ldaps:// or ldap://`);
  if (u.hostname === '') throw badOption(`"${input}" has no host`);
  if ((u.pathname !== '' && u.pathname !== '/') || u.search !== '' || u.username !== '')
    throw badOption(`"${input}" must hold only scheme, host and port; give the base DN and bind DN separately`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port === '' ? (scheme === 'ldaps' ? 636 : 389) : Number(u.port);
  const hostInUrl = isIP(host) === 6 ? `[${host}]` : host;
  return { scheme, host, port, url: `${scheme}://${hostInUrl}:${port}` };
}

function badOption(message: string): DirectoryError {
  return new DirectoryError({ code: 'bad-option', phase: 'connect', message });
}

function reveal(password: Secret | string | undefined): string {
  if (password === undefined) return '';
  return typeof password === 'string' ? password : password.reveal();
}

// Node checks the certificate against `host` (or 'localhost' when a socket is upgraded without one),
// and SNI must not carry an IP address.
function tlsOptions(url: DirectoryUrl, ca: DirectoryConnectionOptions['ca']): ConnectionOptions {
  const options: ConnectionOptions = { host: url.host, minVersion: 'TLSv1.2' };
  if (isIP(url.host) === 0) options.servername = url.host;
  if (ca !== undefined) options.ca = typeof ca === 'string' ? [ca] : [...ca];
  return options;
}

/** A connected, bound client plus what the caller should be warned about. */
export interface DirectorySession {
  readonly client: LdapClient;
  readonly url: DirectoryUrl;
  readonly transport: Transport;
  readonly context: FailureContext;
  readonly diagnostics: readonly DirectoryDiagnostic[];
}

/** Connects, upgrades with StartTLS when asked, and binds; throws DirectoryError with a classified failure. */
export async function openSession(options: DirectoryConnectionOptions, factory: LdapClientFactory = createLdapClient): Promise<DirectorySession> {
  const url = parseDirectoryUrl(options.url);
  if (options.startTls === true && url.scheme === 'ldaps') throw badOption('StartTLS applies to ldap:// URLs; ldaps:// is already encrypted');
  const password = reveal(options.password);
  // RFC 4513 5.1.2: a DN with an empty password is an "unauthenticated bind" that servers accept as anonymous.
  if (options.bindDn !== undefined && options.bindDn !== '' && password === '')
    throw new DirectoryError({ code: 'bad-option', phase: 'bind', message: `no password for bind DN "${options.bindDn}"; an empty password would silently bind anonymously` });
  const transport: Transport = url.scheme === 'ldaps' ? 'ldaps' : options.startTls === true ? 'starttls' : 'plain';
  const context: FailureContext = { url: url.url, bindDn: options.bindDn };
  const diagnostics: DirectoryDiagnostic[] = [];
  if (transport === 'plain') {
    diagnostics.push({
      code: 'plain-ldap',
      severity: 'warning',
      path: 'url',
      message: `${url.url} is plain LDAP: ${options.bindDn ? 'the password and ' : ''}all data cross the network unencrypted; use ldaps:// or StartTLS outside development`,
    });
  }
  const client = factory({
    url: url.url,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    timeout: options.timeoutMs ?? 60_000,
    // tlsOptions only for ldaps://: given with ldap:// ldapts would force direct TLS instead of StartTLS.
    ...(transport === 'ldaps' ? { tlsOptions: tlsOptions(url, options.ca) } : {}),
  });
  let phase: 'connect' | 'tls' | 'bind' = 'connect';
  try {
    if (transport === 'starttls') {
      phase = 'tls';
      await client.startTLS(tlsOptions(url, options.ca));
    }
    if (options.bindDn !== undefined && options.bindDn !== '') {
      phase = 'bind';
      await client.bind(options.bindDn, password);
    }
  } catch (error) {
    await safeUnbind(client);
    throw new DirectoryError(classifyError(error, phase, context));
  }
  return { client, url, transport, context, diagnostics };
}

async function safeUnbind(client: LdapClient): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // The connection may already be gone; there is nothing left to release.
  }
}

/** Runs `fn` on a bound session and always unbinds afterwards. */
export async function withSession<T>(options: DirectoryConnectionOptions, fn: (session: DirectorySession) => Promise<T>, factory?: LdapClientFactory): Promise<T> {
  const session = await openSession(options, factory);
  try {
    return await fn(session);
  } finally {
    await safeUnbind(session.client);
  }
}
