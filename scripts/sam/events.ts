/**
 * Event files for `sam local invoke --event`, one per function, generated from the model: a REST
 * proxy event per route (built by local/lambda-event.ts, with the claims a Cognito authorizer
 * would pass, since SAM runs none), the schedule's input per job, an SQS batch per worker, a
 * Cognito event per trigger, an SNS delivery for the SES feedback topic and a batch of the
 * outbox table's stream for the publisher of lifecycle events.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import { clientConfig, LOCAL_ACCOUNT, physicalNames, REGION } from '../../local/bootstrap';
import { apiGatewayClaims, idTokenClaims, LOCAL_AUDIENCE } from '../../local/issuer';
import { proxyEvent, sqsEvent } from '../../local/lambda-event';
import type { QueueName } from '../../model/resources';
import { memberItems } from '../../model/routes/item-schemas';
import { OFFICER_GROUP, type Route } from '../../model/routes/route';
import { routesOf } from '../../model/routes/table';
import {
  feedback,
  importJob,
  type JobEvent,
  type JobName,
  jobs,
  outboxPublisher,
  queues,
  triggers,
} from '../../model/workloads';
import { type ProfileName, profiles } from '../../policy/catalogue';
import type { Catalogue } from '../../policy/schema';

/** The member every member event speaks for: join first, and the others find them. */
export const SAM_MEMBER = 'sam-member';
/** The officer of the officer events. */
export const SAM_OFFICER = 'sam-officer';
/** The address of the sample member, and the one the bounce event suppresses. */
export const SAM_MEMBER_EMAIL = 'sam-member@example.com';
/** Ids that name nothing yet (a baby, a correction, a request): their routes answer 404. */
export const PLACEHOLDER_ID = 'sam-placeholder';

/** What invokes a function. */
export type TriggerKind = 'api' | 'schedule' | 'sqs' | 'cognito' | 'sns' | 'invoke' | 'stream';

/** One generated event. */
export interface SamEvent {
  /** The handler file the event is for (and the event file's name, with `.json`). */
  readonly handler: string;
  readonly trigger: TriggerKind;
  /** For routes: who calls it. */
  readonly access?: Route['access'];
  // biome-ignore lint/suspicious/noExplicitAny: an event is whatever its trigger sends
  readonly event: any;
}

/** A JSON Schema node as zod writes it. */
interface JsonSchema {
  readonly type?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly allOf?: readonly JsonSchema[];
  readonly minItems?: number;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
}

/** Sample strings for the patterns the route schemas use; a new pattern must be added here. */
const PATTERN_SAMPLES: readonly string[] = [SAM_MEMBER, '123456', 'KRW', '010-1234-5678'];

/**
 * A value the schema accepts: the first of each choice, every required property (every property
 * where none is required), the smallest allowed list. Deterministic, so the files diff cleanly.
 */
export function sampleOf(schema: JsonSchema, now: Date, path = '$'): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) {
    const first = choices.find((c) => c.type !== 'null');
    if (!first) throw new Error(`${path}: no non-null choice`);
    return sampleOf(first, now, path);
  }
  switch (schema.type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      const wanted = schema.required ? properties.filter(([n]) => schema.required?.includes(n)) : properties;
      return Object.fromEntries(wanted.map(([n, s]) => [n, sampleOf(s, now, `${path}.${n}`)]));
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sampleOf(schema.items ?? {}, now, `${path}[]`),
      );
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'string':
      return sampleString(schema, now, path);
    default:
      throw new Error(`${path}: no sample for ${JSON.stringify(schema)}`);
  }
}

function sampleString(schema: JsonSchema, now: Date, path: string): string {
  if (schema.format === 'email') return SAM_MEMBER_EMAIL;
  if (schema.format === 'uri') return 'https://example.com/sam.png';
  if (schema.format === 'date-time') return now.toISOString();
  if (schema.format === 'date') return now.toISOString().slice(0, 10);
  // zod declares a second pattern of a string (an email's local-part limit) as allOf.
  const patterns = [schema.pattern, ...(schema.allOf ?? []).map((s) => s.pattern)].filter(
    (p): p is string => p !== undefined,
  );
  if (patterns.length > 0) {
    const sample = [...PATTERN_SAMPLES, SAM_MEMBER_EMAIL].find((s) =>
      patterns.every((p) => new RegExp(p).test(s)),
    );
    if (!sample) throw new Error(`${path}: no sample matches ${patterns.map((p) => `/${p}/`).join(' and ')}`);
    return sample;
  }
  const text = `SAM sample ${path.split('.').pop()}`;
  return text.slice(0, schema.maxLength ?? text.length).padEnd(schema.minLength ?? 0, 'x');
}

