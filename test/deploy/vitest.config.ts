import { defineConfig } from 'vitest/config'

// The multi-process deployment on PostgreSQL (two API processes, one worker): its own run, in
// .ci/run's PostgreSQL step, since it needs a PostgreSQL server and starts real processes.
export default defineConfig({
  test: {
    include: ['test/deploy/**/*.deploy.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
