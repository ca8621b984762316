import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    // Registers the built-in platforms (labels and hints of errors) for tests that import one module.
    setupFiles: ['./src/platforms.ts'],
  },
});
