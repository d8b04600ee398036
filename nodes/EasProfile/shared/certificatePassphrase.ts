import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { Secret } from '../../../core/certs';

export const PASSPHRASE_CREDENTIAL = 'easCertificatePassphraseApi';

/** The switch that asks for the passphrase credential; shown for every Certificate operation. */
export const usePassphraseProperty: INodeProperties = {
	displayName: 'Use Passphrase Credential',
	name: 'usePassphrase',
	type: 'boolean',
	default: true,
	description:
		'Whether the files are protected by a passphrase, taken from an "EAS Certificate Passphrase API" credential (never a node parameter). Files without a passphrase are read either way.',
	displayOptions: { show: { resource: ['certificate'] } },
};

/** The passphrase of a credential, wrapped so that it shows [redacted] wherever it is printed; undefined when empty. */
export function passphraseOf(data: ICredentialDataDecryptedObject): Secret | undefined {
	const value = data.passphrase;
	return typeof value === 'string' && value !== '' ? new Secret(value) : undefined;
}

/** Read once per execution: every file of a run uses the same credential. */
const cache = new WeakMap<IExecuteFunctions, Promise<Secret | undefined>>();

/** The passphrase for certificate files, or undefined when the node is set to use none. */
export function certificatePassphrase(ctx: IExecuteFunctions, i: number): Promise<Secret | undefined> {
	if (!(ctx.getNodeParameter('usePassphrase', i, true) as boolean)) return Promise.resolve(undefined);
	let p = cache.get(ctx);
	if (!p) {
		p = ctx.getCredentials(PASSPHRASE_CREDENTIAL).then(passphraseOf);
		cache.set(ctx, p);
	}
	return p;
}

/** The file name of an item's binary field, for messages such as "wrong passphrase for alice.p12". */
export function binaryFileName(ctx: IExecuteFunctions, i: number, property: string): string {
	return ctx.getInputData()[i]?.binary?.[property]?.fileName ?? `item ${i} (binary field "${property}")`;
}
