import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { readIdentity, readIdentityPair, readCertificateFile, type Identity } from '../../../core/certs';
import { createSigner, type Signer } from '../../../core/profiles';

const NAME = 'the signing credential';

/** The identity held by an "EAS Profile Signing Identity API" credential; throws a CertReadError that names the credential, never a secret. */
export function identityFromCredential(data: ICredentialDataDecryptedObject): Identity {
	const passphrase = typeof data.passphrase === 'string' && data.passphrase !== '' ? data.passphrase : undefined;
	if (data.format === 'pkcs12') {
		const bytes = Buffer.from(String(data.pkcs12WithPrivateKey ?? '').replace(/\s+/g, ''), 'base64');
		return readIdentity(bytes, { fileName: NAME, ...(passphrase ? { password: passphrase } : {}) });
	}
	return readIdentityPair(
		{ bytes: Buffer.from(String(data.publicCertificate ?? ''), 'utf8'), fileName: `${NAME} (certificate)` },
		{ bytes: Buffer.from(String(data.privateKey ?? ''), 'utf8'), fileName: `${NAME} (private key)` },
		passphrase ? { password: passphrase } : {},
	);
}

/** A profile signer from the credential, with its extra chain certificates. */
export function signerFromCredential(data: ICredentialDataDecryptedObject): Signer {
	const chainText = String(data.chain ?? '').trim();
	const extraChain = chainText === '' ? [] : [...readCertificateFile(Buffer.from(chainText, 'utf8'), { fileName: `${NAME} (chain)` }).certificates];
	return createSigner(identityFromCredential(data), { extraChain });
}
