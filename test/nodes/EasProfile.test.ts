import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { EAS_CATALOG } from '../../core/eas';
import { EasProfile } from '../../nodes/EasProfile/EasProfile.node';

const node = new EasProfile();
const props = node.description.properties;
const prop = (name: string): INodeProperties => {
  const p = props.find((x) => x.name === name);
  if (!p) throw new Error(`no parameter ${name}`);
  return p;
};

/** A minimal IExecuteFunctions: parameters per item, input items, continueOnFail. */
function context(items: IDataObject[], params: (i: number) => Record<string, unknown>, continueOnFail = false): IExecuteFunctions {
  const n = { name: 'EAS Profile', type: 'n8n-nodes-eas-profiles.easProfile', typeVersion: 1, parameters: {} } as unknown as INode;
  return {
    getInputData: () => items.map((json) => ({ json })) as INodeExecutionData[],
    getNodeParameter: (name: string, i: number, fallback?: unknown) => {
      const v = params(i)[name];
      return v === undefined ? fallback : v;
    },
    getNode: () => n,
    continueOnFail: () => continueOnFail,
  } as unknown as IExecuteFunctions;
}

describe('EAS Profile node description', () => {
  it('follows the starter conventions and can be used as an AI tool', () => {
    expect(node.description).toMatchObject({ name: 'easProfile', displayName: 'EAS Profile', usableAsTool: true, version: 1 });
    expect(node.description.subtitle).toBeTruthy();
    expect(prop('operation').options).toEqual([expect.objectContaining({ value: 'validate', action: 'Validate payload' })]);
  });

  it('derives the payload fields from the catalog, without secrets or generated keys', () => {
    const fields = prop('payloadFields').options as INodeProperties[];
    const expected = EAS_CATALOG.fields.filter((f) => !f.secret && !f.generated).map((f) => f.key);
    expect(fields.map((f) => f.name)).toEqual(expected);
    for (const secret of ['Password', 'CertificatePassword', 'Certificate']) expect(fields.some((f) => f.name === secret)).toBe(false);
    const days = fields.find((f) => f.name === 'MailNumberOfPastDaysToSync');
    expect(days).toMatchObject({ type: 'options', default: 7 });
    expect(days?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual([0, 1, 3, 7, 14, 31]);
    expect(fields.find((f) => f.name === 'SSL')).toMatchObject({ type: 'boolean', default: false });
    expect(fields.find((f) => f.name === 'EnableMail')).toMatchObject({ type: 'boolean', default: true });
    expect(fields.find((f) => f.name === 'PreventAppSheet')?.description).toContain('Meraki: "Use only in Mail"');
    expect(fields.find((f) => f.name === 'CommunicationServiceRules')).toMatchObject({ type: 'json' });
  });
});

describe('EAS Profile node: Validate Payload', () => {
  const base = { resource: 'payload', operation: 'validate', platform: 'iOS', osVersion: '' };

  it('returns valid and diagnostics per item, paired with its input, and never echoes secrets', async () => {
    const payloads = [
      { Host: 'mail.example.com', UserName: '{{username}}' },
      { Host: 'https://mail.example.com', OAuth: true, Password: 'canary-Pa55word', UserName: 'u' },
    ];
    const ctx = context(payloads.map((payload) => ({ payload })), (i) => ({ ...base, payloadSource: 'json', payloadJson: payloads[i] }));
    const [out] = await node.execute.call(ctx);
    expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    expect(out[0].json).toMatchObject({ valid: true, errorCount: 0, warningCount: 0, diagnostics: [] });
    expect(out[1].json).toMatchObject({ valid: false, errorCount: 2, warningCount: 1 });
    expect((out[1].json.diagnostics as { code: string }[]).map((d) => d.code).sort()).toEqual(['host-is-url', 'oauth-with-password', 'password-not-encrypted']);
    expect(JSON.stringify(out)).not.toContain('canary-Pa55word');
  });

  it('builds the payload from fields set in the node, parsing dictionary fields', async () => {
    const ctx = context([{}], () => ({
      ...base,
      osVersion: '12.0',
      payloadSource: 'fields',
      payloadFields: { Host: 'mail.example.com', UserName: 'u', EnableMail: true, CommunicationServiceRules: '{"DefaultServiceHandlers":{"AudioCall":"com.example.voip"}}' },
    }));
    const [[item]] = await node.execute.call(ctx);
    expect((item.json.diagnostics as { code: string; path: string }[]).map((d) => `${d.code}@${d.path}`)).toEqual(['key-not-supported@EnableMail']);
    expect(item.json.payload).toMatchObject({ CommunicationServiceRules: { DefaultServiceHandlers: { AudioCall: 'com.example.voip' } } });
  });

  it('accepts JSON text and reports unreadable JSON with the item index', async () => {
    const ok = context([{}], () => ({ ...base, payloadSource: 'json', payloadJson: '{"Host":"mail.example.com","UserName":"u"}' }));
    expect((await node.execute.call(ok))[0][0].json.valid).toBe(true);
    const bad = context([{}, {}], (i) => ({ ...base, payloadSource: 'json', payloadJson: i === 1 ? '{"Host":' : '{}' }));
    const err = await node.execute.call(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect((err as NodeOperationError).message).toContain('not valid JSON');
    expect((err as NodeOperationError).context.itemIndex).toBe(1);
  });

  it('turns a failure into an error item when the node continues on fail', async () => {
    const ctx = context([{}, {}], (i) => ({ ...base, payloadSource: 'json', payloadJson: i === 0 ? 'nope' : '{"UserName":"u"}' }), true);
    const [out] = await node.execute.call(ctx);
    expect(out[0]).toMatchObject({ json: { error: expect.stringContaining('not valid JSON') }, pairedItem: { item: 0 } });
    expect(out[1].json.valid).toBe(true);
  });
});
