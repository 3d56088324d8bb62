/**
 * What invokes each Lambda function of a synthesized template, read from the template alone:
 * API Gateway methods whose integration targets it, Scheduler schedules, SQS and DynamoDB stream
 * event source mappings, SNS subscriptions and the user pool's Lambda triggers. A function with none of these
 * would never run once deployed; one with a kind the artefact suite cannot drive fails it.
 */
import type { TemplateJson } from './template-resources';

/** A value of the template: CloudFormation JSON has no useful static type. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is walked, not typed
type Cfn = any;

/** One way a function is invoked. */
export type Trigger =
  | { readonly kind: 'api'; readonly method: string; readonly path: string; readonly authorizer: boolean }
  | { readonly kind: 'schedule'; readonly schedule: string; readonly input: string }
  | { readonly kind: 'sqs'; readonly mapping: string; readonly queue: string; readonly batchSize: number }
  /** A DynamoDB stream event source mapping (the outbox table's, feeding the publisher). */
  | { readonly kind: 'stream'; readonly mapping: string; readonly table: string; readonly batchSize: number }
  | { readonly kind: 'sns'; readonly subscription: string; readonly topic: string }
  | { readonly kind: 'cognito'; readonly userPool: string; readonly trigger: string }
  /** Invoked by the operator with an event of their own (tagged `privacy:invocation: on-demand`). */
  | { readonly kind: 'invoke' };

/** The kinds of trigger, for figures. */
export type TriggerKind = Trigger['kind'];

/** The logical id a `Ref` or `Fn::GetAtt` names. */
function targetOf(value: Cfn): string | undefined {
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return value.Ref;
    if (Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  }
  return undefined;
}

/** Every logical id a value refers to, however deep. */
function referencesIn(value: Cfn, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, into);
  else if (value && typeof value === 'object') {
    const t = targetOf(value);
    if (t) into.add(t);
    for (const v of Object.values(value)) referencesIn(v, into);
  }
  return into;
}

/** The full path of an API Gateway resource, e.g. `/v1/me/babies/{babyId}`. */
function resourcePath(template: TemplateJson, id: string | undefined): string {
  if (!id) return '';
  const r = template.Resources[id];
  if (r?.Type !== 'AWS::ApiGateway::Resource') return '';
  return `${resourcePath(template, targetOf(r.Properties.ParentId))}/${r.Properties.PathPart}`;
}

/** The triggers of every Lambda function of `template`, by logical id (functions without any included). */
export function functionTriggers(template: TemplateJson): Map<string, Trigger[]> {
  const out = new Map<string, Trigger[]>();
  const functions = new Set<string>();
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type === 'AWS::Lambda::Function') {
      functions.add(id);
      const onDemand = (r.Properties?.Tags ?? []).some(
        (t: { Key: string; Value: string }) => t.Key === 'privacy:invocation' && t.Value === 'on-demand',
      );
      out.set(id, onDemand ? [{ kind: 'invoke' }] : []);
    }
  }
  const add = (fn: string | undefined, t: Trigger) => {
    if (fn && functions.has(fn)) out.get(fn)!.push(t);
  };
  for (const [id, r] of Object.entries(template.Resources)) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::ApiGateway::Method': {
        const fns = [...referencesIn(p.Integration?.Uri)].filter((x) => functions.has(x));
        for (const fn of fns) {
          add(fn, {
            kind: 'api',
            method: p.HttpMethod,
            path: resourcePath(template, targetOf(p.ResourceId)) || '/',
            authorizer: p.AuthorizationType === 'COGNITO_USER_POOLS',
          });
        }
        break;
      }
      case 'AWS::Scheduler::Schedule':
        add(targetOf(p.Target?.Arn), {
          kind: 'schedule',
          schedule: id,
          input: String(p.Target?.Input ?? '{}'),
        });
        break;
      case 'AWS::Lambda::EventSourceMapping': {
        const queue = targetOf(p.EventSourceArn) ?? '';
        const source = template.Resources[queue]?.Type;
        if (source === 'AWS::DynamoDB::GlobalTable' || source === 'AWS::DynamoDB::Table') {
          add(targetOf(p.FunctionName), {
            kind: 'stream',
            mapping: id,
            table: queue,
            batchSize: Number(p.BatchSize ?? 100),
          });
          break;
        }
        if (source !== 'AWS::SQS::Queue') {
          throw new Error(
            `event source mapping ${id} reads from ${queue}, neither an SQS queue nor a table's stream: the suite cannot drive it`,
          );
        }
        add(targetOf(p.FunctionName), {
          kind: 'sqs',
          mapping: id,
          queue,
          batchSize: Number(p.BatchSize ?? 10),
        });
        break;
      }
      case 'AWS::SNS::Subscription':
        if (p.Protocol === 'lambda') {
          add(targetOf(p.Endpoint), { kind: 'sns', subscription: id, topic: targetOf(p.TopicArn) ?? '' });
        }
        break;
      case 'AWS::Cognito::UserPool':
        for (const [trigger, value] of Object.entries<Cfn>(p.LambdaConfig ?? {})) {
          add(targetOf(value), { kind: 'cognito', userPool: id, trigger });
        }
        break;
      default:
        break;
    }
  }
  return out;
}
