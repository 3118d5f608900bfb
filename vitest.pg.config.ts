import { defineConfig } from 'vitest/config';

// The integration suite against a real PostgreSQL server: .ci/run sets NEWS_GRAPH_TEST_DATABASE_URL.
export default defineConfig({
  // One copy of graphql for our code and for Pothos/yoga: vitest would otherwise load both its ESM and CJS builds.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/ingest/**', 'test/cli/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { NEWS_GRAPH_REQUIRE_PG: 'true' },
  },
});
