/**
 * SAM local without Docker, for one profile: the env-vars file `npm run sam:env` writes covers
 * every variable of every function of the `-c local=true` template with the emulator's real
 * resources, and every generated event (`npm run sam:events`) passes through its very handler,
 * with the environment the file gives that function, against moto, in the index's order.
 */
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyEnvironment,
  type BootstrapResult,
  bootstrap,
  LOCAL_CREDENTIALS,
  physicalNames,
  REGION,
} from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import { HANDLERS_DIR } from '../../local/front';
import { lambdaContext } from '../../local/lambda-event';
import { ENV, type TableName, tableEnv, tables } from '../../model/resources';
import { loadCatalogue, type ProfileName } from '../../policy/catalogue';
import {
  type EnvVarsFile,
  emulatorResolver,
  envVarsFile,
  unresolvedValues,
} from '../../scripts/sam/env-vars';
import { type EventEntry, eventIndex } from '../../scripts/sam/event-index';
import { putSamImportObject } from '../../scripts/sam/events';
import { type SamTemplate, synthesizeForSam } from '../../scripts/sam/template';

/**
 * The status each route's event gets when the events run in the index's order on a fresh
 * emulator: the member joins first, so their routes answer 200/201; ids no earlier event can
 * know (a baby, a correction, a request) answer 404; a provision on the consent basis the member
 * never gave answers 422. None answers 401 or 403 (but a custom system's answer, whose token no sample holds): the claims are there, and the right ones.
 */
const ROUTE_STATUSES: Readonly<Record<string, number>> = {
  'get-policy': 200,
  'get-openapi': 200,
  'post-members': 201,
  'get-me': 200,
  'patch-me': 200,
  'confirm-correction': 404,
  'post-baby': 201,
  'patch-baby': 404,
  'delete-baby': 404,
  'post-purchase': 201,
  'get-export': 200,
  'get-consents': 200,
  'put-consent': 200,
  'put-restriction': 200,
  'delete-restriction': 200,
  'verify-receipt': 200,
  'post-request': 201,
  'get-requests': 200,
  'post-request-verification': 404,
  'post-request-extension': 404,
  'post-request-action': 404,
  'get-admin-member': 200,
  'post-member-suspend': 200,
  'post-member-reinstate': 200,
  'post-provision': 422,
  'get-provisions': 200,
  'get-access-records': 200,
  'post-policy-version': 201,
  'get-policy-versions': 200,
  'get-records-of-processing': 200,
  // A sample breach body is recorded; the placeholder breach id names none.
  'post-breach': 201,
  'get-breaches': 200,
  'get-breach': 404,
  'post-breach-action': 404,
  // No month has been assembled: the listing is empty, and the placeholder month names none.
  'get-access-reviews': 200,
  'get-access-review': 404,
  'post-access-review-sign-off': 404,
  'delete-me': 200,
  'post-member-terminate': 200,
  // A custom system's answer is authenticated by its request's token, which no sample holds.
  'post-silo-answer': 403,
  // The sample member has given the photos consent (an upload is signed) and uploaded none.
  'post-photo': 200,
  'get-photo': 404,
  'post-baby-photo': 404,
  'get-baby-photo': 404,
};

