/**
 * The inactivity rule switched off in the synthesized stack (G9): a catalogue with
 * `inactivity.enabled: false` gets no inactivity job, no schedule for it and no dead-letter queue
 * of its own, while every other job stays; the shipped profiles keep it. Bundling is skipped:
 * stack.test.ts proves every handler bundles.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPrivacyApp } from '../../lib/app-factory';
import { jobs } from '../../model/workloads';
import { parseCatalogue, profiles } from '../../policy/catalogue';
import { type Cfn, synthesize } from './synth';

/** lgcns with its inactivity rule switched off, validated as a profile is. */
function switchedOff() {
  const input = structuredClone(profiles.lgcns) as unknown as Record<string, Record<string, unknown>>;
  input.inactivity = { ...input.inactivity, enabled: false };
  return parseCatalogue(input, 'test catalogue');
}

const schedulesOf = (json: { Resources: Record<string, Cfn> }) =>
  Object.values(json.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
const functionsDescribed = (json: { Resources: Record<string, Cfn> }, description: string) =>
  Object.values(json.Resources).filter(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Description === description,
  );

describe('the inactivity rule switched off in the stack (G9)', () => {
  let off: { Resources: Record<string, Cfn> };
  let offJobs: Record<string, unknown>;
  beforeAll(() => {
    const built = createPrivacyApp({
      context: { profile: 'lgcns', 'aws:cdk:bundling-stacks': [] },
      env: {},
      loadCatalogue: switchedOff,
    });
    off = Template.fromStack(built.stack).toJSON() as typeof off;
    offJobs = built.stack.jobs.byName;
  });

  it('G9: has no inactivity job and no schedule for it; every other job keeps its own', () => {
    expect(Object.keys(offJobs).sort()).toEqual(
      Object.keys(jobs)
        .filter((n) => n !== 'inactivity')
        .sort(),
    );
    const schedules = schedulesOf(off);
    expect(schedules).toHaveLength(Object.keys(jobs).length - 1);
    expect(schedules.map((s) => JSON.parse(s.Properties.Target.Input).job)).not.toContain('inactivity');
    expect(functionsDescribed(off, jobs.inactivity.description)).toHaveLength(0);
  });

  it('G9: the shipped profile, which keeps the rule on, has the job on its schedule', () => {
    const on = synthesize('lgcns');
    const schedules = schedulesOf(on.json);
    expect(schedules).toHaveLength(Object.keys(jobs).length);
    expect(schedules.map((s) => JSON.parse(s.Properties.Target.Input).job)).toContain('inactivity');
    expect(functionsDescribed(on.json, jobs.inactivity.description)).toHaveLength(1);
  });
});
