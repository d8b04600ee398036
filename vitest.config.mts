import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/components/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 900_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
