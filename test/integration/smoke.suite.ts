/**
 * `npm run smoke` against the local stack of one profile: the CLI is a child process that talks
 * to the front over HTTP with a token the local issuer signed for a real account in the local
 * user pool, as a deployed stack's Cognito would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/emulator';
import { loadCatalogue } from '../../policy/catalogue';
import { type CliRun, runScript } from '../support/cli';
import { startTestStack, type TestStack } from './harness';

const smoke = (args: readonly string[]) => runScript('smoke', args, {});

/** A step's line: `ok` or `FAIL`, method, path, status, time. */
const stepPattern = (outcome: 'ok  ' | 'FAIL', method: string, path: string, status: number) =>
  new RegExp(`^${outcome}  ${method.padEnd(6)} ${path.replace(/[?.]/g, '\\$&')}  ${status}  \\d+ ms`);
const stepLine = (...args: Parameters<typeof stepPattern>) => expect.stringMatching(stepPattern(...args));

const PUBLIC_STEPS = [
  stepLine('ok  ', 'GET', '/v1/policy', 200),
  stepLine('ok  ', 'GET', '/v1/policy?format=json', 200),
  stepLine('ok  ', 'GET', '/v1/openapi.json', 200),
];

function expectOneLineFailure(run: CliRun) {
  expect(run.code).toBe(1);
  expect(run.lines.filter((line) => line.startsWith('FAIL'))).toHaveLength(1);
  expect(run.lines.at(-1)).toMatch(/^FAIL/);
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);
}

/** Declares the smoke CLI's tests against the local stack of `profile`. */
export function describeSmoke(profile: string): void {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(profile);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe(`npm run smoke (${profile})`, () => {
    it(
      'runs the public routes and a whole member journey, one line per step',
      { timeout: 120_000 },
      async () => {
        // Signed in as the profile's members are: with its first sign-in method.
        const method = loadCatalogue(profile).signIn[0]!;
        const { sub, token } = await stack.account(`smoke-${profile}`, { method });
        const run = await smoke(['--url', stack.baseUrl, '--token', token]);

        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.lines).toEqual([
          ...PUBLIC_STEPS,
          expect.stringMatching(new RegExp(`^ {6}profile ${profile}, policy version \\S+$`)),
          stepLine('ok  ', 'POST', '/v1/members', 201),
          stepLine('ok  ', 'GET', '/v1/me', 200),
          stepLine('ok  ', 'GET', '/v1/me/export', 200),
          stepLine('ok  ', 'DELETE', '/v1/me', 200),
          stepLine('ok  ', 'POST', '/v1/receipts/verify', 200),
          expect.stringMatching(
            new RegExp(`^Smoke test passed in \\d+ ms: member ${sub} \\(${method}\\) joined`),
          ),
        ]);
        // Withdrawn: the member is gone, whatever the token still says.
        const after = await fetch(`${stack.baseUrl}/v1/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(after.status).toBe(404);
      },
    );

    it(
      'without a token, checks the public routes and says what the journey needs',
      { timeout: 60_000 },
      async () => {
        const run = await smoke(['--url', stack.baseUrl, '--profile', profile]);

        expect(run.code).toBe(0);
        expect(run.lines).toEqual([
          ...PUBLIC_STEPS,
          expect.stringMatching(/^ {6}profile /),
          'Public routes answer. The member journey needs a member ID token: pass --token or set SMOKE_TOKEN.',
        ]);
      },
    );

    it(
      'stops at the first failing step with its status and the problem the API gave',
      { timeout: 60_000 },
      async () => {
        const expired = await stack.token(`smoke-expired-${profile}`, { expiresInSeconds: -60 });
        const run = await smoke(['--url', stack.baseUrl, '--token', expired]);

        expectOneLineFailure(run);
        expect(run.lines.at(-1)).toMatch(stepPattern('FAIL', 'POST', '/v1/members', 401));
        expect(run.lines.at(-1)).toMatch(/expected 201: \S/);
      },
    );

    it('reports a URL where nothing answers in one line', { timeout: 60_000 }, async () => {
      const run = await smoke(['--url', `http://127.0.0.1:${await freePort()}`]);

      expectOneLineFailure(run);
      expect(run.lines).toEqual([
        expect.stringMatching(
          /^FAIL {2}GET {4}\/v1\/policy {2}no answer \(ECONNREFUSED\): is http:\/\/127\.0\.0\.1:\d+ the API URL \(stack output ApiUrl\)\?$/,
        ),
      ]);
    });

    it('refuses a profile the served API is not', { timeout: 60_000 }, async () => {
      const other = profile === 'littleone' ? 'lgcns' : 'littleone';
      const run = await smoke(['--url', stack.baseUrl, '--profile', other]);

      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `The served OpenAPI document is not profile ${other}'s as this checkout builds it: deploy this checkout, or check out the deployed version.\n`,
      );
    });
  });
}
