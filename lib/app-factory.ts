/**
 * Building the CDK app: profile, catalogue, region guard, stack and compliance checks. bin/app.ts
 * only calls {@link buildOrExplain}; tests call the same functions, so what they check is what ships.
 */
import { App } from 'aws-cdk-lib';
import { CatalogueError, loadCatalogue } from '../policy/catalogue';
import type { Catalogue } from '../policy/schema';
import { addComplianceChecks } from './compliance';
import { acknowledgeFindings } from './nag-acknowledgments';
import { PrivacyStack } from './privacy-stack';
import { assertRegion, DeploymentError, regionSourcesOf, settingsFromContext } from './settings';

/** Options of {@link createPrivacyApp}. */
export interface PrivacyAppOptions {
  /** Context, as `-c key=value` or cdk.json would give it. @default - read by the App from the CLI */
  readonly context?: Record<string, unknown>;
  /** The process environment the region guard reads. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the cloud assembly goes. @default - the CLI's, or a temporary directory */
  readonly outdir?: string;
  /** How a profile name becomes a catalogue. @default loadCatalogue */
  readonly loadCatalogue?: (profile: string) => Catalogue;
  /** Whether to run the cdk-nag packs at synth. @default true */
  readonly complianceChecks?: boolean;
}

/** The app, its one stack and the catalogue it was built from. */
export interface PrivacyApp {
  /** The CDK app, ready to synthesize. */
  readonly app: App;
  /** The profile's stack. */
  readonly stack: PrivacyStack;
  /** The validated catalogue the stack was built from. */
  readonly catalogue: Catalogue;
}

/** The stack name of a profile. */
export function stackName(profile: string): string {
  return `PrivacyStack-${profile}`;
}

/**
 * Builds the app for the context's profile; throws {@link CatalogueError} or
 * {@link DeploymentError} (one-line messages) when it must not be synthesized.
 */
export function createPrivacyApp(options: PrivacyAppOptions = {}): PrivacyApp {
  const app = new App({
    // bin/app.ts synthesizes explicitly, only after every check passed.
    autoSynth: false,
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const get = (key: string): unknown => app.node.tryGetContext(key);
  const settings = settingsFromContext(get);
  const catalogue = (options.loadCatalogue ?? loadCatalogue)(settings.profile);
  assertRegion(regionSourcesOf(options.env ?? process.env, get('region')), catalogue.region);

  const stack = new PrivacyStack(app, stackName(catalogue.profile), {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: catalogue.region },
    description: `Privacy-rights backend of ${catalogue.operator.service.en} (profile ${catalogue.profile})`,
    catalogue,
    settings,
  });
  if (options.complianceChecks ?? true) addComplianceChecks(app);
  acknowledgeFindings(stack);
  return { app, stack, catalogue };
}

/**
 * {@link createPrivacyApp}, with configuration errors turned into one line for `report` instead
 * of a stack trace. Returns undefined when the app must not be synthesized.
 */
export function buildOrExplain(
  options: PrivacyAppOptions,
  report: (line: string) => void,
): PrivacyApp | undefined {
  try {
    return createPrivacyApp(options);
  } catch (error) {
    if (error instanceof CatalogueError || error instanceof DeploymentError) {
      report(error.message);
      return undefined;
    }
    throw error;
  }
}
