/** Which step of talking to the directory failed. */
export type DirectoryPhase = 'connect' | 'tls' | 'bind' | 'search';

/** Stable codes for everything that can stop a directory read; each has its own message. */
export type DirectoryFailureCode =
  | 'bad-option'
  | 'unreachable'
  | 'connect-timeout'
  | 'tls-name-mismatch'
  | 'tls-untrusted'
  | 'tls-expired'
  | 'tls-handshake'
  | 'starttls-refused'
  | 'invalid-credentials'
  | 'confidentiality-required'
  | 'operation-timeout'
  | 'connection-lost'
  | 'size-limit'
  | 'time-limit'
  | 'admin-limit'
  | 'referral'
  | 'no-such-object'
  | 'group-not-found'
  | 'insufficient-access'
  | 'bad-filter'
  | 'paging-unsupported'
  | 'server-error';

/** Why a directory operation failed, in a form fit for JSON and for users. */
export interface DirectoryFailure {
  readonly code: DirectoryFailureCode;
  readonly phase: DirectoryPhase;
  readonly message: string;
  /** The underlying library or server text, for support; never contains the password. */
  readonly detail?: string;
}

/** Thrown inside core/directory and turned into a failed result at the public boundary. */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
  constructor(readonly failure: DirectoryFailure) {
    super(failure.message);
  }
}

/** Context that makes a failure message say where. */
export interface FailureContext {
  readonly url: string;
  readonly bindDn?: string;
  readonly baseDn?: string;
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const LOST = /Connection closed before message response|Socket error|Socket connection not established|ECONNRESET|EPIPE/;

// AD puts the real reason for a failed bind in "data <hex>" of the diagnostic message.
const AD_BIND_REASONS: Readonly<Record<string, string>> = {
  '525': 'the user does not exist',
  '52e': 'the password is wrong',
  '530': 'logon not permitted at this time',
  '531': 'logon not permitted from this workstation',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '701': 'the account has expired',
  '773': 'the user must change the password',
  '775': 'the account is locked out',
};

function fail(code: DirectoryFailureCode, phase: DirectoryPhase, message: string, detail?: string): DirectoryFailure {
  return detail === undefined ? { code, phase, message } : { code, phase, message, detail };
}

/** Maps an ldapts, Node socket or TLS error to a failure that says which of the known problems it is. */
export function classifyError(error: unknown, phase: DirectoryPhase, ctx: FailureContext): DirectoryFailure {
  if (error instanceof DirectoryError) return error.failure;
  const err = error instanceof Error ? error : new Error(String(error));
  const detail = err.message;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return fail('tls-name-mismatch', 'tls', `TLS name mismatch: the certificate of ${ctx.url} is not issued for this host name or IP address; connect with a name in its subjectAltName`, detail);
    if (UNTRUSTED.has(code))
      return fail('tls-untrusted', 'tls', `untrusted certificate: the certificate of ${ctx.url} is not signed by a trusted CA (${code}); give the directory's CA certificate`, detail);
    if (EXPIRED.has(code)) return fail('tls-expired', 'tls', `the certificate of ${ctx.url} is expired or not yet valid (${code})`, detail);
    if (UNREACHABLE.has(code)) return fail('unreachable', 'connect', `cannot reach the directory server at ${ctx.url} (${code}); check host, port and firewall`, detail);
    if (code === 'ECONNRESET' || code === 'EPIPE') {
      return phase === 'search'
        ? fail('connection-lost', 'search', `the connection to ${ctx.url} was lost during the search; nothing was changed`, detail)
        : fail(phase === 'tls' ? 'tls-handshake' : 'unreachable', phase, `the server at ${ctx.url} closed the connection (${code}) during ${phase}`, detail);
    }
    if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS/.test(detail))
      return fail('tls-handshake', 'tls', `TLS handshake with ${ctx.url} failed: ${detail}`, detail);
  }
  if (typeof code === 'number') return fromResultCode(code, detail, phase, ctx);
  if (detail === 'Connection timeout') return fail('connect-timeout', 'connect', `no connection to ${ctx.url} within the connect timeout; the server is down or filtered`, detail);
  if (/Operation timed out/.test(detail))
    return fail('operation-timeout', phase, `the directory at ${ctx.url} did not answer within the operation timeout during ${phase}`, detail);
  if (LOST.test(detail)) {
    return phase === 'search'
      ? fail('connection-lost', 'search', `the connection to ${ctx.url} was lost during the search; nothing was changed`, detail)
      : fail('unreachable', phase, `the connection to ${ctx.url} closed during ${phase}`, detail);
  }
  if (/filter|Invalid (attribute|escaped)|Illegal unescaped|Unexpected/i.test(detail) && phase === 'search')
    return fail('bad-filter', 'search', `the search filter is not valid LDAP filter syntax (RFC 4515): ${detail}`, detail);
  return fail('server-error', phase, `directory ${phase} failed: ${detail}`, detail);
}

function fromResultCode(code: number, detail: string, phase: DirectoryPhase, ctx: FailureContext): DirectoryFailure {
  if (phase === 'tls') return fail('starttls-refused', 'tls', `the server at ${ctx.url} refused StartTLS (result ${code}); use ldaps:// or enable TLS on the server`, detail);
  switch (code) {
    case 49: {
      const reason = /data ([0-9a-f]{3})/i.exec(detail)?.[1]?.toLowerCase();
      const why = reason !== undefined ? AD_BIND_REASONS[reason] : undefined;
      return fail('invalid-credentials', 'bind', `wrong password or unknown bind DN/UPN "${ctx.bindDn ?? ''}"${why ? `: ${why}` : ''}`, detail);
    }
    case 8:
    case 13:
      return fail('confidentiality-required', phase, `the server at ${ctx.url} requires an encrypted connection for this (e.g. "Transport encryption required"); use ldaps:// or StartTLS`, detail);
    case 3:
      return fail('time-limit', phase, `the server's time limit was hit during the ${phase}; the result is incomplete, so nothing was changed`, detail);
    case 4:
      return fail('size-limit', phase, `the server's size limit was hit during the ${phase}; the result is incomplete, so nothing was changed. Raise the limit for paged searches (OpenLDAP: limits size.prtotal) or narrow the scope`, detail);
    case 11:
      return fail('admin-limit', phase, `the server's administrative limit was hit during the ${phase}; nothing was changed`, detail);
    case 10:
      return fail('referral', phase, `the server answered with a referral for ${ctx.baseDn ?? 'the base DN'}, which is not followed; point the URL at a server holding that naming context`, detail);
    case 12:
      return fail('paging-unsupported', phase, `the server does not support a critical control (paged results, RFC 2696)`, detail);
    case 32:
      return fail('no-such-object', phase, `the base DN "${ctx.baseDn ?? ''}" does not exist on ${ctx.url}`, detail);
    case 50:
      return fail('insufficient-access', phase, `the bind account "${ctx.bindDn ?? 'anonymous'}" may not read this part of the directory`, detail);
    case 34:
      return fail('bad-option', phase, `a DN given is not valid: ${detail}`, detail);
    case 87:
      return fail('bad-filter', phase, `the search filter was rejected by the server: ${detail}`, detail);
    default:
      return fail('server-error', phase, `directory ${phase} failed with LDAP result ${code}: ${detail}`, detail);
  }
}
