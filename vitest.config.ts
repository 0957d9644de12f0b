import { defineConfig } from 'vitest/config';

// Workers run from dist/ (npm test builds first), so tests exercise the code users run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
