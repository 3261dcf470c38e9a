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
  },
})
