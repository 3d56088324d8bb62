/**
 * The README's *Function environment* table is the stack's: each function of each profile's
 * stack has exactly the variables the generator lists for it (and NODE_OPTIONS), and the stack
 * has no function the generator leaves out. Its *Least privilege* prose holds too: a function
 * reads a table's indexes exactly when it reads the table.
 */
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { createPrivacyApp } from '../../lib/app-factory';
import type { PrivacyFunction } from '../../lib/constructs/privacy-function';
import { type TableAccess, tableActions } from '../../model/grants';
import { type QueueName, type TableName, tables } from '../../model/resources';
import {
  feedback,
  importJob,
  type JobName,
  jobs,
  outboxPublisher,
  queues,
  type TriggerName,
  triggers,
} from '../../model/workloads';
import { type ProfileName, profiles } from '../../policy/catalogue';
import { functionsOf } from '../../scripts/readme-tables';

/** The variable names of a function as synthesized. */
function variablesOf(fn: PrivacyFunction): string[] {
  const cfn = fn.function.node.defaultChild as never;
  const props = Stack.of(fn).resolve((cfn as { environment: unknown }).environment) as {
    variables?: Record<string, unknown>;
  };
  return Object.keys(props.variables ?? {}).sort();
}

/** Every resource a function's role names in its policy, as resolved CloudFormation JSON. */
function resourcesOf(fn: PrivacyFunction): Set<string> {
  const doc = Stack.of(fn).resolve(fn.role.policy.document) as { Statement: { Resource: unknown }[] };
  return new Set(
    doc.Statement.flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource])).map((r) =>
      JSON.stringify(r),
    ),
  );
}

describe.each(Object.keys(profiles) as ProfileName[])('the %s stack', (profile) => {
  // Bundling is skipped: the variables do not depend on the code.
  const { stack } = createPrivacyApp({ context: { profile, 'aws:cdk:bundling-stacks': [] }, env: {} });

  const byHandler = new Map<string, PrivacyFunction>([
    ...Object.entries(stack.api.functions),
    ...(Object.keys(jobs) as JobName[]).map(
      (n) => [jobs[n].handler, stack.jobs.byName[n]!.function] as const,
    ),
    ...(Object.keys(queues) as QueueName[]).map(
      (n) => [queues[n].handler, stack.workQueues.byName[n].worker] as const,
    ),
    ...(Object.keys(triggers) as TriggerName[]).map(
      (n) => [triggers[n].handler, stack.identity.triggers[n]] as const,
    ),
    [feedback.ses.handler, stack.feedback.function],
    [importJob.handler, stack.imports.function],
    [outboxPublisher.handler, stack.lifecycleEvents.function],
  ]);

  it('gives each function exactly the variables the README lists for it', () => {
    const listed = functionsOf(profile);
    expect(listed.map((fn) => fn.handler).sort()).toEqual([...byHandler.keys()].sort());
    for (const fn of listed) {
      expect(variablesOf(byHandler.get(fn.handler)!), fn.handler).toEqual([...fn.env, 'NODE_OPTIONS'].sort());
    }
  });

  it("lets a function read a table's indexes exactly when its grant reads the table", () => {
    for (const fn of functionsOf(profile)) {
      const named = resourcesOf(byHandler.get(fn.handler)!);
      for (const [name, access] of Object.entries(fn.grants.tables ?? {}) as [TableName, TableAccess][]) {
        const table = stack.data.tables[name];
        const reads = tableActions(access).includes('dynamodb:Query');
        for (const index of tables[name].indexes) {
          const arn = JSON.stringify(stack.resolve(`${table.tableArn}/index/${index.name}`));
          expect(named.has(arn), `${fn.handler} ${name} ${index.name}`).toBe(reads);
        }
      }
    }
  });
});
