/**
 * The template `sam local` runs: the profile's stack synthesized with the emulator switch
 * declared (`-c local=true`), and which function of it runs which handler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { createPrivacyApp, stackName } from '../../lib/app-factory';
import { PrivacyFunction } from '../../lib/constructs/privacy-function';
import { LOCAL_CONTEXT_KEY } from '../../lib/settings';

/** A CloudFormation value: a literal or an intrinsic function. */
// biome-ignore lint/suspicious/noExplicitAny: raw CloudFormation JSON
export type CfnValue = any;

/** A resource of a synthesized template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, CfnValue>;
  readonly Metadata?: Record<string, CfnValue>;
}

/** A synthesized template. */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/** A Lambda function of the template, as SAM names it. */
export interface SamFunction {
  /** The function's logical id: what `sam local invoke` and the env-vars file key on. */
  readonly logicalId: string;
  /** Handler file under lambdas/handlers/, without `.ts`; undefined for a function CDK adds itself. */
  readonly handler?: string;
  /** Its Environment.Variables, unresolved. */
  readonly variables: Readonly<Record<string, CfnValue>>;
}

/** A profile's template for `sam local`, and its functions. */
export interface SamTemplate {
  readonly profile: string;
  readonly stackName: string;
  readonly template: CfnTemplate;
  readonly functions: readonly SamFunction[];
  /** The cloud assembly directory; with `bundle`, the template and assets SAM builds from. */
  readonly assemblyDir: string;
  /** Path of the template file in {@link assemblyDir}. */
  readonly templateFile: string;
}

/** Options of {@link synthesizeForSam}. */
export interface SynthesisOptions {
  /** Bundle the handlers (what `sam build` needs); without it only the template is of use. */
  readonly bundle?: boolean;
  /** Declare the emulator switch. @default true */
  readonly local?: boolean;
  /** Where the cloud assembly goes. @default - a temporary directory removed at exit */
  readonly outdir?: string;
}

/**
 * Synthesizes `profile` for SAM. The region guard sees a clean environment: the template is read,
 * never deployed, and the caller's AWS_REGION must not stop it. Throws the app's one-line errors.
 */
export function synthesizeForSam(profile: string, options: SynthesisOptions = {}): SamTemplate {
  let outdir = options.outdir;
  if (!outdir) {
    const made = mkdtempSync(join(tmpdir(), `privacy-sam-${profile}-`));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    outdir = made;
  }
  const { app, stack } = createPrivacyApp({
    context: {
      profile,
      ...((options.local ?? true) ? { [LOCAL_CONTEXT_KEY]: 'true' } : {}),
      // SAM finds each function's code through the asset metadata the CDK CLI would also write.
      'aws:cdk:enable-asset-metadata': true,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
    env: {},
    outdir,
    // cdk-nag checks what is deployed (`npm run synth`); reading functions needs none of it.
    complianceChecks: false,
  });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stackName(profile));
  const template = artifact.template as CfnTemplate;
  const handlers = new Map(
    stack.node
      .findAll()
      .filter((c): c is PrivacyFunction => c instanceof PrivacyFunction)
      .map((fn) => [Stack.of(fn).getLogicalId(fn.function.node.defaultChild as CfnFunction), fn.handler]),
  );
  const functions = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const handler = handlers.get(logicalId);
      return {
        logicalId,
        ...(handler ? { handler } : {}),
        variables: resource.Properties?.Environment?.Variables ?? {},
      };
    });
  return {
    profile,
    stackName: stack.stackName,
    template,
    functions,
    assemblyDir: outdir,
    templateFile: join(outdir, artifact.templateFile),
  };
}
