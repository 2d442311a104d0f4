import { defineConfig } from 'vitest/config';

// Measurements with real parts that print figures (npm run bench:e2e): dashboard latency and CPU,
// MCP round trips, notification latency, Claude Code under panecrew vs by hand. Figures belong in
// benchmarks, not in the test suite, so `npm test` does not run these.
export default defineConfig({
  test: {
    include: ['test/**/*.measure.ts'],
    globalSetup: ['test/support/e2e-report.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
