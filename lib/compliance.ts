/** The compliance rule packs every synth runs; a finding nobody acknowledged fails the synth. */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';

/** Registers the AWS Solutions, Serverless and NIST 800-53 rev 5 packs on `app`. */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
    new NIST80053R5Checks(app, { verbose: true }),
  );
}
