/**
 * `npm run -s token -- --sub <id> [--group privacy-officer] [--method google|apple|password]
 * [--expires-in 1h]`: prints an ID token the running local stack accepts.
 */
import { parseArgs } from 'node:util';
import { loadCatalogue } from '../policy/catalogue';
import { type SignInMethod, signInMethods } from '../policy/schema';
import { parseDuration, readIssuerKey, signIdToken } from './issuer';
import { CliError, readState, runCli } from './state';

function isSignInMethod(value: string): value is SignInMethod {
  return (signInMethods as readonly string[]).includes(value);
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      group: { type: 'string', multiple: true },
      method: { type: 'string' },
      'expires-in': { type: 'string', default: '1h' },
    },
  });
  if (!values.sub)
    throw new CliError(
      'Usage: npm run -s token -- --sub <member id> [--group privacy-officer] [--method google|apple|password] [--expires-in 1h]',
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
  const token = await signIdToken(key, state.issuer, values.sub, {
    method,
    expiresInSeconds,
    ...(values.group ? { groups: values.group } : {}),
    audience: state.audience,
  });
  process.stdout.write(`${token}\n`);
});
