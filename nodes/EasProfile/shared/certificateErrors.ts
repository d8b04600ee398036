import type { INode, INodePropertyOptions, NodeOperationError } from 'n8n-workflow';
import type { CertReadError } from '../../../core/certs';
import { operationFailure } from './operationFailure';

/** The roles an identity can be checked for, as node options. */
export const roleOptions: INodePropertyOptions[] = [
	{ name: 'EAS Client Authentication', value: 'eas-client', description: 'Exchange client certificate: needs extended key usage clientAuth' },
	{ name: 'S/MIME Encryption', value: 'smime-encryption', description: 'Needs emailProtection and keyEncipherment (RSA) or keyAgreement (EC)' },
	{ name: 'S/MIME Signing', value: 'smime-signing', description: 'Needs emailProtection and digitalSignature' },
];

const HINTS: Partial<Record<CertReadError['code'], string>> = {
	'wrong-passphrase': 'Check the passphrase in the "EAS Certificate Passphrase API" credential selected in this node.',
	'passphrase-required': 'Turn on Use Passphrase Credential and select an "EAS Certificate Passphrase API" credential with the file\u2019s passphrase.',
	'unrecognised-format': 'Give a PKCS#12 (.p12/.pfx) file, or a PEM or DER certificate.',
	corrupt: 'The file may be truncated: export it again.',
};

/** A file that cannot be read, as a node error: core's message (it names the file, never the passphrase) plus what to do. */
export function certificateReadFailure(node: INode, error: CertReadError, itemIndex: number): NodeOperationError {
	return operationFailure(node, error.message, {
		itemIndex,
		description: HINTS[error.code] ?? 'Check the file.',
		details: { code: error.code, file: error.fileName },
	});
}
