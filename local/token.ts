/**
 * `npm run -s token -- --sub <id> | --account <username> [--group privacy-officer]
 * [--method google|apple|password] [--expires-in 1h]`: prints an ID token the running local
 * stack accepts. `--account` signs up (or reuses) a real account in the local user pool and takes
 * the member id from it, as Cognito would; `--sub` names any member id without an account.
 */
import { parseArgs } from 'node:util';
import { ENV } from '../model/resources';
import { loadCatalogue } from '../policy/catalogue';
import { type SignInMethod, signInMethods } from '../policy/schema';
import { ensureLocalAccount } from './accounts';
import { parseDuration, readIssuerKey, signIdToken } from './issuer';
import { CliError, readState, runCli } from './state';

function isSignInMethod(value: string): value is SignInMethod {
  return (signInMethods as readonly string[]).includes(value);
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      account: { type: 'string' },
      group: { type: 'string', multiple: true },
      method: { type: 'string' },
      'expires-in': { type: 'string', default: '1h' },
    },
  });
  if (!values.sub === !values.account)
    throw new CliError(
      'Usage: npm run -s token -- --sub <member id> | --account <username> [--group privacy-officer] [--method google|apple|password] [--expires-in 1h]',
    );
  const state = await readState();
  const catalogue = loadCatalogue(state.profile);
  const method = values.method ?? catalogue.signIn[0]!;
  if (!isSignInMethod(method)) throw new CliError(`--method must be one of ${signInMethods.join(', ')}.`);
  if (!catalogue.signIn.includes(method)) {
    process.stderr.write(
      `note: profile ${state.profile} signs in with ${catalogue.signIn.join(', ')}, not ${method}\n`,
    );
  }
  const expiresInSeconds = parseDuration(values['expires-in']);
  if (expiresInSeconds === undefined)
    throw new CliError('--expires-in takes a duration such as 15m, 1h, 2d or -1h.');

  const key = await readIssuerKey(state.issuerKeyPath);
  const sub = values.account
    ? await ensureLocalAccount(state.endpoint, requireStateEnv(state, ENV.userPoolId), values.account)
    : values.sub!;
  const token = await signIdToken(key, state.issuer, sub, {
    method,
    ...(values.account ? { username: values.account } : {}),
    expiresInSeconds,
    ...(values.group ? { groups: values.group } : {}),
    audience: state.audience,
  });
  if (values.account) process.stderr.write(`member id (sub): ${sub}\n`);
  process.stdout.write(`${token}\n`);
});

function requireStateEnv(state: { env: Readonly<Record<string, string>> }, name: string): string {
  const value = state.env[name];
  if (!value) throw new CliError('The running local stack predates user pools: restart npm start.');
  return value;
}
