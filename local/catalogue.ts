/**
 * `npm run -s catalogue [-- --out <file>] [--at <ISO date>]`: the catalogue in force in the running
 * local stack, as JSON: the latest published policy version in force on that Seoul day, else the
 * deployed catalogue. It is the starting point of a new version (README, "Policy changes"): edit
 * it and send it as the `catalogue` of POST /v1/admin/policy-versions. The officers' list of
 * versions (GET /v1/admin/policy-versions) names versions and their notices, never a catalogue.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadCatalogue } from '../policy/catalogue';
import { applyEnvironment } from './bootstrap';
import { CliError, readState, runCli } from './state';

runCli(async () => {
  const { values } = parseArgs({ options: { out: { type: 'string' }, at: { type: 'string' } } });
  const at = values.at === undefined ? new Date() : new Date(values.at);
  if (Number.isNaN(at.getTime())) {
    throw new CliError(`--at must be an ISO date such as 2027-03-01T00:00:00+09:00, not "${values.at}".`);
  }
  const state = await readState();
  // The feature reads the stack's tables, whose names its environment gives, when first imported.
  applyEnvironment(state.env);
  // Handler logs go to stdout, which carries this CLI's answer alone: keep errors (stderr) only.
  process.env.AWS_LAMBDA_LOG_LEVEL = 'ERROR';
  const { catalogueInForce } = await import('../lambdas/features/policy-versions/store');
  const catalogue = await catalogueInForce(loadCatalogue(state.profile), at);
  const json = `${JSON.stringify(catalogue, null, 2)}\n`;
  if (values.out === undefined) {
    process.stdout.write(json);
    return;
  }
  try {
    await writeFile(values.out, json);
  } catch (error) {
    throw new CliError(
      `Cannot write ${values.out} (${(error as NodeJS.ErrnoException).code}): choose another --out.`,
    );
  }
  process.stderr.write(
    `catalogue version ${catalogue.policy.version} (effective ${catalogue.policy.effectiveDate}) written to ${values.out}\n`,
  );
});
