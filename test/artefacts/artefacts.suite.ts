/**
 * The shipped artefacts run: the profile's stack is synthesized with its handlers bundled, and
 * every AWS::Lambda::Function of the template runs from its staged asset (`index.mjs`, not the
 * TypeScript source) in a process of its own, with the environment the template gives it — every
 * token resolved to the emulator's resource built from the same model entry — and is invoked
 * through the trigger the template wires to it: API Gateway methods (REST proxy events with the
 * Cognito authorizer's claims), schedules (their own Input), SQS event source mappings (messages
 * the functions queued), the outbox table's stream (read from the emulator, as the event source
 * does), the SNS subscription (SES feedback) and the user pool's triggers.
 *
 * Every AWS call the functions make goes through a recording proxy and carries the function's
 * logical id as its access key id; with ARTEFACT_CALLS_FILE set, the calls are appended there
 * as JSON lines (test/support/call-recorder.ts) for the IAM check.
 */
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult, DynamoDBBatchResponse, SNSEvent, SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { monthOf, shiftMonth } from '../../lambdas/features/access-review/rules';
import { digestAddress } from '../../lambdas/features/requests/digest';
import { createPrivacyApp } from '../../lib/app-factory';
import { ensureLocalAccount } from '../../local/accounts';
import { type BootstrapResult, bootstrap, clientConfig, REGION } from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import { apiGatewayClaims, idTokenClaims } from '../../local/issuer';
import { proxyEvent, sqsEvent } from '../../local/lambda-event';
import { OutboxPump, takeLifecycleEvents } from '../../local/lifecycle-events';
import { readOutbox } from '../../local/outbox';
import { createRouter } from '../../local/router';
import { takeSiloRequests } from '../../local/silo-requests';
import { seoulDay } from '../../model/calendar';
import { ENV, tableEnv } from '../../model/resources';
import { OFFICER_GROUP } from '../../model/routes/route';
import { routesOf } from '../../model/routes/table';
import { loadCatalogue, type ProfileName, profiles } from '../../policy/catalogue';
import type { SignInMethod } from '../../policy/schema';
import type { MatrixFixture } from '../integration/authorization.suite';
import { makeExport } from '../integration/import-fixtures';
import { ArtefactFailure, type ArtefactFunction, ArtefactRunner } from '../support/artefact-runner';
import {
  CALLS_FILE_ENV,
  type CallRecorder,
  resourcesFileOf,
  startCallRecorder,
} from '../support/call-recorder';
import { enableTotp, passwordAccount, passwordClient } from '../support/cognito-accounts';
import { artefactRecordingOf, ensureCallsDir } from '../support/iam/recordings';
import {
  emulatorResources,
  functionEnvironment,
  type ResourceMap,
  type TemplateJson,
} from '../support/template-resources';
import { functionTriggers, type Trigger, type TriggerKind } from '../support/template-triggers';

/** What one API call returned, its body parsed when it is JSON. */
interface Answer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are asserted field by field
  readonly json: any;
}

/** Who calls a route: a member's or officer's claims, or nobody (public). */
interface Caller {
  readonly sub: string;
  readonly username: string;
  readonly method: SignInMethod;
  readonly groups?: readonly string[];
}

/** Everything the suite's tests share. */
interface Artefacts {
  readonly template: TemplateJson;
  /** The cloud assembly's directory, removed after the run. */
  readonly assemblyDir: string;
  readonly stackName: string;
  readonly moto: Emulator;
  readonly recorder: CallRecorder;
  readonly boot: BootstrapResult;
  readonly resources: ResourceMap;
  readonly functions: ReadonlyMap<string, ArtefactFunction>;
  readonly triggers: ReadonlyMap<string, Trigger[]>;
  readonly runner: ArtefactRunner;
  /** Invocations by trigger kind, and the functions each kind reached. */
  readonly byKind: Map<TriggerKind, { invocations: number; functions: Set<string> }>;
}

/**
 * Synthesizes `profile` with its handlers bundled, as `cdk synth` does; returns the template and
 * the assembly directory. The cdk-nag packs only inspect the tree (the template is the same byte
 * for byte without them, and the infra tests run them), and take most of a synth's time.
 */
function synthesizeBundled(profile: ProfileName) {
  const { app, stack } = createPrivacyApp({ context: { profile }, env: {}, complianceChecks: false });
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  return { template: artifact.template as TemplateJson, dir: assembly.directory, stackName: stack.stackName };
}

