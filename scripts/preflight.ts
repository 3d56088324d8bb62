/**
 * `npm run preflight -- --profile <name> [--region ap-northeast-2] [-c key=value ...]`: what a
 * first `cdk deploy` needs, checked before it runs: region, credentials, CDK bootstrap, the
 * federation secrets of the profile, the SES identity and sandbox. One line per finding, with
 * the command that fixes a problem; exit 1 when a deploy would fail. AWS_ENDPOINT_URL points
 * every call at an emulator.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetAccountCommand, GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { federationSecretName } from '../lib/constructs/identity';
import { DeploymentError, PLACEHOLDERS, refusedRegion, settingsFromContext } from '../lib/settings';
import { CliError, ROOT, requireProfile, runCli } from '../local/state';
import { ENV } from '../model/resources';
import { loadCatalogue, profiles } from '../policy/catalogue';
import { clientOptions, errorName, explainAwsError, isCredentialsError, noCredentials } from './aws';
import { appleKeyProblem, googleSecretProblem } from './secret-formats';

/** How much a finding matters: `fail` means `cdk deploy` would fail. */
type Level = 'ok' | 'warn' | 'fail';

/** One line of the report. */
interface Finding {
  readonly level: Level;
  readonly text: string;
  /** The command (or step) that fixes it. */
  readonly fix?: string;
}

const LABEL: Record<Level, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

/** The bootstrap stack a deploy of this app needs, as aws-cdk-lib's synthesizer states it. */
interface BootstrapRequirement {
  readonly version: number;
  readonly parameter: string;
}

/**
 * The CDK CLI refuses to deploy when the bootstrap version in SSM is below the
 * `requiresBootstrapStackVersion` of the stack's cloud-assembly artifact. That number belongs
 * to the synthesizer of the installed aws-cdk-lib (and the qualifier to the context), so a
 * one-resource stack synthesized with the same context states it exactly.
 */
function bootstrapRequirement(context: Record<string, unknown>, region: string): BootstrapRequirement {
  const outdir = mkdtempSync(join(tmpdir(), 'preflight-'));
  // The built-in template validation is most of a synth's time and has nothing to check here.
  const validation = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const app = new App({ outdir, context, analyticsReporting: false, treeMetadata: false });
    const stack = new Stack(app, 'Preflight', { env: { region } });
    new CfnWaitConditionHandle(stack, 'Nothing');
    const artifact = app.synth().getStackArtifact('Preflight');
    return {
      version: artifact.requiresBootstrapStackVersion ?? 1,
      parameter: artifact.bootstrapStackVersionSsmParameter ?? '/cdk-bootstrap/hnb659fds/version',
    };
  } finally {
    if (validation === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = validation;
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** cdk.json's context, then each `-c key=value`, as the CDK CLI merges them. */
function contextOf(flags: readonly string[]): Record<string, unknown> {
  const file = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  const context: Record<string, unknown> = { ...file.context };
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) throw new CliError(`-c takes key=value, as cdk does: got "${flag}".`);
    context[flag.slice(0, at)] = flag.slice(at + 1);
  }
  return context;
}