/** What SAM passes besides the file: the region and credentials of the shell (see README-sam.md). */
const SAM_SHELL = {
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Runs the suite for `profile`. */
export function describeSamLocal(profile: ProfileName): void {
  let moto: Emulator;
  let resources: BootstrapResult;
  let sam: SamTemplate;
  let file: EnvVarsFile;
  let index: EventEntry[];

  beforeAll(async () => {
    moto = await startMoto();
    resources = await bootstrap({ profile, endpoint: moto.endpoint });
    sam = synthesizeForSam(profile);
    file = envVarsFile(
      sam.functions,
      emulatorResolver({
        env: resources.env,
        containerEndpoint: moto.endpoint,
        apiUrl: 'http://127.0.0.1:3000',
      }),
    );
    index = eventIndex(sam, loadCatalogue(profile));
    // The operator uploads an export before invoking the import job: here, one of no members.
    await putSamImportObject(moto.endpoint, profile);
    // Synthesis takes most of it, and far longer on a busy machine.
  }, 300_000);
  afterAll(async () => {
    await moto?.stop();
  });

  describe(`sam local (${profile})`, () => {
    it('the env-vars file gives every variable of every function a real value, none a token', () => {
      const functions = Object.entries(sam.template.Resources).filter(
        ([, r]) => r.Type === 'AWS::Lambda::Function',
      );
      expect(Object.keys(file).sort()).toEqual(functions.map(([id]) => id).sort());
      let variables = 0;
      for (const [id, resource] of functions) {
        const declared = Object.keys(resource.Properties?.Environment?.Variables ?? {});
        expect(Object.keys(file[id]!).sort(), id).toEqual(declared.sort());
        // Each of our functions declares the switch, and the file points it at the emulator.
        if (sam.functions.find((f) => f.logicalId === id)?.handler) {
          expect(file[id]![ENV.endpoint], id).toBe(moto.endpoint);
        }
        for (const [name, value] of Object.entries(file[id]!)) {
          const table = (Object.keys(tables) as TableName[]).find((t) => tableEnv(t) === name);
          if (table) expect(value, `${id}.${name}`).toBe(physicalNames.table(profile, table));
        }
        variables += declared.length;
      }
      expect(unresolvedValues(file, sam.template)).toEqual([]);
      console.info(`sam:env ${profile}: ${functions.length} functions, ${variables} variables resolved`);
    });

    it('every generated event passes through its handler with the claims it carries; without them, 401', async () => {
      const all = new Set(Object.values(file).flatMap((vars) => Object.keys(vars)));
      const statuses: Record<string, number> = {};
      const cognitoSources: string[] = [];
      let withoutClaims = 0;
      for (const entry of index) {
        const env = file[entry.functionId]!;
        // Exactly this function's environment: nothing another function declared may help it.
        for (const name of all) if (!(name in env)) delete process.env[name];
        applyEnvironment({ ...SAM_SHELL, ...env });
        const module = (await import(pathToFileURL(`${HANDLERS_DIR}/${entry.handler}.ts`).href)) as {
          handler: (event: unknown, context: unknown) => Promise<unknown>;
        };
        if (entry.trigger === 'api' && entry.access !== 'public') {
          // What `sam local start-api` sends: it runs no Cognito authorizer, so no claims.
          const bare = structuredClone(entry.event);
          bare.requestContext.authorizer = null;
          const refused = (await module.handler(bare, lambdaContext(entry.functionId))) as {
            statusCode: number;
          };
          expect(refused.statusCode, `${entry.handler} without claims`).toBe(401);
          withoutClaims++;
        }
        // biome-ignore lint/suspicious/noExplicitAny: each trigger answers in its own shape
        const result: any = await module.handler(
          structuredClone(entry.event),
          lambdaContext(entry.functionId),
        );
        const what = `${entry.handler} (${entry.trigger})`;
        if (entry.trigger === 'api') {
          statuses[entry.handler] = result.statusCode;
          if (entry.access !== 'public')
            expect(entry.event.requestContext.authorizer.claims.sub, what).toBeTruthy();
        } else if (entry.trigger === 'sqs' || entry.trigger === 'stream') {
          expect(result, what).toEqual({ batchItemFailures: [] });
        } else if (entry.trigger === 'schedule') {
          // A job answers its counts.
          expect(
            Object.values(result).every((n) => typeof n === 'number'),
            what,
          ).toBe(true);
        } else if (entry.trigger === 'invoke') {
          // The import job answers its report: an empty export imports nothing and fails nothing.
          expect(result, what).toEqual({ lines: 0, imported: 0, skipped: 0, bad: [], failed: [] });
        } else if (entry.trigger === 'cognito') {
          expect(result, what).toMatchObject({
            triggerSource: entry.event.triggerSource,
            response: expect.any(Object),
          });
          if (entry.event.triggerSource === 'PreSignUp_SignUp') {
            expect(result.response, what).toMatchObject({ autoConfirmUser: true });
          } else {
            // A member's sign-in and tokens: the event comes back as it was sent.
            expect(result, what).toEqual(entry.event);
          }
          cognitoSources.push(entry.event.triggerSource);
        } else {
          expect(result, what).toBeUndefined();
        }
      }
      const expected = Object.fromEntries(Object.keys(statuses).map((id) => [id, ROUTE_STATUSES[id]]));
      expect(statuses).toEqual(expected);
      expect(Object.values(statuses)).not.toContain(401);
      expect(
        Object.entries(statuses)
          .filter(([id]) => id !== 'post-silo-answer')
          .map(([, status]) => status),
      ).not.toContain(403);
      expect(cognitoSources.sort()).toEqual([
        'PostAuthentication_Authentication',
        'PreSignUp_SignUp',
        'TokenGeneration_Authentication',
      ]);
      const triggers: Record<string, number> = {};
      for (const e of index) triggers[e.trigger] = (triggers[e.trigger] ?? 0) + 1;
      console.info(
        `sam:events ${profile}: ${index.length} events through their handlers ${JSON.stringify(triggers)}; ${withoutClaims} member and officer routes answer 401 without claims`,
      );
    });
  });
}
