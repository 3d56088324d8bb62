/**
 * What the deploy-time CLIs (preflight, officer, signin) share: the caller's region and AWS
 * clients that honour AWS_ENDPOINT_URL, a deployed stack's outputs, and AWS errors turned into
 * one line a user can act on.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CliError } from '../local/state';
import { ENV } from '../model/resources';

/** The client options of every deploy-time CLI: the endpoint override, a bounded retry. */
export interface ClientOptions {
  readonly region: string;
  readonly endpoint?: string;
  readonly maxAttempts: number;
}

/**
 * Options for clients in `region`. AWS_ENDPOINT_URL (an emulator) is passed on explicitly, so
 * the CLI and what it prints agree on where the calls go.
 */
export function clientOptions(region: string): ClientOptions {
  const endpoint = process.env[ENV.endpoint];
  return { region, maxAttempts: 3, ...(endpoint ? { endpoint } : {}) };
}

/** The named AWS profile in use, if any (AWS_PROFILE, as the AWS CLI and the CDK read it). */
export function awsProfileName(): string | undefined {
  return process.env.AWS_PROFILE || process.env.AWS_DEFAULT_PROFILE || undefined;
}

/** The AWS error's code, or its class name. */
export function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? 'Error';
}

/** Whether the SDK failed for want of credentials, before sending anything. */
export function isCredentialsError(error: unknown): boolean {
  const name = errorName(error);
  const message = String((error as Error)?.message ?? '');
  return (
    name === 'CredentialsProviderError' ||
    name === 'TokenProviderError' ||
    /could not load credentials|could not be found or parsed in shared credentials|unable to find (a )?profile/i.test(
      message,
    )
  );
}

/** One line for an AWS failure that ends a CLI: no stack trace, no request ids. */
export function explainAwsError(error: unknown, doing: string): CliError {
  if (error instanceof CliError) return error;
  if (isCredentialsError(error)) return noCredentials();
  const name = errorName(error);
  if (/ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/.test(name)) {
    return new CliError(
      `AWS rejected the credentials while ${doing} (${name}): refresh them, e.g. \`aws sso login${profileFlag()}\`.`,
    );
  }
  if (/AccessDenied|NotAuthorized/.test(name)) {
    return new CliError(`Access denied while ${doing} (${name}): use credentials of an administrator.`);
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || name === 'TimeoutError') {
    const where = process.env[ENV.endpoint] ?? 'AWS';
    return new CliError(`Cannot reach ${where} while ${doing} (${code ?? name}): check the network.`);
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (name === 'SyntaxError') {
    // The answer was no AWS response at all: an emulator that does not serve this call.
    const where = process.env[ENV.endpoint] ?? 'AWS';
    return new CliError(
      `${where} does not serve ${doing} (HTTP ${status ?? 'error'} without an AWS answer).`,
    );
  }
  const message = String((error as Error)?.message ?? '').split('\n')[0];
  return new CliError(`AWS refused ${doing}: ${name}${message ? `: ${message}` : ''}`);
}

function profileFlag(): string {
  const profile = awsProfileName();
  return profile ? ` --profile ${profile}` : '';
}

/** The one line for "the SDK found no credentials", naming the AWS profile it looked for. */
export function noCredentials(): CliError {
  const profile = awsProfileName();
  return new CliError(
    profile
      ? `No AWS credentials for AWS_PROFILE=${profile}: run \`aws configure sso --profile ${profile}\` (or \`aws sso login --profile ${profile}\`), then run this again.`
      : 'No AWS credentials found: run `aws configure sso` (or `aws configure`), export AWS_PROFILE=<that profile>, then run this again.',
  );
}

/**
 * A reader of a deployed stack's outputs (`named`, or the profile's stack). A stack or an output
 * that is not there ends the CLI with one line ending in `instead`: what to pass in its place.
 */
export async function stackOutputs(
  options: ClientOptions,
  profile: string,
  named: string | undefined,
  instead: { stack: string; output: string },
): Promise<(key: string) => string> {
  // Loaded only here: the app factory brings the whole stack's constructs with it.
  const stack = named ?? (await import('../lib/app-factory')).stackName(profile);
  let outputs: { OutputKey?: string; OutputValue?: string }[] | undefined;
  try {
    const found = await new CloudFormationClient(options).send(
      new DescribeStacksCommand({ StackName: stack }),
    );
    outputs = found.Stacks?.[0]?.Outputs;
  } catch (error) {
    if (errorName(error) === 'ValidationError') {
      throw new CliError(`Stack ${stack} does not exist in ${options.region}: ${instead.stack}`);
    }
    throw explainAwsError(error, `reading stack ${stack}`);
  }
  return (key) => {
    const value = outputs?.find((o) => o.OutputKey === key)?.OutputValue;
    if (!value) throw new CliError(`Stack ${stack} has no ${key} output: ${instead.output}`);
    return value;
  };
}
