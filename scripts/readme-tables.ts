/**
 * Writes the README's tables of every function's environment variables and grants, generated
 * from the model (routes, jobs, workers, triggers, feedback) for both shipped profiles, between
 * `<!-- generated:NAME -->` markers. `npm run readme` rewrites them; a unit test fails while the
 * README's copy is stale, and an infrastructure test proves the variables are the stack's.
 *
 * The variables mirror the function construct (lib/constructs/privacy-function.ts): each bound
 * table, key, email sender, user pool and queue sets one variable, plus the few the stack adds
 * to a worker (its sending rate, the policy address).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  DELETE_ACCOUNT_ACTIONS,
  type Grants,
  type KeyUse,
  keyActions,
  mergeGrants,
  READ_ACCOUNT_MFA_ACTIONS,
  SEND_EMAIL_ACTIONS,
  SEND_MESSAGE_ACTIONS,
  type TableAccess,
  tableActions,
} from '../model/grants';
import { hasPhotos, PHOTOS_BUCKET_ENV } from '../model/photos';
import {
  ENV,
  type KeyDomain,
  keyDomains,
  keyEnv,
  type QueueName,
  type TableName,
  tableEnv,
  tables,
} from '../model/resources';
import { routeGrants } from '../model/routes/route';
import { routesOf } from '../model/routes/table';
import {
  feedback,
  importJob,
  jobs,
  outboxPublisher,
  type QueueDefinition,
  queues,
  sendRatePerInstance,
  triggers,
} from '../model/workloads';
import { loadCatalogue, type ProfileName, profiles } from '../policy/catalogue';

/** What kind of function a handler is. */
export type FunctionKind = 'route' | 'job' | 'worker' | 'trigger' | 'feedback' | 'stream';

/** One Lambda function of a profile's stack: its handler, its grants and its variables. */
export interface FunctionSpec {
  /** The handler file under lambdas/handlers/, which names the function. */
  readonly handler: string;
  readonly kind: FunctionKind;
  /** Exactly what the function is granted. */
  readonly grants: Grants;
  /** The variables the stack sets, in the order of the resource model. */
  readonly env: readonly string[];
}

/** A variable every function gets, whatever it is granted. */
const EVERY_FUNCTION = [ENV.profile] as const;

/**
 * Variables the stack sets on a worker beyond its grants: notices name where to read the policy
 * (lib/privacy-stack.ts sets it once the API, and so its address, exists).
 */
const WORKER_EXTRAS: Partial<Record<QueueName, readonly string[]>> = { policyNotices: [ENV.policyUrl] };

/** What each variable outside the resource model's tables, keys and queues holds. */
const ENV_MEANING: Readonly<Record<keyof typeof ENV, string>> = {
  profile: 'the catalogue profile the function loads',
  senderAddress: 'the From address of notices',
  configurationSet: 'the SES configuration set every notice goes through',
  userPoolId: "the Cognito user pool holding members' sign-in accounts",
  sendRate: "the worker instance's share of its queue's sending rate, per second",
  policyUrl: 'the public address of `GET /v1/policy`, named in policy-change notices',
  eventBus: "the stack's EventBridge bus, where requests to custom silos are put",
  endpoint: 'an emulator every SDK client talks to; set by the local stack only, never in AWS',
  importsBucket: 'the bucket the import job reads export objects from',
  importRate: 'members the import job starts per second (under the KMS and DynamoDB quotas)',
};

const tableOrder = Object.keys(tables) as TableName[];
const keyOrder = Object.keys(keyDomains) as KeyDomain[];
const queueOrder = Object.keys(queues) as QueueName[];

/** The variables binding `grants` sets, in the order of the resource model. */
export function grantedEnv(grants: Grants): string[] {
  return [
    ...tableOrder.filter((t) => grants.tables?.[t]).map(tableEnv),
    ...keyOrder.filter((k) => (grants.keys?.[k]?.length ?? 0) > 0).map(keyEnv),
    ...(grants.sendEmail ? [ENV.senderAddress, ENV.configurationSet] : []),
    ...(grants.deleteAccounts ? [ENV.userPoolId] : []),
    ...queueOrder.filter((q) => grants.queues?.[q]).map((q) => queues[q].env),
    ...(grants.putEvents ? [ENV.eventBus] : []),
    ...(grants.photos ? [PHOTOS_BUCKET_ENV] : []),
    ...(grants.readImports ? [ENV.importsBucket] : []),
  ];
}

