import js from '@eslint/js';
import { config as n8nCommunityNodes } from '@n8n/node-cli/eslint';
import tseslint from 'typescript-eslint';

// n8n's community-node preset (cloud checks included) is written for the code n8n loads: the
// nodes, the credentials and package.json. The rest of the repository runs outside n8n (the
// domain in core/, the CLI, the web component, tests that spawn openssl and slapd), where rules
// such as "no node:fs" or "throw only NodeOperationError" do not apply; it gets plain TypeScript
// rules instead. Keeping the preset unmodified for the node code is why n8n.strict is false.
const N8N_CODE = ['nodes/**/*.ts', 'credentials/**/*.ts'];

export default [
  { ignores: ['dist/**', '.n8n-runtime/**', '.tmp/**', 'coverage/**', 'node_modules/**'] },
  ...n8nCommunityNodes.map((c) => (c.files?.includes('**/*.ts') ? { ...c, files: N8N_CODE } : c)),
  ...tseslint.config({
    files: ['core/**/*.ts', 'cli/**/*.ts', 'components/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  }),
];