async function start(profile: ProfileName): Promise<Artefacts> {
  const { template, dir, stackName } = synthesizeBundled(profile);
  const moto = await startMoto();
  try {
    // The IAM check reads these calls: one file per profile in the recordings directory, this
    // run's only (ARTEFACT_CALLS_FILE names another file, appended to).
    const callsFile = process.env[CALLS_FILE_ENV] ?? join(ensureCallsDir(), artefactRecordingOf(profile));
    if (!process.env[CALLS_FILE_ENV]) writeFileSync(callsFile, '');
    const recorder = await startCallRecorder({
      target: moto.endpoint,
      source: `artefacts:${profile}`,
      file: callsFile,
    });
    const boot = await bootstrap({ profile, endpoint: moto.endpoint });
    const resources = await emulatorResources(template, boot, { profile, endpoint: moto.endpoint });
    const functions = new Map<string, ArtefactFunction>();
    for (const [id, r] of Object.entries(template.Resources)) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const key = r.Properties?.Code?.S3Key;
      if (typeof key !== 'string') throw new Error(`${id} has no code asset in the template`);
      functions.set(id, {
        logicalId: id,
        assetDir: join(dir, `asset.${key.replace(/\.zip$/, '')}`),
        handler: String(r.Properties.Handler),
        variables: functionEnvironment(template, id, resources, stackName),
        timeoutSeconds: Number(r.Properties.Timeout ?? 3),
        memorySize: Number(r.Properties.MemorySize ?? 128),
      });
    }
    // The emulator's ids (key ids, the pool id) are new each run: the IAM check reads this
    // run's map next to the calls to tie a recorded name back to the template.
    writeFileSync(
      resourcesFileOf(callsFile, profile),
      `${JSON.stringify({ profile, stackName, resources: Object.fromEntries(resources) }, null, 2)}\n`,
    );
    const runner = new ArtefactRunner({ endpoint: recorder.endpoint, region: REGION });
    return {
      template,
      assemblyDir: dir,
      stackName,
      moto,
      recorder,
      boot,
      resources,
      functions,
      triggers: functionTriggers(template),
      runner,
      byKind: new Map(),
    };
  } catch (error) {
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Declares the artefact suite of `profile`; `fixture` says how its members join. */
export function describeArtefacts(profile: ProfileName, fixture: MatrixFixture): void {
  const catalogue = loadCatalogue(profile);
  const router = createRouter(routesOf(catalogue));
  let a: Artefacts;
  const started = Date.now();

  /** The function a trigger of kind `kind` matching `pick` invokes; fails when the template has none. */
  const functionFor = <K extends TriggerKind>(
    kind: K,
    pick: (t: Extract<Trigger, { kind: K }>) => boolean,
  ) => {
    for (const [id, ts] of a.triggers) {
      const hit = ts.find((t): t is Extract<Trigger, { kind: K }> => t.kind === kind && pick(t as never));
      if (hit) return { fn: a.functions.get(id)!, trigger: hit };
    }
    throw new Error(`the template has no ${kind} trigger for this call`);
  };

  const invoke = async (kind: TriggerKind, fn: ArtefactFunction, event: unknown): Promise<unknown> => {
    const entry = a.byKind.get(kind) ?? { invocations: 0, functions: new Set<string>() };
    entry.invocations++;
    entry.functions.add(fn.logicalId);
    a.byKind.set(kind, entry);
    return a.runner.invoke(fn, event);
  };

  /** Calls a route as API Gateway would: the template's method for it, the authorizer's claims. */
  const api = async (
    method: string,
    target: string,
    options: { as?: Caller; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const url = new URL(target, 'https://api.example.com');
    const match = router.match(method, url.pathname);
    if (match.kind !== 'route') throw new Error(`${method} ${url.pathname} is no route of ${profile}`);
    const { fn, trigger } = functionFor('api', (t) => t.method === method && t.path === match.route.path);
    const claims = options.as
      ? apiGatewayClaims(
          idTokenClaims(
            options.as.sub,
            `https://cognito-idp.${REGION}.amazonaws.com/${a.boot.userPoolId}`,
            'app-client',
            {
              method: options.as.method,
              username: options.as.username,
              ...(options.as.groups ? { groups: options.as.groups } : {}),
            },
          ),
        )
      : undefined;
    // API Gateway's authorizer answers 401 before the function runs: such a call is no test of it.
    if (trigger.authorizer && !claims) throw new Error(`${method} ${match.route.path} needs a caller`);
    const body = options.body === undefined ? null : JSON.stringify(options.body);
    const headers: string[] = ['Host', 'api.example.com', 'User-Agent', 'artefact-suite/1'];
    if (claims) headers.push('Authorization', 'Bearer artefact-token');
    if (body !== null) headers.push('Content-Type', 'application/json');
    for (const [n, v] of Object.entries(options.headers ?? {})) headers.push(n, v);
    const event = proxyEvent(
      {
        method,
        path: url.pathname,
        search: url.searchParams,
        rawHeaders: headers,
        body,
        sourceIp: '203.0.113.10',
        localPort: 443,
      },
      match.route,
      match.pathParameters,
      trigger.authorizer ? claims : undefined,
    );
    const result = (await invoke('api', fn, event)) as APIGatewayProxyResult;
    let json: unknown;
    try {
      json = JSON.parse(result.body);
    } catch {
      json = undefined;
    }
    return { status: result.statusCode, headers: result.headers ?? {}, text: result.body, json };
  };

  /** A member with a sign-in account in the emulator's user pool. */
  const member = async (marker: string): Promise<Caller> => {
    const method = fixture.token.method;
    const username =
      method === 'apple' ? `signinwithapple_${marker}` : method === 'google' ? `google_${marker}` : marker;
    const sub = await ensureLocalAccount(a.moto.endpoint, a.boot.userPoolId, username);
    return { sub, username, method };
  };
  const officer: Caller = {
    sub: 'officer-artefact',
    username: 'officer-artefact',
    method: 'password',
    groups: [OFFICER_GROUP],
  };

  /** Runs the function scheduled by each schedule, with the schedule's Input as Scheduler sends it. */
  const runSchedule = async (job: string, scheduledTime: Date) => {
    const { fn, trigger } = functionFor('schedule', (t) => JSON.parse(t.input).job === job);
    const event = JSON.parse(
      trigger.input.replaceAll('<aws.scheduler.scheduled-time>', scheduledTime.toISOString()),
    );
    return (await invoke('schedule', fn, event)) as Record<string, number>;
  };

  /** Delivers every message of the queue a mapping reads to its function, as the event source does. */
  const drain = async (queueLogicalId: string) => {
    const { fn, trigger } = functionFor('sqs', (t) => t.queue === queueLogicalId);
    const queue = a.resources.get(queueLogicalId)!;
    const sqs = new SQSClient(clientConfig(a.moto.endpoint));
    let delivered = 0;
    try {
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.ref,
            MaxNumberOfMessages: Math.min(10, trigger.batchSize),
            MessageSystemAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) break;
        delivered += Messages.length;
        const response = (await invoke('sqs', fn, sqsEvent(Messages, queue.arn))) as SQSBatchResponse;
        expect(response.batchItemFailures).toEqual([]);
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queue.ref,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
    } finally {
      sqs.destroy();
    }
    return delivered;
  };

  /** The queue a function's variable points at, by the variable's name. */
  const queueOf = (variable: string) => {
    for (const [id, r] of a.resources)
      if (r.type === 'AWS::SQS::Queue' && r.model === `queue:${variable}`) return id;
    throw new Error(`no work queue ${variable} in the template`);
  };

  /** The vault's items, read from the emulator directly. */
  const scanVault = async () => {
    const ddb = new DynamoDBClient(clientConfig(a.moto.endpoint));
    try {
      const out = await ddb.send(new ScanCommand({ TableName: a.boot.tables.vault }));
      return (out.Items ?? []).map((i) => ({ expiresAt: Number(i.expiresAt?.N) }));
    } finally {
      ddb.destroy();
    }
  };

  const cognito = async (trigger: string, event: Record<string, unknown>) => {
    const { fn, trigger: t } = functionFor('cognito', (x) => x.trigger === trigger);
    return (await invoke('cognito', fn, {
      version: '1',
      region: REGION,
      userPoolId: a.resources.get(t.userPool)!.ref,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'app-client' },
      ...event,
    })) as Record<string, unknown>;
  };

  beforeAll(async () => {
    a = await start(profile);
  }, 600_000);

  afterAll(async () => {
    await a?.runner.close();
    await a?.recorder.close();
    await a?.moto.stop();
    if (a) rmSync(a.assemblyDir, { recursive: true, force: true });
  });

  it('runs every function of the template through a trigger the suite can drive', () => {
    expect(a.functions.size).toBeGreaterThan(0);
    const known = new Set(['PreSignUp', 'PostAuthentication', 'PreTokenGeneration']);
    for (const [id, ts] of a.triggers) {
      expect(ts.length, `${id} has no trigger in the template`).toBeGreaterThan(0);
      for (const t of ts) {
        if (t.kind === 'cognito')
          expect(known, `${id}: no event for Cognito trigger ${t.trigger}`).toContain(t.trigger);
      }
    }
    // Every token of every environment resolved to an emulator resource, none left as an object.
    for (const fn of a.functions.values()) {
      for (const [name, value] of Object.entries(fn.variables)) {
        expect(typeof value, `${fn.logicalId} ${name}`).toBe('string');
      }
    }
  });

  it('public routes answer from the bundles', async () => {
    const policy = await api('GET', '/v1/policy?format=json');
    expect(policy.status, policy.text).toBe(200);
    expect(policy.json).toMatchObject({
      title: expect.stringContaining(catalogue.operator.service.ko),
      version: catalogue.policy.version,
      sections: expect.any(Array),
    });
    const markdown = await api('GET', '/v1/policy?format=markdown');
    expect(markdown.status).toBe(200);
    expect(markdown.text).toMatch(/^#/m);
    const openapi = await api('GET', '/v1/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.json.openapi).toMatch(/^3\.1/);
    const forged = await api('POST', '/v1/receipts/verify', {
      body: { receipt: { receiptId: 'none' }, signature: 'AAAA', algorithm: 'ECDSA_SHA_256' },
    });
    expect(forged.status, forged.text).toBe(200);
    expect(forged.json.valid).toBe(false);
  });

  it('the pre-sign-up trigger confirms an ID-and-password sign-up', async () => {
    const signUp = await cognito('PreSignUp', {
      triggerSource: 'PreSignUp_SignUp',
      userName: `new-${randomUUID()}`,
      request: { userAttributes: {}, validationData: null },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(signUp.response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  /**
   * A password account in the emulator's user pool, in the officers' group when asked, as the
   * officer CLI creates one; `enableTotp` then enables an authenticator app on it with the
   * account's own access token, as the officer does after a first sign-in.
   */
  const poolAccount = async (username: string, inGroup: boolean) => {
    const UserPoolId = a.boot.userPoolId;
    /** Runs `work` with a client of the emulator's pool, closed afterwards. */
    const withCognito = async <T>(work: (c: CognitoIdentityProviderClient) => Promise<T>): Promise<T> => {
      const c = new CognitoIdentityProviderClient(clientConfig(a.moto.endpoint));
      try {
        return await work(c);
      } finally {
        c.destroy();
      }
    };
    await withCognito(async (c) => {
      await c.send(new CreateGroupCommand({ UserPoolId, GroupName: OFFICER_GROUP })).catch((error: Error) => {
        if (error.name !== 'GroupExistsException') throw error;
      });
      await passwordAccount(c, UserPoolId, username, inGroup);
    });
    return {
      /** The groups the pool holds for the account, as Cognito puts them in the trigger's event. */
      groups: () =>
        withCognito(async (c) => {
          const { Groups = [] } = await c.send(
            new AdminListGroupsForUserCommand({ UserPoolId, Username: username }),
          );
          return Groups.map((g) => g.GroupName!);
        }),
      enableTotp: () =>
        withCognito(async (c) =>
          enableTotp(c, {
            userPoolId: UserPoolId,
            clientId: await passwordClient(c, UserPoolId, `enrol-${username}`),
            username,
          }),
        ),
    };
  };

  /** The event Cognito sends before issuing `username`'s tokens at sign-in. */
  const tokenEvent = (username: string, groups: readonly string[]) => ({
    triggerSource: 'TokenGeneration_Authentication',
    userName: username,
    request: {
      userAttributes: { sub: `sub-of-${username}` },
      groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [] },
    },
    response: { claimsOverrideDetails: null },
  });

  it("the pre-token-generation trigger issues a member's tokens without a call, an officer's only with TOTP MFA", async () => {
    const { fn } = functionFor('cognito', (t) => t.trigger === 'PreTokenGeneration');
    const callsOf = () => a.recorder.records.filter((r) => r.accessKeyId === fn.logicalId);

    const memberName = `token-member-${randomUUID()}`;
    const memberEvent = tokenEvent(memberName, await (await poolAccount(memberName, false)).groups());
    const issued = await cognito('PreTokenGeneration', memberEvent);
    expect(issued).toMatchObject(memberEvent);
    expect(issued.request).toEqual(memberEvent.request);
    expect(issued.response).toEqual(memberEvent.response);
    expect(callsOf(), "a member's tokens cost no call").toEqual([]);

    const officerName = `token-officer-${randomUUID()}`;
    const account = await poolAccount(officerName, true);
    const officerGroups = await account.groups();
    expect(officerGroups).toEqual([OFFICER_GROUP]);
    // The bundle throws: Cognito issues no token when a trigger fails.
    const refused = cognito('PreTokenGeneration', tokenEvent(officerName, officerGroups));
    await expect(refused).rejects.toBeInstanceOf(ArtefactFailure);
    await expect(refused).rejects.toThrow(
      /failed: Forbidden: Privacy officers sign in with an authenticator app/,
    );
    expect(callsOf().map((c) => `${c.service}:${c.action}:${c.status}`)).toEqual([
      'cognito-idp:AdminGetUser:200',
    ]);

    await account.enableTotp();
    const allowedEvent = tokenEvent(officerName, officerGroups);
    const allowed = await cognito('PreTokenGeneration', allowedEvent);
    expect(allowed.request).toEqual(allowedEvent.request);
    expect(allowed.response).toEqual(allowedEvent.response);
    expect(callsOf().map((c) => `${c.service}:${c.action}:${c.status}`)).toEqual([
      'cognito-idp:AdminGetUser:200',
      'cognito-idp:AdminGetUser:200',
    ]);
  });

  it('a member joins, signs in, views, corrects, exports, manages consents and restriction, and withdraws', async () => {
    const me = await member(`journey${profile}`);
    const marker = `Journey${profile}`;
    const joined = await api('POST', '/v1/members', {
      as: me,
      body: fixture.join(marker),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(joined.status, joined.text).toBe(201);
    expect(joined.json).toMatchObject({ memberId: me.sub, policyVersion: expect.any(String) });

    const signIn = await cognito('PostAuthentication', {
      triggerSource: 'PostAuthentication_Authentication',
      userName: me.username,
      request: { userAttributes: { sub: me.sub }, newDeviceUsed: false },
      response: {},
    });
    expect(signIn.request).toEqual({ userAttributes: { sub: me.sub }, newDeviceUsed: false });
    const { fn: signInFn } = functionFor('cognito', (t) => t.trigger === 'PostAuthentication');
    // The join recorded today's sign-in already: the trigger's conditional update finds it done.
    const recorded = a.recorder.records.filter((r) => r.accessKeyId === signInFn.logicalId);
    expect(recorded.map((r) => `${r.service}:${r.action}:${r.status}:${r.errorType ?? ''}`)).toEqual([
      expect.stringMatching(/^dynamodb:UpdateItem:(200:|400:ConditionalCheckFailedException)$/),
    ]);
    expect(JSON.parse(recorded[0]!.body).TableName).toBe(a.boot.tables.members);

    const view = await api('GET', '/v1/me', { as: me });
    expect(view.status, view.text).toBe(200);
    expect(view.json).toMatchObject({ memberId: me.sub, status: 'active', items: expect.any(Array) });
    expect(view.text).toContain(`${marker}@example.com`);

    const newAddress = `${marker}-new@example.com`;
    const corrected = await api('PATCH', '/v1/me', { as: me, body: fixture.correction(`${marker}-new`) });
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.json.pending).toEqual([
      { correctionId: expect.any(String), item: 'email', expiresAt: expect.any(String) },
    ]);
    const correctionId = corrected.json.pending[0].correctionId as string;
    const mail = (await readOutbox(a.moto.endpoint)).filter((m) => m.to.includes(newAddress)).at(-1);
    const code = mail?.body.match(/\b(\d{6})\b/)?.[1];
    expect(code, 'the verification code was mailed by the bundle').toBeDefined();
    const confirmed = await api('POST', `/v1/me/corrections/${correctionId}/confirm`, {
      as: me,
      body: { code },
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json).toMatchObject({ item: 'email', completedAt: expect.any(String) });

    if (routesOf(catalogue).some((r) => r.id === 'post-baby')) {
      const baby = await api('POST', '/v1/me/babies', {
        as: me,
        body: { items: { babyNickname: 'Artefact', babyGender: 'female' } },
      });
      expect(baby.status, baby.text).toBe(201);
      const babyId = baby.json.babyId as string;
      expect(babyId).toEqual(expect.any(String));
      const renamed = await api('PATCH', `/v1/me/babies/${babyId}`, {
        as: me,
        body: { items: { babyNickname: 'Renamed' } },
      });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.json).toEqual({ corrected: ['babyNickname'], removed: [] });
      if (routesOf(catalogue).some((r) => r.id === 'post-photo')) {
        // Photos: each bundle signs, the image travels through the signed request, and the
        // member's own and the baby's are read back; the baby's deletion and the withdrawal below
        // erase them.
        const granted = await api('PUT', '/v1/me/consents/profile-photos', {
          as: me,
          body: { granted: true },
        });
        expect(granted.status, granted.text).toBe(200);
        const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
        for (const path of ['/v1/me/photo', `/v1/me/babies/${babyId}/photo`]) {
          const signed = await api('POST', path, {
            as: me,
            body: { mediaType: 'image/png', bytes: image.length },
          });
          expect(signed.status, signed.text).toBe(200);
          const { url, method, headers } = signed.json.upload;
          expect((await fetch(url, { method, headers, body: image })).status).toBe(200);
          const read = await api('GET', path, { as: me });
          expect(read.status, read.text).toBe(200);
          expect(read.json).toMatchObject({ mediaType: 'image/png', bytes: image.length });
          const download = await fetch(read.json.download.url);
          expect(Buffer.from(await download.arrayBuffer()).equals(image)).toBe(true);
        }
      }
      const removed = await api('DELETE', `/v1/me/babies/${babyId}`, { as: me });
      expect(removed.status, removed.text).toBe(204);
    }
    if (routesOf(catalogue).some((r) => r.id === 'post-purchase')) {
      const purchase = await api('POST', '/v1/me/purchases', {
        as: me,
        body: { product: 'Diapers', amount: 12_000, currency: 'KRW' },
      });
      expect(purchase.status, purchase.text).toBe(201);
      expect(purchase.json).toMatchObject({
        recordId: expect.any(String),
        retention: { until: expect.any(String) },
      });
    }

    const exported = await api('GET', '/v1/me/export', { as: me });
    expect(exported.status, exported.text).toBe(200);
    expect(
      String(exported.headers['Content-Disposition'] ?? exported.headers['content-disposition']),
    ).toMatch(/attachment/);
    expect(exported.json).toMatchObject({ schemaVersion: expect.any(String), member: { memberId: me.sub } });
    expect(exported.text).toContain(newAddress);

    const consents = await api('GET', '/v1/me/consents', { as: me });
    expect(consents.status, consents.text).toBe(200);
    expect(consents.json.consents.map((c: { purpose: string }) => c.purpose).sort()).toEqual(
      Object.keys(catalogue.purposes).sort(),
    );
    const withdrawn = await api('PUT', '/v1/me/consents/statistics', { as: me, body: { granted: false } });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.json).toMatchObject({ purpose: 'statistics', granted: false });

    const restricted = await api('PUT', '/v1/me/restriction', {
      as: me,
      body: { scope: 'all', reason: 'testing' },
    });
    expect(restricted.status, restricted.text).toBe(200);
    expect(restricted.json).toMatchObject({ scope: 'all', since: expect.any(String) });
    const lifted = await api('DELETE', '/v1/me/restriction', { as: me });
    expect(lifted.status, lifted.text).toBe(200);
    expect(lifted.json).toMatchObject({ lifted: true });

    const left = await api('DELETE', '/v1/me', { as: me });
    expect(left.status, left.text).toBe(200);
    expect(left.json).toMatchObject({
      receipt: { memberId: me.sub, profile },
      signature: expect.any(String),
    });
    const verified = await api('POST', '/v1/receipts/verify', {
      body: { receipt: left.json.receipt, signature: left.json.signature, algorithm: left.json.algorithm },
    });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json.valid).toBe(true);
    const gone = await api('GET', '/v1/me', { as: me });
    expect(gone.status).toBe(404);

    // The withdrawal queued its silos: the worker bundle erases in the table and the bucket and
    // asks the custom system, whose answer through the callback route completes the receipt.
    expect(await drain(queueOf('silos'))).toBeGreaterThanOrEqual(Object.keys(catalogue.silos).length);
    const asked = (await takeSiloRequests(a.moto.endpoint, profile)).filter((r) => r.memberId === me.sub);
    expect(asked).toHaveLength(1);
    const answered = await api('POST', asked[0]!.answerPath, {
      body: { token: asked[0]!.token, outcome: 'nothing-held' },
    });
    expect(answered.status, answered.text).toBe(200);
    expect(answered.json).toMatchObject({ taken: true, complete: true });
    const full = await api('DELETE', '/v1/me', { as: me });
    expect(full.json.receipt.silos).toHaveLength(Object.keys(catalogue.silos).length);
  });

  it("the privacy officer's routes act on a member with an officer's token", async () => {
    const subject = await member(`officer-subject-${profile}`);
    const marker = `Subject${profile}`;
    expect((await api('POST', '/v1/members', { as: subject, body: fixture.join(marker) })).status).toBe(201);

    const logged = await api('POST', '/v1/admin/requests', {
      as: officer,
      body: {
        memberId: subject.sub,
        type: 'access',
        channel: 'letter',
        jurisdiction: 'gdpr',
        receivedAt: new Date(Date.now() - 86_400_000).toISOString(),
      },
    });
    expect(logged.status, logged.text).toBe(201);
    expect(logged.json).toMatchObject({ memberId: subject.sub, status: 'awaiting-verification' });
    const requestId = logged.json.requestId as string;
    const verifiedRequest = await api('POST', `/v1/admin/requests/${requestId}/verification`, {
      as: officer,
      body: { method: 'identity-document', reference: 'ID copy 1' },
    });
    expect(verifiedRequest.status, verifiedRequest.text).toBe(200);
    expect(verifiedRequest.json).toMatchObject({ requestId, status: 'open' });
    const extended = await api('POST', `/v1/admin/requests/${requestId}/extension`, {
      as: officer,
      body: { months: 1, reason: 'the archive is offsite' },
    });
    expect(extended.status, extended.text).toBe(200);
    expect(extended.json).toMatchObject({ requestId, extension: { months: 1 } });
    const acted = await api('POST', `/v1/admin/requests/${requestId}/actions`, {
      as: officer,
      body: { action: 'view' },
    });
    expect(acted.status, acted.text).toBe(200);
    expect(acted.json).toMatchObject({ requestId, status: 'completed', result: { memberId: subject.sub } });
    const ledger = await api('GET', `/v1/admin/requests?member=${subject.sub}`, { as: officer });
    expect(ledger.status, ledger.text).toBe(200);
    expect(ledger.json.requests).toEqual([expect.objectContaining({ requestId, status: 'completed' })]);

    const record = await api(
      'GET',
      `/v1/admin/members/${subject.sub}?reason=${encodeURIComponent('request check')}`,
      {
        as: officer,
      },
    );
    expect(record.status, record.text).toBe(200);
    expect(record.json).toMatchObject({ memberId: subject.sub, status: 'active' });
    expect(record.text).toContain(`${marker}@example.com`);

    const suspended = await api('POST', `/v1/admin/members/${subject.sub}/suspend`, {
      as: officer,
      body: { reason: 'disputed account' },
    });
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.json).toMatchObject({ memberId: subject.sub, status: 'suspended' });
    const reinstated = await api('POST', `/v1/admin/members/${subject.sub}/reinstate`, {
      as: officer,
      body: { reason: 'dispute settled' },
    });
    expect(reinstated.status, reinstated.text).toBe(200);
    expect(reinstated.json).toMatchObject({ memberId: subject.sub, status: 'active' });

    const purpose = Object.keys(catalogue.purposes)[0]!;
    const item =
      Object.keys(catalogue.items).find((i) =>
        (catalogue.items[i]?.purposes as readonly string[] | undefined)?.includes(purpose),
      ) ?? 'email';
    const basis = catalogue.provision.bases.find((b) => b !== 'consent')!;
    const provided = await api('POST', '/v1/admin/provisions', {
      as: officer,
      body: {
        memberId: subject.sub,
        recipient: { name: 'Tax Office', contact: 'tax@agency.example' },
        items: [item],
        purpose,
        basis: { type: basis, reference: 'tax audit 9' },
      },
    });
    expect(provided.status, provided.text).toBe(201);
    expect(provided.json).toMatchObject({ items: [item], purpose, basis });
    const provisions = await api('GET', `/v1/admin/provisions?member=${subject.sub}`, { as: officer });
    expect(provisions.status, provisions.text).toBe(200);
    expect(provisions.json.provisions).toEqual([
      expect.objectContaining({ provisionId: provided.json.provisionId }),
    ]);

    const records = await api('GET', `/v1/admin/access-records?member=${subject.sub}`, { as: officer });
    expect(records.status, records.text).toBe(200);
    expect(records.json.records.length).toBeGreaterThan(0);
    expect(records.json.records[0]).toMatchObject({ officerId: officer.sub, memberId: subject.sub });

    const effectiveDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const input = structuredClone(profiles[profile]) as { policy: Record<string, unknown> };
    const published = await api('POST', '/v1/admin/policy-versions', {
      as: officer,
      body: {
        catalogue: { ...input, policy: { ...input.policy, version: '9.0', effectiveDate } },
        effectiveDate,
        summary: 'Version 9.0: the contacts are updated.',
      },
    });
    expect(published.status, published.text).toBe(201);
    expect(published.json).toMatchObject({ version: '9.0', effectiveDate, notices: { status: 'started' } });
    const versions = await api('GET', '/v1/admin/policy-versions', { as: officer });
    expect(versions.status, versions.text).toBe(200);
    expect(versions.json.versions).toEqual([expect.objectContaining({ version: '9.0', status: 'upcoming' })]);
    // The publication queued its notices: the worker bundle sends them.
    expect(await drain(queueOf('policyNotices'))).toBeGreaterThan(0);

    // Records of processing (GDPR Art. 30) from the catalogue in force: still the deployed one.
    const ropa = await api('GET', '/v1/admin/records-of-processing', { as: officer });
    expect(ropa.status, ropa.text).toBe(200);
    expect(ropa.json.activities.map((x: { purpose: string }) => x.purpose)).toEqual(
      Object.keys(catalogue.purposes),
    );

    // The monthly review of this month's access records (safety standard Art. 8), as its schedule
    // runs it on the first of the next month, then read and signed off through the routes.
    const month = monthOf(new Date());
    const assembled = await runSchedule(
      'accessReview',
      new Date(`${shiftMonth(month, 1)}-01T02:00:00+09:00`),
    );
    expect(assembled).toMatchObject({ assembled: 1, intact: 1 });
    const reviews = await api('GET', '/v1/admin/access-reviews', { as: officer });
    expect(reviews.status, reviews.text).toBe(200);
    expect(reviews.json.reviews).toEqual([expect.objectContaining({ month, status: 'open' })]);
    const reviewed = await api('GET', `/v1/admin/access-reviews/${month}`, { as: officer });
    expect(reviewed.status, reviewed.text).toBe(200);
    expect(reviewed.json.evidence.map((e: { officerId: string }) => e.officerId)).toContain(officer.sub);
    const signed = await api('POST', `/v1/admin/access-reviews/${month}/sign-off`, {
      as: officer,
      body: { note: 'Only the artefact run.', reason: 'monthly review' },
    });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.json.status).toBe('signed-off');
    // A breach affecting the subject (PIPA Art. 34): recorded, listed, read with its report,
    // filed with the regulator the catalogue names for an outside attack, and closed.
    const breach = await api('POST', '/v1/admin/breaches', {
      as: officer,
      body: {
        reason: 'Intrusion found by monitoring',
        discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
        items: [catalogue.noticeItem],
        cause: { outsideAttack: true, description: { ko: '외부 침입', en: 'An intrusion' } },
        measures: { ko: '서버를 격리함', en: 'We isolated the server' },
        affected: { kind: 'list', memberIds: [subject.sub] },
      },
    });
    expect(breach.status, breach.text).toBe(201);
    const breachPath = `/v1/admin/breaches/${breach.json.breachId}`;
    const listedBreaches = await api('GET', '/v1/admin/breaches', { as: officer });
    expect(listedBreaches.json.breaches).toEqual([
      expect.objectContaining({ breachId: breach.json.breachId }),
    ]);
    const report = await api('GET', breachPath, { as: officer, headers: { accept: 'text/markdown' } });
    expect(report.status, report.text).toBe(200);
    expect(report.text).toContain('# Personal-data breach report');
    const kisa = catalogue.breach.regulators.find((r) => r.when.outsideAttack)!;
    const filed = await api('POST', `${breachPath}/actions`, {
      as: officer,
      body: {
        action: 'file-report',
        regulator: kisa.id,
        filedAt: new Date().toISOString(),
        reference: 'R-1',
      },
    });
    expect(filed.status, filed.text).toBe(200);
    // The subject's notice is still queued: closing now needs a reason.
    const closed = await api('POST', `${breachPath}/actions`, {
      as: officer,
      body: { action: 'close', reason: 'Closed in the artefact run' },
    });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.status).toBe('closed');

    const terminated = await api('POST', `/v1/admin/members/${subject.sub}/terminate`, {
      as: officer,
      body: { reason: 'court order 12' },
    });
    expect(terminated.status, terminated.text).toBe(200);
    expect(terminated.json).toMatchObject({
      receipt: { memberId: subject.sub },
      signature: expect.any(String),
    });
  });

  it('the scheduled jobs and the queue workers they feed run from their bundles', async () => {
    const dormant = await member(`dormant-${profile}`);
    expect(
      (await api('POST', '/v1/members', { as: dormant, body: fixture.join(`Dormant${profile}`) })).status,
    ).toBe(201);
    const later = new Date(Date.now() + 340 * 86_400_000);
    const inactivity = await runSchedule('inactivity', later);
    expect(inactivity).toMatchObject({ queued: expect.any(Number) });
    expect(inactivity.queued).toBeGreaterThan(0);
    expect(await drain(queueOf('inactivity'))).toBe(inactivity.queued);

    const notices = await runSchedule('policyNotices', new Date());
    expect(Object.values(notices).every((n) => typeof n === 'number')).toBe(true);
    await drain(queueOf('policyNotices'));

    // The annual notice of usage history (PIPA Art. 20-2) on the due day covering this Seoul year:
    // the job queues the year's pages, the notices worker mails each member, a later run finishes
    // the year with its counts, and a rerun sends nothing more.
    const { month: dueMonth, day: dueDay } = catalogue.usageNotice.due;
    const dueAt = new Date(
      `${Number(seoulDay(new Date()).slice(0, 4)) + 1}-${String(dueMonth).padStart(2, '0')}-${String(dueDay).padStart(2, '0')}T10:00:00+09:00`,
    );
    const started = await runSchedule('usageNotice', dueAt);
    expect(started.usageSegmentsQueued).toBeGreaterThan(0);
    await drain(queueOf('policyNotices'));
    const finished = await runSchedule('usageNotice', new Date(dueAt.getTime() + 86_400_000));
    expect(finished).toMatchObject({ usageFinished: 1 });
    expect(finished.usageSent).toBeGreaterThan(0);
    expect(await runSchedule('usageNotice', new Date(dueAt.getTime() + 2 * 86_400_000))).toMatchObject({
      usageSegmentsQueued: 0,
      usageSent: finished.usageSent,
    });

    // A request nobody acted on is overdue two months later: the digest counts it and is mailed.
    const open = await api('POST', '/v1/admin/requests', {
      as: officer,
      body: { memberId: dormant.sub, type: 'access', channel: 'phone' },
    });
    expect(open.status, open.text).toBe(201);
    const digest = await runSchedule('requestsDigest', new Date(Date.now() + 60 * 86_400_000));
    expect(digest.overdue).toBeGreaterThan(0);
    // littleone names no officer address: the digest is counted but has nowhere to go.
    const officerAddress = digestAddress(catalogue);
    expect(digest.digestSent).toBe(officerAddress ? 1 : 0);
    if (officerAddress) {
      expect((await readOutbox(a.moto.endpoint)).some((m) => m.to.includes(officerAddress))).toBe(true);
    }

    // The sweep just after the first kept record expires deletes it, and only what is due.
    const kept = await scanVault();
    const first = Math.min(...kept.map((i) => i.expiresAt));
    const sweepAt = kept.length > 0 ? new Date((first + 1) * 1000) : new Date();
    const retention = await runSchedule('retention', sweepAt);
    expect(retention.deleted).toBe(kept.filter((i) => i.expiresAt <= first + 1).length);
    if (kept.length > 0) expect(retention.deleted).toBeGreaterThan(0);
  });

  it('SES feedback from the topic suppresses a bounced address', async () => {
    const { fn, trigger } = functionFor('sns', () => true);
    const topicArn = a.resources.get(trigger.topic)!.arn;
    const message = {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: `bounced-${profile}@example.com` }],
        timestamp: new Date().toISOString(),
        feedbackId: randomUUID(),
      },
      mail: {
        timestamp: new Date().toISOString(),
        source: 'privacy@example.com',
        messageId: randomUUID(),
        destination: [`bounced-${profile}@example.com`],
      },
    };
    const event: SNSEvent = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
          Sns: {
            Type: 'Notification',
            MessageId: randomUUID(),
            TopicArn: topicArn,
            Subject: 'Amazon SES Email Event Notification',
            Message: JSON.stringify(message),
            Timestamp: new Date().toISOString(),
            SignatureVersion: '1',
            Signature: 'EXAMPLE',
            SigningCertUrl: 'https://sns.example.com/cert.pem',
            UnsubscribeUrl: 'https://sns.example.com/unsubscribe',
            MessageAttributes: {},
          },
        },
      ],
    };
    expect(await invoke('sns', fn, event)).toBeNull();
    const calls = a.recorder.records.filter((r) => r.accessKeyId === fn.logicalId);
    expect(calls.map((c) => `${c.service}:${c.action}`)).toEqual(
      expect.arrayContaining(['kms:GenerateMac', expect.stringMatching(/^dynamodb:/)]),
    );
    expect(calls.filter((c) => c.status !== 200)).toEqual([]);
  });

  it('the import job imports an export object from the imports bucket, from its bundle', async () => {
    const { fn } = functionFor('invoke', () => true);
    const bucket = fn.variables[ENV.importsBucket]!;
    const exported = makeExport(profile, 20, 10, 21);
    const s3 = new S3Client({ ...clientConfig(a.moto.endpoint), forcePathStyle: true });
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'imports/artefact.jsonl', Body: exported.text }),
      );
    } finally {
      s3.destroy();
    }
    const report = (await invoke('invoke', fn, {
      key: 'imports/artefact.jsonl',
      now: '2026-01-01T00:00:00.000Z',
    })) as { imported: number; skipped: number; bad: { line: number }[]; failed: number[] };
    expect(report.failed).toEqual([]);
    expect(report.imported).toBe(exported.good.length);
    expect(report.bad.map((b) => b.line)).toEqual(exported.bad.map((b) => b.line));
  });

  it("the outbox publisher's bundle puts every lifecycle event the earlier tests committed on the bus, once", async () => {
    const { fn } = functionFor('stream', (t) => a.resources.get(t.table)?.model === 'table:outbox');
    const ddb = new DynamoDBClient(clientConfig(a.moto.endpoint));
    let committed: string[];
    try {
      const { Items = [] } = await ddb.send(new ScanCommand({ TableName: a.boot.tables.outbox }));
      committed = Items.map((i) => i.eventId!.S!).sort();
    } finally {
      ddb.destroy();
    }
    expect(committed.length).toBeGreaterThan(0);
    const pump = new OutboxPump(
      a.moto.endpoint,
      { [tableEnv('outbox')]: a.boot.tables.outbox },
      profile,
      (event) => invoke('stream', fn, event) as Promise<DynamoDBBatchResponse>,
    );
    expect(await pump.pump()).toMatchObject({ records: committed.length, failedInvocations: 0 });
    const events = await takeLifecycleEvents(a.moto.endpoint, profile);
    expect(events.map((e) => String(e.detail.eventId)).sort()).toEqual(committed);
  });

  it('every function ran, and every call it made was signed as that function', () => {
    const notRun = [...a.functions.keys()].filter((id) => !a.runner.invocations.has(id));
    expect(notRun, 'functions the suite never invoked').toEqual([]);
    const ids = new Set(a.functions.keys());
    const foreign = a.recorder.records.filter((r) => !ids.has(r.accessKeyId));
    expect(foreign.map((r) => `${r.accessKeyId} ${r.service}:${r.action}`)).toEqual([]);
    const kinds = [...a.byKind]
      .map(([kind, e]) => `${kind}=${e.functions.size} functions/${e.invocations} invocations`)
      .join(', ');
    process.stdout.write(
      `artefacts ${profile}: ${a.functions.size} functions invoked (${kinds}); ` +
        `${a.recorder.records.length} AWS calls recorded; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  });

  it('a bundle that throws fails the suite', async () => {
    const fn = [...a.functions.values()][0]!;
    await expect(
      a.runner.invoke({ ...fn, logicalId: `${fn.logicalId}Broken`, handler: 'index.missing' }, {}),
    ).rejects.toBeInstanceOf(ArtefactFailure);
  });
}