/** `grants` as a profile's stack binds them: photo grants bind nothing where it has no photos bucket. */
function boundIn(profile: ProfileName, grants: Grants): Grants {
  if (!grants.photos || hasPhotos(loadCatalogue(profile))) return grants;
  const { photos: _unbound, ...rest } = grants;
  return rest;
}

/** Every function of a profile's stack, in the order routes, jobs, workers, triggers, feedback, streams. */
export function functionsOf(profile: ProfileName): FunctionSpec[] {
  const spec = (handler: string, kind: FunctionKind, granted: Grants, extra: readonly string[] = []) => {
    const grants = boundIn(profile, granted);
    return { handler, kind, grants, env: [...EVERY_FUNCTION, ...grantedEnv(grants), ...extra] };
  };
  return [
    ...routesOf(loadCatalogue(profile)).map((route) => spec(route.id, 'route', routeGrants(route))),
    ...Object.values(jobs).map((job) => spec(job.handler, 'job', job.grants)),
    spec(importJob.handler, 'job', importJob.grants, [ENV.importRate]),
    ...queueOrder.map((name) => {
      const def: QueueDefinition = queues[name];
      // A worker that requeues is bound to its own queue as well.
      const grants = def.requeues ? mergeGrants(def.grants, { queues: { [name]: 'send' } }) : def.grants;
      const rate = def.sendsPerSecond !== undefined ? [ENV.sendRate] : [];
      return spec(def.handler, 'worker', grants, [...rate, ...(WORKER_EXTRAS[name] ?? [])]);
    }),
    ...Object.values(triggers).map((trigger) => spec(trigger.handler, 'trigger', trigger.grants)),
    ...Object.values(feedback).map((fn) => spec(fn.handler, 'feedback', fn.grants)),
    spec(outboxPublisher.handler, 'stream', outboxPublisher.grants),
  ];
}

/** The shipped profiles, in the catalogue's order. */
const PROFILES = Object.keys(profiles) as ProfileName[];

/** One row of a generated table: the functions that share a cell, and the profiles they exist in. */
interface Row {
  readonly handlers: string[];
  readonly profiles: readonly ProfileName[];
  readonly cell: string;
}

/**
 * Groups every function of every profile by the text `cell` gives it, keeping the first
 * appearance's order. A function only some profiles have is marked with them; one whose cell
 * differs between profiles gets a row per profile.
 */
function rowsBy(cell: (fn: FunctionSpec) => string): Row[] {
  const byFunction = new Map<string, { handler: string; cell: string; profiles: ProfileName[] }>();
  for (const profile of PROFILES) {
    for (const fn of functionsOf(profile)) {
      const text = cell(fn);
      const key = `${fn.handler}\n${text}`;
      const seen = byFunction.get(key);
      if (seen) seen.profiles.push(profile);
      else byFunction.set(key, { handler: fn.handler, cell: text, profiles: [profile] });
    }
  }
  const rows = new Map<string, Row>();
  for (const fn of byFunction.values()) {
    const key = `${fn.profiles.join()}\n${fn.cell}`;
    const row = rows.get(key);
    if (row) row.handlers.push(fn.handler);
    else rows.set(key, { handlers: [fn.handler], profiles: fn.profiles, cell: fn.cell });
  }
  return [...rows.values()];
}

function code(text: string): string {
  return `\`${text}\``;
}

