import { defineConfig } from 'vitest/config'

// `npm run test:faults`: the slow fault-injection suite (kill -9, outages), after `npm test`.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    // One retry. The PostgreSQL-outage hang had a cause, now fixed (app/db/adapters.ts: a dead
    // transaction connection was never released); the kill -9 test failed once in two clean CI
    // runs, cause not found. A retry still fails on a loss that happens every time, but can hide
    // a rare one: find it, then drop this.
    retry: 1,
  },
})
