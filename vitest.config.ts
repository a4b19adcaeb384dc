import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each test file runs in its own process: custom elements are defined once per process.
    pool: 'forks',
    // Browser tests start Chromium while other test files run on the same two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for background work (refreshes, logs); 1 s, its default, is too short on a
    // loaded machine, and a poll that passes returns as soon as it does.
    expect: { poll: { timeout: 10_000, interval: 20 } },
  },
});
