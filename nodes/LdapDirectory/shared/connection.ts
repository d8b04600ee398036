import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { Secret } from '../../../core/certs/secret';
import type { DirectoryConnectionOptions } from '../../../core/directory';

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function seconds(value: unknown, fallback: number): number {
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : fallback * 1000;
}

/** Connection options from an "LDAP Directory API" credential; the password stays wrapped so it prints as [redacted]. */
export function connectionFromCredential(data: ICredentialDataDecryptedObject): DirectoryConnectionOptions {
	const bindDn = text(data.bindDn);
	const ca = text(data.publicCaCertificate);
	const password = typeof data.password === 'string' && data.password !== '' ? new Secret(data.password) : undefined;
	return {
		url: text(data.url),
		startTls: data.startTls === true,
		...(ca !== '' ? { ca } : {}),
		...(bindDn !== '' ? { bindDn } : {}),
		...(password ? { password } : {}),
		connectTimeoutMs: seconds(data.connectTimeout, 10),
		timeoutMs: seconds(data.timeout, 60),
	};
}

/** Removes every occurrence of the password from a text that may quote a server or library message. */
export function scrub(message: string, data: ICredentialDataDecryptedObject): string {
	const password = typeof data.password === 'string' ? data.password : '';
	return password.length >= 3 ? message.split(password).join('[redacted]') : message;
}
