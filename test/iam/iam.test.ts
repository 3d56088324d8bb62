/**
 * IAM proven from what the functions do: every AWS call a function made in the integration
 * suites and in the artefact suite (the shipped bundles) is evaluated against the policies of that
 * function's role in the synthesized template of its profile. moto grants everything, so this
 * is where a missing grant shows; a grant no call used must be explained in unused-grants.ts.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPrivacyApp } from '../../lib/app-factory';
import { LOCAL_ACCOUNT, REGION } from '../../local/bootstrap';
import { type TableName, tableEnv, tables } from '../../model/resources';
import { profiles } from '../../policy/catalogue';
import { CALLS_FILE_ENV } from '../support/call-recorder';
import { checkRecordings, explains, type IamReport, type ProfileTemplate } from '../support/iam/check';
import {
  artefactRecordingOf,
  callsDir,
  integrationRecordingOf,
  readRecordings,
} from '../support/iam/recordings';
import type { TemplateJson } from '../support/iam/template';
import { UNUSED_GRANTS } from './unused-grants';

/** The artefact suite's recordings, when it wrote them outside the recordings directory. */
const artefactFiles = process.env[CALLS_FILE_ENV] ? [process.env[CALLS_FILE_ENV]] : [];

const INTEGRATION_DIR = fileURLToPath(new URL('../integration/', import.meta.url));

/** A profile's template without bundling: IAM does not depend on the bundles' contents. */
function templateOf(profile: string): ProfileTemplate {
  const { stack } = createPrivacyApp({ context: { profile, 'aws:cdk:bundling-stacks': [] }, env: {} });
  return {
    template: Template.fromStack(stack).toJSON() as TemplateJson,
    partitionKeyOf: (tableName, env) => {
      const name = (Object.keys(tables) as TableName[]).find((t) => env[tableEnv(t)] === tableName);
      return name ? tables[name].partitionKey.name : undefined;
    },
  };
}

describe('IAM: every recorded call against its function role', () => {
  let report: IamReport;
  const dir = callsDir();

  beforeAll(() => {
    const templates = Object.fromEntries(Object.keys(profiles).map((p) => [p, templateOf(p)]));
    report = checkRecordings(readRecordings(dir, artefactFiles), templates, {
      partition: 'aws',
      region: REGION,
      account: LOCAL_ACCOUNT,
    });
    const unexplained = report.unused.filter((g) => !UNUSED_GRANTS.some((r) => explains(r, g)));
    const byReason = UNUSED_GRANTS.map(
      (r) => `  ${report.unused.filter((g) => explains(r, g)).length} × ${r.actions.join(', ')}: ${r.reason}`,
    );
    process.stdout.write(
      [
        `IAM: ${report.calls} calls (${report.requests} authorizations) checked, from ${report.functionsCalling.length} of ${report.functions.length} functions (both profiles); ${report.denials.length} denied`,
        `IAM: handlers run with a test catalogue that the stacks do not ship, not checked: ${report.unshipped.join(', ') || 'none'}`,
        `IAM: ${report.unused.length} of ${report.grants} grants (action × resource, per function) unused; ${unexplained.length} unexplained`,
        ...byReason,
        '',
      ].join('\n'),
    );
  });

  it('has the recordings of every integration file and of the artefact suite of each profile', () => {
    const expected = [
      ...readdirSync(INTEGRATION_DIR)
        .filter((f) => f.endsWith('.test.ts'))
        .map(integrationRecordingOf),
      ...Object.keys(profiles).map(artefactRecordingOf),
    ];
    const present = new Set(readRecordings(dir).files);
    const missing = expected.filter((f) => !present.has(f));
    expect(missing, `run the integration project first (recordings in ${dir})`).toEqual([]);
  });

  it('finds no call the role would deny', () => {
    expect(report.calls).toBeGreaterThan(0);
    expect(report.denials).toEqual([]);
  });

  it('explains every grant no call used, and every explanation explains one', () => {
    const unexplained = report.unused.filter((g) => !UNUSED_GRANTS.some((r) => explains(r, g)));
    expect(unexplained).toEqual([]);
    const idle = UNUSED_GRANTS.filter((r) => !report.unused.some((g) => explains(r, g)));
    expect(idle).toEqual([]);
  });
});
