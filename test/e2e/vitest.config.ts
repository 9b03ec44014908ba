import { defineConfig } from 'vitest/config'

// Browser journeys against a real Patron (built, on a fresh temporary SQLite database) in
// Debian's Chromium. One file at a time: one browser, one server.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/server.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A page that reads a large answer (a run of 2,000 rules) takes more than vitest's default
    // second to show it on a busy two-core machine; a poll that never comes true still fails.
    expect: { poll: { timeout: 10_000 } },
  },
})