function jsonSchemaOf(schema: z.ZodMiniType): JsonSchema {
  return z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema;
}

/**
 * A body of `route` as the sample member would send it: the schema's sample, with `items` limited
 * to those collected for the profile's first sign-in method (a join sends what that method needs).
 */
function memberBody(route: Route, catalogue: Catalogue, now: Date): Record<string, unknown> {
  const schema = jsonSchemaOf(route.body!(catalogue));
  const body = sampleOf(schema, now) as Record<string, unknown>;
  const itemSchemas = schema.properties?.items?.properties;
  if (itemSchemas) {
    const method = catalogue.signIn[0]!;
    // A correction changes only what may be corrected.
    const correcting = route.method === 'PATCH';
    const collected = new Set(
      memberItems(catalogue, route.path.includes('/babies') ? 'baby' : 'member')
        // Identifiers the sign-in provider knows come from the token (G1, L2), never the body.
        .filter(
          ([, item]) =>
            item.collectedFor.includes(method) &&
            item.fromSignIn === undefined &&
            (!correcting || item.correctable),
        )
        .map(([id]) => id),
    );
    body.items = Object.fromEntries(
      Object.entries(itemSchemas)
        .filter(([id]) => collected.has(id))
        .map(([id, s]) => [id, sampleOf(s, now, `$.items.${id}`)]),
    );
  }
  return body;
}

/** The join: every purpose granted, the age affirmation, the deployed policy version. */
export function joinBody(catalogue: Catalogue, now: Date): Record<string, unknown> {
  return {
    ...memberBody(routeOf(catalogue, 'post-members'), catalogue, now),
    consents: Object.fromEntries(Object.keys(catalogue.purposes).map((p) => [p, true])),
    ageAffirmation: true,
    policyVersion: catalogue.policy.version,
  };
}

/** A new policy version: the deployed catalogue, one minor version on, effective in 30 days. */
export function policyVersionBody(catalogue: Catalogue, now: Date): Record<string, unknown> {
  const input = profiles[catalogue.profile as ProfileName];
  const [major, minor] = catalogue.policy.version.split('.').map(Number);
  const effectiveDate = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  return {
    catalogue: {
      ...input,
      policy: { ...input?.policy, version: `${major}.${(minor ?? 0) + 1}`, effectiveDate },
    },
    effectiveDate,
    summary: 'SAM sample: the same catalogue, one minor version on.',
  };
}

function routeOf(catalogue: Catalogue, id: string): Route {
  const route = routesOf(catalogue).find((r) => r.id === id);
  if (!route) throw new Error(`profile ${catalogue.profile} has no route ${id}`);
  return route;
}

/** Path parameter values: the sample member, an optional purpose, or an id that names nothing. */
function pathParameters(route: Route, catalogue: Catalogue): Record<string, string> {
  const optionalPurpose = Object.entries(catalogue.purposes).find(([, p]) => !p.required)?.[0];
  const values: Record<string, string> = {};
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
    values[name!] =
      name === 'memberId'
        ? SAM_MEMBER
        : name === 'purpose'
          ? (optionalPurpose ?? Object.keys(catalogue.purposes)[0]!)
          : PLACEHOLDER_ID;
  }
  return values;
}

/** The claims API Gateway's Cognito authorizer would pass for a route's caller. */
export function claimsFor(route: Route, catalogue: Catalogue, now: Date): Record<string, string> | undefined {
  if (route.access === 'public') return undefined;
  const officer = route.access === 'officer';
  const payload = idTokenClaims(
    officer ? SAM_OFFICER : SAM_MEMBER,
    `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_sam`,
    LOCAL_AUDIENCE,
    {
      method: officer ? 'password' : catalogue.signIn[0]!,
      ...(officer ? { groups: [OFFICER_GROUP] } : {}),
      // SAM checks no expiry; a day keeps the claims plausible for a working session.
      expiresInSeconds: 86_400,
      now,
    },
  );
  return apiGatewayClaims(payload);
}

