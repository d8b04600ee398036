import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { IBinaryData, ICredentialDataDecryptedObject, ICredentialTestFunctions, IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import * as plist from 'plist';
import { beforeAll, describe, expect, it } from 'vitest';
import { EasProfile } from '../../nodes/EasProfile/EasProfile.node';
import { makePki, type TestPki } from '../helpers/pki';

const run = promisify(execFile);
const node = new EasProfile();
const dir = mkdtempSync(path.join(tmpdir(), 'eas-node-'));
const CANARY = 'Canary-P12-Passphrase-7';
let pki: TestPki;
let device: TestPki;
let p12Base64: string;

beforeAll(async () => {
  pki = await makePki(path.join(dir, 'signer'));
  device = await makePki(path.join(dir, 'device'), { leafName: 'iPhone of Jane', extensions: 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n' });
  const p12 = path.join(dir, 'signer.p12');
  await run('openssl', ['pkcs12', '-export', '-in', pki.leafCert, '-inkey', pki.leafKey, '-certfile', pki.caCert, '-out', p12, '-passout', `pass:${CANARY}`]);
  p12Base64 = readFileSync(p12).toString('base64');
}, 60_000);

const TEMPLATE = { PayloadDisplayName: 'Corporate mail', Host: 'mail.example.com', SSL: true, UserName: '{{username}}', EmailAddress: '{{email}}' };

interface Item {
  json: IDataObject;
  binary?: Record<string, Buffer>;
}

/** An IExecuteFunctions with binary helpers and a signing credential. */
function context(
  items: Item[],
  params: (i: number) => Record<string, unknown>,
  credential?: ICredentialDataDecryptedObject,
  passphrase?: string,
): IExecuteFunctions {
  const n = { name: 'EAS Profile', type: 'n8n-nodes-eas-profiles.easProfile', typeVersion: 1, parameters: {} } as unknown as INode;
  const credentials: Record<string, ICredentialDataDecryptedObject | undefined> = {
    easSigningIdentityApi: credential,
    easCertificatePassphraseApi: passphrase === undefined ? undefined : { passphrase },
  };
  return {
    getInputData: () =>
      items.map((it) => ({
        json: it.json,
        binary: Object.fromEntries(Object.keys(it.binary ?? {}).map((k) => [k, { data: '', mimeType: '', fileName: `${k}.p12` }])),
      })) as INodeExecutionData[],
    getNodeParameter: (name: string, i: number, fallback?: unknown) => params(i)[name] ?? fallback,
    getNode: () => n,
    continueOnFail: () => false,
    getCredentials: async (type: string) => {
      const c = credentials[type];
      if (!c) throw new Error(`no credential ${type}`);
      return c;
    },
    helpers: {
      prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> => ({ data: data.toString('base64'), fileName, mimeType: mimeType ?? '' }),
      getBinaryDataBuffer: async (i: number, property: string) => {
        const b = items[i].binary?.[property];
        if (!b) throw new Error(`no binary ${property}`);
        return b;
      },
    },
  } as unknown as IExecuteFunctions;
}

const buildParams = (extra: Record<string, unknown> = {}) => () => ({
  resource: 'profile',
  operation: 'build',
  payloadSource: 'json',
  payloadJson: TEMPLATE,
  binaryPropertyName: 'data',
  options: { organization: 'Example Corp' },
  ...extra,
});
const bytesOf = (out: INodeExecutionData) => Buffer.from((out.binary?.data as IBinaryData).data, 'base64');

describe('EAS Profile node: Build Profile', () => {
  it('builds an owner\u2019s profile from a CSV-shaped item, with stable identifiers and its diagnostics', async () => {
    const owners = [{ 'E-mail': 'jane.doe@example.com', 'User Name': 'jdoe', 'First Name': 'Jane' }, { email: 'zoe@example.com', username: 'zoe' }];
    const ctx = context(owners.map((json) => ({ json })), (i) => ({ ...buildParams({ sign: false })(), owner: owners[i] }));
    const [out] = await node.execute.call(ctx);
    expect(out).toHaveLength(2);
    expect(out[0].json).toMatchObject({ owner: 'jane.doe@example.com', built: true, signed: false, encrypted: false, fileName: 'jane.doe@example.com.mobileconfig' });
    expect(out[0].pairedItem).toEqual({ item: 0 });
    const profile = plist.parse(bytesOf(out[0]).toString('utf8')) as { PayloadContent: Record<string, unknown>[] };
    expect(profile.PayloadContent[0]).toMatchObject({ EmailAddress: 'jane.doe@example.com', UserName: 'jdoe', PayloadUUID: out[0].json.easUuid });
    expect(out[0].json.easUuid).not.toBe(out[1].json.easUuid);
    const again = await node.execute.call(context([{ json: owners[0] }], () => ({ ...buildParams({ sign: false })(), owner: owners[0] })));
    expect(bytesOf(again[0][0])).toEqual(bytesOf(out[0]));
  });

  it('signs with a PKCS#12 credential so that openssl verifies it, and never outputs the passphrase', async () => {
    const ctx = context([{ json: {} }], () => ({ ...buildParams({ sign: true })(), owner: { email: 'jane.doe@example.com', username: 'jdoe' } }), {
      format: 'pkcs12',
      pkcs12WithPrivateKey: p12Base64,
      passphrase: CANARY,
    });
    const [[item]] = await node.execute.call(ctx);
    expect(item.json).toMatchObject({ built: true, signed: true });
    const file = path.join(dir, 'signed.mobileconfig');
    writeFileSync(file, bytesOf(item));
    const { stdout } = await run('openssl', ['cms', '-verify', '-inform', 'DER', '-in', file, '-CAfile', pki.caCert, '-purpose', 'any']);
    expect(stdout).toContain('<string>jane.doe@example.com</string>');
    expect(JSON.stringify(item.json)).not.toContain(CANARY);
  });

  it('says "wrong passphrase" for a wrong PKCS#12 passphrase, without the passphrase', async () => {
    const ctx = context([{ json: {} }], () => ({ ...buildParams({ sign: true })(), owner: { email: 'a@example.com', username: 'a' } }), {
      format: 'pkcs12',
      pkcs12WithPrivateKey: p12Base64,
      passphrase: 'not-the-Canary-but-secret',
    });
    const err = (await node.execute.call(ctx).catch((e: unknown) => e)) as NodeOperationError;
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toMatch(/wrong passphrase for the signing credential/i);
    expect(JSON.stringify({ m: err.message, d: err.description })).not.toContain('not-the-Canary-but-secret');
    expect(err.context.itemIndex).toBe(0);
  });

  it('encrypts to the device certificate given as binary, which openssl decrypts', async () => {
    const items = [{ json: {}, binary: { deviceCertificate: readFileSync(device.leafCert) } }];
    const ctx = context(items, () => ({ ...buildParams({ sign: false, options: { deviceCertificateProperty: 'deviceCertificate' } })(), owner: { email: 'jane.doe@example.com', username: 'jdoe' } }));
    const [[item]] = await node.execute.call(ctx);
    expect(item.json).toMatchObject({ built: true, encrypted: true });
    const profile = plist.parse(bytesOf(item).toString('utf8')) as Record<string, unknown>;
    expect(profile.PayloadContent).toBeUndefined();
    const envelope = path.join(dir, 'envelope.der');
    writeFileSync(envelope, profile.EncryptedPayloadContent as Buffer);
    const { stdout } = await run('openssl', ['cms', '-decrypt', '-inform', 'DER', '-in', envelope, '-recip', device.leafCert, '-inkey', device.leafKey]);
    expect(stdout).toContain('<string>jane.doe@example.com</string>');
  });

  it('embeds the owner’s identity from a binary field as a 3DES PKCS#12 that openssl reads, linked for client-certificate auth', async () => {
    const owner = await makePki(path.join(dir, 'owner'), { leafName: 'Jane Doe', extensions: 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\nsubjectAltName=email:jane.doe@example.com\n' });
    const p12 = path.join(dir, 'jane.p12');
    await run('openssl', ['pkcs12', '-export', '-in', owner.leafCert, '-inkey', owner.leafKey, '-out', p12, '-passout', `pass:${CANARY}`]);
    const params = (extra: Record<string, unknown>) => () => ({ ...buildParams({ sign: false, embedIdentity: true, identityBinaryPropertyName: 'identity', usePassphrase: true, ...extra })(), owner: { email: 'jane.doe@example.com', username: 'jdoe' } });
    const items = [{ json: {}, binary: { identity: readFileSync(p12) } }];
    const [[item]] = await node.execute.call(context(items, params({}), undefined, CANARY));
    expect(item.json).toMatchObject({ built: true, identitySubject: expect.stringContaining('CN=Jane Doe') });
    const profile = plist.parse(bytesOf(item).toString('utf8')) as { PayloadContent: Record<string, unknown>[] };
    const eas = profile.PayloadContent.find((x) => x.PayloadType === 'com.apple.eas.account') ?? {};
    const identity = profile.PayloadContent.find((x) => x.PayloadType === 'com.apple.security.pkcs12') ?? {};
    expect(identity).toMatchObject({ PayloadType: 'com.apple.security.pkcs12', PayloadUUID: item.json.identityUuid });
    expect(identity.Password).toBeUndefined();
    expect(eas.PayloadCertificateUUID).toBe(item.json.identityUuid);
    const embedded = path.join(dir, 'embedded.p12');
    writeFileSync(embedded, identity.PayloadContent as Buffer);
    const { stdout, stderr } = await run('openssl', ['pkcs12', '-info', '-legacy', '-in', embedded, '-passin', `pass:${CANARY}`, '-nodes']);
    expect(`${stdout}${stderr}`).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
    expect(stdout).toContain('PRIVATE KEY');
    expect(JSON.stringify(item.json)).not.toContain(CANARY);

    const [[wrong]] = await node.execute.call(context(items, params({}), undefined, 'not-the-right-one'));
    expect(wrong.json).toMatchObject({ built: false, diagnostics: [expect.objectContaining({ code: 'identity-unreadable', message: 'wrong passphrase for identity.p12' })] });
    expect(JSON.stringify(wrong.json)).not.toContain('not-the-right-one');
  });

  it('reports an owner it cannot use as an item with diagnostics, not as a failure of the run', async () => {
    const ctx = context([{ json: {} }], () => ({ ...buildParams({ sign: false })(), owner: { email: 'not-an-address', username: 'x' } }));
    const [[item]] = await node.execute.call(ctx);
    expect(item.json.built).toBe(false);
    expect((item.json.diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['bad-email']);
    expect(item.binary).toBeUndefined();
  });
});

describe('EAS Profile node: Inspect Profile and the credential test', () => {
  it('inspects a signed profile and checks its chain against the given CA', async () => {
    const built = await node.execute.call(
      context([{ json: {} }], () => ({ ...buildParams({ sign: true })(), owner: { email: 'jane.doe@example.com', username: 'jdoe' } }), { format: 'pem', publicCertificate: pki.pem(pki.leafCert), privateKey: pki.pem(pki.leafKey) }),
    );
    const bytes = bytesOf(built[0][0]);
    const params = () => ({ resource: 'profile', operation: 'inspect', binaryPropertyName: 'data', caCertificates: pki.pem(pki.caCert) });
    const [[report]] = await node.execute.call(context([{ json: {}, binary: { data: bytes } }], params));
    expect(report.json).toMatchObject({ format: 'signed', signature: { status: 'valid' }, chain: { status: 'verified' } });
    const tampered = Buffer.from(bytes);
    tampered[tampered.indexOf('mail.example.com')] ^= 1;
    const [[bad]] = await node.execute.call(context([{ json: {}, binary: { data: tampered } }], params));
    expect(bad.json).toMatchObject({ signature: { status: 'invalid' } });
  });

  it('tests the signing credential: OK with the signer named, Error with the reason', async () => {
    const test = node.methods.credentialTest.easSigningIdentityTest;
    const fns = {} as ICredentialTestFunctions;
    const ok = await test.call(fns, { id: '1', name: 'x', type: 'easSigningIdentityApi', data: { format: 'pem', publicCertificate: pki.pem(pki.leafCert), privateKey: pki.pem(pki.leafKey) } });
    expect(ok.status).toBe('OK');
    expect(ok.message).toContain('Test Profile Signer');
    const wrong = await test.call(fns, { id: '1', name: 'x', type: 'easSigningIdentityApi', data: { format: 'pem', publicCertificate: pki.pem(pki.leafCert), privateKey: pki.pem(device.leafKey) } });
    expect(wrong.status).toBe('Error');
    expect(wrong.message).toMatch(/private key .* matches none of its certificates/i);
  });
});
