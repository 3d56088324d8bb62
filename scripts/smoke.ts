/**
 * `npm run smoke -- --url <API URL> [--token <member ID token>] [--profile <name>]`: after a
 * deploy, calls the public routes and, with a member's token, one member journey (join, view,
 * export, withdraw, verify the receipt). One line per step with its status and time; the first
 * failure ends the run with exit code 1. The join body is built from this checkout's catalogue
 * and route schemas, for the profile the served OpenAPI document matches. The token may also
 * come from SMOKE_TOKEN, which keeps it out of the shell history.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { checkJoin } from '../lambdas/features/members/rules';
import { principalOf } from '../lambdas/http/principal';
import type { Principal } from '../lambdas/runtime/principal';
import { CliError, requireProfile, runCli } from '../local/state';
import { joinSchema, memberItems } from '../model/routes/item-schemas';
import { openApiDocument } from '../model/routes/openapi';
import { loadCatalogue, profiles } from '../policy/catalogue';
import type { Catalogue, Item, SignInMethod } from '../policy/schema';

const USAGE = 'Usage: npm run smoke -- --url <API base URL> [--token <member ID token>] [--profile <name>]';

/** A step's outcome: the parsed JSON body when there is one. */
interface Answer {
  readonly status: number;
  readonly contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field, each checked.
  readonly json: any;
}

/** The run stops here: the step's line has been printed. */
class StepFailed extends Error {
  override name = 'StepFailed';
}

const write = (line: string) => process.stdout.write(`${line}\n`);

/** Calls one route; prints `ok` or `FAIL` with status and time; throws {@link StepFailed} on failure. */
async function step(
  base: string,
  method: string,
  path: string,
  expect: { status: number; type?: RegExp; check?: (answer: Answer) => string | undefined },
  init: { token?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['idempotency-key'] = randomUUID();
  }
  const label = `${method.padEnd(6)} ${path}`;
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    write(`FAIL  ${label}  no answer (${cause}): is ${base} the API URL (stack output ApiUrl)?`);
    throw new StepFailed();
  }
  const text = await response.text();
  const ms = Math.round(performance.now() - started);
  const contentType = response.headers.get('content-type') ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const answer: Answer = { status: response.status, contentType, json };
  let problem: string | undefined;
  if (response.status !== expect.status) {
    const p = json as { title?: unknown; detail?: unknown } | undefined;
    const said =
      typeof p?.title === 'string'
        ? `: ${p.title}${typeof p.detail === 'string' ? `: ${p.detail}` : ''}`
        : '';
    problem = `expected ${expect.status}${said}`;
  } else if (expect.type && !expect.type.test(contentType)) {
    problem = `expected ${expect.type.source}, got ${contentType || 'no content type'}`;
  } else {
    problem = expect.check?.(answer);
  }
  write(
    `${problem ? 'FAIL' : 'ok  '}  ${label}  ${response.status}  ${ms} ms${problem ? `  ${problem}` : ''}`,
  );
  if (problem) throw new StepFailed();
  return answer;
}

/**
 * A value an item's format accepts. Identifiers (lookup items, blind-indexed and unique) and
 * email addresses carry `run`, so a second smoke run never collides with the first.
 */
function sampleValue(id: string, item: Item, run: string): string {
  const f = item.format;
  switch (f.type) {
    case 'text':
      return (item.lookup ? `smoke-${run}` : 'smoke test').slice(0, f.maxLength);
    case 'email':
      return `smoke-${run}@example.com`;
    case 'phone':
      return item.lookup
        ? `+82 10 ${String(Number.parseInt(run, 16) % 100_000_000).padStart(8, '0')}`
        : '+82 10 0000 0000';
    case 'url':
      return `https://example.com/smoke-${run}`;
    case 'enum':
      return f.values[0]!;
    default:
      throw new CliError(`Cannot make a value for required item ${id} (format ${f.type}).`);
  }
}

/** The join body a member signing in with `method` must send: required items and consents only. */
export function joinBody(c: Catalogue, method: SignInMethod, policyVersion: string) {
  const run = randomUUID().slice(0, 8);
  const items = Object.fromEntries(
    memberItems(c)
      // Identifiers the sign-in provider knows come from the token (G1, L2): left out, not guessed.
      .filter(([, item]) => item.requiredFor.includes(method) && item.fromSignIn === undefined)
      .map(([id, item]) => [id, sampleValue(id, item, run)]),
  );
  const consents = Object.fromEntries(
    Object.entries(c.purposes)
      .filter(([, p]) => p.required)
      .map(([id]) => [id, true]),
  );
  return { items, consents, ageAffirmation: true, policyVersion };
}

