import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Handlers log JSON lines; tests assert on responses, so keep the output readable.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    // An integration file is a Node process and a moto server taking turns on the CPU: with two
    // files at once a 2-core runner stayed about 30% idle (user and system time were 69% of two
    // cores over the run), so a third file fills the gaps. vitest's default is cores minus one.
    maxWorkers: 3,
    projects: [
      // The unit tests run under three host time zones: every date the product computes is a
      // Seoul date (model/calendar.ts), so none may depend on the zone of the machine it runs on.
      // Bundling does not touch dates, and the million-member simulation counts seconds from
      // Seoul days through the calendar the zoned runs already cover: each runs once, in UTC.
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', env: { TZ: 'UTC' } },
      },
      ...['Asia/Seoul', 'America/Los_Angeles'].map((zone) => ({
        test: {
          name: `unit (TZ=${zone})`,
          include: ['test/unit/**/*.test.ts'],
          exclude: [
            'test/unit/bundle-budgets.test.ts',
            'test/unit/bundling.test.ts',
            'test/unit/million.test.ts',
          ],
          environment: 'node',
          env: { TZ: zone },
        },
      })),
      // Synthesizing the stack bundles every function with esbuild: give it time, run it alone.
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      // The shipped bundles, run from the synthesized assembly of each profile: one file per
      // profile, so the two syntheses (esbuild included) run side by side.
      {
        test: {
          name: 'artefacts',
          include: ['test/artefacts/**/*.test.ts'],
          // A test starts a process per function it reaches: generous on a busy machine.
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
      // Each file starts its own moto server on a free port, so files can run in parallel.
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Records each handler's AWS calls for the IAM check below.
          setupFiles: ['test/integration/record-calls.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      // The pages in Chromium against a whole local stack each file: a browser and a moto server per
      // file, so two files at once at most, in a group of their own after the others (vitest runs a
      // group's projects with one worker limit).
      {
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          // A page answers after a handler and moto did: on a busy machine, more than a second.
          expect: { poll: { timeout: 15_000 } },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      // Evaluates the calls the integration files recorded against the synthesized roles, so it
      // runs after every other project has finished.
      {
        test: {
          name: 'iam',
          include: ['test/iam/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
