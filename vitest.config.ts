import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One copy of graphql for our code and for Pothos/yoga: vitest would otherwise load both its ESM and CJS builds.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
