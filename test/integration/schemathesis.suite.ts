/**
 * A short stateful fuzz of one profile's API with schemathesis, as a member and as an officer:
 * no server error, no status the OpenAPI document leaves out, no request that breaks the schema
 * accepted, no response that breaks its declared schema (issue 14, "Done when"). The long run
 * is the same command with a larger --max-time (README, "The API contract").
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../local/state';
import { OFFICER_GROUP } from '../../model/routes/route';
import { loadCatalogue } from '../../policy/catalogue';
import { startTestStack, type TestStack } from './harness';

/** Where `.ci/run` installs schemathesis; SCHEMATHESIS names another `st`. */
const ST = process.env.SCHEMATHESIS ?? join(ROOT, '.local', 'schemathesis', 'bin', 'st');
/** The install command, shown when schemathesis is missing. */
export const INSTALL_HINT =
  'PYENV_VERSION=3.13.0 python3 -m venv .local/schemathesis && .local/schemathesis/bin/pip install schemathesis==4.32.5';
/** The checks of issue 14's "Done when", and the content type of every answer. */
export const FUZZ_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'negative_data_rejection',
  'response_schema_conformance',
  'content_type_conformance',
] as const;
/** Seconds of fuzzing per caller: 30 in `npm test` (about a minute a profile), 240 in `npm run test:deep`. */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 30);

/** Runs schemathesis against `baseUrl` with `token`; resolves with its exit code and output. */
function fuzz(baseUrl: string, token: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      ST,
      [
        'run',
        `${baseUrl}/v1/openapi.json`,
        '--header',
        `Authorization: Bearer ${token}`,
        '--checks',
        FUZZ_CHECKS.join(','),
        '--max-examples',
        '10',
        '--max-time',
        String(SECONDS),
        '--workers',
        '1',
        '--seed',
        '1',
        '--no-color',
        '--report-dir',
        join(cwd, 'report'),
      ],
      // Hypothesis keeps its database in the working directory: a scratch one, removed after.
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Declares the fuzz run of `profile`. */
export function describeFuzz(profile: string): void {
  describe(`schemathesis stateful fuzz (${profile})`, () => {
    let stack: TestStack;
    let scratch: string;

    beforeAll(async () => {
      if (!existsSync(ST)) {
        throw new Error(`schemathesis is not installed at ${ST}. Install it with: ${INSTALL_HINT}`);
      }
      stack = await startTestStack(profile);
      scratch = await mkdtemp(join(tmpdir(), 'fuzz-'));
    }, 120_000);
    afterAll(async () => {
      await stack?.stop();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it.each([
      ['a member', 'fuzz-member', []],
      ['an officer', 'fuzz-officer', [OFFICER_GROUP]],
    ] as const)(
      'as %s: no failure of any check',
      async (who, sub, groups) => {
        const method = loadCatalogue(profile).signIn[0]!;
        const token = await stack.token(sub, { groups: [...groups], method, expiresInSeconds: 3600 });
        const { code, output } = await fuzz(stack.baseUrl, token, scratch);
        const summary = output.slice(output.lastIndexOf('SUMMARY'));
        const figures = /Test cases:\s+(\d+ generated[^\n]*)/.exec(summary)?.[1];
        expect(figures, output.slice(-6000)).toBeDefined();
        // The figures, as the other adversarial suites print theirs.
        console.log(`schemathesis ${profile}, as ${who}: ${figures}`);
        expect(code, output.slice(-6000)).toBe(0);
      },
      300_000,
    );
  });
}
