import { defineConfig } from 'vitest/config';

// The integration suite against a real PostgreSQL server: .ci/run sets NEWS_GRAPH_TEST_DATABASE_URL.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/ingest/**', 'test/cli/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { NEWS_GRAPH_REQUIRE_PG: 'true' },
  },
});