/** The secrets a profile's sign-in methods need, with how each is stored and checked. */
function neededSecrets(signIn: readonly string[], profile: string, appleKeyId: string) {
  const secrets: { name: string; source: string; problem: (value: string) => string | undefined }[] = [];
  if (signIn.includes('google')) {
    secrets.push({
      name: federationSecretName(profile, 'google-client-secret'),
      // $(cat …) drops the trailing newline an editor leaves; the secret must be the bare string.
      source: '"$(cat google-client-secret.txt)"',
      problem: googleSecretProblem,
    });
  }
  if (signIn.includes('apple')) {
    secrets.push({
      name: federationSecretName(profile, 'apple-private-key'),
      source: `file://AuthKey_${appleKeyId}.p8`,
      problem: appleKeyProblem,
    });
  }
  return secrets;
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string' },
      region: { type: 'string' },
      context: { type: 'string', short: 'c', multiple: true, default: [] },
    },
  });
  const context = contextOf(values.context);
  if (values.profile) context.profile = values.profile;
  const profile = requireProfile(String(context.profile ?? ''));
  let settings: ReturnType<typeof settingsFromContext>;
  try {
    settings = settingsFromContext((key) => context[key]);
  } catch (error) {
    if (error instanceof DeploymentError) throw new CliError(error.message);
    throw error;
  }
  const catalogue = loadCatalogue(profile);
  const region = catalogue.region;
  const findings: Finding[] = [];
  const report = (finding: Finding) => {
    findings.push(finding);
    const fix = finding.fix ? ` Fix: ${finding.fix}` : '';
    process.stdout.write(`${LABEL[finding.level]}  ${finding.text}${fix}\n`);
  };
  const endpoint = process.env[ENV.endpoint];
  process.stdout.write(
    `Preflight of profile ${profile} in ${region}${endpoint ? ` (AWS_ENDPOINT_URL=${endpoint})` : ''}\n`,
  );

  // Region: the app refuses to synthesize when any source names another region.
  let configured: string | undefined;
  try {
    configured = await new STSClient({}).config.region();
  } catch {
    configured = undefined;
  }
  const sources = {
    context: values.region ?? context.region,
    awsRegion: process.env.AWS_REGION,
    awsDefaultRegion: process.env.AWS_DEFAULT_REGION,
    cdkDefaultRegion: configured,
  };
  const refused = refusedRegion(sources, region);
  if (refused !== undefined) {
    report({
      level: 'fail',
      text: `region ${refused} is not allowed: this stack deploys only to ${region}, and the app refuses to synthesize elsewhere.`,
      fix: `export AWS_REGION=${region} AWS_DEFAULT_REGION=${region} (and \`aws configure set region ${region}\`), without --region or -c region naming another.`,
    });
  } else {
    report({ level: 'ok', text: `region ${region}` });
  }

  // Credentials: nothing else can be checked without them.
  const options = clientOptions(region);
  let account: string;
  try {
    const identity = await new STSClient(options).send(new GetCallerIdentityCommand({}));
    account = identity.Account ?? 'unknown';
    report({ level: 'ok', text: `credentials of ${identity.Arn} (account ${account})` });
  } catch (error) {
    if (isCredentialsError(error)) throw noCredentials();
    throw explainAwsError(error, 'checking credentials (sts get-caller-identity)');
  }

  // CDK bootstrap.
  const required = bootstrapRequirement(context, region);
  const bootstrapFix = `npx cdk bootstrap aws://${account}/${region}`;
  try {
    const parameter = await new SSMClient(options).send(
      new GetParameterCommand({ Name: required.parameter }),
    );
    const version = Number(parameter.Parameter?.Value);
    if (!(version >= required.version)) {
      report({
        level: 'fail',
        text: `CDK bootstrap version ${parameter.Parameter?.Value} in ${region} is older than the ${required.version} this app needs.`,
        fix: bootstrapFix,
      });
    } else {
      report({ level: 'ok', text: `CDK bootstrap version ${version} (needs ${required.version} or later)` });
    }
  } catch (error) {
    if (errorName(error) === 'ParameterNotFound') {
      report({
        level: 'fail',
        text: `${region} of account ${account} is not bootstrapped for the CDK (no SSM parameter ${required.parameter}).`,
        fix: bootstrapFix,
      });
    } else {
      report({ level: 'fail', text: explainAwsError(error, `reading ${required.parameter}`).message });
    }
  }

  // Federation secrets, resolved by CloudFormation at deploy time.
  const secrets = neededSecrets(catalogue.signIn, profile, settings.federation.appleKeyId);
  if (secrets.length === 0) {
    report({
      level: 'ok',
      text: `no federation secrets: profile ${profile} signs in with ${catalogue.signIn.join(', ')}`,
    });
  }
  const secretsClient = new SecretsManagerClient(options);
  for (const secret of secrets) {
    const create = `aws secretsmanager create-secret --region ${region} --name ${secret.name} --secret-string ${secret.source}`;
    const put = `aws secretsmanager put-secret-value --region ${region} --secret-id ${secret.name} --secret-string ${secret.source}`;
    try {
      const value = await secretsClient.send(new GetSecretValueCommand({ SecretId: secret.name }));
      const problem =
        value.SecretString === undefined
          ? 'is stored as binary; store it as text (--secret-string)'
          : secret.problem(value.SecretString);
      report(
        problem
          ? { level: 'fail', text: `secret ${secret.name} ${problem}.`, fix: put }
          : { level: 'ok', text: `secret ${secret.name}` },
      );
    } catch (error) {
      const name = errorName(error);
      if (name === 'ResourceNotFoundException') {
        report({ level: 'fail', text: `secret ${secret.name} does not exist.`, fix: create });
      } else if (name === 'InvalidRequestException' && /deletion/i.test(String((error as Error).message))) {
        report({
          level: 'fail',
          text: `secret ${secret.name} is scheduled for deletion.`,
          fix: `aws secretsmanager restore-secret --region ${region} --secret-id ${secret.name}`,
        });
      } else {
        report({ level: 'fail', text: explainAwsError(error, `reading secret ${secret.name}`).message });
      }
    }
  }
  const federation = settings.federation;
  const placeholders = [
    ...(catalogue.signIn.includes('google') && federation.googleClientId === PLACEHOLDERS.googleClientId
      ? ['googleClientId']
      : []),
    ...(catalogue.signIn.includes('apple')
      ? (['appleServicesId', 'appleTeamId', 'appleKeyId'] as const).filter(
          (key) => federation[key] === PLACEHOLDERS[key],
        )
      : []),
  ];
  if (placeholders.length > 0) {
    report({
      level: 'warn',
      text: `context ${placeholders.join(', ')} still hold placeholders: the stack deploys, but that sign-in fails.`,
      fix: placeholders.map((key) => `-c ${key}=…`).join(' '),
    });
  }

  // SES: the stack creates the sender domain's identity (senderIdentity=create), and one made
  // outside it blocks the create; or it sends from one that must already exist (existing).
  const ses = new SESv2Client(options);
  const domain = settings.senderDomain;
  if (domain === PLACEHOLDERS.senderDomain) {
    report({
      level: 'warn',
      text: `senderDomain is the placeholder ${domain}: no notice can be sent from it.`,
      fix: '-c senderDomain=<a domain whose DNS you control>',
    });
  }
  // Loaded only here: the app factory brings the whole stack's constructs with it.
  const { stackName } = await import('../lib/app-factory');
  const ours = stackName(profile);
  const cfn = new CloudFormationClient(options);
  const existing = settings.senderIdentity === 'existing';
  try {
    const identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
    const owned = await stackOwnsIdentity(cfn, ours, domain);
    if (!owned && !existing) {
      // Another profile's stack in this account may hold it: SES keeps one identity per domain.
      let owner: string | undefined;
      for (const other of Object.keys(profiles).filter((p) => p !== profile)) {
        if (await stackOwnsIdentity(cfn, stackName(other), domain)) owner = stackName(other);
      }
      report({
        level: 'fail',
        text: owner
          ? `SES identity ${domain} belongs to stack ${owner}: creating it again in stack ${ours} would fail with "already exists".`
          : `SES identity ${domain} already exists outside stack ${ours}: creating the stack would fail with "already exists".`,
        fix: owner
          ? `-c senderIdentity=existing (this stack then sends from ${owner}'s identity, which keeps it)`
          : `-c senderIdentity=existing to send from it as it is; or use another domain (-c senderDomain=${profile}.${domain}); or, if nothing sends from it, aws sesv2 delete-email-identity --region ${region} --email-identity ${domain}`,
      });
    } else if (owned && existing) {
      report({
        level: 'fail',
        text: `SES identity ${domain} was created by stack ${ours}: with senderIdentity=existing the deploy would remove it from the stack, which deletes it, and no notice could be sent.`,
        fix: '-c senderIdentity=create (the default) for this stack',
      });
    } else if (identity.VerifiedForSendingStatus) {
      report({
        level: 'ok',
        text: `SES identity ${domain}, verified for sending${owned ? '' : ' (senderIdentity=existing: made outside this stack)'}`,
      });
    } else {
      report({
        level: 'warn',
        text: `SES identity ${domain} is not verified yet (DKIM ${identity.DkimAttributes?.Status ?? 'unknown'}): mail routes answer 503 until it is.`,
        fix: owned
          ? `publish the CNAMEs of the stack outputs DkimRecord1-3 in the DNS of ${domain}`
          : `publish its DKIM CNAMEs (aws sesv2 get-email-identity --region ${region} --email-identity ${domain} lists the tokens) in the DNS of ${domain}`,
      });
    }
  } catch (error) {
    if (errorName(error) !== 'NotFoundException') {
      report({ level: 'warn', text: explainAwsError(error, `reading SES identity ${domain}`).message });
    } else if (existing) {
      report({
        level: 'fail',
        text: `SES identity ${domain} does not exist, and senderIdentity=existing tells the stack not to create it: no notice could be sent.`,
        fix: `-c senderIdentity=create to let the stack create it; or aws sesv2 create-email-identity --region ${region} --email-identity ${domain}, then publish the DKIM CNAMEs it returns`,
      });
    } else {
      report({
        level: 'ok',
        text: `SES identity ${domain}: none yet, the stack creates it (then publish the DKIM records it outputs)`,
      });
    }
  }
  try {
    const sesAccount = await ses.send(new GetAccountCommand({}));
    if (sesAccount.SendingEnabled === false) {
      report({
        level: 'warn',
        text: `SES sending is paused for account ${account} in ${region}: every mail route answers 503.`,
        fix: 'see the SES console (Account dashboard) for why, then resume sending',
      });
    }
    if (sesAccount.ProductionAccessEnabled) {
      report({ level: 'ok', text: 'SES production access (out of the sandbox)' });
    } else {
      report({
        level: 'warn',
        text: `SES account is in the sandbox in ${region}: it sends only to verified addresses, so every mail route answers 503 until you leave it.`,
        fix: `aws sesv2 put-account-details --region ${region} --production-access-enabled --mail-type TRANSACTIONAL --website-url https://${domain} --use-case-description "Privacy notices to members"`,
      });
    }
  } catch (error) {
    report({
      level: 'warn',
      text: explainAwsError(error, 'reading the SES account (sesv2 get-account)').message,
    });
  }

  const failures = findings.filter((f) => f.level === 'fail').length;
  const warnings = findings.filter((f) => f.level === 'warn').length;
  if (failures > 0) {
    process.stdout.write(
      `${failures} problem${failures === 1 ? '' : 's'} would make \`cdk deploy\` fail; ${warnings} warning${warnings === 1 ? '' : 's'}.\n`,
    );
    process.exitCode = 1;
  } else {
    process.stdout.write(
      `Ready to deploy (${warnings} warning${warnings === 1 ? '' : 's'}): npx cdk deploy -c profile=${profile}${values.context.map((c) => ` -c ${c}`).join('')}\n`,
    );
  }
});

/** Whether `stack` exists and its resources include the SES identity of `domain`. */
async function stackOwnsIdentity(
  client: CloudFormationClient,
  stack: string,
  domain: string,
): Promise<boolean> {
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListStackResourcesCommand({ StackName: stack, NextToken: token }));
      const found = page.StackResourceSummaries?.some(
        (r) => r.ResourceType === 'AWS::SES::EmailIdentity' && r.PhysicalResourceId === domain,
      );
      if (found) return true;
      token = page.NextToken;
    } while (token);
    return false;
  } catch (error) {
    if (errorName(error) === 'ValidationError') return false;
    throw error;
  }
}