/** The profile whose OpenAPI document, as this checkout generates it, is the one served. */
function servedProfile(served: unknown, named: string | undefined): Catalogue {
  const candidates = named ? [requireProfile(named)] : Object.keys(profiles);
  const served1 = JSON.stringify(served);
  for (const name of candidates) {
    const catalogue = loadCatalogue(name);
    if (JSON.stringify(openApiDocument(catalogue)) === served1) return catalogue;
  }
  throw new CliError(
    named
      ? `The served OpenAPI document is not profile ${named}'s as this checkout builds it: deploy this checkout, or check out the deployed version.`
      : 'The served OpenAPI document matches no profile of this checkout: deploy this checkout, or check out the deployed version.',
  );
}

/** The member id and sign-in method a token names, read as the API's authorizer would pass them. */
function principalOfToken(token: string): Principal {
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    claims = undefined;
  }
  const principal = principalOf({
    requestContext: { authorizer: { claims } },
  } as unknown as APIGatewayProxyEvent);
  if (!principal)
    throw new CliError('--token is not an ID token (a JWT with a sub claim): see README, "Getting a token".');
  return principal;
}

runCli(async () => {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, token: { type: 'string' }, profile: { type: 'string' } },
  });
  if (!values.url) throw new CliError(USAGE);
  let base: string;
  try {
    base = new URL(values.url).href.replace(/\/+$/, '');
  } catch {
    throw new CliError(`--url "${values.url}" is not a URL. ${USAGE}`);
  }
  const token = values.token ?? process.env.SMOKE_TOKEN;
  const principal = token ? principalOfToken(token) : undefined;
  const started = performance.now();

  try {
    await step(base, 'GET', '/v1/policy', { status: 200, type: /^text\/html/ });
    const policy = await step(base, 'GET', '/v1/policy?format=json', {
      status: 200,
      type: /^application\/json/,
      check: (a) => (typeof a.json?.version === 'string' ? undefined : 'no policy version in the document'),
    });
    const openapi = await step(base, 'GET', '/v1/openapi.json', {
      status: 200,
      check: (a) => (/^3\.1\./.test(String(a.json?.openapi)) ? undefined : 'not an OpenAPI 3.1 document'),
    });
    const catalogue = servedProfile(openapi.json, values.profile);
    write(`      profile ${catalogue.profile}, policy version ${policy.json.version}`);
    if (!token || !principal) {
      write(
        'Public routes answer. The member journey needs a member ID token: pass --token or set SMOKE_TOKEN.',
      );
      return;
    }

    const body = joinBody(catalogue, principal.method, policy.json.version);
    // The body must pass the route's own schema and join rules before it is sent: a refusal then
    // means the deployment, not this script, is wrong.
    const parsed = joinSchema(catalogue).safeParse(body);
    if (!parsed.success)
      throw new CliError(`The join body does not match the join schema: ${parsed.error.message}`);
    checkJoin(
      { ...catalogue, policy: { ...catalogue.policy, version: body.policyVersion } },
      principal,
      body,
    );

    const member = { token };
    await step(base, 'POST', '/v1/members', { status: 201 }, { ...member, body });
    await step(
      base,
      'GET',
      '/v1/me',
      {
        status: 200,
        check: (a) => (a.json ? undefined : 'the member view is not JSON'),
      },
      member,
    );
    await step(base, 'GET', '/v1/me/export', { status: 200 }, member);
    const receipt = await step(base, 'DELETE', '/v1/me', { status: 200 }, member);
    await step(
      base,
      'POST',
      '/v1/receipts/verify',
      {
        status: 200,
        check: (a) => (a.json?.valid === true ? undefined : 'the deletion receipt did not verify'),
      },
      { body: receipt.json },
    );
    write(
      `Smoke test passed in ${Math.round(performance.now() - started)} ms: member ${principal.memberId} (${principal.method}) joined, was read, exported and withdrawn.`,
    );
  } catch (error) {
    if (error instanceof StepFailed) {
      process.exitCode = 1;
      return;
    }
    throw error;
  }
});
