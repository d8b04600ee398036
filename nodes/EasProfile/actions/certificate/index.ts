import type { INodeProperties } from 'n8n-workflow';
import { usePassphraseProperty } from '../../shared/certificatePassphrase';
import * as inspect from './inspect.operation';
import * as match from './match.operation';

/** Operations of the Certificate resource, by their parameter value. */
export const operations = { inspect, match };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['certificate'] } },
		options: [
			{
				name: 'Inspect',
				value: 'inspect',
				description:
					'Read a PKCS#12, PEM or DER file: subject, issuer, validity, key, usages, e-mails and UPN, fingerprint; optionally check it for an owner and role',
				action: 'Inspect a certificate',
			},
			{
				name: 'Match to Owners',
				value: 'match',
				description:
					'Match the certificate files of all input items to owners by the e-mail or UPN inside, then by file name: one item per file with its status',
				action: 'Match certificates to owners',
			},
		],
		default: 'inspect',
	},
	usePassphraseProperty,
	...inspect.description,
	...match.description,
];