/** The REST proxy event of a route, as API Gateway would send it after its authorizer. */
export function routeEvent(route: Route, catalogue: Catalogue, now: Date) {
  const params = pathParameters(route, catalogue);
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
  const search = new URLSearchParams();
  const query = route.query?.(catalogue);
  if (query) {
    for (const [name, value] of Object.entries(sampleOf(jsonSchemaOf(query), now, '$query') as object)) {
      search.set(name, String(value));
    }
  }
  const body =
    route.id === 'post-members'
      ? joinBody(catalogue, now)
      : route.id === 'post-policy-version'
        ? policyVersionBody(catalogue, now)
        : route.body
          ? memberBody(route, catalogue, now)
          : undefined;
  return proxyEvent(
    {
      method: route.method,
      path,
      search,
      rawHeaders: body === undefined ? [] : ['Content-Type', 'application/json'],
      body: body === undefined ? null : JSON.stringify(body),
      sourceIp: '127.0.0.1',
      localPort: 3000,
    },
    route,
    params,
    claimsFor(route, catalogue, now),
    now,
  );
}

/** The schedule's input of a job (Scheduler passes it as the event). */
export function jobEvent(job: JobName, now: Date): JobEvent {
  return { job, now: now.toISOString() };
}

/** One SQS delivery of a work queue's message about the sample member. */
export function queueEvent(queue: QueueName, now: Date) {
  const message =
    queue === 'inactivity'
      ? { memberId: SAM_MEMBER, now: now.toISOString() }
      : queue === 'silos'
        ? // A silo step of a request no withdrawal opened: the worker finds none and drops it.
          { requestId: PLACEHOLDER_ID, memberId: SAM_MEMBER, silo: PLACEHOLDER_ID }
        : { kind: 'member', seq: 1, memberId: SAM_MEMBER, now: now.toISOString() };
  const sent = String(now.getTime());
  return sqsEvent(
    [
      {
        MessageId: `sam-${queue}-1`,
        ReceiptHandle: `sam-${queue}-receipt`,
        Body: JSON.stringify(message),
        Attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: sent,
          SenderId: LOCAL_ACCOUNT,
          ApproximateFirstReceiveTimestamp: sent,
        },
      },
    ],
    `arn:aws:sqs:${REGION}:${LOCAL_ACCOUNT}:${queues[queue].handler}`,
  );
}

/**
 * A batch of the outbox table's stream as the event source hands it to the publisher: one new
 * outbox item, the sample member's `MemberJoined` (ids and purposes only).
 */
export function outboxStreamEvent(catalogue: Catalogue, now: Date) {
  const eventId = '00000000-0000-4000-8000-000000000001';
  const detail = {
    eventId,
    memberId: SAM_MEMBER,
    profile: catalogue.profile,
    occurredAt: now.toISOString(),
    consented: Object.keys(catalogue.purposes),
  };
  const seconds = Math.floor(now.getTime() / 1000);
  return {
    Records: [
      {
        eventID: 'sam-outbox-1',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: REGION,
        eventSourceARN: `arn:aws:dynamodb:${REGION}:${LOCAL_ACCOUNT}:table/${catalogue.profile}-outbox/stream/sam`,
        dynamodb: {
          ApproximateCreationDateTime: seconds,
          Keys: { eventId: { S: eventId } },
          NewImage: {
            eventId: { S: eventId },
            detailType: { S: 'MemberJoined' },
            detail: { S: JSON.stringify(detail) },
            expiresAt: { N: String(seconds + 2 * 86_400) },
          },
          SequenceNumber: '100000000000000000001',
          SizeBytes: 256,
          StreamViewType: 'NEW_IMAGE',
        },
      },
    ],
  };
}

/** Cognito's trigger sources, by the model's trigger name. */
const TRIGGER_SOURCES: Readonly<Record<string, string>> = {
  postAuthentication: 'PostAuthentication_Authentication',
  preSignUp: 'PreSignUp_SignUp',
  preTokenGeneration: 'TokenGeneration_Authentication',
};

/** The part of each trigger's request Cognito adds to the account's attributes. */
const TRIGGER_REQUESTS: Readonly<Record<string, Record<string, unknown>>> = {
  postAuthentication: { newDeviceUsed: false },
  // The sample member is in no group: tokens are issued without reading the account.
  preTokenGeneration: { groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] } },
};

