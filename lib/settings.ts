/**
 * Deployment settings read from CDK context, and the region guard. Pure: no constructs, so the
 * rules that decide whether a synth may run at all are testable without synthesizing anything.
 */

/** A deployment that must not be synthesized; its message is one line naming the problem. */
export class DeploymentError extends Error {
  override name = 'DeploymentError';
}

/** Human names of the regions a catalogue may name, for refusal messages. */
const REGION_NAMES: Readonly<Record<string, string>> = { 'ap-northeast-2': 'Seoul' };

/** The places a region can come from when the app runs. */
export interface RegionSources {
  /** `-c region=…` */
  readonly context?: unknown;
  /** `AWS_REGION` */
  readonly awsRegion?: string;
  /** `AWS_DEFAULT_REGION` */
  readonly awsDefaultRegion?: string;
  /** `CDK_DEFAULT_REGION`, set by the CDK CLI from the caller's AWS configuration. */
  readonly cdkDefaultRegion?: string;
}

/**
 * The CLI sets `CDK_DEFAULT_REGION` to this when it finds no region anywhere, so the value alone
 * says nothing about the caller's intent: it only counts when a region variable backs it up.
 */
const CLI_FALLBACK_REGION = 'us-east-1';

/** The regions the sources name, in the order a reader would blame them. */
function namedRegions(sources: RegionSources): string[] {
  const named: string[] = [];
  if (typeof sources.context === 'string' && sources.context !== '') named.push(sources.context);
  else if (sources.context !== undefined && sources.context !== null) named.push(String(sources.context));
  if (sources.awsRegion) named.push(sources.awsRegion);
  if (sources.awsDefaultRegion) named.push(sources.awsDefaultRegion);
  const cdk = sources.cdkDefaultRegion;
  const configured = Boolean(sources.awsRegion || sources.awsDefaultRegion);
  if (cdk && (cdk !== CLI_FALLBACK_REGION || configured)) named.push(cdk);
  return named;
}

/** The first region named by `sources` that is not `allowed`, or undefined when all agree. */
export function refusedRegion(sources: RegionSources, allowed: string): string | undefined {
  return namedRegions(sources).find((region) => region !== allowed);
}

/** Throws a {@link DeploymentError} when any source names a region other than `allowed`. */
export function assertRegion(sources: RegionSources, allowed: string): void {
  const refused = refusedRegion(sources, allowed);
  if (refused === undefined) return;
  const name = REGION_NAMES[allowed];
  throw new DeploymentError(
    `Refusing to synthesize: region ${refused} is not allowed; this stack deploys only to ${allowed}${name ? ` (${name})` : ''}.`,
  );
}

/** The region sources of a process environment. */
export function regionSourcesOf(
  env: Readonly<Record<string, string | undefined>>,
  context: unknown,
): RegionSources {
  return {
    context,
    awsRegion: env.AWS_REGION,
    awsDefaultRegion: env.AWS_DEFAULT_REGION,
    cdkDefaultRegion: env.CDK_DEFAULT_REGION,
  };
}

/** Client ids of the federated identity providers; secrets come from Secrets Manager, never context. */
export interface FederationSettings {
  /** OAuth client id of the Google sign-in app. */
  readonly googleClientId: string;
  /** Services id of the Sign in with Apple app. */
  readonly appleServicesId: string;
  /** Apple developer team id (10 characters). */
  readonly appleTeamId: string;
  /** Id of the Sign in with Apple private key (10 characters). */
  readonly appleKeyId: string;
}

/** Everything a deployment takes from context besides the profile. */
export interface DeploymentSettings {
  /** The catalogue profile to deploy. */
  readonly profile: string;
  /** The domain SES sends from; its DKIM records must be published before mail flows. */
  readonly senderDomain: string;
  /** The From address of notices, inside {@link senderDomain}. */
  readonly senderAddress: string;
  /**
   * `create`: the stack creates the SES domain identity (and outputs its DKIM records);
   * `existing`: the account has it already (another profile's stack sends from the same
   * domain), and the stack only sends through it. SES keeps one identity per domain and account.
   */
  readonly senderIdentity: 'create' | 'existing';
  /** Where the identity provider may send members back after sign-in. */
  readonly callbackUrls: readonly string[];
  /** Federation client ids, used when the profile signs in with Google or Apple. */
  readonly federation: FederationSettings;
  /** An address subscribed to the alarm topic, if any. */
  readonly alarmEmail?: string;
}

