import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli/commands';
import { DIAGNOSTIC_CODES } from '../core/eas';
import { PROFILE_CODES } from '../core/profiles/codes';

// The README is what a newcomer trusts: it must list every diagnostic code and every command.
const readme = readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');

describe('README', () => {
  it('has a row for every diagnostic code with its severity and meaning', () => {
    for (const [code, { severity, summary }] of Object.entries({ ...DIAGNOSTIC_CODES, ...PROFILE_CODES })) {
      expect(readme, code).toContain(`| \`${code}\` | ${severity} | ${summary.replace(/\|/g, '\\|')} |`);
    }
  });

  it('documents every CLI command and the two commands', () => {
    for (const c of COMMANDS) expect(readme, c.path.join(' ')).toContain(`eas-profiles ${c.path.join(' ')}`);
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });

  it('lists every example workflow', () => {
    const examples = path.resolve(__dirname, '../examples');
    for (const f of readdirSync(examples)) expect(readme, f).toContain(`examples/${f}`);
  });
});
