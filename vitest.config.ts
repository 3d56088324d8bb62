import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Starts the test files that take longest first, so a run on two cores ends with short files on
 * every worker rather than one long file alone. Without timings of its own (a clean clone, as in
 * CI), vitest starts the larger files first, and the suites that declare a shared scenario table
 * from a five-line file (the fault sweeps, schemathesis) came last and ran on after the rest. The
 * seconds are each file's time in a full `npm test` (2026-12-01, 2 cores); files not listed keep
 * vitest's order after these. Groups (`sequence.groupOrder`) still run in their order.
 */
const SECONDS: Readonly<Record<string, number>> = {
  'test/integration/faults-officer-littleone.test.ts': 199,
  'test/integration/faults-officer-lgcns.test.ts': 177,
  'test/integration/breach-notices-scale.test.ts': 138,
  'test/integration/local-clis.test.ts': 116,
  'test/integration/preflight.test.ts': 112,
  'test/infra/cfn-lint.test.ts': 109,
  'test/integration/schemathesis-littleone.test.ts': 105,
  'test/integration/faults-littleone.test.ts': 102,
  'test/integration/schemathesis-lgcns.test.ts': 100,
  'test/artefacts/artefacts-littleone.test.ts': 91,
  'test/artefacts/artefacts-lgcns.test.ts': 86,
  'test/integration/import.test.ts': 78,
  'test/integration/bad-input-littleone.test.ts': 78,
  'test/integration/sam-env.test.ts': 77,
  'test/infra/sam-local.test.ts': 64,
  'test/integration/bad-input-lgcns.test.ts': 62,
  'test/integration/faults-lgcns.test.ts': 62,
  'test/infra/officer.test.ts': 49,
  'test/integration/officer-cli.test.ts': 48,
  'test/infra/stack.test.ts': 44,
  'test/infra/deploy.test.ts': 41,
  'test/integration/inactivity-crash-lgcns.test.ts': 38,
  'test/integration/signin-cli.test.ts': 37,
  'test/integration/inactivity-crash-littleone.test.ts': 36,
  'test/integration/inactivity-lgcns.test.ts': 35,
  'test/integration/inactivity-littleone.test.ts': 35,
  'test/integration/import-faults.test.ts': 33,
  'test/integration/inactivity-rule.test.ts': 33,
};

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const seconds = (f: TestSpecification) => SECONDS[f.moduleId.slice(root.length + 1)] ?? 0;
    const group = (f: TestSpecification) => f.project.config.sequence.groupOrder;
    // Array.prototype.sort is stable: unlisted files keep the base order among themselves.
    return base.sort((a, b) => group(a) - group(b) || seconds(b) - seconds(a));
  }
}

export default defineConfig({
  test: {
    // Handlers log JSON lines; tests assert on responses, so keep the output readable.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
    // An integration file is a Node process and a moto server taking turns on the CPU: with two
    // files at once a 2-core runner stayed about 30% idle (user and system time were 69% of two
    // cores over the run), so a third file fills the gaps. vitest's default is cores minus one.
    maxWorkers: 3,
    // The longest files first, so the run does not end with one long file on one core.
    sequence: { sequencer: LongestFirst },
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
