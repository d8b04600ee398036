import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';
import { CertReadError, readCertificateFile } from '../../../core/certs';
import { passphraseOf } from './certificatePassphrase';

const SAMPLE = 'the sample PKCS#12 file';

/**
 * Tests an "EAS Certificate Passphrase API" credential. A passphrase alone cannot be checked against anything, so the
 * test only insists that one is set; with a sample PKCS#12 it opens the file, which catches a mistyped passphrase.
 */
export function testPassphraseCredential(data: ICredentialDataDecryptedObject): INodeCredentialTestResult {
	const password = passphraseOf(data);
	if (password === undefined) {
		return { status: 'Error', message: 'The passphrase is empty; files without a passphrase need no credential (turn off Use Passphrase Credential in the node)' };
	}
	const sample = typeof data.samplePkcs12WithPrivateKey === 'string' ? data.samplePkcs12WithPrivateKey.replace(/\s+/g, '') : '';
	if (sample === '') return { status: 'OK', message: 'Passphrase set; add a sample PKCS#12 file to have the test open it' };
	try {
		const bundle = readCertificateFile(Buffer.from(sample, 'base64'), { password, fileName: SAMPLE });
		const leaf = bundle.leaf;
		if (bundle.privateKey === undefined) return { status: 'Error', message: `${SAMPLE} opens but holds no private key` };
		return { status: 'OK', message: `The passphrase opens ${SAMPLE}${leaf ? ` (${leaf.subject.replace(/\n/g, ', ')})` : ''}` };
	} catch (error) {
		// core/certs messages name the file and the problem ("wrong passphrase for the sample PKCS#12 file"), never the passphrase.
		if (error instanceof CertReadError) return { status: 'Error', message: error.message };
		return { status: 'Error', message: `${SAMPLE} cannot be read` };
	}
}
