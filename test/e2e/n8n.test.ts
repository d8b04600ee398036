import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/n8n-runtime.mjs';
import { exampleWorkflows, startN8nInstance, type N8nInstance } from '../helpers/n8n';

// A real n8n 2.40 loads the packed package as a community package and runs the example workflows.
let n8n: N8nInstance;

beforeAll(async () => {
  n8n = await startN8nInstance();
  await n8n.importWorkflows(path.join(root, 'examples'));
}, 900_000);

describe('examples in a real n8n', () => {
  it('every example has a unique id and a name', () => {
    const examples = exampleWorkflows();
    expect(examples.length).toBeGreaterThan(0);
    expect(new Set(examples.map((e) => e.id)).size).toBe(examples.length);
  });

  it('validate-payload: the good payload passes, the bad one gets its diagnostics', async () => {
    const run = await n8n.execute('easValidatePayload01');
    expect(run.status).toBe('success');
    expect(run.error).toBeUndefined();
    const [good, bad] = run.items('Validate payload').map((i) => i.json);
    expect(good).toMatchObject({ valid: true, errorCount: 0, warningCount: 0, diagnostics: [] });
    expect(good.payload).toMatchObject({ Host: 'mail.example.com', EmailAddress: '{{email}}' });
    expect(bad).toMatchObject({ valid: false, errorCount: 4 });
    const diagnostics = bad.diagnostics as { code: string; path: string; severity: string }[];
    expect(diagnostics.map((d) => `${d.severity}:${d.code}@${d.path}`).sort()).toEqual([
      'error:host-is-url@Host',
      'error:past-days-not-allowed@MailNumberOfPastDaysToSync',
      'error:smime-without-identity@SMIMESigningCertificateUUID',
      'error:unknown-key@UseSSL',
    ]);
  }, 120_000);
});