function functionsCell(row: Row): string {
  const names = row.handlers.map(code).join(', ');
  return row.profiles.length === PROFILES.length ? names : `${names} (${row.profiles.join(', ')} only)`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The markdown of the environment section: what each variable holds, and who gets which. */
export function envSection(): string {
  const meaning = [
    ...tableOrder.map((t) => [code(tableEnv(t)), `name of the \`${t}\` table`]),
    ...keyOrder.map((k) => [code(keyEnv(k)), `ARN of the \`${k}\` KMS key`]),
    ...queueOrder.map((q) => [code(queues[q].env), `URL of the \`${q}\` work queue`]),
    ...(Object.keys(ENV) as (keyof typeof ENV)[]).map((name) => [code(ENV[name]), ENV_MEANING[name]]),
    [code(PHOTOS_BUCKET_ENV), 'name of the photos bucket (profiles with photo items)'],
  ];
  const rate = (fn: FunctionSpec) => {
    const queue = queueOrder.find((q) => queues[q].handler === fn.handler);
    return queue ? sendRatePerInstance(queues[queue]) : undefined;
  };
  const rows = rowsBy((fn) => {
    const own = fn.env.filter((name) => !(EVERY_FUNCTION as readonly string[]).includes(name));
    if (own.length === 0) return '—';
    return own.map((name) => (name === ENV.sendRate ? `${code(name)} (${rate(fn)})` : code(name))).join(', ');
  });
  return [
    `Every function gets ${EVERY_FUNCTION.map(code).join(', ')} and \`NODE_OPTIONS=--enable-source-maps\`.`,
    'Beyond those, each table, key, email sender, user pool and queue it is granted sets the variable',
    'that names it, in the same call as the grant; a queue worker that sends email also gets its share of',
    `the queue's sending rate (${code(ENV.sendRate)}, per second), and the policy-notices worker the`,
    `policy's address (${code(ENV.policyUrl)}).`,
    '',
    table(
      ['function', 'variables'],
      rows.map((row) => [functionsCell(row), row.cell]),
    ),
    '',
    table(['variable', 'holds'], meaning),
  ].join('\n');
}

function tablesCell(grants: Grants): string {
  const named = tableOrder.filter((t) => grants.tables?.[t]);
  return named.length === 0 ? '—' : named.map((t) => `${code(t)} ${grants.tables![t]}`).join(', ');
}

function keysCell(grants: Grants): string {
  const named = keyOrder.filter((k) => (grants.keys?.[k]?.length ?? 0) > 0);
  return named.length === 0 ? '—' : named.map((k) => `${code(k)} ${grants.keys![k]!.join(' + ')}`).join(', ');
}

function otherCell(grants: Grants): string {
  const parts = [
    ...(grants.sendEmail ? ['send email'] : []),
    ...(grants.deleteAccounts ? ['delete sign-in accounts'] : []),
    ...(grants.readAccountMfa ? ["read accounts' MFA settings"] : []),
    ...queueOrder.filter((q) => grants.queues?.[q]).map((q) => `send to the ${code(q)} queue`),
    ...(grants.silos === 'erase' ? ["erase in the catalogue's table and bucket silos"] : []),
    ...(grants.silos === 'read' ? ["read the catalogue's table and bucket silos"] : []),
    ...(grants.putEvents ? ['put events on the bus'] : []),
    ...(grants.photos ? [`photos ${grants.photos.join(' + ')}`] : []),
    ...(grants.readImports ? ['read objects of the imports bucket'] : []),
  ];
  return parts.length === 0 ? '—' : parts.join(', ');
}

const ACCESS_KINDS: readonly TableAccess[] = [
  'read',
  'write',
  'readwrite',
  'append',
  'read-append',
  'append-update',
];
const KEY_USES: readonly KeyUse[] = ['encrypt', 'decrypt', 'generate-data-key', 'mac', 'sign', 'verify'];

function actions(list: readonly string[]): string {
  return list.map(code).join(', ');
}

/** The markdown of the grants section: every function's grants, and the IAM actions of each word. */
export function grantsSection(): string {
  const rows = rowsBy((fn) => [tablesCell(fn.grants), keysCell(fn.grants), otherCell(fn.grants)].join(' | '));
  return [
    table(
      ['function', 'tables', 'KMS keys', 'other'],
      rows.map((row) => [functionsCell(row), row.cell]),
    ),
    '',
    table(
      ['word', 'IAM actions'],
      [
        ...ACCESS_KINDS.map((kind) => [`table ${code(kind)}`, actions(tableActions(kind))]),
        ...KEY_USES.map((use) => [`key ${code(use)}`, actions(keyActions([use]))]),
        ['send email', `${actions(SEND_EMAIL_ACTIONS)} on the sender identity and configuration set`],
        ['delete sign-in accounts', `${actions(DELETE_ACCOUNT_ACTIONS)} on the user pool`],
        [
          "read accounts' MFA settings",
          `${actions(READ_ACCOUNT_MFA_ACTIONS)} on the user pool that invokes the trigger (the pool id comes with its event)`,
        ],
        ['send to a queue', `${actions(SEND_MESSAGE_ACTIONS)} on that queue`],
      ],
    ),
  ].join('\n');
}

/** The generated sections of the README, by marker name. */
export function sections(): Record<string, string> {
  return { env: envSection(), grants: grantsSection() };
}

/** `readme` with every generated section replaced by its current text; throws on a missing marker. */
export function renderReadme(readme: string): string {
  let text = readme;
  for (const [name, body] of Object.entries(sections())) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README.md has no ${open} … ${close} section`);
    text = `${text.slice(0, start + open.length)}\n${body}\n${text.slice(end)}`;
  }
  return text;
}

/** The README this script maintains. */
export const README = new URL('../README.md', import.meta.url);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const before = readFileSync(README, 'utf8');
  const after = renderReadme(before);
  if (after !== before) writeFileSync(README, after);
  console.log(after === before ? 'README.md is current.' : 'README.md tables rewritten.');
}