/**
 * Placeholders that let synth run offline. They look like real values so that CloudFormation
 * accepts them, and name themselves as placeholders so nobody mistakes them for production ones.
 */
export const PLACEHOLDERS = {
  profile: 'littleone',
  senderDomain: 'example.com',
  googleClientId: '000000000000-placeholder.apps.googleusercontent.com',
  appleServicesId: 'com.example.placeholder.signin',
  appleTeamId: 'PLACEHOLD1',
  appleKeyId: 'PLACEHOLD2',
} as const;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ADDRESS = /^[A-Za-z0-9._%+-]+@([^@\s]+)$/;
const APPLE_ID = /^[A-Z0-9]{10}$/;

function text(get: (key: string) => unknown, key: string, fallback: string): string {
  const value = get(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string') throw new DeploymentError(`Context ${key} must be a string.`);
  return value;
}

/** Reads and checks the deployment settings; throws a one-line {@link DeploymentError} on a bad value. */
export function settingsFromContext(get: (key: string) => unknown): DeploymentSettings {
  const profile = text(get, 'profile', PLACEHOLDERS.profile);
  const senderDomain = text(get, 'senderDomain', PLACEHOLDERS.senderDomain).toLowerCase();
  if (!DOMAIN.test(senderDomain))
    throw new DeploymentError(`Context senderDomain "${senderDomain}" is not a domain name.`);
  const senderAddress = text(get, 'senderAddress', `privacy@${senderDomain}`);
  const addressDomain = ADDRESS.exec(senderAddress)?.[1]?.toLowerCase();
  if (addressDomain !== senderDomain) {
    throw new DeploymentError(
      `Context senderAddress must be an address at ${senderDomain} (the verified SES domain).`,
    );
  }
  const senderIdentity = text(get, 'senderIdentity', 'create');
  if (senderIdentity !== 'create' && senderIdentity !== 'existing')
    throw new DeploymentError('Context senderIdentity must be "create" or "existing".');
  const rawUrls = get('callbackUrls');
  const callbackUrls = (
    Array.isArray(rawUrls)
      ? rawUrls.map(String)
      : text(get, 'callbackUrls', `https://${senderDomain}/auth/callback`).split(',')
  )
    .map((url) => url.trim())
    .filter(Boolean);
  for (const url of callbackUrls) {
    // Cognito refuses plain http except for localhost; app schemes (littleone://) are fine.
    if (/^http:\/\//.test(url) && !/^http:\/\/localhost[:/]/.test(url)) {
      throw new DeploymentError(`Context callbackUrls: ${url} must use https.`);
    }
  }
  const federation: FederationSettings = {
    googleClientId: text(get, 'googleClientId', PLACEHOLDERS.googleClientId),
    appleServicesId: text(get, 'appleServicesId', PLACEHOLDERS.appleServicesId),
    appleTeamId: text(get, 'appleTeamId', PLACEHOLDERS.appleTeamId),
    appleKeyId: text(get, 'appleKeyId', PLACEHOLDERS.appleKeyId),
  };
  for (const key of ['appleTeamId', 'appleKeyId'] as const) {
    if (!APPLE_ID.test(federation[key]))
      throw new DeploymentError(`Context ${key} must be 10 upper-case letters or digits.`);
  }
  const alarmEmail = text(get, 'alarmEmail', '');
  if (alarmEmail !== '' && !ADDRESS.test(alarmEmail))
    throw new DeploymentError('Context alarmEmail must be an email address.');
  return {
    profile,
    senderDomain,
    senderAddress,
    senderIdentity,
    callbackUrls,
    federation,
    ...(alarmEmail !== '' ? { alarmEmail } : {}),
  };
}

/** The context key that declares the emulator switch in every function (`-c local=true`). */
export const LOCAL_CONTEXT_KEY = 'local';

/**
 * Whether the synthesis is for `sam local`: `-c local=true` declares AWS_ENDPOINT_URL in every
 * function. Absent or `false` otherwise; any other value is refused, so a typo never ships it.
 */
export function emulatorSwitchOf(get: (key: string) => unknown): boolean {
  const value = get(LOCAL_CONTEXT_KEY);
  if (value === undefined || value === null || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new DeploymentError(`Context ${LOCAL_CONTEXT_KEY} must be true or false.`);
}