/** What each trigger's event carries as its response before the function fills it in. */
const TRIGGER_RESPONSES: Readonly<Record<string, Record<string, unknown>>> = {
  preTokenGeneration: { claimsOverrideDetails: null },
};

/**
 * A Cognito trigger event for the sample member. Each trigger answers with the event: the
 * pre-sign-up trigger confirms the sign-up in `response`; the others return it unchanged (the
 * pre-token-generation trigger lets a member's tokens through without a call).
 */
export function triggerEvent(trigger: string) {
  const source = TRIGGER_SOURCES[trigger];
  if (!source) throw new Error(`no Cognito event for trigger ${trigger}: add its trigger source`);
  return {
    version: '1',
    triggerSource: source,
    region: REGION,
    userPoolId: `${REGION}_sam`,
    userName: SAM_MEMBER,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: LOCAL_AUDIENCE },
    request: { userAttributes: { sub: SAM_MEMBER }, ...TRIGGER_REQUESTS[trigger] },
    response: { ...TRIGGER_RESPONSES[trigger] },
  };
}

/** An SNS delivery of an SES permanent bounce of the sample member's address. */
export function feedbackEvent(now: Date) {
  const message = {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: SAM_MEMBER_EMAIL }],
      timestamp: now.toISOString(),
    },
    mail: { timestamp: now.toISOString(), messageId: 'sam-message', destination: [SAM_MEMBER_EMAIL] },
  };
  const topic = `arn:aws:sns:${REGION}:${LOCAL_ACCOUNT}:ses-feedback`;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topic}:sam`,
        Sns: {
          Type: 'Notification',
          MessageId: 'sam-notification',
          TopicArn: topic,
          Subject: null,
          Message: JSON.stringify(message),
          Timestamp: now.toISOString(),
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** The export object the import job's event names: upload one there before invoking it. */
export const SAM_IMPORT_OBJECT = 'imports/members.jsonl';

/** Uploads an export of no members where the import job's event looks, as an operator would. */
export async function putSamImportObject(endpoint: string, profile: ProfileName): Promise<void> {
  const s3 = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: physicalNames.importsBucket(profile),
        Key: SAM_IMPORT_OBJECT,
        Body: '',
      }),
    );
  } finally {
    s3.destroy();
  }
}

/** Routes that end the sample member: their events come last, so the others find the member. */
const ENDS_THE_MEMBER = new Set(['delete-me', 'post-member-terminate']);

/**
 * Every event of a profile, one per function, in an order that works when run in turn on a fresh
 * emulator: public routes, the join, the member's and the officer's routes, workers, jobs,
 * triggers and feedback, and last the routes that end the member.
 */
export function samEvents(catalogue: Catalogue, now = new Date()): SamEvent[] {
  const routes = routesOf(catalogue);
  const api = (route: Route): SamEvent => ({
    handler: route.id,
    trigger: 'api',
    access: route.access,
    event: routeEvent(route, catalogue, now),
  });
  return [
    ...routes.filter((r) => !ENDS_THE_MEMBER.has(r.id)).map(api),
    ...Object.keys(queues).map((q) => ({
      handler: queues[q as QueueName].handler,
      trigger: 'sqs' as const,
      event: queueEvent(q as QueueName, now),
    })),
    ...(Object.keys(jobs) as JobName[]).map((job) => ({
      handler: jobs[job].handler,
      trigger: 'schedule' as const,
      event: jobEvent(job, now),
    })),
    ...Object.entries(triggers).map(([name, t]) => ({
      handler: t.handler,
      trigger: 'cognito' as const,
      event: triggerEvent(name),
    })),
    { handler: feedback.ses.handler, trigger: 'sns', event: feedbackEvent(now) },
    { handler: outboxPublisher.handler, trigger: 'stream', event: outboxStreamEvent(catalogue, now) },
    // Invoked by the operator with an object of the imports bucket (SAM_IMPORT_OBJECT).
    {
      handler: importJob.handler,
      trigger: 'invoke',
      event: { key: SAM_IMPORT_OBJECT, now: now.toISOString() },
    },
    ...routes.filter((r) => ENDS_THE_MEMBER.has(r.id)).map(api),
  ];
}
