import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // The CommonJS build of n8n-workflow, the one n8n itself loads (`require`).
  resolve: { alias: { 'n8n-workflow': require.resolve('n8n-workflow') } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
