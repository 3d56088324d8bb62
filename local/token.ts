/**
 * `npm run -s token -- --sub <id> | --account <username> [--group privacy-officer]
 * [--method google|apple|password] [--expires-in 1h] [--signed-in-at <ISO date>] [--json]`: prints
 * an ID token the running local stack accepts. `--account` signs up (or reuses) a real account in
 * the local user pool and takes the member id from it, as Cognito would; `--sub` names any member
 * id without an account. `--json` prints one JSON object instead (token, member id, ...) and
 * nothing else on stdout.
 *
 * `--signed-in-at` is a sign-in at a chosen time: the post-authentication trigger's use case
 * records it as the member's last sign-in (G9), as Cognito's trigger would have at that moment,
 * and the token's `auth_time` says so. The front runs no trigger for such a token (see
 * local/front.ts), so using it does not move the sign-in to the real clock.
 */
import { parseArgs } from 'node:util';
import { ENV } from '../model/resources';
import { loadCatalogue } from '../policy/catalogue';
import { type SignInMethod, signInMethods } from '../policy/schema';
import { ensureLocalAccount } from './accounts';
import { applyEnvironment } from './bootstrap';
import { parseDuration, readIssuerKey, signIdToken } from './issuer';
import { CliError, readState, runCli } from './state';

const USAGE =
  'Usage: npm run -s token -- --sub <member id> | --account <username> [--group privacy-officer] [--method google|apple|password] [--expires-in 1h] [--signed-in-at <ISO date>] [--json]';

function isSignInMethod(value: string): value is SignInMethod {
  return (signInMethods as readonly string[]).includes(value);
}

/** A date with its zone, as --now and --signed-in-at take it; undefined when absent. */
function parseInstant(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time.getTime())) {
    throw new CliError(
      `${flag} must be an ISO date and time such as 2027-03-01T09:00:00+09:00, not "${value}".`,
    );
  }
  return time;
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      account: { type: 'string' },
      group: { type: 'string', multiple: true },
      method: { type: 'string' },
      'expires-in': { type: 'string', default: '1h' },
      'signed-in-at': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.sub === !values.account) throw new CliError(USAGE);
  const signedInAt = parseInstant(values['signed-in-at'], '--signed-in-at');
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
  const signInRecorded = signedInAt ? await recordSignInAt(state, sub, signedInAt) : undefined;
  const issuedAt = new Date();
  const token = await signIdToken(key, state.issuer, sub, {
    method,
    ...(values.account ? { username: values.account } : {}),
    expiresInSeconds,
    ...(values.group ? { groups: values.group } : {}),
    ...(signedInAt ? { authTime: signedInAt } : {}),
    now: issuedAt,
    audience: state.audience,
  });
  if (signInRecorded === false) {
    process.stderr.write(
      'note: no sign-in recorded: the member is not an active member, has a sign-in on that Seoul day already, or is being destroyed\n',
    );
  }
  if (values.json) {
    const out = {
      token,
      memberId: sub,
      ...(values.account ? { username: values.account } : {}),
      method,
      groups: values.group ?? [],
      expiresAt: new Date(issuedAt.getTime() + expiresInSeconds * 1000).toISOString(),
      ...(signedInAt ? { signedInAt: signedInAt.toISOString(), signInRecorded } : {}),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  if (values.account) process.stderr.write(`member id (sub): ${sub}\n`);
  process.stdout.write(`${token}\n`);
});

/**
 * Records a sign-in of `memberId` at `at` with the use case the post-authentication trigger runs;
 * its handler takes the real clock, which is the one thing a tester needs to choose here.
 */
async function recordSignInAt(
  state: { env: Readonly<Record<string, string>>; profile: string },
  memberId: string,
  at: Date,
): Promise<boolean> {
  // Feature modules read the stack's environment when first imported.
  applyEnvironment(state.env);
  // Handler logs go to stdout, which carries this CLI's answer alone: keep errors (stderr) only.
  process.env.AWS_LAMBDA_LOG_LEVEL = 'ERROR';
  const { recordSignIn } = await import('../lambdas/features/members/sign-in');
  return recordSignIn(loadCatalogue(state.profile), memberId, at);
}

function requireStateEnv(state: { env: Readonly<Record<string, string>> }, name: string): string {
  const value = state.env[name];
  if (!value) throw new CliError('The running local stack predates user pools: restart npm start.');
  return value;
}
