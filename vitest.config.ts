import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests, and tests that need a Docker engine and the runtime images
// (built once by the global setup and shared by every file). Files run one at a time, because
// the Docker tests start containers and servers that would compete for the machine's cores.
export default defineConfig({
  test: {
    fileParallelism: false,
    reporters: ['default', './test/support/docker-count-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/support/temp-dir-setup.ts'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/integration/**/*.test.ts', 'test/compat/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/temp-dir-setup.ts', 'test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
