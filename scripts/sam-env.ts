/**
 * `npm run sam:env -- --profile P [--endpoint URL] [--stack NAME] [--out FILE]`: writes the
 * env-vars file for `sam local invoke/start-api --env-vars FILE`, keyed by each function's logical
 * id in the template `cdk synth -c profile=P -c local=true` writes, with every variable of every
 * function given a real value: the resources of an emulator (bootstrapped at --endpoint, or at the
 * one `npm start` runs), or with --stack those of a deployed stack.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, readState, requireProfile, runCli } from '../local/state';
import { loadCatalogue } from '../policy/catalogue';

// The SDK's notice about future Node versions is for maintainers; this CLI answers in one line.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Where the SAM API serves by default: POLICY_URL points at it. */
const SAM_API_URL = 'http://127.0.0.1:3000';

runCli(async () => {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string' },
      endpoint: { type: 'string' },
      'container-endpoint': { type: 'string' },
      'api-url': { type: 'string', default: SAM_API_URL },
      stack: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.profile) throw new CliError('--profile is required: npm run sam:env -- --profile littleone');
  const profile = requireProfile(values.profile);
  if (values.stack && values.endpoint) {
    throw new CliError('--stack and --endpoint exclude each other: name a deployed stack or an emulator.');
  }
  const out = resolve(values.out ?? `sam/env.${profile}.json`);

  // Loaded after the flags are checked: a typo gets one line, not the CDK's start-up time.
  const { synthesizeForSam } = await import('./sam/template');
  const { emulatorResolver, envVarsFile, readStack, stackResolver, unresolvedValues, UnresolvedVariable } =
    await import('./sam/env-vars');
  let resolver: ReturnType<typeof stackResolver>;
  let source: string;
  if (values.stack) {
    const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
    // The deployed stack's region is the catalogue's; credentials come from the caller's chain.
    const client = new CloudFormationClient({ region: loadCatalogue(profile).region, maxAttempts: 2 });
    try {
      resolver = stackResolver(await readStack(client, values.stack));
    } catch (error) {
      throw new CliError(`Cannot read stack ${values.stack}: ${stackProblem(error, profile)}`);
    } finally {
      client.destroy();
    }
    source = `stack ${values.stack}`;
  } else {
    const endpoint = values.endpoint ?? (await emulatorOfLocalStack());
    const { connectEmulator } = await import('../local/emulator');
    const { bootstrap } = await import('../local/bootstrap');
    await connectEmulator(endpoint).catch(() => {
      throw new CliError(
        `Nothing answers at ${endpoint}: start an emulator there (moto_server -p <port>, or npm start) and pass its endpoint.`,
      );
    });
    const resources = await bootstrap({ profile, endpoint });
    resolver = emulatorResolver({
      env: resources.env,
      containerEndpoint: values['container-endpoint'] ?? endpoint,
      apiUrl: values['api-url'],
    });
    source = `emulator ${endpoint}`;
  }

  const sam = synthesizeForSam(profile);
  let file: ReturnType<typeof envVarsFile>;
  try {
    file = envVarsFile(sam.functions, resolver);
  } catch (error) {
    if (error instanceof UnresolvedVariable) throw new CliError(`Not written: ${error.message}.`);
    throw error;
  }
  const problems = unresolvedValues(file, sam.template);
  if (problems.length > 0) throw new CliError(`Not written: ${problems[0]} (${problems.length} in all).`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(file, null, 2)}\n`);
  const variables = Object.values(file).reduce((n, vars) => n + Object.keys(vars).length, 0);
  process.stdout.write(
    `Wrote ${out}: ${Object.keys(file).length} functions, ${variables} variables, from ${source}.\n` +
      `Template: npx cdk synth -c profile=${profile} -c local=true (cdk.out/${sam.stackName}.template.json)\n`,
  );
});

/** The emulator of the running `npm start`, or the one line saying how to name one. */
async function emulatorOfLocalStack(): Promise<string> {
  try {
    return (await readState()).endpoint;
  } catch (error) {
    if (error instanceof CliError) {
      throw new CliError(
        'No emulator named and no local stack running: pass --endpoint http://127.0.0.1:5000 (a running moto), run `npm start` first, or pass --stack for a deployed stack.',
      );
    }
    throw error;
  }
}

/** One line naming why a stack could not be read, and the fix. */
function stackProblem(error: unknown, profile: string): string {
  const name = (error as { name?: string })?.name ?? '';
  const message = String((error as { message?: string })?.message ?? error).split('\n')[0] ?? '';
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE (or the AWS_ACCESS_KEY_ID pair) for the account the stack is in.';
  }
  if (/does not exist/i.test(message)) {
    return `no such stack in ${loadCatalogue(profile).region}: deploy it first, or name it (the profile's stack is PrivacyStack-${profile}).`;
  }
  if (/AccessDenied|not authorized/i.test(`${name} ${message}`)) {
    return 'access denied: the caller needs cloudformation:DescribeStacks and cloudformation:ListStackResources on it.';
  }
  return `${message} (check the stack name and your AWS credentials).`;
}
